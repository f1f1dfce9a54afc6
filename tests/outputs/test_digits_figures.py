"""The digits figures draw the views' numbers; screenshots of the digits chapter go to test-artifacts/digits/."""

from pathlib import Path

import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.errors import NetwarpError
from netwarp.outputs import digits_figures as d
from netwarp.outputs.report import build_report
from netwarp.render.figure import save_figure

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "digits"


@pytest.fixture(scope="module")
def digits():
    X, y = nw.make_dataset("digits", seed=0)
    return nw.train(X, y, [16, 8], steps=200, seed=0, data={"dataset": "digits"})


def _arrays(ax):
    return [im.get_array() for im in ax.images]


def test_filters_are_the_first_layer_weights(digits):
    fig = d.filters_figure(digits)
    imgs = views.weight_images(digits)
    for j in range(16):
        drawn = np.ma.filled(np.asarray(_arrays(fig.axes[j])[0]) if not np.ma.isMaskedArray(_arrays(fig.axes[j])[0]) else _arrays(fig.axes[j])[0], np.nan)
        never = digits.X_train.max(axis=0).reshape(8, 8) == 0
        np.testing.assert_array_equal(drawn[~never], imgs[j][~never])
        assert np.all(np.isnan(drawn[never]))  # drawn grey: never inked


def test_one_digit_shows_every_layers_activations_and_the_probabilities(digits):
    x = digits.X_test[3]
    fig = d.digit_figure(digits, x)
    acts = digits.layer_outputs(x[None])
    np.testing.assert_array_equal(np.asarray(_arrays(fig.axes[0])[0]).ravel(), x)
    for k in (1, 2):
        cells = np.asarray(_arrays(fig.axes[k])[0]).ravel()
        np.testing.assert_allclose(cells[: acts[k].shape[1]], acts[k][0])
    bars = [p.get_height() for p in fig.axes[3].patches]
    np.testing.assert_allclose(bars, views.along(digits, x[None]).probs[0])


def test_the_path_draws_the_activations_along_it(digits):
    a, b = digits.X_test[0], digits.X_test[1]
    fig = d.path_figure(digits, a, b, steps=5)
    p = views.interpolate(digits, a, b, 5)
    heat = [ax for ax in fig.axes if ax.images and np.asarray(ax.images[0].get_array()).shape[1] == 5]
    for ax, h in zip(heat, p.activations[1:-1]):
        np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), h.T)
    probs = fig.axes[-1]
    for line in probs.lines:
        if line.get_label().startswith("P("):
            c = int(line.get_label()[2:-1])
            np.testing.assert_allclose(line.get_ydata(), p.probs[:, c])


def test_saliency_figure_draws_the_gradient(digits):
    x = digits.X_test[2]
    fig = d.saliency_figure(digits, x, 4, versus=9)
    np.testing.assert_allclose(np.asarray(_arrays(fig.axes[1])[0]).ravel(), views.saliency(digits, x[None], 4, 9)[0])
    np.testing.assert_allclose(np.asarray(_arrays(fig.axes[2])[0]).ravel(), views.saliency(digits, x[None], 4, 9)[0] * x)


GREY = (0xBD / 255, 0xBD / 255, 0xBD / 255, 1.0)
TRUTH = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"


def _drawn_rgba(ax):
    im = ax.images[0]
    return im.to_rgba(im.get_array()).reshape(-1, 4)


def test_the_saliency_figures_draw_the_unseen_pixels_grey(digits):
    """7 vs 2: every map of both saliency figures draws exactly the unseen pixels grey (the gradient
    × input beside it too), says so in the title, and keeps the raw gradient everywhere else."""
    t = digits
    x = t.X_test[t.y_test == 7][0]
    unseen = views.unseen_inputs(t)
    assert unseen.sum() >= 4
    fig = d.saliency_figure(t, x, 7, versus=2)
    raw = views.saliency(t, x[None], 7, 2, mask_unseen=False)[0]
    for k in (1, 2, 3):
        rgba = _drawn_rgba(fig.axes[k])
        grey = np.all(np.isclose(rgba, GREY, atol=1e-6), axis=1)
        np.testing.assert_array_equal(grey, unseen)
    drawn = np.ma.filled(fig.axes[1].images[0].get_array(), np.nan).ravel()
    np.testing.assert_array_equal(drawn[~unseen], raw[~unseen])
    title = fig._suptitle.get_text()
    assert "what makes it a 7 rather than a 2" in title
    assert f"grey: {int(unseen.sum())} pixels inked in under 2% of the training images" in title
    over = d.saliency_training_figure(t, x, 7, versus=2, snapshots=4)
    for ax in over.axes[:4]:
        np.testing.assert_array_equal(np.all(np.isclose(_drawn_rgba(ax), GREY, atol=1e-6), axis=1), unseen)
    assert "grey:" in over._suptitle.get_text()
    TRUTH.mkdir(parents=True, exist_ok=True)
    save_figure(fig, TRUTH / "saliency-7-vs-2.png")
    save_figure(over, TRUTH / "saliency-7-vs-2-over-training.png")


