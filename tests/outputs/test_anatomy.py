"""The anatomy figures draw the network's actual numbers; screenshots go to test-artifacts/anatomy/."""

from pathlib import Path

import numpy as np
import pytest
from matplotlib.patches import Rectangle

import netwarp as nw
from netwarp import views
from netwarp.outputs.anatomy import code_figure, diagram_figure, gradients_figure, weights_figure
from netwarp.outputs.report import build_report
from netwarp.render.figure import save_figure
from netwarp.render.palette import weight_rgb

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "anatomy"


@pytest.fixture(scope="module")
def run():
    X, y = nw.make_dataset("spiral", seed=0)
    return nw.train(X, y, [8, 8], steps=1500, seed=0, data={"dataset": "spiral"})


@pytest.fixture(scope="module")
def dead_run():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [6], "relu", steps=200, seed=1, data={"dataset": "moons"})
    theta = t.theta().copy()
    _, sb = t.arch.slices()[0]
    theta[sb.start + 4] = -500.0  # hidden layer 1, unit 4: dead
    t.record(201, theta)
    return t


def test_the_blocks_are_drawn_to_scale_in_the_weights_colours(run):
    fig = code_figure(run)
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    sizes = run.arch.sizes
    expected = sum(sizes) + sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    assert len(cells) == expected
    # W1's cells, row by row, in the weight colours of the trace's W1
    W1 = run.weights()[1][0]
    start = sizes[0] + sizes[0] * sizes[1] + sizes[1] + sizes[1]
    faces = np.array([c.get_facecolor()[:3] for c in cells[start : start + W1.size]])
    np.testing.assert_allclose(faces, weight_rgb(W1).reshape(-1, 3) / 255.0, atol=1e-6)
    texts = {t.get_text() for a in fig.axes for t in a.texts}
    for blk in views.blocks(run):
        assert blk.label in texts


def test_the_diagram_draws_one_line_per_weight_and_rings_the_dead_unit(dead_run):
    fig = diagram_figure(dead_run)
    ax = fig.axes[0]
    d = views.diagram(dead_run)
    assert len(ax.lines) == len(d.edges)
    for line, (layer, _i, _j, w) in zip(ax.lines, d.edges):
        top = np.abs(d.edges[d.edges[:, 0] == layer, 3]).max()  # widths are relative to the layer's largest
        np.testing.assert_allclose(line.get_color(), weight_rgb(np.array([w]), top)[0] / 255, atol=1e-6)
        assert line.get_linewidth() == pytest.approx(0.4 + 4.0 * abs(w) / top)
    rings = {tuple(np.round(c.get_offsets()[0], 9)) for c in ax.collections
             if len(c.get_offsets()) == 1 and c.get_sizes()[0] == 700}
    named = {(f.layer, f.unit) for f in views.diagnose(dead_run) if f.unit is not None}
    assert (1, 4) in named
    where = {(int(n[0]), int(n[1])): (round(n[2], 9), round(1 - n[3], 9)) for n in d.nodes}
    assert rings == {where[u] for u in named}


def test_the_weights_figure_plots_every_weight_and_says_when_each_layer_settled(run):
    fig = weights_figure(run)
    conv = views.convergence(run)
    assert fig._suptitle.get_text() == conv.sentence
    series = fig.axes[0].lines
    W0 = views.layer_params(run, 0)[:, :16]
    plotted = [ln for ln in series if len(ln.get_ydata()) == len(run)]
    assert len(plotted) == 16
    np.testing.assert_array_equal(np.array([ln.get_ydata() for ln in plotted]).T, W0)


def test_the_gradient_figure_plots_the_gradient_flow(run):
    ax = gradients_figure(run).axes[0]
    g = views.gradient_flow(run)
    for k, line in enumerate(ax.lines):
        np.testing.assert_allclose(line.get_ydata(), g[:, k])
    assert ax.get_yscale() == "log"


def test_the_report_explains_every_anatomy_view_and_lists_the_findings(dead_run):
    html = build_report(dead_run)
    for view in ("code", "diagram", "weights", "gradients", "diagnostics"):
        assert f"<summary>(?) {views.help_text(view)[0]}</summary>" in html
    assert "hidden layer 1, unit 4 is dead" in html
    assert "def layers(X):" in html


def test_screenshots_of_the_anatomy_figures(run, dead_run):
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(code_figure(run), OUT / "code-shapes-algebra.png")
    save_figure(diagram_figure(dead_run), OUT / "diagram-dead-unit-ringed.png")
    save_figure(weights_figure(run), OUT / "weights-over-training.png")
    save_figure(gradients_figure(run), OUT / "gradient-flow.png")


def test_every_view_of_a_plane_report_has_its_explanation(run):
    html = build_report(run)
    for view in ("curves", "field", "hidden", "morph", "probes", "code", "diagram", "weights", "gradients", "diagnostics"):
        assert f"<summary>(?) {views.help_text(view)[0]}</summary>" in html
    # made from memory: the code command names no file it could not know
    assert "<code>netwarp code TRACE.npz -o forward.py</code>" in html and "run.npz" not in html


TRUTH = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"


def test_the_weight_colours_are_explained_as_the_sign_not_a_class(run, dead_run):
    """Orange/blue mean classes elsewhere; in the LEGO view, the diagram and the weight series they
    mean a weight's sign, and each picture's legend says so, in the colours drawn."""
    from netwarp.render.anatomy_plots import SIGN_NOTE

    def swatches(legend):
        return {t.get_text(): tuple(np.round(h.get_facecolor()[:3], 6))
                for t, h in zip(legend.get_texts(), legend.legend_handles)}

    blue, orange = (tuple(np.round(weight_rgb(np.array([w]), 1.0)[0] / 255, 6)) for w in (1.0, -1.0))
    lego = code_figure(run)
    (legend,) = lego.legends
    assert swatches(legend)["weight > 0"] == blue and swatches(legend)["weight < 0"] == orange
    assert "weight ≈ 0" in swatches(legend)
    assert legend.get_title().get_text().startswith(SIGN_NOTE) and "not a class" in SIGN_NOTE
    diagram = diagram_figure(dead_run)
    legend = diagram.axes[0].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[:3] == ["weight > 0, largest in its layer", "weight > 0, half the largest", "weight < 0, largest in its layer"]
    assert legend.get_title().get_text() == SIGN_NOTE
    colours = {t.get_text(): tuple(np.round(h.get_color()[:3], 6)) for t, h in zip(legend.get_texts(), legend.legend_handles)
               if t.get_text().startswith("weight")}
    assert colours["weight > 0, largest in its layer"] == blue and colours["weight < 0, largest in its layer"] == orange
    series = weights_figure(run).axes[0].get_legend()
    assert [t.get_text() for t in series.get_texts()] == ["weight > 0", "weight < 0"]
    TRUTH.mkdir(parents=True, exist_ok=True)
    save_figure(lego, TRUTH / "lego.png")
    save_figure(diagram, TRUTH / "diagram.png")
