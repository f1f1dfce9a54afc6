"""The playground's Starlette app: the page, its static files, the websocket, exports.

Security model: the server listens on loopback by default; the websocket
accepts only pages served by this server (the ``Origin`` must equal the
``Host`` it was reached at), and every request must name a host we serve
under. That stops other sites' pages on loopback, but not a DNS-rebinding page
once any host name is allowed (``--host 0.0.0.0``): its Origin and Host are
both the attacker's name, and they agree. So a server reachable from other
machines also requires an access token, as Jupyter does: printed in the URL at
start, checked on every HTTP request and the websocket (the page's first load
with ``?token=`` sets it as a same-site cookie). Static files come from the
installed package by exact name, never from a path the request builds.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from importlib import resources
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import HTTPConnection, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from ..activations import ACTIVATIONS
from ..datasets import DATASETS
from ..optim import OPTIMIZERS
from ..settings import schema
from ..trace import Trace
from ..views.help import HELP
from . import exports, live, pool
from .budget import MemoryBudget
from .protocol import encode, limits, playground_config
from .session import Session

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 32
TOKEN_COOKIE = "netwarp_token"


def _static_files() -> dict[str, bytes]:
    # read once at start: the set of servable names is fixed, so no request
    # path can reach anything outside the package's static folder
    root = resources.files("netwarp.web") / "static"
    return {f.name: f.read_bytes() for f in root.iterdir() if f.is_file() and f.name[0] != "."}


def _lessons(lesson) -> dict:
    from ..lessons import builtin_names, load_lesson

    out = {name: load_lesson(name).to_json() for name in builtin_names()}
    if lesson is not None:
        out[lesson.name] = lesson.to_json()
    return out


def hello_message(session: Session, replay: bool, exports_on: bool = True, lesson=None) -> dict:
    """The first message a page gets: the session, the name tables, the settings schema, the palette,
    the lessons (the built-ins and the one ``netwarp serve --lesson`` was given)."""
    return {
        "lessons": _lessons(lesson),
        "lesson": None if lesson is None else lesson.name,
        "type": "hello",
        "sid": session.sid,
        "replay": replay,
        "datasets": [{"name": d.name, "task": d.task, "n": d.n, "noise": d.noise, "description": d.description,
                      "hidden": None if d.hidden is None else list(d.hidden)} for d in DATASETS.values()],
        "activations": {k: a.description for k, a in ACTIVATIONS.items()},
        "optimizers": list(OPTIMIZERS),
        "limits": limits(),
        "settings": schema(),  # the page builds its Data/Network controls and URL keys from this
        "defaults": session.config if replay else playground_config(),  # a replay: the run's own settings
        "palette": _palette(),
        "exports": exports.available() if exports_on else [],
        "help": {k: list(v) for k, v in HELP.items()},  # every view's "(?)" text
    }


def _palette() -> dict:
    from ..render.palette import palette_json

    return palette_json()


def create_app(
    replay: Trace | None = None,
    replay_name: str = "",
    hosts: set[str] | None = None,
    token: str | None = None,
    budget: MemoryBudget | None = None,
    threads: int | None = None,
    lesson=None,
) -> Starlette:
    """Build the playground app.

    Parameters
    ----------
    replay : Trace, optional
        Replay this saved run instead of training.
    replay_name : str
        Shown in the status line when replaying.
    hosts : set of str, optional
        Host names the page may be reached under (default: loopback names; ``"*"`` allows any).
    token : str, optional
        When given, every request must carry it (``?token=`` or the cookie the page gets).
    budget : MemoryBudget, optional
        Memory per tab and in total (default: :class:`~netwarp.web.budget.MemoryBudget`'s).
    threads : int, optional
        BLAS threads per matrix product (default: ``NETWARP_THREADS``, else 1); the compute
        pool gets ``cores // threads`` threads (:func:`netwarp.web.pool.configure`).
    lesson : netwarp.lessons.Lesson, optional
        A lesson the page opens with (``netwarp serve --lesson``).
    """
    pool.configure(threads)
    files = _static_files()
    allowed = set(LOOPBACK if hosts is None else hosts)
    sessions: dict[str, Session] = {}
    budget = MemoryBudget() if budget is None else budget

    def hello(session: Session) -> dict:
        return hello_message(session, replay is not None, lesson=lesson)

    def host_ok(host: str) -> bool:
        return "*" in allowed or (urlsplit("//" + host).hostname or "") in allowed

    def token_ok(conn: HTTPConnection) -> bool:
        if token is None:
            return True
        given = conn.query_params.get("token") or conn.cookies.get(TOKEN_COOKIE) or ""
        return secrets.compare_digest(given.encode(), token.encode())

    def refused(conn: HTTPConnection) -> Response | None:
        if not host_ok(conn.headers.get("host", "")):
            return JSONResponse({"error": "host not allowed"}, status_code=403)
        if not token_ok(conn):
            return JSONResponse({"error": "this playground needs its access token: open the URL netwarp serve printed"}, status_code=403)
        return None

    async def page(request: Request) -> Response:
        if (no := refused(request)) is not None:
            return no
        response = Response(files["index.html"], media_type=TYPES[".html"], headers={"Cache-Control": "no-store"})
        if token is not None:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    async def static(request: Request) -> Response:
        if (no := refused(request)) is not None:
            return no
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
        if not token_ok(ws):
            await ws.close(code=4401, reason="access token missing")
            return
        full = None
        if len(sessions) >= MAX_SESSIONS:
            full = f"too many open tabs ({MAX_SESSIONS}): close one, then reload this page"
        elif not budget.admits(sessions.values()):
            full = f"the server's memory budget ({budget.describe()}) is used by the open tabs: close one, then reload this page"
        if full is not None:
            # accepted first, so the page can show why (a refused handshake looks like any other failure)
            await ws.accept()
            await ws.send_text(encode({"type": "error", "fatal": True, "message": full}))
            await ws.close(code=4429, reason="too many open tabs" if len(sessions) >= MAX_SESSIONS else "memory budget")
            return
        await ws.accept()
        session = Session(replay=replay, name=replay_name, budget=budget)
        sessions[session.sid] = session
        try:
            await live.run(ws, session, hello(session))
        finally:
            sessions.pop(session.sid, None)
            budget.close(session)

    def find(request: Request) -> Session | Response:
        if (no := refused(request)) is not None:
            return no
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
        # a frozen copy, written in a worker thread: a long run's file must not hold up the other tabs
        await asyncio.to_thread(s.trace.copy().save, path)
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

