"""Static figures: the right size and format, and drawing the numbers they are given."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

import netwarp
from netwarp import views
from netwarp.errors import NetwarpError
from netwarp.outputs.figures import field_figure, fit_figure, layer_figure, plot, probes_figure, stages_figure
from netwarp.render.charts import plot_curves, plot_probes
from netwarp.render.figure import new_figure
from netwarp.render.palette import field_rgb
from netwarp.render.plots import plot_field, plot_warp, separator_segment


def test_png_has_the_requested_size(blobs_trace, tmp_path):
    out = plot(blobs_trace, tmp_path / "f.png", size=333)
    with Image.open(out) as im:
        assert im.format == "PNG" and im.size == (333, 333)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.png"]


def test_svg_parses(blobs_trace, tmp_path):
    out = plot(blobs_trace, tmp_path / "f.svg", layer=1)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")


def test_field_figure_draws_the_field_and_the_points(blobs_trace):
    fig = field_figure(blobs_trace, size=300)
    ax = fig.axes[0]
    f = views.decision_field(blobs_trace, resolution=240)
    im = ax.images[0]
    assert (np.asarray(im.get_array()) == field_rgb(f.probs)).all()
    # orientation: row 0 (lowest y) at the bottom, and the samples on the field's bounds,
    # each pixel centred on its sample (so the image reaches half a cell past the bounds)
    assert im.origin == "lower"
    x0, x1, y0, y1 = f.bounds
    hx, hy = (x1 - x0) / (len(f.xs) - 1) / 2, (y1 - y0) / (len(f.ys) - 1) / 2
    assert np.allclose(im.get_extent(), (x0 - hx, x1 + hx, y0 - hy, y1 + hy))
    assert np.allclose([*ax.get_xlim(), *ax.get_ylim()], f.bounds)
    assert np.allclose(ax.collections[-1].get_offsets(), blobs_trace.X_train)


def test_plot_functions_draw_on_a_given_axes(rng):
    fig, (a, b) = new_figure(400, 200, ncols=2)
    xs = np.linspace(-1, 1, 5)
    probs = rng.dirichlet([1, 1], size=(5, 5))
    assert plot_field(a, xs=xs, ys=xs, probs=probs) is a
    grid = rng.normal(size=(4, 6, 2))
    pts = rng.normal(size=(10, 2))
    assert plot_warp(b, points=pts, labels=np.arange(10) % 2, grid=grid, separator=(np.array([1.0, -1.0]), 0.0)) is b
    assert np.allclose(b.collections[1].get_offsets(), pts)


def test_layer_figures_for_every_width(circles3_trace, wide_trace):
    assert layer_figure(circles3_trace, 1, size=300).axes[0].name == "3d"
    fig = layer_figure(wide_trace, 1, size=300)  # 6 wide: the separating view by default
    assert "split" in fig.axes[0].get_xlabel()
    fig = layer_figure(wide_trace, 1, size=300, projection="pca")  # PCA on request
    assert "PC1" in fig.axes[0].get_xlabel()
    with pytest.raises(NetwarpError, match="unknown projection 'tsne'; choose one of: separating, pca"):
        layer_figure(wide_trace, 1, projection="tsne")
    fig = layer_figure(wide_trace, 2, size=300)  # 2 wide: as it is, with the separating line
    w = views.warp(wide_trace, 2, lines=25, samples=80)
    assert np.allclose(fig.axes[0].collections[1].get_offsets(), w.points)
    assert fig.axes[0].get_legend() is not None


def test_separator_segment_lies_on_the_line():
    w, c = np.array([2.0, -1.0]), 0.5
    seg = separator_segment(w, c, (-1, 1, -1, 1))
    assert np.allclose(seg @ w + c, 0)
    assert separator_segment(np.array([1.0, 0.0]), -5.0, (-1, 1, -1, 1)) is None


def test_fit_figure_draws_the_fit_and_the_units(square_trace):
    c = views.regression_curve(square_trace)
    fig = fit_figure(square_trace, size=600)
    fit_ax, unit_ax = fig.axes[:2]
    assert np.allclose(fit_ax.lines[0].get_ydata(), c.yhat)
    unit_lines = [ln for ln in unit_ax.lines if ln.get_label().startswith("unit")]
    assert len(unit_lines) == c.units.shape[1]
    assert np.allclose(sum(ln.get_ydata() for ln in unit_lines) + c.bias, c.yhat)


def test_probe_bars_are_the_probe_accuracies(blobs_trace):
    acc = views.probe_accuracies(blobs_trace)
    fig = probes_figure([blobs_trace], size=400)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert np.allclose(heights, acc)
    fig, (ax,) = new_figure(300, 200)
    plot_probes(ax, accuracies=[0.5, 0.75], names=["in", "out"], chance=0.5)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["in", "out"]


def test_curves(blobs_trace):
    fig, (ax,) = new_figure(300, 200)
    c = views.training_curves(blobs_trace)
    plot_curves(ax, **c)
    assert np.allclose(ax.lines[0].get_ydata(), c["train_loss"])
    assert len(fig.axes) == 2  # accuracy on a twin axis


@pytest.mark.parametrize("what", ["field", "layer", "probes", "curves"])
def test_plot_every_kind(blobs_trace, tmp_path, what):
    with Image.open(plot(blobs_trace, tmp_path / "x.png", what=what, size=240)) as im:
        assert im.size[0] == 240
        assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 20  # not blank


def test_plot_bad_input(blobs_trace, square_trace, tmp_path, bad):
    bad("out of range", plot, blobs_trace, tmp_path / "x.png", layer=7)
    bad("snapshot", plot, blobs_trace, tmp_path / "x.png", snapshot=99)
    bad("unknown picture", plot, blobs_trace, tmp_path / "x.png", what="pie")
    bad("size", plot, blobs_trace, tmp_path / "x.png", size=5)
    bad("regression", plot, square_trace, tmp_path / "x.png", what="probes")
    assert list(tmp_path.iterdir()) == []


def _drawn(ax):
    """The points and the dashed line as the figure drew them (data coordinates of the axes)."""
    P = np.asarray(ax.collections[1].get_offsets())
    (a, b) = np.asarray(ax.lines[0].get_xydata())
    return P, a, b


def _side(P, a, b):
    """Which side of the line through a, b each point of P lies on (sign of the cross product)."""
    return np.sign((b[0] - a[0]) * (P[:, 1] - a[1]) - (b[1] - a[1]) * (P[:, 0] - a[0]))


def test_wide_spiral_last_hidden_layer_picture_splits_points_by_the_network_prediction(wide_spiral):
    fig = layer_figure(wide_spiral, 2, size=520)
    ax = fig.axes[0]
    P, a, b = _drawn(ax)
    side = _side(P, a, b)
    pred = wide_spiral.predict(wide_spiral.X_train)
    assert (side != 0).all()
    # one side of the drawn line holds exactly the points the network calls class 1
    assert len(set(zip(side, pred))) == 2
    # the line and every point are inside the panel (nothing clipped)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert ((P[:, 0] >= x0) & (P[:, 0] <= x1) & (P[:, 1] >= y0) & (P[:, 1] <= y1)).all()
    assert "decision line" in ax.get_legend().get_texts()[0].get_text()


def test_wide_spiral_earlier_layer_picture_shows_the_probe_line_and_accuracy(wide_spiral):
    ax = layer_figure(wide_spiral, 1, size=520).axes[0]
    s = views.separating_projection(wide_spiral, 1)
    P, a, b = _drawn(ax)
    label = ax.get_legend().get_texts()[0].get_text()
    assert f"test accuracy {s.accuracy:.1%}" in label and "probe" in label
    side = _side(P, a, b)
    assert len(set(zip(side, s.side()))) == 2  # the drawn line is the probe's


def test_circles_width2_stages_picture_shows_the_ring_around_the_disk():
    """The gallery's caption "the ring still surrounds the disk", measured in the left panel's
    drawn coordinates: every disk point lies inside the polygon around the ring's drawn points,
    with ring points on both sides of the disk along both of the panel's axes."""
    from matplotlib.path import Path as PolyPath
    from scipy.spatial import ConvexHull

    X, y = netwarp.make_dataset("circles", seed=0)
    t = netwarp.train(X, y, hidden=[2], steps=2000, seed=0)
    fig = stages_figure(t, 1)
    P = np.asarray(fig.axes[0].collections[1].get_offsets())
    disk = np.linalg.norm(t.X_train, axis=1) < 0.6  # the data's inner class, by its radius in the input
    ring = P[~disk]
    hull = PolyPath(ring[ConvexHull(ring).vertices])
    assert hull.contains_points(P[disk]).all()
    lo, hi = P[disk].min(axis=0), P[disk].max(axis=0)
    assert (ring.min(axis=0) < lo).all() and (ring.max(axis=0) > hi).all()
    # and the panel shows them all
    x0, x1 = fig.axes[0].get_xlim()
    y0, y1 = fig.axes[0].get_ylim()
    assert (P[:, 0] >= x0).all() and (P[:, 0] <= x1).all() and (P[:, 1] >= y0).all() and (P[:, 1] <= y1).all()
    assert "before tanh" in fig.axes[0].get_title()
    assert fig.axes[0].get_title().endswith("l0 W0 + b0")  # the input is l0 everywhere, as in the algebra
    with pytest.raises(NetwarpError, match="needs a hidden layer of 2 units"):
        stages_figure(t, 2)


def test_single_panel_figures_draw_into_a_users_axes(blobs_trace):
    from netwarp.outputs import curves_figure, field_figure, probes_figure
    from netwarp.render.figure import new_figure

    fig, (a, b, c) = new_figure(1200, 400, ncols=3)
    assert field_figure(blobs_trace, ax=a) is fig
    assert curves_figure(blobs_trace, ax=b) is fig
    assert probes_figure([blobs_trace], ax=c) is fig
    assert a.images and b.lines and c.patches  # each drew into the axes it was given
