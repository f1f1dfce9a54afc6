"""Reachable beyond loopback: the access token, allowed hosts, and a clear refusal when tabs are full."""

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from netwarp.web import app as app_module
from netwarp.web.app import create_app
from netwarp.web.budget import MemoryBudget

TOKEN = "s3cret-token"


@pytest.fixture()
def wide_open():
    # as `netwarp serve --host 0.0.0.0`: any host name answers, so only the token protects
    return TestClient(create_app(hosts={"*"}, token=TOKEN))


def test_a_rebinding_page_gets_nothing_without_the_token(wide_open):
    evil = {"host": "evil.example:8765"}
    assert wide_open.get("/", headers=evil).status_code == 403
    assert wide_open.get("/static/app.js", headers=evil).status_code == 403
    assert wide_open.get("/api/trace/anything", headers=evil).status_code == 403
    with pytest.raises(WebSocketDisconnect) as e:
        with wide_open.websocket_connect("/ws", headers={**evil, "origin": "http://evil.example:8765"}):
            pass
    assert e.value.code == 4401


def test_the_printed_url_sets_a_cookie_the_page_then_uses(wide_open):
    first = wide_open.get(f"/?token={TOKEN}")
    assert first.status_code == 200 and first.cookies.get("netwarp_token") == TOKEN
    assert "samesite=strict" in first.headers["set-cookie"].lower() and "httponly" in first.headers["set-cookie"].lower()
    assert wide_open.get("/static/app.js").status_code == 200  # the cookie from now on
    with wide_open.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "hello"
    assert TestClient(wide_open.app).get("/?token=wrong").status_code == 403


def test_loopback_needs_no_token_and_other_hosts_only_when_allowed():
    client = TestClient(create_app(hosts={"testserver", "lab.local"}))
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "lab.local:8765"}).status_code == 200
    assert client.get("/", headers={"host": "other.example"}).status_code == 403


def test_the_tab_past_the_limit_is_told_why(monkeypatch, origin):
    monkeypatch.setattr(app_module, "MAX_SESSIONS", 1)
    client = TestClient(create_app(hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=origin) as first:
        assert first.receive_json()["type"] == "hello"
        with client.websocket_connect("/ws", headers=origin) as second:
            msg = second.receive_json()
            assert msg == {"type": "error", "fatal": True, "message": "too many open tabs (1): close one, then reload this page"}
            with pytest.raises(WebSocketDisconnect) as e:
                second.receive_json()
            assert e.value.code == 4429


def test_a_full_memory_budget_refuses_a_new_tab_in_words(origin):
    budget = MemoryBudget(per_tab=200 * 2**20, total=60 * 2**20)  # room for one default tab (~35 MB), not two
    client = TestClient(create_app(hosts={"testserver"}, budget=budget))
    with client.websocket_connect("/ws", headers=origin) as first:
        assert first.receive_json()["type"] == "hello"
        first.receive_json()  # its first frame: the default set-up is built and counted
        with client.websocket_connect("/ws", headers=origin) as second:
            msg = second.receive_json()
            assert msg["fatal"] and "memory budget (200.0 MB per tab, 60.0 MB in all) is used by the open tabs" in msg["message"]
    with client.websocket_connect("/ws", headers=origin) as again:  # the first tab closed: its share is free
        assert again.receive_json()["type"] == "hello"