def _colorbars(fig):
    """``{label: the image it explains}`` for every colour bar of ``fig``."""
    bars = {}
    for ax in fig.axes:
        cb = getattr(ax, "_colorbar", None)
        if cb is not None:
            bars[ax.get_xlabel() or ax.get_ylabel()] = cb.mappable
    return bars


def test_every_heat_map_has_a_labelled_colour_bar(digits):
    """Path, digit, groups, filters and saliency: each colour scale drawn has a colour bar with a label,
    made from that very image (so its range is the image's)."""
    t = digits
    x = t.X_test[t.y_test == 7][0]
    digit = d.digit_figure(t, x, label=7)
    bars = _colorbars(digit)
    assert bars["ink"] is digit.axes[0].images[0]
    assert bars["activation of h1"] is digit.axes[1].images[0] and bars["activation of h2"] is digit.axes[2].images[0]
    path = d.path_figure(t, t.X_test[0], t.X_test[1], steps=5)
    bars = _colorbars(path)
    assert {"ink", "activation of h1", "activation of h2"} <= set(bars)
    h1 = bars["activation of h1"]
    np.testing.assert_allclose(h1.get_array(), views.interpolate(t, t.X_test[0], t.X_test[1], 5).activations[1].T)
    groups = d.groups_figure(t, 1, n_groups=3)
    assert _colorbars(groups)["mean activation over the test digits"] is groups.axes[0].images[0]
    filters = d.filters_figure(t)
    bar = _colorbars(filters)["weight W0[i, j] (one scale)"]
    assert bar.norm.vmax == pytest.approx(np.nanmax(np.abs(views.weight_images(t)[:, ~(t.X_train.max(axis=0).reshape(8, 8) == 0)])))
    sal = d.saliency_figure(t, x, 7, versus=2)
    bars = _colorbars(sal)
    for label, k in (("ink", 0), ("gradient", 1), ("gradient × ink", 2), ("mean gradient", 3)):
        assert bars[label] is sal.axes[k].images[0]
    over = d.saliency_training_figure(t, x, 7, versus=2, snapshots=4)
    assert set(_colorbars(over)) == {"gradient (one scale)"}
    TRUTH.mkdir(parents=True, exist_ok=True)
    for name, fig in (("digit", digit), ("path", path), ("groups", groups), ("filters", filters)):
        save_figure(fig, TRUTH / f"colourbar-{name}.png")


def test_the_path_chart_counts_in_t_like_its_thumbnails_and_says_an_8(digits):
    t = digits
    ones, eights = np.flatnonzero(t.y_test == 1), np.flatnonzero(t.y_test == 8)
    pred = t.predict(t.X_test)
    a, b = next(i for i in ones if pred[i] == 1), next(i for i in eights if pred[i] == 8)
    fig = d.path_figure(t, t.X_test[a], t.X_test[b], steps=9)
    chart = [ax for ax in fig.axes if any(ln.get_label().startswith("P(") for ln in ax.lines)][0]
    ticks = [tick.get_text() for tick in chart.get_xticklabels()]
    thumbs = [ax.get_title().removeprefix("▶ ").split(":")[0].removeprefix("t=") for ax in fig.axes[:9]]
    assert ticks == thumbs == ["0", "0.125", "0.25", "0.375", "0.5", "0.625", "0.75", "0.875", "1"]
    assert chart.get_xlabel().startswith("t")
    assert fig._suptitle.get_text().startswith("from a 1 to an 8 in pixel space")
    TRUTH.mkdir(parents=True, exist_ok=True)
    save_figure(fig, TRUTH / "path-1-to-8.png")


