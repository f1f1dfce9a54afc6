"""A finished or interrupted run is never lost: up-front write checks, rescue on a failed save, Ctrl-C and SIGTERM."""

import errno
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading

import numpy as np
import pytest

from netwarp import cli, load_trace, tracefile

TRAIN = ["train", "--data", "blobs", "--hidden", "3", "--steps", "40", "--snapshots", "5", "-q"]


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_an_unwritable_folder_is_found_before_training(capsys, monkeypatch):
    started = []
    monkeypatch.setattr(cli, "train_from_args", lambda *a, **k: started.append(1))
    code, _, err = run(capsys, *TRAIN, "--out", "/sys/run.npz")  # /sys refuses files even to root
    assert code == 2 and started == []
    assert err.strip() == "netwarp: error: cannot write /sys/run.npz: Permission denied"


@pytest.mark.parametrize("command", ["info", "plot", "serve", "train"])
def test_a_300_character_file_name_is_one_line(tmp_path, capsys, command):
    name = tmp_path / ("r" * 300 + ".npz")
    argv = {"info": ["info", name], "plot": ["plot", name, "-o", tmp_path / "a.png"],
            "serve": ["serve", name, "--port", "0"], "train": [*TRAIN, "--out", name]}[command]
    code, _, err = run(capsys, *argv)
    assert code == 2 and len(err.splitlines()) == 1 and "File name too long" in err


def test_a_full_disk_keeps_the_run_in_the_temporary_folder(tmp_path, capsys, monkeypatch):
    rescue = tmp_path / "tmp"
    rescue.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(rescue))
    out = tmp_path / "out" / "run.npz"
    out.parent.mkdir()
    real = np.savez

    def savez(fh, **arrays):
        if os.path.dirname(fh.name) == str(out.parent):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fh, **arrays)

    monkeypatch.setattr(tracefile.np, "savez", savez)
    code, stdout, err = run(capsys, *TRAIN, "--out", out)
    kept = list(rescue.glob("netwarp-rescued-*-run.npz"))
    assert code == 1 and len(kept) == 1 and not out.exists()
    assert f"cannot write {out}: No space left on device; kept it in {kept[0]} instead" in err
    assert len(load_trace(kept[0])) == 5 and os.listdir(out.parent) == []  # no half-written file either


def test_interrupted_save_leaves_no_part_file(tmp_path, capsys, monkeypatch):
    def savez(fh, **arrays):
        fh.write(b"half a trace")
        raise KeyboardInterrupt  # what SIGTERM becomes in the command line

    monkeypatch.setattr(tracefile.np, "savez", savez)
    code, _, err = run(capsys, *TRAIN, "--out", tmp_path / "run.npz")
    assert code == 130 and os.listdir(tmp_path) == []


# the command line as it is, plus one line on stdout once two snapshots are recorded: the
# test signals on that state, never after a guessed time
_TELLS = """
import sys
from netwarp import cli, trace
record = trace.Trace.record
def told(self, *a, **k):
    snap = record(self, *a, **k)
    if len(self) == 2:
        print("netwarp-test: 2 snapshots recorded", flush=True)
    return snap
trace.Trace.record = told
sys.exit(cli.main(sys.argv[1:]))
"""
LONG = ["train", "--data", "spiral", "--steps", "100000000", "--record-every", "50", "-q"]


def start_until_recording(argv, timeout=120):
    """A ``netwarp`` process started with ``argv``, returned once it has recorded two snapshots."""
    proc = subprocess.Popen([sys.executable, "-c", _TELLS, *map(str, argv)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=timeout)  # a bounded wait for the state, however loaded the machine
    except queue.Empty:
        line = ""
    if "2 snapshots recorded" not in line:
        proc.kill()
        raise AssertionError(f"training did not start: {line!r} {proc.stderr.read()[-2000:]}")
    return proc, lines


def stop(proc, lines, sig):
    """Send ``sig``; returns ``(exit code, stderr)``."""
    try:
        proc.send_signal(sig)
        proc.wait(timeout=120)  # stdout is drained by the reader thread; stderr is a line or two
        err = proc.stderr.read()
    finally:
        proc.kill()
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_during_training_saves_the_snapshots_so_far(tmp_path, sig):
    out = tmp_path / "run.npz"
    code, err = stop(*start_until_recording([*LONG, "--out", out]), sig)
    assert code == 130, err
    assert "Traceback" not in err and "netwarp: interrupted at step" in err and f"saved what was kept to {out}" in err
    trace = load_trace(out)
    assert trace.status == "interrupted" and len(trace) >= 2
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no hidden .part left behind


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_never_replaces_the_run_already_saved(tmp_path, sig, blobs_trace):
    out = tmp_path / "run.npz"
    blobs_trace.save(out)
    before = out.read_bytes()
    for i, name in enumerate(["run.interrupted.npz", "run.interrupted-2.npz"]):
        code, err = stop(*start_until_recording([*LONG, "--out", out]), sig)
        kept = tmp_path / name
        assert code == 130 and len(err.splitlines()) == 1, err
        assert err.strip().endswith(f"; {out} was left as it was; saved what was kept to {kept}")
        assert out.read_bytes() == before  # the complete run, as it was
        assert load_trace(kept).status == "interrupted" and len(load_trace(kept)) >= 2
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["run.npz", *["run.interrupted.npz", "run.interrupted-2.npz"][: i + 1]])


def test_a_diverged_run_is_saved_beside_an_earlier_run(tmp_path, capsys, blobs_trace):
    out = tmp_path / "div.npz"
    blobs_trace.save(out)
    before = out.read_bytes()
    code, _, err = run(capsys, "train", "--lr", "50", "--steps", "300", "-q", "-o", out)
    assert code == 1 and err.strip().endswith(f"{out} was left as it was; saved what was kept to {tmp_path / 'div.diverged.npz'}")
    assert out.read_bytes() == before and load_trace(tmp_path / "div.diverged.npz").status == "diverged"


def test_a_complete_run_replaces_the_earlier_one(tmp_path, capsys, blobs_trace):
    out = tmp_path / "run.npz"
    blobs_trace.save(out)
    code, _, _ = run(capsys, *TRAIN, "--out", out)
    assert code == 0 and load_trace(out).config["steps"] == 40 and [p.name for p in tmp_path.iterdir()] == ["run.npz"]


def test_a_run_too_big_for_its_snapshots_is_thinned_up_front(tmp_path, capsys, monkeypatch):
    from netwarp import limits

    # stands in for --hidden 4096,4096 (134 MB a snapshot): a 2-3-2 net (17 parameters) against a tiny budget
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 17 * 8 * 3)
    code, _, err = run(capsys, *TRAIN, "--out", tmp_path / "run.npz")
    assert code == 0 and err.strip() == "netwarp: note: recording 3 snapshots instead of 5: 136 bytes each, at most 408 bytes for the run"
    assert len(load_trace(tmp_path / "run.npz")) == 3
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 17 * 8)
    code, _, err = run(capsys, *TRAIN, "--out", tmp_path / "run2.npz")
    assert code == 2 and "needs 136 bytes per snapshot; at most 136 bytes" in err and not (tmp_path / "run2.npz").exists()
