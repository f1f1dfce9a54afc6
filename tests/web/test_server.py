"""The uvicorn server: idle connections do not pile up, and it stops cleanly."""

import socket
import time
import urllib.request

from netwarp.web.app import create_app
from netwarp.web.server import serve_in_thread


def test_connections_that_never_send_a_request_are_closed():
    server, url = serve_in_thread(create_app(), idle_timeout=0.5)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    idle = [socket.create_connection((host, port), timeout=5) for _ in range(50)]
    try:
        closed = 0
        for s in idle:  # each recv waits for the server to hang up (a state), bounded by the timeout
            s.settimeout(10)
            try:
                closed += s.recv(1) == b""  # the server hung up
            except (ConnectionResetError, TimeoutError):
                closed += 0
        assert closed == 50
        with urllib.request.urlopen(url, timeout=5) as r:  # and it still serves
            assert r.status == 200
    finally:
        for s in idle:
            s.close()
        server.should_exit = True


def _closed_by_server(s: socket.socket, within: float) -> bool:
    """Whether the server hangs up ``s`` within ``within`` seconds (a bounded wait for that state)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        s.settimeout(max(0.05, end - time.monotonic()))
        try:
            data = s.recv(4096)
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False
        if data == b"":
            return True
    return False


def test_slow_senders_are_cut_off_and_cannot_take_the_slots_of_complete_requests(monkeypatch):
    import threading

    from netwarp.web import server as server_module

    # 3 slots for complete requests, 4 for connections still sending; 12 slow senders (slowloris)
    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 3)
    server, url = serve_in_thread(create_app(), idle_timeout=30, request_timeout=2.0, max_pending=4)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    slow: list[socket.socket] = []
    stop = threading.Event()

    def trickle() -> None:  # one more header line on every slow socket, every 0.2 s, at most 100 rounds
        for k in range(100):
            if stop.wait(0.2):
                return
            for s in slow:
                try:
                    s.sendall(f"X-Slow-{k}: 1\r\n".encode())
                except OSError:
                    pass

    try:
        for _ in range(12):
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            slow.append(s)
        # a POST whose body trickles in: its headers are whole, its request is not
        body = socket.create_connection((host, port), timeout=5)
        body.sendall(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1000\r\n\r\n".encode())
        slow.append(body)
        feeder = threading.Thread(target=trickle, daemon=True)
        feeder.start()
        for _ in range(6):  # complete requests get through, not 503
            with urllib.request.urlopen(url, timeout=5) as r:
                assert r.status == 200
        assert len(server.server_state.netwarp_pending) <= 4
        # every slow sender is hung up on: the oldest at once (past the pending cap), the rest at their deadline
        assert all(_closed_by_server(s, within=20) for s in slow)
        with urllib.request.urlopen(url, timeout=5) as r:
            assert r.status == 200
    finally:
        stop.set()
        for s in slow:
            s.close()
        server.should_exit = True
