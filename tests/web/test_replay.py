"""A replayed run shows its own settings, not the playground's defaults."""

import json

from starlette.testclient import TestClient

from netwarp import make_dataset, train
from netwarp.web.app import create_app
from netwarp.web.replay import replay_config


def _circles_run():
    X, y = make_dataset("circles", n=120, seed=3)
    return train(X, y, hidden=[5, 3], activation="relu", optimizer="momentum", lr=0.05, steps=20, snapshots=3,
                 data={"dataset": "circles", "n": 120, "noise": 0.0, "seed": 3})


def test_replay_config_is_the_runs_own():
    cfg = replay_config(_circles_run())
    assert cfg["data"]["dataset"] == "circles" and cfg["data"]["n"] == 120 and cfg["data"]["seed"] == 3
    assert cfg["net"]["hidden"] == [5, 3] and cfg["net"]["activation"] == "relu"
    assert cfg["net"]["optimizer"] == "momentum" and cfg["net"]["lr"] == 0.05


def test_the_replayed_page_is_told_the_runs_settings(recv, origin):
    trace = _circles_run()
    client = TestClient(create_app(replay=trace, replay_name="run.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=origin) as ws:
        hello = recv(ws, "hello")
        fr = recv(ws)
        for cfg in (hello["defaults"], fr["config"]):
            assert cfg["data"]["dataset"] == "circles" and cfg["net"]["hidden"] == [5, 3]
            assert cfg["net"]["activation"] == "relu" and cfg["net"]["optimizer"] == "momentum"
        # its speed may change (what the page sends back: the run's own settings and a speed)
        ws.send_json({"type": "config", **hello["defaults"], "play": {"speed": 7}})
        fr = recv(ws)
        while fr["config"]["play"]["speed"] != 7:
            fr = recv(ws)
        assert fr["config"]["net"]["hidden"] == [5, 3]


def test_a_mixed_activation_run_is_replayed_with_its_own_activations(tmp_path, recv, origin):
    from netwarp import load_trace
    from netwarp.web.protocol import parse

    X, y = make_dataset("moons", n=100, seed=2)
    trained = train(X, y, hidden=[4, 3], activation=["tanh", "relu"], steps=10, snapshots=3,
                    data={"dataset": "moons", "n": 100, "noise": 0.1, "seed": 2})
    trained.save(tmp_path / "run.npz")
    trace = load_trace(tmp_path / "run.npz")  # as `netwarp serve run.npz` reads it
    assert replay_config(trace)["net"]["activation"] == ["tanh", "relu"]
    # the config is one the protocol accepts as it is (the page sends it back with a new speed)
    assert parse(json.dumps({"type": "config", **replay_config(trace)})).body["net"]["activation"] == ["tanh", "relu"]
    client = TestClient(create_app(replay=trace, replay_name="run.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=origin) as ws:
        hello = recv(ws, "hello")
        fr = recv(ws)
        assert hello["defaults"]["net"]["activation"] == fr["config"]["net"]["activation"] == ["tanh", "relu"]
        assert fr["arch"]["activations"] == ["tanh", "relu"] and fr["arch"]["activation"] == "tanh,relu"
        ws.send_json({"type": "config", **hello["defaults"], "play": {"speed": 7}})
        fr = recv(ws)
        while fr["config"]["play"]["speed"] != 7:
            fr = recv(ws)
        assert fr["config"]["net"]["activation"] == ["tanh", "relu"] and fr["replay"]


def test_a_uniform_run_replays_as_one_name():
    X, y = make_dataset("moons", n=60, seed=2)
    trace = train(X, y, hidden=[4, 3], activation=["relu", "relu"], steps=3, snapshots=2)
    assert replay_config(trace)["net"]["activation"] == "relu"


def test_page_ids_are_unique():
    from html.parser import HTMLParser
    from importlib import resources

    ids: list[str] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.extend(v for k, v in attrs if k == "id")

    P().feed((resources.files("netwarp.web") / "static" / "index.html").read_text())
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_digits_get_their_own_network_unless_one_is_given():
    from netwarp.web.protocol import parse

    assert parse('{"type": "config", "data": {"dataset": "digits"}}').body["net"]["hidden"] == [32, 16]
    assert parse('{"type": "config", "data": {"dataset": "digits"}, "net": {"hidden": [8]}}').body["net"]["hidden"] == [8]
    assert parse('{"type": "config", "data": {"dataset": "moons"}}').body["net"]["hidden"] == [8, 8]
