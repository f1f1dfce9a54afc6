"""Animation scenes show the real geometry, frame by frame, and check their arguments."""

import numpy as np
import pytest
from PIL import Image

from netwarp import views
from netwarp.outputs.animate import MorphScene, TrainingScene, animate, make_scene
from netwarp.render.palette import rgb_class
from netwarp.render.raster import Canvas


def test_training_scene_resamples_snapshots_and_shows_the_layer(blobs_trace):
    scene = TrainingScene(blobs_trace, layer=1, frames=4, size=320)
    assert list(scene.snaps) == [0, 3, 6, 9]
    frame = scene.frame(2)
    assert frame.shape == (scene.height, scene.width, 4) and scene.width == 320
    # layer 1 is 4 wide: projected, so compare shapes (pairwise distances up to the projection) loosely;
    # the points themselves come from views.warp at that snapshot
    w = views.warp(blobs_trace, 1, 6, lines=21, samples=50)
    assert np.allclose(scene.warps[2].points, w.points)


def test_training_field_panel_shows_the_decision_labels(blobs_trace):
    scene = TrainingScene(blobs_trace, frames=2, size=400)
    frame = scene.frame(1)[..., :3]
    P, m, top = scene.panel, scene.margin, scene.header
    panel = frame[top : top + P, m : m + P]
    f = views.decision_field(blobs_trace, int(scene.snaps[1]), resolution=scene.res)
    c = Canvas(P, P, f.bounds)
    x0, x1, y0, y1 = f.bounds
    cx = x0 + (np.arange(P) + 0.5) / P * (x1 - x0)
    cy = y1 - (np.arange(P) + 0.5) / P * (y1 - y0)
    j = np.rint((cx - f.xs[0]) / (f.xs[1] - f.xs[0])).astype(int)
    i = np.rint((cy - f.ys[0]) / (f.ys[1] - f.ys[0])).astype(int)
    labels = f.labels[i[:, None], j[None, :]]
    # away from the points and the title, every pixel shows its cell's class
    covered = np.zeros((P, P), bool)
    for col, row in np.floor(c.to_px(blobs_trace.X_train)).astype(int):
        covered[max(row - 6, 0) : row + 7, max(col - 6, 0) : col + 7] = True
    covered[:24] = True
    assert (~covered).mean() > 0.3
    assert (rgb_class(panel, 2)[~covered] == labels[~covered]).all()


def test_two_wide_hidden_space_is_drawn_as_it_is(wide_trace):
    scene = TrainingScene(wide_trace, layer=2, frames=3, size=300)
    for k, s in enumerate(scene.snaps):
        assert np.allclose(scene.views[k].points, wide_trace.layer_outputs(wide_trace.X_train, int(s))[2])


@pytest.mark.parametrize("projection", ["pca", "separating"])
def test_wide_layer_projection_is_stable_between_frames(wide_trace, projection):
    scene = TrainingScene(wide_trace, layer=1, frames=8, size=300, projection=projection)
    pts = [v.points for v in scene.views]
    jitter = [views.projection_jitter(a, b) for a, b in zip(pts[:-1], pts[1:])]
    # no flips: a mirrored or swapped frame would jump by ~1.4
    assert max(jitter) < 0.8


def test_separating_view_basis_is_fitted_once_per_animation(wide_spiral):
    scene = TrainingScene(wide_spiral, layer=2, frames=6, size=400)
    basis = views.fit_separating_basis(wide_spiral, 2, int(scene.snaps[-1]))
    for s, v in zip(scene.snaps, scene.views):
        H = wide_spiral.layer_outputs(wide_spiral.X_train, int(s))[2]
        assert np.allclose(v.points, basis.apply(H))


def test_wide_spiral_gif_frame_splits_points_by_the_network_prediction(wide_spiral):
    """Measured in the drawn pixels of the last frame: the dashed line's side of every
    point is the network's prediction, and every point and the line are inside the panel."""
    from netwarp.render.plots import separator_segment
    from netwarp.render.raster import Canvas

    scene = TrainingScene(wide_spiral, layer=2, frames=4)
    assert scene.width >= 1024
    i = scene.n_frames - 1
    v, P = scene.views[i], scene.panel
    canvas = Canvas(P, P, scene.space_limits(i))
    px = canvas.to_px(v.points)
    assert ((px >= 0) & (px <= P)).all()
    assert (px[:, 1] > scene.band).all()  # none under the title band
    (w, c), = v.lines
    a, b = canvas.to_px(separator_segment(w, c, canvas.bounds))
    side = np.sign((b[0] - a[0]) * (px[:, 1] - a[1]) - (b[1] - a[1]) * (px[:, 0] - a[0]))
    pred = wide_spiral.predict(wide_spiral.X_train)
    assert (side != 0).all() and len(set(zip(side, pred))) == 2
    # the line is really drawn: dark pixels along it in the frame
    frame = scene.frame(i)[scene.header:scene.header + P, 2 * scene.margin + P:2 * scene.margin + 2 * P, :3]
    mid = np.rint((a + b) / 2).astype(int)
    ts = np.linspace(0.1, 0.9, 40)
    on = np.floor(a + (b - a) * ts[:, None]).astype(int).clip(0, P - 1)  # the pixel each sample lies in
    dark = frame[on[:, 1], on[:, 0]].max(axis=1) < 140  # antialiased: at least half covered by ink
    assert dark.mean() > 0.25, mid  # dashed: about half of the samples fall on a dash


