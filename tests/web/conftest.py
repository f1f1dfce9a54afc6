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
