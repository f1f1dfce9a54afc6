"""Shared helpers for the playground tests: an app, a test client, and a tab on its websocket."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from netwarp.web.app import create_app

ORIGIN = {"origin": "http://testserver"}
SMALL = {"type": "config", "data": {"dataset": "xor", "n": 80, "seed": 1}, "net": {"hidden": [4, 3], "seed": 2}}


def _recv(ws, kind="frame", limit=50):
    """The next message of ``kind``, skipping others (probes arrive on their own)."""
    for _ in range(limit):
        m = ws.receive_json()
        if m["type"] == kind:
            return m
        if m["type"] == "error" and kind != "error":
            raise AssertionError(m["message"])
    raise AssertionError(f"no {kind} message")


@pytest.fixture()
def app():
    return create_app(hosts={"testserver"})


@pytest.fixture()
def client(app):
    return TestClient(app)


@pytest.fixture()
def recv():
    """``recv(ws, kind="frame")``: the next message of that kind (see :func:`_recv`)."""
    return _recv


@pytest.fixture()
def small():
    """A config message for a small 2-4-3-2 network on 80 xor points."""
    return SMALL


@pytest.fixture()
def origin():
    """Headers of a page served by the test app."""
    return ORIGIN


@pytest.fixture()
def open_tab(client):
    """``open_tab()``: a websocket tab set up with ``SMALL``; returns ``(ws, hello, first frame)``."""

    def open_() -> tuple:
        ws = client.websocket_connect("/ws", headers=ORIGIN).__enter__()
        hello = _recv(ws, "hello")
        _recv(ws)  # the first frame (default setup)
        ws.send_json(SMALL)
        return ws, hello, _recv(ws)

    return open_


# -- a real browser on a served playground (Debian chromium driven by playwright) --------------
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def live_server():
    """The playground served on a free loopback port for the module's tests: ``(app, url)``."""
    from netwarp.web.server import serve_in_thread

    app = create_app()
    server, url = serve_in_thread(app)
    yield app, url
    server.should_exit = True


@pytest.fixture()
def browser_page(live_server):
    """A fresh tab of Debian's chromium (1500 x 1600), failing the test on any page error."""
    import os
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"no chromium at {CHROMIUM} (install Debian's chromium package)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1600})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
        browser.close()
    assert not errors, errors
