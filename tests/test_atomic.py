"""Writing files: only a regular file (or a link to one) is ever replaced, and what is
refused is refused in one line before any work."""

import os
import socket
import stat

import pytest

from netwarp import NetwarpError, atomic, cli, load_trace


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def special(tmp_path, monkeypatch):
    """``make(kind, name)``: a FIFO or a listening Unix socket called ``name`` in ``tmp_path`` (the cwd)."""
    monkeypatch.chdir(tmp_path)  # a socket's path must be short: bind a name relative to here
    socks = []

    def make(kind: str, name: str):
        if kind == "fifo":
            os.mkfifo(name)
        else:
            s = socket.socket(socket.AF_UNIX)
            s.bind(name)
            socks.append(s)
        return tmp_path / name

    yield make
    for s in socks:
        s.close()


def _is(path, kind):
    mode = os.lstat(path).st_mode
    return stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISSOCK(mode)


WHAT = {"fifo": "a named pipe (FIFO)", "socket": "a socket"}


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_trace_save_refuses_a_fifo_or_a_socket(kind, special, blobs_trace):
    node = special(kind, "run.npz")
    with pytest.raises(NetwarpError) as info:
        blobs_trace.save(node)
    assert str(info.value) == f"cannot write {node}: it is {WHAT[kind]}, not a regular file"
    assert _is(node, kind) and sorted(os.listdir(node.parent)) == ["run.npz"]  # untouched, no temporary left


@pytest.mark.parametrize("kind", ["fifo", "socket"])
@pytest.mark.parametrize("command, name", [("train", "run.npz"), ("plot", "a.png"), ("plot", "a.svg"), ("animate", "a.gif"),
                                           ("animate", "a.mp4"), ("report", "a.html"), ("code", "net.py")])
def test_every_command_refuses_a_special_output_before_any_work(command, name, kind, special, capsys, monkeypatch,
                                                                blobs_trace):
    blobs_trace.save("in.npz")
    node = special(kind, name)
    started = []
    monkeypatch.setattr(cli, "train_from_args", lambda *a: started.append("train"))
    monkeypatch.setattr("netwarp.trace.load_trace", lambda *a: started.append("load"))  # plot/animate/report
    argv = {"train": ["train", "-q"], "code": ["code", "in.npz"]}.get(command, [command, "in.npz"])
    code, _, err = run(capsys, *argv, "-o", name)
    assert code == 2 and err.splitlines() == [f"netwarp: error: cannot write {name}: it is {WHAT[kind]}, not a regular file"]
    assert _is(node, kind) and sorted(os.listdir()) == sorted(["in.npz", name])
    assert started == []


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_is_refused_and_left_alone(device, blobs_trace, monkeypatch):
    def never(*a):
        raise AssertionError("os.replace was called on a device")  # as root it would replace the node

    monkeypatch.setattr(atomic.os, "replace", never)
    before = os.stat(device)
    with pytest.raises(NetwarpError, match=f"^cannot write {device}: it is a device, not a regular file$"):
        blobs_trace.save(device)
    with pytest.raises(NetwarpError, match="it is a device"):
        atomic.check_writable(device)
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_rdev, after.st_ino) == (before.st_rdev, before.st_ino)
    assert not [n for n in os.listdir("/dev") if n.startswith((".netwarp-check-", ".null.", ".full."))]


def test_a_link_to_a_regular_file_is_followed(tmp_path, blobs_trace, capsys):
    real = tmp_path / "runs" / "real.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.npz"
    link.symlink_to(real)
    blobs_trace.save(link)
    assert link.is_symlink() and len(load_trace(real)) == len(blobs_trace)  # written through the link
    code, _, _ = run(capsys, "code", link, "-o", tmp_path / "net.py")
    (tmp_path / "net-link.py").symlink_to(tmp_path / "net.py")
    code, _, _ = run(capsys, "code", link, "-o", tmp_path / "net-link.py")
    assert code == 0 and (tmp_path / "net-link.py").is_symlink()


def test_a_link_to_a_fifo_is_refused(special, blobs_trace):
    node = special("fifo", "pipe")
    os.symlink("pipe", "run.npz")
    with pytest.raises(NetwarpError, match="run.npz: it is a named pipe"):
        blobs_trace.save("run.npz")
    assert _is(node, "fifo") and os.path.islink("run.npz")


def test_a_fifo_made_during_the_work_is_refused_at_the_rename(tmp_path):
    out = tmp_path / "a.txt"
    with pytest.raises(NetwarpError, match="it is a named pipe"):
        with atomic.atomic_output(out) as tmp:
            tmp.write_text("result")
            os.mkfifo(out)
    assert _is(out, "fifo") and os.listdir(tmp_path) == ["a.txt"]


@pytest.mark.parametrize("name", ["phase.png", "index.html"])
def test_a_fifo_in_a_sweep_folder_is_refused_not_opened(name, tmp_path):
    from netwarp.outputs.phase import write_sweep_report
    from netwarp.sweeps import sweep

    result = sweep(tmp_path / "sw", widths=[1], depths=[1], seeds=1, workers=1, dataset="circles", steps=20, n=40)
    os.mkfifo(tmp_path / "sw" / name)  # opening it to write would block for ever
    with pytest.raises(NetwarpError, match=f"{name}: it is a named pipe"):
        write_sweep_report(result, pictures=False)
    assert _is(tmp_path / "sw" / name, "fifo")
