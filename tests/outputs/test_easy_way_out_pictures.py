"""A 2-wide run that separated the disk from a sparse ring anyway: its pictures circle the
ring points either side of the gap its boundary goes through. Screenshots: test-artifacts/truth/."""

from pathlib import Path

import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.outputs.figures import GAP_LABEL, field_figure, layer_figure
from netwarp.render.figure import save_figure

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"


@pytest.fixture(scope="module")
def run():
    X, y = nw.make_dataset("circles", n=120, seed=0)
    return nw.train(X, y, hidden=[2, 2, 2], steps=3000, seed=0, data={"dataset": "circles", "seed": 0, "n": 120})


def _rings(ax):
    # the hollow circles: the scatter the legend names, with no face colour
    return [c for c in ax.collections if c.get_label() == GAP_LABEL and len(c.get_facecolors()) == 0]


@pytest.mark.parametrize("which", ["field", "layer"])
def test_the_gap_points_are_circled_where_they_are(run, which):
    gap = views.easy_way_out(run)
    if which == "field":
        fig, where = field_figure(run, size=700), run.X_train
    else:
        fig, where = layer_figure(run, 3, size=700), run.layer_outputs(run.X_train)[3]
    ax = fig.axes[0]
    (rings,) = _rings(ax)
    np.testing.assert_allclose(rings.get_offsets(), where[gap.nearest])
    assert GAP_LABEL in [t.get_text() for t in ax.get_legend().get_texts()]
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(fig, OUT / f"easy-way-out-{which}.png")


def test_no_circles_on_a_run_without_a_gap():
    X, y = nw.make_dataset("circles", n=200, seed=2)
    wide = nw.train(X, y, hidden=[3], steps=300, seed=2, data={"dataset": "circles"})
    assert views.easy_way_out(wide) is None
    assert not _rings(field_figure(wide, size=400).axes[0])
