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
MAX_CONNECTIONS = 256  # connections with a whole request in, and websockets, at once; beyond, new requests get 503


def make_server(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, idle_timeout: float = IDLE_TIMEOUT,
    request_timeout: float | None = None, max_pending: int | None = None,
) -> uvicorn.Server:
    """The uvicorn server for the playground (not yet running).

    Per-message deflate is off: a frame is ~200 kB of mostly base64 numbers,
    and compressing it costs more milliseconds than it saves on the loopback
    connection the playground is meant for. Connections that never send a
    request are closed after ``idle_timeout`` seconds (uvicorn's keep-alive
    timer starts only after a first response), and at most ``MAX_CONNECTIONS``
    are served at once, so idle sockets cannot pile up. A request must arrive
    whole within ``request_timeout`` seconds, and connections still sending
    theirs have ``max_pending`` slots of their own (see
    :mod:`netwarp.web.connections`), so slow senders cannot hold the slots
    complete requests need.
    """
    import uvicorn

    from . import connections

    request_timeout = connections.REQUEST_TIMEOUT if request_timeout is None else request_timeout
    max_pending = connections.MAX_PENDING if max_pending is None else max_pending
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", ws_max_size=2_000_000, ws_per_message_deflate=False,
        http=connections.protocol_class(request_timeout, max_pending), timeout_keep_alive=idle_timeout,
        limit_concurrency=MAX_CONNECTIONS + max_pending,
    )
    return uvicorn.Server(config)


def serve_in_thread(
    app: ASGIApp, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0, idle_timeout: float = IDLE_TIMEOUT,
    request_timeout: float | None = None, max_pending: int | None = None,
) -> tuple[uvicorn.Server, str]:
    """Start uvicorn on ``host:port`` (0 = a free port) in a daemon thread (arguments as :func:`make_server`).

    Returns
    -------
    server : uvicorn.Server
        Set ``server.should_exit = True`` to stop it.
    url : str
        ``http://host:port/``.
    """
    server = make_server(app, host, port, idle_timeout, request_timeout, max_pending)
    thread = threading.Thread(target=server.run, daemon=True, name="netwarp-web")
    thread.start()
    end = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise NetwarpError(f"the playground server did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://{host}:{bound}/"
