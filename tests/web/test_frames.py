"""Frames: what the page receives equals what netwarp.views computes, and heavy parts are sent once."""

import numpy as np

from netwarp import views
from netwarp.web.frames import GRID_LINES, GRID_SAMPLES
from netwarp.web.geometry import unb64


def test_frame_tells_the_truth(app, open_tab, recv):
    """What the page receives equals what netwarp.views computes for that state."""
    ws, _, _ = open_tab()
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