def test_earlier_layer_gif_frame_names_the_probe_and_its_accuracy(wide_spiral):
    scene = TrainingScene(wide_spiral, layer=1, frames=3, size=600)
    s = views.separating_projection(wide_spiral, 1, int(scene.snaps[-1]))
    assert scene.views[-1].note == f"dashed: linear probe, test accuracy {s.accuracy:.1%}"
    assert len(scene.views[-1].lines) == 1


def test_morph_starts_at_the_input_and_ends_at_the_layer(wide_trace):
    scene = MorphScene(wide_trace, layer=2, frames=5, size=200)
    out = wide_trace.layer_outputs(wide_trace.X_train)[2]
    # D = 6 here: the states fed to the projection are exact...
    assert np.allclose(scene.states[0].points[:, :2], wide_trace.X_train)
    assert np.allclose(scene.states[-1].points[:, :2], out)
    # ...and the first drawn frame is the input exactly (the projection is turned to match it)
    assert np.allclose(scene.pts[0], wide_trace.X_train, atol=1e-9)
    # with frames close together, no frame jumps or flips (a flip scores ~1.4 or more)
    fine = MorphScene(wide_trace, layer=2, frames=48, size=200)
    jitter = [views.projection_jitter(a, b) for a, b in zip(fine.pts[:-1], fine.pts[1:])]
    assert max(jitter) < 0.6


def test_morph_in_the_plane_draws_the_states(blobs_trace):
    import netwarp

    X, y = netwarp.make_dataset("moons", n=40, seed=0)
    t = netwarp.train(X, y, hidden=[2], steps=20, snapshots=3)
    scene = MorphScene(t, layer=1, frames=4, size=160)
    assert np.allclose(scene.pts[0], t.X_train)
    assert np.allclose(scene.pts[-1], t.layer_outputs(t.X_train)[1])
    assert scene.frame(3).shape == (160, 160, 4)


@pytest.mark.parametrize(("layer", "names"), [(1, ("h1", "h2", "h3")), (2, ("out1", "out2", ""))])
def test_morph_3d_axes_are_named_for_the_target_layer(circles3_trace, monkeypatch, layer, names):
    # 2-3-2: the morph is drawn in 3D; to the output (2 logits) the third axis is only padding
    import netwarp.outputs.morph_scene

    drawn = []
    real = netwarp.outputs.morph_scene.draw_space3d
    monkeypatch.setattr(netwarp.outputs.morph_scene, "draw_space3d", lambda *a, **kw: drawn.append(kw["axis_names"]) or real(*a, **kw))
    scene = MorphScene(circles3_trace, layer=layer, frames=2, size=120)
    assert scene.dims == 3
    scene.frame(1)
    assert drawn == [names]


@pytest.mark.parametrize("kind", ["training", "morph", "rotate"])
def test_animate_writes_the_requested_frames(circles3_trace, tmp_path, kind):
    out = animate(circles3_trace, tmp_path / f"{kind}.gif", kind, frames=3, size=200, progress=False)
    with Image.open(out) as im:
        assert im.n_frames == 3 and im.size[0] == 200


def test_animate_bad_input_leaves_nothing(blobs_trace, circles3_trace, square_trace, tmp_path, bad):
    gif = tmp_path / "a.gif"
    bad("3 units wide.*layer 1 has 4.*no layer of this 2-4-2 network is 3 wide", animate, blobs_trace, gif, "rotate", layer=1)
    bad("3-wide layers of this 2-3-2 network: 1", animate, circles3_trace, gif, "rotate", layer=2)
    bad("out of range", animate, blobs_trace, gif, "morph", layer=9)
    bad("layer >= 1", animate, blobs_trace, gif, "morph", layer=0)
    bad("snapshot", animate, blobs_trace, gif, "morph", snapshot=50)
    bad("snapshot", animate, blobs_trace, gif, "training", snapshot=50)
    bad("frames", animate, blobs_trace, gif, "training", frames=0)
    bad("size", animate, circles3_trace, gif, "rotate", size=3)
    bad("unknown animation kind", animate, blobs_trace, gif, "spin")
    bad("need a classifier; this trace is a regression", animate, square_trace, gif, "training")
    bad("not a known animation format", animate, blobs_trace, tmp_path / "a.png")
    assert list(tmp_path.iterdir()) == []


def test_make_scene_checks_before_drawing(blobs_trace, bad):
    bad("out of range", make_scene, blobs_trace, "training", layer=-1)
