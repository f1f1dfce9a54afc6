"""``netwarp serve run.npz`` of a model recorded by its layers' outputs (issue 23): the timeline, the
curves, the probes and the hidden space on any recorded layer, the recorded layers in place of the
diagram, and one-line refusals of everything that needs weights."""

from __future__ import annotations

import numpy as np
import pytest
from starlette.testclient import TestClient

from netwarp import views
from netwarp.nn import Architecture
from netwarp.trace import Trace
from netwarp.web.app import create_app
from netwarp.web.geometry import unb64
from netwarp.web.protocol import playground_config
from netwarp.web.replay import replay_config

WIDTHS = (9, 5)  # recorded layers "conv" and "fc1"; 4 classes


def recorded_trace(snapshots: int = 4, seed: int = 0) -> Trace:
    """A recorded 6-input model whose layers pull 4 classes apart over the snapshots (no torch needed)."""
    rng = np.random.default_rng(seed)
    n, m, k = 80, 40, 4
    ytr, yte = np.arange(n) % k, np.arange(m) % k
    Xtr, Xte = rng.normal(size=(n, 6)), rng.normal(size=(m, 6))
    centres = [rng.normal(size=(k, w)) * 3 for w in (*WIDTHS, k)]
    t = Trace(Architecture((6, *WIDTHS, k), "recorded"), Xtr, ytr, Xte, yte, layer_names=("conv", "fc1"),
              data={"source": "torch:Tiny", "input_shape": [1, 2, 3]})
    for s in range(snapshots):
        sep = (s + 1) / snapshots  # classes further apart at each snapshot
        outs = [[sep * c[y] + rng.normal(size=(len(y), c.shape[1])) for c in centres] for y in (ytr, yte)]
        t.record_outputs(10 * s, *outs)
    return t


@pytest.fixture(scope="module")
def trace():
    return recorded_trace()


def _tab(trace, origin):
    client = TestClient(create_app(replay=trace, replay_name="run.npz", hosts={"testserver"}))
    return client.websocket_connect("/ws", headers=origin)


def _frame_where(ws, recv, cond, limit=30):
    for _ in range(limit):
        fr = recv(ws)
        if cond(fr):
            return fr
    raise AssertionError("no such frame")


def test_the_replay_shows_the_recorded_layers_and_no_weight_panels(trace, recv, origin):
    with _tab(trace, origin) as ws:
        hello = recv(ws, "hello")
        fr = recv(ws)
    assert hello["replay"] and fr["replay"] and fr["status"] == "replaying run.npz"
    assert fr["arch"]["recorded"] and fr["arch"]["layer_names"] == ["conv", "fc1"]
    layers = fr["recorded"]["layers"]
    assert [(d["name"], d["width"]) for d in layers] == [("input", 6), ("conv", 9), ("fc1", 5), ("output logits", 4)]
    assert layers[0]["shape"] == [1, 2, 3] and fr["recorded"]["source"] == "torch:Tiny"
    assert "no weights" in fr["recorded"]["why"] and "\n" not in fr["recorded"]["why"]
    for weights_part in ("diagram", "field", "morph", "neurons", "edit", "path", "input"):
        assert weights_part not in fr
    assert fr["timeline"]["count"] == len(trace) and len(fr["curves"]["steps"]) == len(trace)
    np.testing.assert_allclose(fr["curves"]["test_acc"], views.training_curves(trace)["test_acc"], atol=1e-5)
    # the page's settings are the playground's (the model was not built from them), so its echo is accepted
    assert hello["defaults"] == playground_config() == replay_config(trace)


