"""Frames: what the page receives equals what netwarp.views computes, and heavy parts are sent once."""

import json

import numpy as np

import netwarp as nw
from netwarp import views
from netwarp.web.frames import GRID_LINES, GRID_SAMPLES, NEURON_INTERVAL, Sent, build_frame, probes_job, probes_key
from netwarp.web.geometry import separation_info, unb64
from netwarp.web.protocol import parse
from netwarp.web.session import Session


def test_frame_tells_the_truth(app, open_tab, recv):
    """What the page receives equals what netwarp.views computes for that state."""
    ws, _, _ = open_tab()
    ws.send_json({"type": "step", "n": 50})
    ws.send_json({"type": "view", "resolution": 40, "layer": 1, "t": 0.5, "projection": "pca"})
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


def test_hover_path_goes_through_every_layer(app, open_tab, recv):
    ws, _, _ = open_tab()
    ws.send_json({"type": "hover", "index": 3})
    fr = recv(ws)
    tr = next(iter(app.state.sessions.values())).trace
    acts = tr.layer_outputs(tr.X_train[3:4])
    assert [len(v) for v in fr["path"]["values"]] == [2, 4, 3, 2]
    for got, want in zip(fr["path"]["values"], acts):
        np.testing.assert_allclose(got, want[0], atol=1e-5)
    assert len(fr["path"]["morph"]) == 6 * fr["view"]["layer"] + 1
    ws.close()


def _session(small):
    s = Session()
    s.apply(parse(json.dumps(small)))
    return s


def test_building_a_frame_changes_only_the_record_it_returns(small):
    s = _session(small)
    sent = Sent()
    out, after = build_frame(s, sent, now=1.0)
    assert sent == Sent()  # the record given is left as it was: the caller decides what to keep
    assert after.data_version == s.data_version and after.curves == len(s.trace) and after.neurons_at == 1.0
    assert "points" in out and "curves" in out and "neurons" in out
    again, same = build_frame(s, after, now=1.1)
    assert "points" not in again and "curves" not in again and same == Sent(s.data_version, len(s.trace), None, 1.1)
    full, _ = build_frame(s, after, full=True, now=1.2)
    assert "points" in full and "curves" in full  # a page that has nothing gets everything


def test_neuron_heatmaps_are_paced_while_playing(small):
    s = _session(small)
    _, sent = build_frame(s, Sent(), now=10.0)
    s.playing = True
    out, kept = build_frame(s, sent, now=10.0 + NEURON_INTERVAL / 2)
    assert "neurons" not in out and kept.neurons_at == 10.0
    out, later = build_frame(s, sent, now=10.0 + NEURON_INTERVAL)
    assert "neurons" in out and later.neurons_at == 10.0 + NEURON_INTERVAL


def test_ghost_is_sent_once_per_edit_and_resolution(small):
    s = _session(small)
    _, sent = build_frame(s, Sent())
    s.apply(parse(json.dumps({"type": "edit", "kind": "b", "layer": 2, "j": 0, "value": 3.0})))
    first, sent = build_frame(s, sent)
    assert "ghost" in first["edit"] and sent.ghost is not None
    s.apply(parse(json.dumps({"type": "edit", "kind": "b", "layer": 2, "j": 0, "value": 4.0})))
    moved, sent = build_frame(s, sent)
    assert "ghost" not in moved["edit"] and moved["edit"]["changed"][0]["value"] == 4.0
    s.apply(parse(json.dumps({"type": "view", "resolution": 40})))
    finer, sent = build_frame(s, sent)
    assert unb64(finer["edit"]["ghost"], "u1").size == 40 * 40  # the page's ghost no longer fits the field
    s.apply(parse(json.dumps({"type": "restore", "all": True})))
    done, sent = build_frame(s, sent)
    assert "edit" not in done and sent.ghost is None  # the page drops its ghost with the edit
    s.apply(parse(json.dumps({"type": "edit", "kind": "b", "layer": 2, "j": 0, "value": 3.0})))
    assert "ghost" in build_frame(s, sent)[0]["edit"]  # a new edit: the page needs the ghost again


def test_probe_job_is_claimed_once_per_state_and_writes_nothing(small):
    s = _session(small)
    job, sent = probes_job(s, Sent())
    assert job is not None and sent.probes == probes_key(s, s.theta())
    assert probes_job(s, sent) == (None, sent)  # already started for this state
    before = s.theta().copy()
    msg = job()
    assert msg["type"] == "probes" and msg["key"] == sent.probes and len(msg["acc"]) == 4
    np.testing.assert_array_equal(s.theta(), before)
    s.trainer.step(3)
    assert probes_job(s, sent)[0] is not None  # new parameters: new probes


def test_regression_has_no_probes(small):
    s = _session({**small, "data": {"dataset": "sine", "n": 60}})
    assert probes_job(s, Sent()) == (None, Sent())


def _wide_spiral_trained() -> Session:
    """The default playground run (spiral, 2-8-8-2 tanh) trained to 100% training accuracy."""
    s = Session()
    s._build()
    assert s.trace.arch.sizes == (2, 8, 8, 2) or list(s.trace.arch.sizes) == [2, 8, 8, 2]
    s.playing = True
    while s.trace.snapshot(-1).train_acc < 1 and s.trainer.step_count < 20000:
        s.train_for(0.1)
    s.playing = False
    s._record_now()
    assert s.trace.snapshot(-1).train_acc == 1.0
    return s


