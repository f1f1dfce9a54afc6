"""One playground session: messages change its state, and it records what the page was sent."""

import json

import numpy as np
import pytest
from starlette.testclient import TestClient

from netwarp import views
from netwarp.web.app import create_app
from netwarp.web.geometry import unb64
from netwarp.web.session import Session


def test_reset_keeps_the_initialisation_unless_the_seed_changes(app, open_tab, recv, small):
    ws, _, first = open_tab()
    ws.send_json({"type": "step", "n": 20})
    recv(ws)
    ws.send_json({"type": "reset"})
    again = recv(ws)
    assert again["diagram"]["weights"] == first["diagram"]["weights"] and again["timeline"]["step"] == 0
    ws.send_json({**small, "net": {**small["net"], "seed": 3}})
    assert recv(ws)["diagram"]["weights"] != first["diagram"]["weights"]
    ws.close()


def test_add_and_clear_points(open_tab, recv):
    ws, _, fr = open_tab()
    n = fr["points"]["n_train"]
    ws.send_json({"type": "add_point", "x": 0.3, "y": -0.2, "label": 1})
    fr = recv(ws)
    assert fr["points"]["n_train"] == n + 1 and fr["added"] == 1
    assert unb64(fr["points"]["train"])[-2:].tolist() == pytest.approx([0.3, -0.2])
    ws.send_json({"type": "clear_points"})
    assert recv(ws)["points"]["n_train"] == n
    ws.close()


def test_csv_upload(open_tab, recv, small):
    ws, _, _ = open_tab()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    text = "x1,x2,label\n" + "\n".join(f"{a},{b},{int(a > 0)}" for a, b in X)
    ws.send_json({"type": "csv", "text": text})
    fr = recv(ws)
    assert fr["source"] == "csv" and fr["points"]["n_train"] + fr["points"]["n_test"] == 40
    # a config the server rejects must not throw the uploaded data away
    ws.send_json({**small, "data": {"dataset": "digits", "n": 8, "noise": 0.0, "seed": 0}})  # too few to split
    assert recv(ws, "error")
    assert recv(ws)["source"] == "csv"  # the frame that restores the page's controls
    ws.send_json({"type": "reset"})
    fr = recv(ws)
    while "points" not in fr:
        fr = recv(ws)
    assert fr["source"] == "csv" and fr["points"]["n_train"] + fr["points"]["n_test"] == 40
    ws.close()