def test_hidden_points_are_the_recorded_outputs_along_their_split(trace, recv, origin):
    with _tab(trace, origin) as ws:
        recv(ws, "hello")
        recv(ws)
        for layer, snap in ((1, 1), (1, 3), (2, 0), (3, 2), (0, 0)):
            ws.send_json({"type": "view", "snapshot": snap, "layer": layer})
            fr = _frame_where(ws, recv, lambda f, k=layer, i=snap: f["view"]["layer"] == k and f["timeline"]["index"] == i)
            h = fr["hidden"]
            H = trace.layer_outputs(trace.X_train, snap)[layer]
            sep = views.separating_projection(trace, layer, snap)
            assert h["layer"] == layer and h["width"] == H.shape[1] and h["dims"] == 2
            np.testing.assert_allclose(unb64(h["points"]).reshape(-1, 2), sep.basis.apply(H), rtol=1e-5, atol=1e-5)
            info = h["separation"]
            assert info["source"] == sep.source and len(info["regions"] if info.get("regions") else info["lines"]) > 0
            assert fr["metrics"]["step"] == int(trace.steps[snap])
            assert fr["metrics"]["test_acc"] == pytest.approx(trace.snapshot(snap).test_acc, abs=1e-6)


def test_the_steady_3d_camera_on_a_recorded_layer(trace, recv, origin):
    with _tab(trace, origin) as ws:
        recv(ws, "hello")
        recv(ws)
        ws.send_json({"type": "view", "layer": 1, "snapshot": 2, "projection": "pca"})
        fr = _frame_where(ws, recv, lambda f: f["view"]["layer"] == 1 and "separation" not in f["hidden"])
    h = fr["hidden"]
    assert h["dims"] == 3 and h["width"] == WIDTHS[0] and len(unb64(h["points"])) == 3 * len(trace.X_train)


def test_probes_measure_the_snapshot_shown(trace, recv, origin):
    with _tab(trace, origin) as ws:
        recv(ws, "hello")
        recv(ws)
        ws.send_json({"type": "view", "snapshot": 1})
        fr = _frame_where(ws, recv, lambda f: f["timeline"]["index"] == 1)
        for _ in range(10):
            probes = recv(ws, "probes")
            if probes.get("key") == fr["probes_key"]:
                break
    assert probes["acc"] == pytest.approx(views.probe_accuracies(trace, snapshot=1), abs=1e-4)
    assert len(probes["acc"]) == trace.arch.n_layers + 1


@pytest.mark.parametrize("msg", [
    {"type": "edit", "kind": "w", "layer": 0, "i": 0, "j": 0, "value": 1.0},
    {"type": "restore", "all": True},
    {"type": "anatomy"},
    {"type": "digit", "index": 0},
    {"type": "digits_setup"},
    {"type": "digits_units"},
    {"type": "digits_path", "a": 0, "b": 1},
    {"type": "robustness"},
    {"type": "step", "n": 3},
    {"type": "reset"},
])
def test_messages_that_need_weights_get_one_line(trace, recv, origin, msg):
    with _tab(trace, origin) as ws:
        recv(ws, "hello")
        recv(ws)
        ws.send_json(msg)
        err = recv(ws, "error")
        fr = recv(ws)  # the tab goes on
    assert "\n" not in err["message"] and "internal error" not in err["message"]
    assert ("needs a forward pass" in err["message"] and "conv, fc1" in err["message"]) or "while replaying" in err["message"]
    assert fr["arch"]["recorded"]


def test_playing_moves_the_timeline_to_the_end(trace, recv, origin):
    with _tab(trace, origin) as ws:
        recv(ws, "hello")
        recv(ws)
        ws.send_json({"type": "view", "layer": 1})
        ws.send_json({"type": "play"})
        seen = {_frame_where(ws, recv, lambda f: f["playing"])["timeline"]["index"]}  # a replay at its end starts over
        fr = _frame_where(ws, recv, lambda f: seen.add(f["timeline"]["index"]) or not f["playing"], limit=60)
    assert fr["timeline"]["index"] == len(trace) - 1 and len(seen) > 1
    assert fr["hidden"]["layer"] == 1 and fr["hidden"]["separation"]  # paused at the end: the line is fitted


def test_a_recorded_trace_file_replays(tmp_path, trace, recv, origin):
    from netwarp.trace import load_trace

    trace.save(tmp_path / "run.npz")
    loaded = load_trace(tmp_path / "run.npz")
    with _tab(loaded, origin) as ws:
        recv(ws, "hello")
        fr = recv(ws)
    assert fr["arch"]["layer_names"] == ["conv", "fc1"] and fr["timeline"]["count"] == len(trace)
