"""The playground's Starlette app: the page, its static files, the websocket, exports.

Security model: the server listens on loopback by default; the websocket
accepts only pages served by this server (the ``Origin`` must equal the
``Host`` it was reached at, and that host must be one we serve under, which
also stops DNS-rebinding pages); static files come from the installed package
by exact name, never from a path the request builds.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from ..activations import ACTIVATIONS
from ..datasets import DATASETS
from ..optim import OPTIMIZERS
from ..settings import schema
from ..trace import Trace
from . import exports, live
from .protocol import limits, playground_config
from .session import Session

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 32


def _static_files() -> dict[str, bytes]:
    # read once at start: the set of servable names is fixed, so no request
    # path can reach anything outside the package's static folder
    root = resources.files("netwarp.web") / "static"
    return {f.name: f.read_bytes() for f in root.iterdir() if f.is_file() and f.name[0] != "."}


def _palette() -> dict:
    from ..render.palette import palette_json

    return palette_json()


def create_app(replay: Trace | None = None, replay_name: str = "", hosts: set[str] | None = None) -> Starlette:
    """Build the playground app.

    Parameters
    ----------
    replay : Trace, optional
        Replay this saved run instead of training.
    replay_name : str
        Shown in the status line when replaying.
    hosts : set of str, optional
        Host names the page may be reached under (default: loopback names; ``"*"`` allows any).
    """
    files = _static_files()
    allowed = set(LOOPBACK if hosts is None else hosts)
    sessions: dict[str, Session] = {}

    def hello(session: Session) -> dict:
        return {
            "type": "hello",
            "sid": session.sid,
            "replay": replay is not None,
            "datasets": [{"name": d.name, "task": d.task, "n": d.n, "noise": d.noise, "description": d.description} for d in DATASETS.values()],
            "activations": {k: a.description for k, a in ACTIVATIONS.items()},
            "optimizers": list(OPTIMIZERS),
            "limits": limits(),
            "settings": schema(),  # the page builds its Data/Network controls and URL keys from this
            "defaults": playground_config(),
            "palette": _palette(),
            "exports": exports.available(),
        }

    def host_ok(host: str) -> bool:
        return "*" in allowed or (urlsplit("//" + host).hostname or "") in allowed

    async def page(request: Request) -> Response:
        return Response(files["index.html"], media_type=TYPES[".html"], headers={"Cache-Control": "no-store"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in files:
            return Response("not found", status_code=404, media_type="text/plain")
        ext = os.path.splitext(name)[1]
        return Response(files[name], media_type=TYPES.get(ext, "application/octet-stream"), headers={"Cache-Control": "no-store"})

    async def socket(ws: WebSocket) -> None:
        host, origin = ws.headers.get("host", ""), ws.headers.get("origin")
        if not host_ok(host) or origin is None or urlsplit(origin).netloc != host or urlsplit(origin).scheme not in ("http", "https"):
            await ws.close(code=4403, reason="origin not allowed")  # before accept: the handshake fails with 403
            return
        if len(sessions) >= MAX_SESSIONS:
            await ws.close(code=4429, reason="too many open tabs")
            return
        await ws.accept()
        session = Session(replay=replay, name=replay_name)
        sessions[session.sid] = session
        try:
            await live.run(ws, session, hello(session))
        finally:
            sessions.pop(session.sid, None)

    def find(request: Request) -> Session | Response:
        if not host_ok(request.headers.get("host", "")):
            return JSONResponse({"error": "host not allowed"}, status_code=403)
        s = sessions.get(request.path_params["sid"])
        if s is None or s.trace is None:
            return JSONResponse({"error": "no such session (is the tab still open?)"}, status_code=404)
        return s

    async def trace_file(request: Request) -> Response:
        s = find(request)
        if isinstance(s, Response):
            return s
        fd, path = tempfile.mkstemp(prefix="netwarp-", suffix=".npz")
        os.close(fd)
        s.trace.save(path)
        return FileResponse(path, media_type="application/octet-stream", filename="netwarp-run.npz",
                            background=BackgroundTask(os.unlink, path))

    async def animation(request: Request) -> Response:
        s = find(request)
        if isinstance(s, Response):
            return s
        return await exports.animation_response(s, request.query_params)

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/trace/{sid}", trace_file),
        Route("/api/animation/{sid}", animation),
        WebSocketRoute("/ws", socket),
    ]
    app = Starlette(routes=routes)
    app.state.sessions = sessions
    return app

