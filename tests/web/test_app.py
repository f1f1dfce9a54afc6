"""The playground app: the page, static files, the websocket handshake, one session per tab, the trace download."""

import pytest
from starlette.websockets import WebSocketDisconnect

from netwarp import load_trace


def test_page_and_static_files(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert 'src="/static/app.js"' in r.text and "http" not in r.text.split("<body>")[0].replace('charset="utf-8"', "")
    for name, mime in [("app.js", "javascript"), ("style.css", "text/css"), ("draw.js", "javascript")]:
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and mime in r.headers["content-type"]


def test_every_element_id_on_the_page_is_unique(client):
    """getElementById finds the first of two: a second element with an id is never written to
    (the digits path's caption once went into the edit panel's, which the next frame cleared)."""
    import re
    from collections import Counter

    ids = Counter(re.findall(r'\bid="([^"]+)"', client.get("/").text))
    assert ids and [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("path", ["/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/cli.py", "/static/../app.py", "/static/nope.js", "/static/"])
def test_no_path_traversal(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "headers",
    [{}, {"origin": "http://evil.example"}, {"origin": "http://testserver:9999"}, {"origin": "null"},
     {"origin": "http://evil.example", "host": "evil.example"}],
)
def test_websocket_rejects_foreign_origins(client, headers):
    with pytest.raises(WebSocketDisconnect) as e:
        with client.websocket_connect("/ws", headers=headers) as ws:
            ws.receive_json()
    assert e.value.code == 4403


def test_hello_lists_name_tables_and_limits(open_tab):
    ws, hello, frame = open_tab()
    assert {d["name"] for d in hello["datasets"]} >= {"spiral", "circles", "xor"}
    assert "tanh" in hello["activations"] and "adam" in hello["optimizers"]
    assert hello["limits"]["max_units"] == 64 and hello["palette"]["classes"][:2] == ["#f59322", "#0877bd"]
    assert frame["arch"]["sizes"] == [2, 4, 3, 2] and frame["timeline"]["count"] == 1
    ws.close()


def test_another_tab_keeps_working(open_tab, recv):
    a, _, _ = open_tab()
    b, _, _ = open_tab()
    a.send_text("{garbage")
    assert recv(a, "error")["message"] == "message is not valid JSON"
    b.send_json({"type": "step", "n": 7})
    fr = recv(b)
    while fr["timeline"]["step"] != 7:
        fr = recv(b)
    a.send_json({"type": "step", "n": 2})
    fr = recv(a)
    while fr["timeline"]["step"] != 2:
        fr = recv(a)
    a.close()
    b.close()


def test_trace_export(client, tmp_path, open_tab, recv):
    ws, hello, _ = open_tab()
    ws.send_json({"type": "step", "n": 10})
    recv(ws)
    r = client.get(f"/api/trace/{hello['sid']}")
    assert r.status_code == 200
    (tmp_path / "run.npz").write_bytes(r.content)
    tr = load_trace(tmp_path / "run.npz")
    assert tr.arch.sizes == (2, 4, 3, 2) and tr.steps[-1] == 10
    assert client.get("/api/trace/not-a-session").status_code == 404
    ws.close()
