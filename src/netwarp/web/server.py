"""Run the playground in a background thread (tests, benchmarks, notebooks)."""

from __future__ import annotations

import threading
import time

from ..errors import NetwarpError


def serve_in_thread(app, host: str = "127.0.0.1", port: int = 0, timeout: float = 10.0):
    """Start uvicorn on ``host:port`` (0 = a free port) in a daemon thread.

    Returns
    -------
    server : uvicorn.Server
        Set ``server.should_exit = True`` to stop it.
    url : str
        ``http://host:port/``.
    """
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", ws_max_size=2_000_000)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="netwarp-web")
    thread.start()
    end = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise NetwarpError(f"the playground server did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://{host}:{bound}/"