def test_replay_mode(tmp_path, recv, small, origin):
    from netwarp import make_dataset, train

    X, y = make_dataset("moons", n=100)
    trace = train(X, y, hidden=[3], steps=60, snapshots=5)
    client = TestClient(create_app(replay=trace, replay_name="run.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=origin) as ws:
        assert recv(ws, "hello")["replay"] is True
        fr = recv(ws)
        assert fr["timeline"]["count"] == len(trace) and "replaying run.npz" in fr["status"]
        ws.send_json(small)
        assert "replaying" in recv(ws, "error")["message"]
        ws.send_json({"type": "view", "snapshot": 1})
        fr = recv(ws)
        while fr["timeline"]["index"] != 1:
            fr = recv(ws)
        assert fr["metrics"]["step"] == int(trace.steps[1])
        np.testing.assert_array_equal(
            unb64(fr["field"]["labels"], "u1").reshape(100, 100), views.decision_field(trace, 1, resolution=100).labels
        )


def _session(small):
    s = Session()
    assert s.receive(json.dumps(small)) is None
    return s


def test_data_points_are_sent_once_until_the_data_changes(small):
    s = _session(small)
    first = s.frame(full=True)
    assert "points" in first and s.sent.data_version == s.data_version and not s.dirty
    s.receive(json.dumps({"type": "view", "layer": 1}))
    assert s.dirty and "points" not in s.frame()
    s.receive(json.dumps({"type": "add_point", "x": 0.1, "y": 0.2, "label": 0}))
    fr = s.frame()
    assert fr["points"]["n_train"] == first["points"]["n_train"] + 1 and fr["data_version"] == s.sent.data_version
    assert "points" not in s.frame()


def test_curves_are_sent_when_a_snapshot_is_added(small):
    s = _session(small)
    s.frame(full=True)
    assert "curves" not in s.frame()
    s.receive(json.dumps({"type": "step", "n": 5}))
    assert s.pending_steps == 5  # taken by train_for, off the event loop, not by the message handler
    s.train_for(1.0)
    assert s.pending_steps == 0 and s.frame()["curves"] and s.sent.curves == len(s.trace) == 2


def test_a_bad_message_is_one_error_reply_and_a_resend(small):
    s = _session(small)
    s.frame()
    assert s.receive("{nope") == {"type": "error", "message": "message is not valid JSON"}
    assert s.dirty  # the next frame puts the page's controls back
    err = s.receive(json.dumps({"type": "view", "layer": 9}))
    assert err["message"] == "layer 9 is out of range; this network has layers 0 (input) to 3 (output)"


def test_a_frame_that_fails_stops_the_session_and_says_why(small, monkeypatch):
    s = _session(small)
    s.receive(json.dumps({"type": "play"}))
    monkeypatch.setattr(s, "theta", lambda: 1 / 0)
    msg = s.frame()
    assert msg["type"] == "error" and "internal error drawing this state: ZeroDivisionError" in msg["message"]
    assert not s.playing and not s.dirty


def test_probe_results_are_stored_by_the_session(small):
    s = _session(small)
    job = s.probes_job()
    assert job is not None and s.probes_job() is None  # claimed: not started twice
    msg = s.probes_done(job())
    assert s._probes == (s.sent.probes, msg) and msg["key"] == s.frame()["probes_key"]


def test_training_marks_the_session_for_a_frame(small):
    s = _session(small)
    s.frame()
    s.train_for(0.01)
    assert not s.dirty  # not playing: nothing happened
    s.receive(json.dumps({"type": "play"}))
    s.frame()
    s.train_for(0.01)
    assert s.dirty and s.trainer.step_count > 0


def test_digits_along_with_mixed_length_states_is_one_line_not_an_internal_error(small):
    s = _session(small)
    err = s.receive(json.dumps({"type": "digits_along", "states": [[0.0] * 64, [0.0] * 64, [0.0] * 10]}))
    assert err["type"] == "error" and "internal error" not in err["message"]
    assert err["message"] == "every pad state must have the same number of pixels: state 0 has 64, state 2 has 10"


def test_a_saved_run_with_infinite_metrics_is_served_not_dropped(tmp_path, recv, origin):
    from netwarp import load_trace, make_dataset, train

    X, y = make_dataset("moons", n=100)
    trace = train(X, y, hidden=[3], steps=60, snapshots=5)
    trace._metrics[1] = (float("inf"), float("-inf"), 0.5, float("nan"))  # a crafted file's metrics
    trace._metrics[-1] = (float("inf"), 0.3, 0.5, 0.5)
    trace.save(tmp_path / "inf.npz")
    replay = load_trace(tmp_path / "inf.npz")
    client = TestClient(create_app(replay=replay, replay_name="inf.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers=origin) as ws:
        recv(ws, "hello")
        fr = recv(ws)  # the first frame arrives: the socket was not closed by the encoder
        assert fr["curves"]["train_loss"][1] == -1 and fr["curves"]["test_loss"][1] == -1  # "no value", skipped
        assert fr["curves"]["test_acc"][1] == -1 and fr["curves"]["test_loss"][-1] == 0.3
        assert fr["metrics"]["train_loss"] is None  # the newest snapshot's inf loss, as null
        for question in ("anatomy", "robustness"):
            ws.send_json({"type": question})
            assert recv(ws, question)["type"] == question


def test_one_activation_per_hidden_layer_is_trained_and_a_wrong_list_is_one_error(small):
    s = _session({**small, "net": {**small["net"], "activation": ["tanh", "relu"]}})
    f = s.frame(full=True)
    assert f["arch"]["activations"] == ["tanh", "relu"] and f["arch"]["activation"] == "tanh,relu"
    assert f["config"]["net"]["activation"] == ["tanh", "relu"]
    assert s.trainer.arch.activations == ("tanh", "relu")
    bad = {**small, "net": {**small["net"], "activation": ["tanh", "relu", "relu"]}}
    err = s.receive(json.dumps(bad))
    assert err == {"type": "error", "message": "3 activations (tanh, relu, relu) for 2 hidden layer(s); "
                                              "give one name, or one per hidden layer"}
    assert s.trace.arch.activations == ("tanh", "relu")  # nothing the user had is lost
