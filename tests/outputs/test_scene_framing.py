"""What the animation frames draw where: titles over a clear band, the rotate GIF filling
its frame, the morph ending on the layer view, the GIF palette keeping the field's classes.
Frames are saved to test-artifacts/pictures/ to be looked at."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import netwarp
from netwarp import views
from netwarp.outputs.animate import animate
from netwarp.outputs.morph_scene import MorphScene
from netwarp.outputs.rotate_scene import RotateScene
from netwarp.outputs.scene_common import font_size
from netwarp.outputs.training_scene import TrainingScene
from netwarp.render.palette import BACKGROUND, hex_to_rgb, rgb_class
from netwarp.render.raster import font

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "pictures"
PAPER = np.array(hex_to_rgb(BACKGROUND))


@pytest.fixture(scope="module")
def circles3():
    X, y = netwarp.make_dataset("circles", seed=0)
    return netwarp.train(X, y, hidden=[3], steps=2000, seed=0, data={"dataset": "circles", "seed": 0})


def _save(a: np.ndarray, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(a[..., :3])).save(OUT / name)


def test_no_grid_pixel_in_the_space_panels_title_band(wide_spiral):
    scene = TrainingScene(wide_spiral, layer=2, frames=3)
    _save(scene.frame(2), "2-spiral-wide-training-last-frame-banded.png")
    for i in range(scene.n_frames):
        _, right = scene.panels(i)
        px = right.array()
        text_end = int(font(font_size(scene.width) - 1).getlength(scene.space_title)) + 12
        band = px[: scene.band - 1, text_end:]
        assert (band == PAPER).all(), "something drawn in the title band beside the title"
        assert (px[scene.band:] != PAPER).any(axis=-1).mean() > 0.02  # and the picture is below it


def test_rotate_fills_its_frame(circles3):
    scene = RotateScene(circles3, layer=1, frames=6)
    for i in range(scene.n_frames):
        f = scene.frame(i)[..., :3]
        if i == 0:
            _save(f, "3-circles-width3-rotate-frame0.png")
        H = f.shape[0]
        inked = (np.abs(f.astype(int) - PAPER).sum(-1) > 60)[scene.band:H - 30]  # below the titles, above the step label
        rows = np.flatnonzero(inked.any(axis=1))
        top, bottom = rows[0], rows[-1]
        # the drawing spans most of the height and sits in the middle: no empty bottom third
        span = len(inked)
        assert bottom - top > 0.6 * span and bottom > 0.8 * span, (top, bottom, span)


def test_morph_ends_on_the_layer_view_and_starts_on_named_input_axes(circles3):
    scene = MorphScene(circles3, layer=1, frames=8)
    w = views.warp(circles3, 1, -1, lines=21, samples=50)
    assert np.allclose(scene.pts[-1], w.points)
    assert np.allclose(scene.center, w.points.mean(axis=0))  # aimed where the layer view aims
    assert scene.input_names == ("x1", "x2", "")
    assert scene.axis_names == ("h1", "h2", "h3")
    _save(scene.frame(0), "3-circles-width3-morph-input.png")
    _save(scene.frame(scene.n_frames - 1), "3-circles-width3-morph-last.png")


def test_morph_2d_frames_hold_the_whole_grid():
    X, y = netwarp.make_dataset("moons", n=80, seed=0)
    t = netwarp.train(X, y, hidden=[2], steps=200, seed=0)
    scene = MorphScene(t, layer=1, frames=6)
    for i in (0, scene.n_frames - 1):
        x0, x1, y0, y1 = scene.limits[i]
        G = scene.grids[i].reshape(-1, 2)
        assert (G[:, 0] >= x0).all() and (G[:, 0] <= x1).all() and (G[:, 1] >= y0).all() and (G[:, 1] <= y1).all()


def test_gif_palette_keeps_the_fields_classes(tmp_path, blobs_trace, field_under_pixels):
    """Decoded from the written GIF: a smoothed field pixel still leans to the predicted class."""
    path = animate(blobs_trace, tmp_path / "t.gif", "training", frames=3, size=640, progress=False)
    scene = TrainingScene(blobs_trace, frames=3, size=640)
    with Image.open(path) as im:
        im.seek(2)
        frame = np.asarray(im.convert("RGB"))
    _save(frame, "blobs-training-gif-last-frame.png")
    P, m, top = scene.panel, scene.margin, scene.header
    left = frame[top:top + P, m:m + P]
    f = views.decision_field(blobs_trace, int(scene.snaps[-1]), resolution=scene.res)
    probs, near = field_under_pixels(f, blobs_trace.X_train, P)
    sure = (probs.max(-1) > 0.6) & ~near
    sure[:40] = False
    assert sure.sum() > P * P // 10
    assert (rgb_class(left[sure], 2) == probs[sure].argmax(-1)).mean() > 0.995
    # no banding and no dithering noise: the palette holds the field's colour ramp, so the GIF's field is the exact field within a few levels (Pillow maps to the palette through a coarse colour cache)
    exact = scene.panels(2)[0].array()
    err = np.abs(left.astype(int) - exact.astype(int)).max(-1)
    field_px = ~near
    field_px[:40] = False
    assert (err[field_px] <= 6).mean() > 0.99 and np.median(err[field_px]) <= 2
