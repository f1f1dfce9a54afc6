"""The playground inside a Jupyter cell: ``netwarp.widget(trace_or_settings)``.

Built on anywidget (extra ``netwarp[notebook]``). The cell runs the playground's
own page code (``web/static``) and the same Python session code as
``netwarp serve`` (:class:`~netwarp.web.session.Session` driven by
:func:`netwarp.web.live.run`), talking over the widget's channel instead of a
websocket: no server, no port. One view of a widget at a time.
"""

from __future__ import annotations

import asyncio
import re
import threading
from importlib import resources
from typing import Any

from .errors import NetwarpError
from .trace import Trace

__all__ = ["widget"]

PAGE_MODULES = ("app.js", "net.js", "draw.js", "field.js", "charts.js", "diagram.js", "layers.js", "controls.js", "settings.js",
                "anatomy.js", "help.js", "digits.js", "robustness.js", "present.js", "lesson.js", "recorded.js")


def _static(name: str) -> str:
    return resources.files("netwarp.web").joinpath("static", name).read_text(encoding="utf-8")


def _page_body() -> str:
    """The playground page's markup, without its <head>."""
    page = _static("index.html")
    return re.search(r"<body>(.*)</body>", page, re.S).group(1)


def _scoped_css() -> str:
    """The page's style confined to the widget, so it cannot restyle the notebook around it."""
    css = _static("style.css").replace(":root", ":scope").replace("body {", ":scope {")
    extra = ".exports { display: none; } header { position: static; }"  # no server to download from
    return f"@scope (.nw-root) {{\n{css}\n{extra}\n}}"


def _in_a_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class _Channel:
    """The websocket's interface, as :func:`netwarp.web.live.run` uses it, over the widget's messages."""

    def __init__(self, widget: Any, loop: asyncio.AbstractEventLoop):
        self.widget, self.loop = widget, loop
        self.inbox: asyncio.Queue = asyncio.Queue()

    def put(self, message: dict) -> None:
        """From the kernel's thread: a message of the page, or its going away."""
        self.loop.call_soon_threadsafe(self.inbox.put_nowait, message)

    async def receive(self) -> dict:
        return await self.inbox.get()

    async def send_text(self, text: str) -> None:
        self.widget.send({"text": text})


def _widget_class():
    try:
        import anywidget
        import traitlets
    except ImportError:
        raise NetwarpError("netwarp.widget needs anywidget: pip install 'netwarp[notebook]'") from None

    class NetwarpWidget(anywidget.AnyWidget):
        """The playground in a notebook cell; ``.session`` is its Python state (see :func:`widget`)."""

        _esm = _static("widget.js")
        body = traitlets.Unicode().tag(sync=True)
        css = traitlets.Unicode().tag(sync=True)
        modules = traitlets.Dict().tag(sync=True)
        hash = traitlets.Unicode().tag(sync=True)

        def __init__(self, replay: Trace | None = None, hash: str = "", lesson=None, **kw):
            super().__init__(body=_page_body(), css=_scoped_css(), modules={m: _static(m) for m in PAGE_MODULES},
                             hash=hash, **kw)
            self.replay = replay
            self.lesson = lesson  # a lesson file's Lesson (the built-ins reach the page with every hello)
            self.session = None
            self._channel: _Channel | None = None
            self._thread: threading.Thread | None = None
            self.on_msg(self._message)

        def _message(self, _widget, content: dict, _buffers) -> None:
            if content.get("open"):
                self._start()
            elif content.get("close"):
                self._stop()
            elif self._channel is not None and "text" in content:
                self._channel.put({"type": "websocket.receive", "text": content["text"]})

        def _start(self) -> None:
            from .web.app import hello_message
            from .web.live import run
            from .web.session import Session

            self._stop()
            session = Session(replay=self.replay, name="notebook")
            self.session = session
            ready = threading.Event()

            def serve() -> None:
                loop = asyncio.new_event_loop()
                self._channel = _Channel(self, loop)
                ready.set()
                loop.run_until_complete(run(self._channel, session, hello_message(session, self.replay is not None, False, lesson=self.lesson)))
                loop.close()

            self._thread = threading.Thread(target=serve, name="netwarp-widget", daemon=True)
            self._thread.start()
            ready.wait(5)

        def _stop(self) -> None:
            if self._channel is not None:
                self._channel.put({"type": "websocket.disconnect"})
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._channel = self._thread = None

    return NetwarpWidget


def widget(trace_or_settings: Trace | dict | None = None, **settings) -> Any:
    """The playground's views in a notebook cell: train, scrub, morph, edit a weight.

    Parameters
    ----------
    trace_or_settings : Trace or dict, optional
        A Trace to replay, or run settings to start from (the playground's URL
        keys and values, e.g. ``{"data": "circles", "hidden": "3"}``).
    **settings
        More settings, as keywords; ``lesson="olah"`` (a built-in's name or a
        lesson file's path) opens the lesson panel at its first step.

    Returns
    -------
    NetwarpWidget
        Display it (the last expression of a cell); ``.session`` is the Python
        side's state, the same :class:`~netwarp.web.session.Session` as a
        playground tab's.
    """
    if not _in_a_kernel():
        raise NetwarpError("netwarp.widget shows the playground inside a Jupyter notebook (JupyterLab, Notebook, "
                           "VS Code); in a plain Python shell run `netwarp serve` for it in a browser")
    replay = trace_or_settings if isinstance(trace_or_settings, Trace) else None
    given = {} if replay is not None or trace_or_settings is None else dict(trace_or_settings)
    given.update(settings)
    lesson = None
    if given.get("lesson") is not None:
        from .lessons import load_lesson

        lesson = load_lesson(given.pop("lesson"))  # a bad name or file: one line, before any widget
        given.update(lesson=lesson.name, step=1)
    from urllib.parse import urlencode

    hash_ = "#" + urlencode({k: ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in given.items()})
    return _widget_class()(replay=replay, hash=hash_ if given else "", lesson=lesson)


def __getattr__(name: str):
    if name == "NetwarpWidget":  # the class needs anywidget, imported only when asked for
        return _widget_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

