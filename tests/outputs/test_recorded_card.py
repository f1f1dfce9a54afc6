"""The notebook card of a trace recorded by its layers' outputs (issue 23): the last recorded
layer along its probe's split, the curves and the layer list, not an error. The card goes to
test-artifacts/notebook-card/ to be looked at."""

from pathlib import Path

import numpy as np
from matplotlib.collections import PathCollection

from netwarp import views
from netwarp.outputs.card import card_figure

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "notebook-card"


def test_a_recorded_traces_card_draws_its_last_layer_and_its_curves(recorded_cnn):
    t = recorded_cnn
    png = t._repr_png_()
    assert png.startswith(b"\x89PNG")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "recorded-card.png").write_bytes(png)
    fig = card_figure(t)
    layer_ax, curves_ax = fig.axes[:2]
    s = views.separating_projection(t, 2, -1)
    drawn = [c for c in layer_ax.collections if isinstance(c, PathCollection)][0].get_offsets()
    np.testing.assert_allclose(np.asarray(drawn), s.points)  # the last recorded layer's own view
    assert layer_ax.get_title().startswith("fc1 (16 units)") and f"linear probe test accuracy {s.accuracy:.1%}" in layer_ax.get_title()
    loss = [ln for ln in curves_ax.lines if ln.get_label() == "train loss"][0]
    np.testing.assert_allclose(loss.get_ydata(), views.training_curves(t)["train_loss"])
    assert "recorded layers pool, fc1 (no weights)" in fig.get_suptitle()


def test_a_recorded_traces_html_card_lists_the_layers(recorded_cnn):
    html = recorded_cnn._repr_html_()
    assert "<img" in html and "pool (64 units), fc1 (16 units)" in html and "no weights" in html
    assert "parameters" not in html  # a recorded model has no parameters netwarp knows of: none claimed
