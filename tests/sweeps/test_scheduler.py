"""--scheduler at an address where no Dask scheduler answers: one line, no traceback,
whatever listens there (nothing, a stranger sending garbage, a silent peer)."""

import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the [dask] extra is part of the test extra")

import netwarp  # noqa: E402
from netwarp.errors import NetwarpError  # noqa: E402
from netwarp.sweeps.scheduler import probe  # noqa: E402


@pytest.fixture
def stranger(request):
    """A loopback TCP server that answers every connection with ``request.param`` bytes (None: says nothing)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if request.param is not None:
                try:
                    conn.sendall(request.param)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    server.close()
    for conn in held:
        conn.close()
    thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sweep(address: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netwarp", "sweep", "--widths", "1", "--depths", "1", "--seeds", "1",
                           "--steps", "20", "-q", "-o", str(tmp_path / "sw"), "--scheduler", address],
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(Path(netwarp.__file__).parents[1]), "PATH": "/usr/bin:/bin"})


def _one_line(r: subprocess.CompletedProcess, *says: str) -> None:
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    for text in says:
        assert text in r.stderr


def test_nothing_listening_is_one_line(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    _one_line(_sweep(address, tmp_path), f"netwarp: error: cannot reach the Dask scheduler at {address}: Connection refused")
    assert not (tmp_path / "sw").exists()


GARBAGE = [b"\xff" * 64, b"HTTP/1.1 400 Bad Request\r\n\r\n" * 4, b"\x00" * 7 + b"\x7f" + b"\xee" * 100]


@pytest.mark.parametrize("stranger", GARBAGE, indirect=True, ids=["ones", "http", "huge-frame"])
def test_a_port_speaking_another_protocol_is_one_line(stranger, tmp_path):
    _one_line(_sweep(stranger, tmp_path), f"cannot reach the Dask scheduler at {stranger}: it does not answer as a Dask scheduler")
    assert not (tmp_path / "sw").exists()


@pytest.mark.parametrize("stranger", [None], indirect=True, ids=["silent"])
def test_a_silent_peer_is_one_line_after_the_stated_wait(stranger, tmp_path):
    _one_line(_sweep(stranger, tmp_path), f"cannot reach the Dask scheduler at {stranger} within 5 s: no answer")


@pytest.mark.parametrize("address", ["foo://127.0.0.1:1", "tcp://127.0.0.1", "127.0.0.1:8786", "tcp://:99999"])
def test_a_malformed_address_is_refused(address):
    with pytest.raises(NetwarpError, match="--scheduler takes tcp://HOST:PORT"):
        probe(address)