def test_wide_last_hidden_layer_is_split_by_the_drawn_line():
    """The 8-wide last hidden layer is seen along the output's own split: every point lies on
    the side of the sent line that the network predicts, and the line is the boundary itself."""
    s = _wide_spiral_trained()
    s.layer, s.t = 2, 2.0
    fr = s.frame(full=True)
    h = fr["hidden"]
    assert h["width"] == 8 and h["dims"] == 2
    sep = h["separation"]
    assert sep["source"] == "network" and sep["exact"] and sep["accuracy"] is None and sep["pairs"] == [[0, 1]]
    w0, w1, c = sep["lines"][0]
    P = unb64(h["points"]).reshape(-1, 2).astype(np.float64)
    side = (P @ np.array([w0, w1]) + c > 0).astype(int)
    np.testing.assert_array_equal(side, s.trace.predict(s.trace.X_train, theta=s.theta()))
    np.testing.assert_array_equal(side, s.trace.y_train)  # at 100% the classes are on two sides
    # the grid is seen through the same view as the points
    g = unb64(h["grid"]).reshape(h["lines"], h["samples"], 2)
    assert np.isfinite(g).all()
    # the hover read-out sits where the point is drawn, and shows probabilities
    s.hover = 5
    fr = s.frame()
    np.testing.assert_allclose(fr["path"]["hidden"], P[5], atol=1e-4)
    assert abs(sum(fr["path"]["probs"]) - 1) < 1e-3


def test_earlier_layer_gets_the_probe_line_and_its_accuracy():
    s = _wide_spiral_trained()
    s.layer, s.t = 1, 1.0
    fr = s.frame(full=True)
    sep = fr["hidden"]["separation"]
    probe = views.separating_projection(s.trace, 1, -1)
    assert sep["source"] == "probe" and sep["accuracy"] == round(probe.accuracy, 4)
    P = unb64(fr["hidden"]["points"]).reshape(-1, 2).astype(np.float64)
    w0, w1, c = sep["lines"][0]
    side = (P @ np.array([w0, w1]) + c > 0).astype(int)
    assert abs(np.mean(side == s.trace.y_train) - np.mean(probe.side() == s.trace.y_train)) < 1e-9
    # while training, no probe is fitted (too slow for a frame): the last view, no line, and it says so
    s.playing = True
    s.trainer.step(5)
    fr = s.frame()
    assert fr["hidden"]["separation"] is None and "probe" in fr["hidden"]["note"]


def test_pca_stays_available_and_three_wide_layers_get_the_plane():
    s = _wide_spiral_trained()
    s.layer, s.t, s.projection = 2, 2.0, "pca"
    fr = s.frame(full=True)
    assert fr["hidden"]["dims"] == 3 and "separation" not in fr["hidden"]
    s.config = {**s.config, "data": {**s.config["data"], "dataset": "circles"}, "net": {**s.config["net"], "hidden": [3]}}
    s._build()
    s.trainer.step(300)
    s._record_now()
    fr = s.frame(full=True)
    h = fr["hidden"]
    assert h["width"] == 3 and h["dims"] == 3
    pl = h["plane"]
    P = unb64(h["points"]).reshape(-1, 3).astype(np.float64)
    side = (P @ np.array(pl["w"]) + pl["c"] > 0).astype(int)
    np.testing.assert_array_equal(side, s.trace.predict(s.trace.X_train, theta=s.theta()))


def test_edits_update_the_header_and_points_keep_the_timeline():
    s = _wide_spiral_trained()
    n, acc = len(s.trace), s.trace.snapshot(-1).train_acc
    s.receive(json.dumps({"type": "edit", "kind": "w", "layer": 2, "i": 0, "j": 1, "value": 9.0}))
    fr = s.frame()
    tr = s.trace
    edited = np.mean(tr.predict(tr.X_train, theta=s.theta()) == tr.y_train)
    assert fr["metrics"]["edited"] and abs(fr["metrics"]["train_acc"] - edited) < 1e-6 and edited != acc
    s.receive(json.dumps({"type": "restore", "all": True}))
    step = s.trainer.step_count
    s.receive(json.dumps({"type": "add_point", "x": 0.1, "y": 0.2, "label": 0}))
    assert len(s.trace) == n and s.trainer.step_count == step and len(s.trace.X_train) == len(tr.X_train) + 1
    fr = s.frame()
    assert len(fr["curves"]["steps"]) == n  # the page gets the re-measured curves


def test_three_classes_get_regions_and_real_boundaries_not_pairwise_lines():
    X, y = nw.make_dataset("spiral", arms=3, seed=0)
    t = nw.train(X, y, hidden=[16, 16], steps=600, seed=0, data={"dataset": "spiral", "arms": 3, "seed": 0})
    sep = views.separating_projection(t, 2)
    info = separation_info(sep)
    assert {c for c, _ in info["regions"]} <= {0, 1, 2} and len(info["regions"]) >= 2
    A, a0 = sep.scores()
    for x1, y1, x2, y2, i, j in info["segments"]:
        mid = np.array([(x1 + x2) / 2, (y1 + y2) / 2])
        sc = mid @ A + a0
        assert abs(sc[i] - sc[j]) < 1e-4 * max(1.0, np.abs(sc).max()) and sc[i] >= sc.max() - 1e-4
    for c, flat in info["regions"]:
        poly = np.array(flat).reshape(-1, 2)
        assert sep.classify(poly.mean(axis=0)[None])[0] == c
