"""The playground server: each endpoint, and the websocket protocol including bad input."""

import json

import numpy as np
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from netwarp import load_trace, views
from netwarp.web.app import create_app
from netwarp.web.frames import GRID_LINES, GRID_SAMPLES
from netwarp.web.geometry import unb64
from netwarp.web.protocol import MAX_MESSAGE

ORIGIN = {"origin": "http://testserver"}
SMALL = {"type": "config", "data": {"dataset": "xor", "n": 80, "seed": 1}, "net": {"hidden": [4, 3], "seed": 2}}


@pytest.fixture()
def app():
    return create_app(hosts={"testserver"})


@pytest.fixture()
def client(app):
    return TestClient(app)


def recv(ws, kind="frame", limit=50):
    """The next message of ``kind``, skipping others (probes arrive on their own)."""
    for _ in range(limit):
        m = ws.receive_json()
        if m["type"] == kind:
            return m
        if m["type"] == "error" and kind != "error":
            raise AssertionError(m["message"])
    raise AssertionError(f"no {kind} message")


def open_tab(client):
    ws = client.websocket_connect("/ws", headers=ORIGIN).__enter__()
    hello = recv(ws, "hello")
    recv(ws)  # the first frame (default setup)
    ws.send_json(SMALL)
    return ws, hello, recv(ws)


