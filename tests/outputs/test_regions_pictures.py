"""Three classes are drawn as regions meeting along real boundaries, never as pairwise lines
across the whole view. Screenshots: test-artifacts/truth/."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import netwarp as nw
from netwarp import views
from netwarp.outputs.figures import layer_figure
from netwarp.outputs.training_scene import TrainingScene
from netwarp.render.figure import save_figure
from netwarp.render.palette import rgb_class

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"


@pytest.fixture(scope="module")
def three_arms():
    X, y = nw.make_dataset("spiral", arms=3, seed=0)
    return nw.train(X, y, hidden=[16, 16], steps=1500, seed=0, data={"dataset": "spiral", "arms": 3, "seed": 0})


@pytest.mark.parametrize("layer", [1, 2])
def test_the_layer_picture_shades_the_regions_and_dashes_only_real_boundaries(three_arms, layer):
    fig = layer_figure(three_arms, layer, size=700)
    ax = fig.axes[0]
    s = views.separating_projection(three_arms, layer)
    A, a0 = s.scores()
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert 2 <= len(dashed) <= 3
    for ln in dashed:
        P = np.c_[ln.get_xdata(), ln.get_ydata()]
        P = P[0] + np.linspace(0.02, 0.98, 30)[:, None] * (P[1] - P[0])
        top2 = np.sort(P @ A + a0, axis=1)[:, -2:]
        np.testing.assert_allclose(top2[:, 0], top2[:, 1], atol=1e-8)  # on the tie of the two leading classes
    # the shaded field under each point is the class the regions give it
    (img,) = ax.get_images()
    rgb = np.asarray(img.get_array())
    x0, x1, y0, y1 = img.get_extent()
    col = np.clip(((s.points[:, 0] - x0) / (x1 - x0) * rgb.shape[1]).astype(int), 0, rgb.shape[1] - 1)
    row = np.clip(((s.points[:, 1] - y0) / (y1 - y0) * rgb.shape[0]).astype(int), 0, rgb.shape[0] - 1)
    shaded = rgb_class(rgb[row, col], 3)
    near = np.abs(np.diff(np.sort(s.points @ A + a0, axis=1)[:, -2:], axis=1))[:, 0] < 0.05 * np.ptp(s.points @ A)
    assert np.mean(shaded[~near] == s.classify(s.points)[~near]) == 1.0
    assert "class regions" in ax.get_title()
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(fig, OUT / f"three-class-layer{layer}.png")


def test_the_training_animation_draws_regions_too(three_arms):
    sc = TrainingScene(three_arms, layer=2, frames=4, size=900)
    assert sc.views[-1].scores is not None and not sc.views[-1].lines
    assert sc.space_notes(3) == ["shaded: the network's class regions"]
    Image.fromarray(sc.frame(3)).save(OUT / "three-class-training-frame.png")