def test_selectivity_is_drawn_sorted_and_unchanged(digits):
    fig = d.selectivity_figure(digits, 1)
    table = views.class_selectivity(digits, digits.X_test, digits.y_test)[0]
    drawn = np.asarray(fig.axes[0].images[0].get_array())
    order = [int(t.get_text()) for t in fig.axes[0].get_xticklabels()]
    np.testing.assert_allclose(drawn, table[order].T)
    assert sorted(order) == list(range(16))


def test_lesion_bars_are_the_lesion_accuracies(digits):
    fig = d.groups_figure(digits, 1, n_groups=3)
    groups = views.neuron_groups(digits, 1, digits.X_test, n_groups=3)
    bars = fig.axes[1].containers
    np.testing.assert_allclose([p.get_height() for p in bars[0]], views.lesion(digits, 1, [], digits.X_test, digits.y_test))
    for g in range(3):
        np.testing.assert_allclose([p.get_height() for p in bars[g + 1]],
                                   views.lesion(digits, 1, np.flatnonzero(groups == g), digits.X_test, digits.y_test))


def test_robustness_curves_are_the_medians(digits):
    sig = (0.0, 0.5, 1.0)
    fig = d.robustness_figure(digits, sig, draws=3)
    r = views.robustness(digits, sig, 3)
    for k, line in enumerate(fig.axes[0].lines):
        np.testing.assert_allclose(line.get_ydata(), np.median(r[k], axis=1))


def test_bad_choices_are_named_in_one_line(digits):
    with pytest.raises(NetwarpError, match=r"image index 9999 is out of range; the test set has images 0..\d+"):
        d.digits_plot(digits, "digit", index=9999)
    with pytest.raises(NetwarpError, match="class 11 does not exist"):
        d.digits_plot(digits, "saliency", digit=11)
    X, y = nw.make_dataset("moons", seed=0)
    flat = nw.train(X, y, [4], steps=10)
    with pytest.raises(NetwarpError, match="this view draws square images .8x8 digits.; this trace has 2 input"):
        d.digits_plot(flat, "filters")


def test_the_report_of_a_digits_run_has_every_digits_view(digits):
    html = build_report(digits, source="digits.npz")
    for view in ("filters", "digit", "path", "saliency", "selectivity", "groups", "robustness"):
        assert f"<summary>(?) {views.help_text(view)[0]}</summary>" in html
    assert "<code>netwarp code digits.npz -o forward.py</code>" in html and "run.npz" not in html
    assert " a 8" not in html and " a 11" not in html and " a 18" not in html


def test_screenshots_of_the_digits_views(digits):
    OUT.mkdir(parents=True, exist_ok=True)
    x = digits.X_test[0]
    for name, fig in [("filters", d.filters_figure(digits)), ("digit", d.digit_figure(digits, x)),
                      ("path", d.path_figure(digits, digits.X_test[0], digits.X_test[5])),
                      ("saliency", d.saliency_figure(digits, x, int(digits.y_test[0]))),
                      ("groups-lesions", d.groups_figure(digits, 1)), ("layer-from-above", d.layer_space_figure(digits, 2))]:
        save_figure(fig, OUT / f"{name}.png")


def test_the_path_animation_walks_the_interpolation(digits, tmp_path):
    from PIL import Image

    from netwarp.outputs import animate
    from netwarp.outputs.path_scene import PathScene

    scene = PathScene(digits, frames=5, size=600)
    a, label = d.pick(digits)
    b = digits.X_test[int(np.flatnonzero(digits.y_test != label)[0])]
    truth = views.interpolate(digits, a, b, 5)
    np.testing.assert_array_equal(scene.path.inputs, truth.inputs)
    assert scene.frame(0).shape == (scene.height, scene.width, 3)
    # every frame draws the layers' true values on one colour scale per layer, shown by its colour bar
    for i in (0, 4):
        fig = scene.figure(i)
        bars = _colorbars(fig)
        assert fig.axes[0].get_title() == f"t = {views.t_labels(5)[i]}"
        for k in (1, 2):
            im = bars[f"h{k} activation"]
            h = truth.activations[k]
            np.testing.assert_allclose(np.asarray(im.get_array()).ravel()[: h.shape[1]], h[i])
            assert im.norm.vmax == pytest.approx(np.abs(h).max())
    save_figure(scene.figure(4), TRUTH / "path-animation-last-frame.png")
    out = animate(digits, tmp_path / "p.gif", kind="path", frames=5, size=600, progress=False)
    with Image.open(out) as im:
        assert im.n_frames == 5
