"""A finished or interrupted run is never lost: up-front write checks, rescue on a failed save, Ctrl-C and SIGTERM."""

import errno
import os
import signal
import subprocess
import sys
import tempfile
import time

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


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_during_training_saves_the_snapshots_so_far(tmp_path, sig):
    out = tmp_path / "run.npz"
    argv = [sys.executable, "-m", "netwarp.cli", "train", "--data", "spiral", "--steps", "100000000",
            "--record-every", "50", "-q", "--out", str(out)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(4)  # start-up, then a few hundred steps
        proc.send_signal(sig)
        stdout, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "netwarp: interrupted at step" in err and f"saved what was kept to {out}" in err
    trace = load_trace(out)
    assert trace.status == "interrupted" and len(trace) >= 2
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no hidden .part left behind


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
