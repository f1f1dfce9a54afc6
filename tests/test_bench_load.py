"""bench/load.py: its busy processes run while asked, and stop with the block, on their own, or with their parent."""

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_module():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def wait_until(cond, limit=30.0):
    end = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < end, "state not reached"
        time.sleep(0.05)


def test_the_block_starts_n_busy_processes_and_stops_them():
    load = load_module()
    with load.Load(2, seconds=60) as busy:
        procs = list(busy.procs)
        assert len(procs) == 2 and all(p.poll() is None for p in procs)
    assert all(p.poll() is not None for p in procs) and busy.procs == []


def test_they_stop_by_themselves_after_their_time():
    load = load_module()
    busy = load.Load(1, seconds=0.1).__enter__()
    wait_until(lambda: busy.procs[0].poll() is not None)
    assert busy.procs[0].returncode == 0
    busy.stop()


def test_they_stop_when_their_parent_is_killed(tmp_path):
    pids = tmp_path / "pids"
    code = (f"import sys; sys.path.insert(0, {str(BENCH)!r}); import load, time\n"
            f"with load.Load(2, seconds=120) as b:\n"
            f"    open({str(pids)!r}, 'w').write(' '.join(str(p.pid) for p in b.procs))\n"
            f"    time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    wait_until(lambda: pids.exists() and len(pids.read_text().split()) == 2)
    children = [int(p) for p in pids.read_text().split()]
    parent.send_signal(signal.SIGKILL)  # no clean-up code runs in the parent
    parent.wait()

    def gone(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a zombie (reparented, not yet reaped) has stopped running
        return open(f"/proc/{pid}/stat").read().split(") ", 1)[1][0] == "Z"

    wait_until(lambda: all(gone(p) for p in children))


def test_every_benchmark_takes_load():
    for path in sorted(BENCH.glob("bench_*.py")):
        text = path.read_text()
        assert "add_option(" in text and "side_by_side(" in text, path.name