def test_page_and_static_files(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert 'src="/static/app.js"' in r.text and "http" not in r.text.split("<body>")[0].replace('charset="utf-8"', "")
    for name, mime in [("app.js", "javascript"), ("style.css", "text/css"), ("draw.js", "javascript")]:
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and mime in r.headers["content-type"]


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


def test_hello_lists_name_tables_and_limits(client):
    ws, hello, frame = open_tab(client)
    assert {d["name"] for d in hello["datasets"]} >= {"spiral", "circles", "xor"}
    assert "tanh" in hello["activations"] and "adam" in hello["optimizers"]
    assert hello["limits"]["max_units"] == 64 and hello["palette"]["classes"][:2] == ["#f59322", "#0877bd"]
    assert frame["arch"]["sizes"] == [2, 4, 3, 2] and frame["timeline"]["count"] == 1
    ws.close()


def test_frame_tells_the_truth(app, client):
    """What the page receives equals what netwarp.views computes for that state."""
    ws, _, _ = open_tab(client)
    ws.send_json({"type": "step", "n": 50})
    ws.send_json({"type": "view", "resolution": 40, "layer": 1, "t": 0.5})
    fr = recv(ws)
    while fr["view"]["resolution"] != 40 or fr["view"]["t"] != 0.5:
        fr = recv(ws)
    session = next(iter(app.state.sessions.values()))
    tr = session.trace
    f = views.decision_field(tr, resolution=40)
    assert fr["timeline"]["step"] == 50 and fr["timeline"]["count"] == 2
    np.testing.assert_array_equal(unb64(fr["field"]["labels"], "u1").reshape(40, 40), f.labels)
    np.testing.assert_allclose(unb64(fr["field"]["conf"], "u1").reshape(40, 40) / 255, f.probs.max(axis=2), atol=0.5 / 255 + 1e-9)
    w = views.warp(tr, 1, lines=GRID_LINES, samples=GRID_SAMPLES)  # layer 1 is 4 wide: a 3D projection of it
    pts = unb64(fr["hidden"]["points"]).reshape(-1, 3)
    assert fr["hidden"]["width"] == 4 and pts.shape == (len(w.points), 3)
    # a projection keeps distances up to the dropped variance: compare pairwise structure loosely
    m = views.morph(tr, 1, 0.5, lines=GRID_LINES, samples=GRID_SAMPLES)
    assert fr["morph"]["stage"] == views.morph_stage(tr, 0.5, 1) and m.points.shape[1] == 4
    ws.send_json({"type": "view", "layer": 2, "t": 2})
    fr = recv(ws)
    w2 = views.warp(tr, 2, lines=GRID_LINES, samples=GRID_SAMPLES)  # 3 wide: drawn as it is
    np.testing.assert_allclose(unb64(fr["hidden"]["points"]).reshape(-1, 3), w2.points, atol=1e-6)
    # the morph to layer 2 lives in max(2, 4, 3) = 4 padded dims, shown by PCA: at t = 2 the
    # points span only 3 of them, so the view is a rigid motion of the layer: distances agree
    mp = unb64(fr["morph"]["points"]).reshape(-1, 3)[:60]
    dist = lambda a: np.linalg.norm(a[:, None] - a[None], axis=2)  # noqa: E731
    np.testing.assert_allclose(dist(mp), dist(w2.points[:60]), atol=1e-5)
    ws.close()


def test_bad_messages_get_errors_and_the_tab_keeps_working(client):
    ws, _, _ = open_tab(client)
    bad = [
        "not json",
        json.dumps({"type": "nope"}),
        json.dumps({**SMALL, "net": {"hidden": [1000]}}),
        json.dumps({**SMALL, "net": {"hidden": [4] * 20}}),
        json.dumps({"type": "view", "layer": 7}),  # in the protocol's range, out of this network's
        json.dumps({"type": "view", "snapshot": 99}),
        json.dumps({"type": "edit", "kind": "w", "layer": 0, "i": 5, "j": 0, "value": 1.0}),
        json.dumps({"type": "add_point", "x": 0, "y": 0, "label": 5}),
        json.dumps({"type": "hover", "index": 4000}),
        json.dumps({"type": "csv", "text": "a,b\nx,y\n"}),
        "x" * (MAX_MESSAGE + 10),
        '{"type": "view", "snapshot": ' + "9" * 400 + "}",
    ]
    needles = ["not valid JSON", "unknown message type", "from 1 to 64", "at most 8 hidden layers", "layer 7 is out of range",
               "snapshot 99 is out of range", "unit i=5 is out of range", "class 5 does not exist", "point 4000 does not exist",
               "uploaded CSV", "message too large", "snapshot must be from"]
    for raw, needle in zip(bad, needles):
        ws.send_text(raw)
        err = recv(ws, "error")
        assert needle in err["message"], (needle, err["message"])
    ws.send_json({"type": "step", "n": 3})
    fr = recv(ws)
    while fr["timeline"]["step"] != 3:
        fr = recv(ws)
    assert fr["arch"]["sizes"] == [2, 4, 3, 2]  # the bad config did not replace the good one
    ws.close()


def test_another_tab_keeps_working(client):
    a, _, _ = open_tab(client)
    b, _, _ = open_tab(client)
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


def test_play_trains_many_steps_per_frame_and_pause_records(client):
    ws, _, _ = open_tab(client)
    ws.send_json({"type": "play"})
    steps = [recv(ws)["timeline"]["step"] for _ in range(5)]
    ws.send_json({"type": "pause"})
    fr = recv(ws)
    while fr["playing"]:
        fr = recv(ws)
    assert steps == sorted(steps) and fr["timeline"]["step"] > 5
    assert fr["metrics"]["step"] == fr["timeline"]["step"]  # pausing records the current state
    ws.close()


def test_reset_keeps_the_initialisation_unless_the_seed_changes(app, client):
    ws, _, first = open_tab(client)
    ws.send_json({"type": "step", "n": 20})
    recv(ws)
    ws.send_json({"type": "reset"})
    again = recv(ws)
    assert again["diagram"]["weights"] == first["diagram"]["weights"] and again["timeline"]["step"] == 0
    ws.send_json({**SMALL, "net": {**SMALL["net"], "seed": 3}})
    assert recv(ws)["diagram"]["weights"] != first["diagram"]["weights"]
    ws.close()


def test_hand_edit_ghost_flips_and_restore(app, client):
    ws, _, _ = open_tab(client)
    ws.send_json({"type": "step", "n": 100})
    recv(ws)
    ws.send_json({"type": "edit", "kind": "b", "layer": 2, "j": 0, "value": 30.0, "seq": 9})
    fr = recv(ws)
    session = next(iter(app.state.sessions.values()))
    assert fr["ack"] == 9 and fr["edit"]["changed"][0]["value"] == 30.0
    before = session.trace.predict(np.vstack([session.trace.X_train, session.trace.X_test]))
    after = session.trace.predict(np.vstack([session.trace.X_train, session.trace.X_test]), theta=session.edit.theta)
    assert fr["edit"]["flipped"] == int((before != after).sum()) > 0
    ghost = unb64(fr["edit"]["ghost"], "u1").reshape(100, 100)
    np.testing.assert_array_equal(ghost, views.decision_field(session.trace, resolution=100).labels)
    assert (unb64(fr["field"]["labels"], "u1") == 0).all()  # a huge bias on class 0 wins everywhere
    ws.send_json({"type": "restore", "kind": "b", "layer": 2, "i": 0, "j": 0})
    fr = recv(ws)
    assert "edit" not in fr and fr["field"]["labels"] == views_labels(session)
    ws.close()


def views_labels(session):
    from netwarp.web.geometry import b64

    return b64(views.decision_field(session.trace, resolution=100).labels, "u1")


def test_hover_path_goes_through_every_layer(app, client):
    ws, _, _ = open_tab(client)
    ws.send_json({"type": "hover", "index": 3})
    fr = recv(ws)
    tr = next(iter(app.state.sessions.values())).trace
    acts = tr.layer_outputs(tr.X_train[3:4])
    assert [len(v) for v in fr["path"]["values"]] == [2, 4, 3, 2]
    for got, want in zip(fr["path"]["values"], acts):
        np.testing.assert_allclose(got, want[0], atol=1e-5)
    assert len(fr["path"]["morph"]) == 6 * fr["view"]["layer"] + 1
    ws.close()


def test_add_and_clear_points(client):
    ws, _, fr = open_tab(client)
    n = fr["points"]["n_train"]
    ws.send_json({"type": "add_point", "x": 0.3, "y": -0.2, "label": 1})
    fr = recv(ws)
    assert fr["points"]["n_train"] == n + 1 and fr["added"] == 1
    assert unb64(fr["points"]["train"])[-2:].tolist() == pytest.approx([0.3, -0.2])
    ws.send_json({"type": "clear_points"})
    assert recv(ws)["points"]["n_train"] == n
    ws.close()


def test_csv_upload(client):
    ws, _, _ = open_tab(client)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    text = "x1,x2,label\n" + "\n".join(f"{a},{b},{int(a > 0)}" for a, b in X)
    ws.send_json({"type": "csv", "text": text})
    fr = recv(ws)
    assert fr["source"] == "csv" and fr["points"]["n_train"] + fr["points"]["n_test"] == 40
    # a config the server rejects must not throw the uploaded data away
    ws.send_json({**SMALL, "data": {"dataset": "digits", "n": 8, "noise": 0.0, "seed": 0}})  # too few to split
    assert recv(ws, "error")
    assert recv(ws)["source"] == "csv"  # the frame that restores the page's controls
    ws.send_json({"type": "reset"})
    fr = recv(ws)
    while "points" not in fr:
        fr = recv(ws)
    assert fr["source"] == "csv" and fr["points"]["n_train"] + fr["points"]["n_test"] == 40
    ws.close()


def test_trace_export_and_animation_endpoint(client, tmp_path):
    ws, hello, _ = open_tab(client)
    ws.send_json({"type": "step", "n": 10})
    recv(ws)
    r = client.get(f"/api/trace/{hello['sid']}")
    assert r.status_code == 200
    (tmp_path / "run.npz").write_bytes(r.content)
    tr = load_trace(tmp_path / "run.npz")
    assert tr.arch.sizes == (2, 4, 3, 2) and tr.steps[-1] == 10
    assert client.get("/api/trace/not-a-session").status_code == 404
    r = client.get(f"/api/animation/{hello['sid']}?kind=training&format=gif&frames=4")
    assert r.status_code in (200, 501)
    if r.status_code == 501:
        assert "render" in r.json()["error"]
    else:
        assert r.content[:6] in (b"GIF89a", b"GIF87a")
    assert client.get(f"/api/animation/{hello['sid']}?kind=spin").status_code in (400, 501)
    ws.close()


def test_replay_mode(tmp_path):
    from netwarp import make_dataset, train

    X, y = make_dataset("moons", n=100)
    trace = train(X, y, hidden=[3], steps=60, snapshots=5)
    client = TestClient(create_app(replay=trace, replay_name="run.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=ORIGIN) as ws:
        assert recv(ws, "hello")["replay"] is True
        fr = recv(ws)
        assert fr["timeline"]["count"] == len(trace) and "replaying run.npz" in fr["status"]
        ws.send_json(SMALL)
        assert "replaying" in recv(ws, "error")["message"]
        ws.send_json({"type": "view", "snapshot": 1})
        fr = recv(ws)
        while fr["timeline"]["index"] != 1:
            fr = recv(ws)
        assert fr["metrics"]["step"] == int(trace.steps[1])
        np.testing.assert_array_equal(
            unb64(fr["field"]["labels"], "u1").reshape(100, 100), views.decision_field(trace, 1, resolution=100).labels
        )


def test_probes_name_the_state_they_measured(client):
    # the page fades the probe bars while their key differs from the frame's
    ws, _, _ = open_tab(client)
    ws.send_json({"type": "step", "n": 40})
    fr = recv(ws)
    while fr["timeline"]["step"] != 40:
        fr = recv(ws)
    probes = recv(ws, "probes")
    while probes["key"] != fr["probes_key"]:  # an earlier job may still report first
        probes = recv(ws, "probes")
    assert len(probes["acc"]) == 4 and all(0 <= a <= 1 for a in probes["acc"])  # input, h1, h2, output
    ws.send_json({"type": "step", "n": 5})
    fr2 = recv(ws)
    assert fr2["probes_key"] != fr["probes_key"]  # new parameters: the old bars are stale
    ws.close()


def test_projector_camera_follows_a_layer_without_jumps():
    # a wide layer whose 2nd-4th directions swap importance between frames:
    # the playground's 3D view must not jump (it uses views.next_basis)
    from netwarp.web.geometry import Projector

    rng = np.random.default_rng(0)
    Z = rng.normal(size=(300, 6))
    grid = rng.normal(size=(4, 5, 6))
    proj = Projector()
    a, _ = proj.project("h", Z * [5, 3, 2.5, 2, 0.1, 0.1], grid)
    b, _ = proj.project("h", Z * [5, 2, 2.5, 3, 0.1, 0.1], grid)
    assert a.shape == (300, 3)
    assert views.projection_jitter(b, a) < 0.35
    # refit=False (a weight being dragged) keeps the camera exactly
    c, _ = proj.project("h", Z * [6, 2, 2.5, 3, 0.1, 0.1], grid, refit=False)
    np.testing.assert_allclose(proj.apply("h", Z * [6, 2, 2.5, 3, 0.1, 0.1]), c)
    # narrow layers are shown as they are
    p2, _ = proj.project("o", Z[:, :2], grid[..., :2])
    np.testing.assert_array_equal(p2, Z[:, :2])
