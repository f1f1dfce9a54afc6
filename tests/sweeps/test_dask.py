"""A sweep on a real Dask cluster on loopback: a scheduler and two workers started
here, one killed in the middle; the sweep still finishes with every row exactly once."""

import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the [dask] extra is part of the test extra")

from distributed import Client  # noqa: E402

import netwarp  # noqa: E402
from netwarp.sweeps import sweep  # noqa: E402


def _dask() -> str:
    beside = Path(sys.executable).parent / "dask"
    found = str(beside) if beside.exists() else shutil.which("dask")
    if not found:
        pytest.fail("the dask command is missing although distributed is installed")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen:
    # its own session, so the whole process group can be stopped; output to a file, not a pipe that fills.
    # The netwarp under test by absolute path: a worker runs in a folder of its own, as on another machine
    path = os.pathsep.join(p for p in (str(Path(netwarp.__file__).parents[1]), os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, cwd=cwd,
                            env={**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False", "PYTHONPATH": path})


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@pytest.fixture
def cluster(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = _dask()
    procs = [_start([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    tmp_path / "scheduler.log")]
    try:
        for i in range(2):
            (tmp_path / f"w{i}").mkdir()
            procs.append(_start([dask, "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--name", f"w{i}", "--local-directory", str(tmp_path / f"w{i}")],
                                tmp_path / f"worker{i}.log", cwd=tmp_path / f"w{i}"))
        client = None
        deadline = time.monotonic() + 60
        while client is None:
            try:
                client = Client(address, timeout="2s", set_as_default=False)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            client.wait_for_workers(2, timeout=60)
        finally:
            client.close()
        yield address, procs
    finally:
        for p in reversed(procs):
            _stop(p)


def _rows(folder: Path) -> list[dict]:
    if not (folder / "results.csv").exists():
        return []
    with open(folder / "results.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_sweep_survives_losing_a_worker_and_writes_every_row_once(cluster, tmp_path):
    address, procs = cluster
    out = tmp_path / "sw"
    result, error = {}, []

    def run():
        try:
            result["r"] = sweep(out, widths=[1, 2, 3, 4], depths=[1, 2], seeds=2, scheduler=address,
                                dataset="circles", steps=2500)
        except BaseException as e:  # reported by the test below, not lost in the thread
            error.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while len(_rows(out)) < 2 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not error, error
    assert 2 <= len(_rows(out)) < 16, "the worker was to be killed in the middle of the sweep"
    _stop(procs[1], signal.SIGKILL)  # a worker lost without warning, its run half done
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert not error, error
    rows = _rows(out)
    keys = [(r["hidden"], r["seed"]) for r in rows]
    assert len(rows) == 16 and len(set(keys)) == 16
    assert all((out / r["trace"]).is_file() for r in rows)
    assert result["r"].ran == 16


def test_the_workers_get_the_clients_csv_data_not_its_path(cluster, tmp_path, monkeypatch):
    address, _ = cluster
    client_dir = tmp_path / "client"
    client_dir.mkdir()
    X, y = netwarp.make_dataset("circles", n=150, seed=1)
    (client_dir / "ring.csv").write_text("".join(f"{float(a)!r},{float(b)!r},{int(c)}\n" for (a, b), c in zip(X, y)))
    monkeypatch.chdir(client_dir)  # "ring.csv" exists here only, not in the workers' folders
    assert not (tmp_path / "w0" / "ring.csv").exists()
    r = subprocess.run([sys.executable, "-m", "netwarp", "sweep", "--csv", "ring.csv", "--scheduler", address,
                        "--widths", "1,3", "--depths", "1", "--seeds", "2", "--steps", "200", "-q", "-o", "sw"],
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(Path(netwarp.__file__).parents[1])})
    assert r.returncode == 0, r.stderr
    rows = _rows(client_dir / "sw")
    assert len(rows) == 4
    for row in rows:
        trace = netwarp.load_trace(client_dir / "sw" / row["trace"])
        assert trace.data == {"source": "csv:ring.csv"}
        assert len(trace.X_train) + len(trace.X_test) == 150
