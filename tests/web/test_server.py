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
        time.sleep(1.5)
        closed = 0
        for s in idle:
            s.settimeout(2)
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
