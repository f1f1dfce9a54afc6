"""No blank panels: a layer whose points all collapse is zoomed to and named, its neighbours'
frames keep every point in view, and a caption names only a line that is drawn."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import netwarp as nw
from netwarp.outputs.gallery import Gallery
from netwarp.outputs.layer_view import dead_note
from netwarp.outputs.training_scene import TrainingScene
from netwarp.render.plots import separator_segment


def test_dead_note_names_the_spread_of_collapsed_points():
    P = np.full((450, 2), 0.3) + np.random.default_rng(0).normal(0, 1e-7, (450, 2))
    note = dead_note(P)
    assert note.startswith("all 450 points within ") and note.endswith(": this layer is dead")
    assert float(note.split("within ")[1].split(":")[0]) == pytest.approx(np.ptp(P, axis=0).max(), rel=0.5)
    assert dead_note(np.zeros((10, 2))) == "all 10 points within 0e+0: this layer is dead"  # relu: all zero
    assert dead_note(np.c_[np.linspace(-1, 1, 50), np.zeros(50)]) == ""


@pytest.fixture(scope="module")
def flickering():
    # 2-2-2-2-2-2-2-2 tanh on the spiral, seed 0: its last hidden layer collapses for a while, then revives
    X, y = nw.make_dataset("spiral", seed=0)
    t = nw.train(X, y, hidden=[2] * 6, steps=3000, seed=0, data={"dataset": "spiral", "seed": 0})
    return TrainingScene(t, frames=40, size=900)


def test_a_dead_frame_zooms_to_its_points_and_says_so(flickering):
    sc = flickering
    dead = [i for i, note in enumerate(sc.dead) if note]
    assert dead and len(dead) < sc.n_frames  # the premise: some frames dead, some alive
    for i in range(sc.n_frames):
        P = sc.views[i].points
        x0, x1, y0, y1 = sc.space_limits(i)
        assert np.all((P[:, 0] >= x0) & (P[:, 0] <= x1) & (P[:, 1] >= y0) & (P[:, 1] <= y1)), i  # never blank
        if i in dead:
            assert dead_note(P) == sc.dead[i]
            assert (x1 - x0) < 100 * np.ptp(P, axis=0).max() + 1e-8  # zoomed in on them
            assert sc.space_notes(i) == [sc.dead[i].split(": ")[0] + ":", "this layer is dead"]
        else:
            assert (x1 - x0) > 0.5 * np.ptp(P, axis=0).max()


def test_the_line_caption_only_where_a_line_is_drawn(flickering):
    sc = flickering
    for i in range(sc.n_frames):
        if sc.dead[i]:
            continue
        crossing = any(separator_segment(w, c, sc.space_limits(i)) is not None for w, c in sc.views[i].lines)
        assert (sc.space_notes(i) == ["dashed: the network's decision line"]) == crossing, i


def test_the_demo_narrow_spiral_is_chosen_alive_and_struggling(tmp_path):
    narrow, alive = Gallery(tmp_path, progress=False)._struggling_narrow()
    assert alive and narrow.arch.hidden == [2] * 6
    s = narrow.snapshot()
    assert s.test_acc < 0.9 and s.train_loss < np.log(2) - 0.05
    L = narrow.arch.n_layers
    assert not any(dead_note(narrow.layer_outputs(narrow.X_train, i)[L - 1]) for i in range(len(narrow)))
    # the GIF's last frame, kept as an artifact: the struggling network's points in view
    out = Path(__file__).resolve().parents[2] / "test-artifacts" / "truth"
    out.mkdir(parents=True, exist_ok=True)
    sc = TrainingScene(narrow, frames=40)
    Image.fromarray(sc.frame(sc.n_frames - 1)).save(out / "narrow-spiral-last-frame.png")
