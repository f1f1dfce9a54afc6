"""The notebook cards tell the truth: what a Trace's card and a view result's picture draw
are the trace's own numbers and the result's own arrays. The cards are saved to
test-artifacts/notebook-card/ to be looked at."""

from pathlib import Path

import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.outputs.card import card_figure, headline
from netwarp.outputs.view_cards import view_figure
from netwarp.render.palette import field_rgb

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "notebook-card"


@pytest.fixture(scope="module")
def spiral():
    X, y = nw.make_dataset("spiral", seed=0)
    return nw.train(X, y, [8, 8], steps=400, seed=0, data={"dataset": "spiral", "seed": 0})


def _save(name: str, png: bytes) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(png)


def test_a_classifiers_card_draws_its_field_its_curves_and_its_own_numbers(spiral):
    t = spiral
    fig = card_figure(t)
    field_ax, curves_ax = fig.axes[:2]
    # the background is the decision field of the last snapshot, cell for cell
    f = views.decision_field(t, resolution=120)
    np.testing.assert_array_equal(np.asarray(field_ax.images[0].get_array()), field_rgb(f.probs))
    # the curves are the recorded losses and accuracies (the accuracy on the twin axis)
    m = t.metrics
    loss_lines = [ln for ln in curves_ax.lines if "loss" in ln.get_label()]
    np.testing.assert_array_equal(loss_lines[0].get_xdata(), t.steps)
    np.testing.assert_array_equal(loss_lines[0].get_ydata(), m[:, 0])
    np.testing.assert_array_equal(loss_lines[1].get_ydata(), m[:, 1])
    acc_ax = next(a for a in fig.axes[2:] if any("accuracy" in ln.get_label() for ln in a.lines))
    np.testing.assert_array_equal(acc_ax.lines[0].get_ydata(), m[:, 2])
    # the headline is the architecture and the final metrics, in the picture and the HTML alike
    s = t.snapshot(-1)
    net, final = headline(t)
    assert net == "2-8-8-2 tanh (classification, 114 parameters) on spiral(seed=0)"
    assert final == (f"step 400: accuracy {s.train_acc:.1%} train / {s.test_acc:.1%} test; "
                     f"loss {s.train_loss:.4f} / {s.test_loss:.4f}")
    assert fig._suptitle.get_text() == f"{net}\n{final}"
    html = t._repr_html_()
    assert final.split(": ", 1)[1] in html and "2-8-8-2 tanh (classification, 114 parameters)" in html
    _save("spiral_trace_card.png", t._repr_png_())


def test_a_regressions_card_draws_its_fit():
    X, y = nw.make_dataset("sine", seed=0)
    t = nw.train(X, y, [8], activation="relu", steps=300, seed=0)
    fig = card_figure(t)
    c = views.regression_curve(t)
    fit = next(ln for ln in fig.axes[0].lines if ln.get_label() == "network")
    np.testing.assert_array_equal(fit.get_xdata(), c.xs)
    np.testing.assert_array_equal(fit.get_ydata(), c.yhat)
    s = t.snapshot(-1)
    assert headline(t)[1] == f"step 300: MSE {s.train_loss:.4f} train / {s.test_loss:.4f} test"
    _save("sine_trace_card.png", t._repr_png_())


def test_the_card_is_drawn_again_when_the_trace_grows_and_not_otherwise():
    X, y = nw.make_dataset("moons", n=120, seed=0)
    trainer = nw.Trainer(X, y, [4], seed=0)
    trainer.record()
    first = trainer.trace._repr_png_()
    assert trainer.trace._repr_png_() is first
    trainer.step(30)
    trainer.record()
    assert trainer.trace._repr_png_() is not first
    assert "steps 0..30" in trainer.trace._repr_html_()


def test_a_fields_picture_is_its_probabilities(spiral):
    f = views.decision_field(spiral, resolution=50)
    fig = view_figure(f)
    np.testing.assert_array_equal(np.asarray(fig.axes[0].images[0].get_array()), field_rgb(f.probs))
    _save("field_result.png", f._repr_png_())


def test_a_warps_picture_is_its_points_as_they_are_or_through_a_named_pca_view():
    X, y = nw.make_dataset("circles", seed=0)
    t = nw.train(X, y, [2, 8, 3], steps=200, seed=0)
    w = views.warp(t, 1)  # 2 units: drawn as they are
    ax = view_figure(w).axes[0]
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), w.points)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("unit 1", "unit 2")
    _save("warp_2_units_result.png", w._repr_png_())
    w8 = views.warp(t, 2)  # 8 units: through a PCA view, and the axes say so
    ax = view_figure(w8).axes[0]
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), views.fit_projection(w8.points).apply(w8.points))
    assert ax.get_xlabel() == "PCA 1" and "8 units, PCA view" in ax.get_title()
    _save("warp_8_units_result.png", w8._repr_png_())
    w3 = views.warp(t, 3)  # 3 units: on 3D axes
    assert view_figure(w3).axes[0].name == "3d"
    _save("warp_3_units_result.png", w3._repr_png_())
    m = views.morph(t, 1, 0.5)  # part way along the morph: named by its position
    assert "morph at t = 0.5" in view_figure(m).axes[0].get_title()


def test_a_curves_and_a_separations_pictures_are_their_arrays(spiral):
    X, y = nw.make_dataset("abs", seed=0)
    t = nw.train(X, y, [3], activation="relu", steps=200, seed=0)
    c = views.regression_curve(t)
    ax = view_figure(c).axes[0]
    units = [ln for ln in ax.lines if ln.get_label().startswith("unit ")]
    assert len(units) == 3
    for j, ln in enumerate(units):
        np.testing.assert_array_equal(ln.get_ydata(), c.units[:, j])
    _save("curve_result.png", c._repr_png_())
    s = views.separating_projection(spiral, 2)
    ax = view_figure(s).axes[0]
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), s.points)
    assert "the network's own boundary" in ax.get_title()
    _save("separation_result.png", s._repr_png_())
