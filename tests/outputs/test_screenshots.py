"""Projector-sized screenshots of the pictures this issue changed, kept in
test-artifacts/pictures/ (gitignored) so a person can look at them."""

from pathlib import Path

import numpy as np
from PIL import Image

import netwarp
from netwarp.outputs.figures import layer_figure, stages_figure
from netwarp.outputs.training_scene import TrainingScene
from netwarp.render.figure import save_figure

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "pictures"


def test_screenshots_of_the_wide_spiral_and_the_narrow_circles(wide_spiral):
    OUT.mkdir(parents=True, exist_ok=True)
    X, y = netwarp.make_dataset("circles", seed=0)
    flat = netwarp.train(X, y, hidden=[2], steps=2000, seed=0, data={"dataset": "circles"})
    written = [
        save_figure(layer_figure(wide_spiral, 2, size=1000), OUT / "wide-spiral-hidden2.png"),
        save_figure(layer_figure(wide_spiral, 1, size=1000), OUT / "wide-spiral-hidden1-probe.png"),
        save_figure(stages_figure(flat, 1, size=1280), OUT / "3-circles-width2-hidden.png"),
    ]
    scene = TrainingScene(wide_spiral, frames=4)
    Image.fromarray(scene.frame(scene.n_frames - 1)).save(OUT / "2-spiral-wide-training-last-frame.png")
    written.append(OUT / "2-spiral-wide-training-last-frame.png")
    for path in written:
        with Image.open(path) as im:
            assert im.width >= 1000
            # a picture, not a blank page: many distinct colours
            assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 50
