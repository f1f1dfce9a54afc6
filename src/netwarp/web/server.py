"""Run the playground in a background thread (tests, benchmarks, notebooks)."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from ..errors import NetwarpError

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp


IDLE_TIMEOUT = 5.0  # seconds a connection may stay open without sending a request
MAX_CONNECTIONS = 256  # connections and websockets at once; beyond, new requests get 503


def make_server(app: ASGIApp, host: str = "127.0.0.1", port: int = 0, idle_timeout: float = IDLE_TIMEOUT) -> uvicorn.Server:
    """The uvicorn server for the playground (not yet running).

    Per-message deflate is off: a frame is ~200 kB of mostly base64 numbers,
    and compressing it costs more milliseconds than it saves on the loopback
    connection the playground is meant for. Connections that never send a
    request are closed after ``idle_timeout`` seconds (uvicorn's keep-alive
    timer starts only after a first response), and at most ``MAX_CONNECTIONS``
    are served at once, so idle sockets cannot pile up.
    """
    import uvicorn
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            # the same timer uvicorn sets between requests, here from the start: a request cancels it
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)

    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", ws_max_size=2_000_000, ws_per_message_deflate=False,
        http=Protocol, timeout_keep_alive=idle_timeout, limit_concurrency=MAX_CONNECTIONS,
    )
    return uvicorn.Server(config)


def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0, idle_timeout: float = IDLE_TIMEOUT
) -> tuple[uvicorn.Server, str]:
    """Start uvicorn on ``host:port`` (0 = a free port) in a daemon thread.

    Returns
    -------
    server : uvicorn.Server
        Set ``server.should_exit = True`` to stop it.
    url : str
        ``http://host:port/``.
    """
    server = make_server(app, host, port, idle_timeout)
    thread = threading.Thread(target=server.run, daemon=True, name="netwarp-web")
    thread.start()
    end = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise NetwarpError(f"the playground server did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://{host}:{bound}/"
