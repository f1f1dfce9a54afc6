"""A Trace shows itself inline in a notebook: its picture, curves, network and the final metrics it holds."""

import io

import numpy as np
from PIL import Image

import netwarp as nw
from netwarp.trace import Trace


def test_the_card_states_the_traces_own_numbers_and_shows_its_field():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [8], steps=200, seed=0)
    html = t._repr_html_()
    s = t.snapshot(-1)
    assert f"accuracy {s.train_acc:.1%} train / {s.test_acc:.1%} test" in html
    assert f"loss {s.train_loss:.4f} / {s.test_loss:.4f}" in html
    assert "2-8-2 tanh (classification, 42 parameters)" in html
    assert f"{len(t)} (steps 0..200)" in html
    png = t._repr_png_()
    assert "base64," in html and png is t._repr_png_()  # drawn once per snapshot count
    with Image.open(io.BytesIO(png)) as im:
        pixels = np.asarray(im.convert("RGB"))
    # the field's two class colours both fill a good part of the picture
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 200


def test_an_empty_trace_has_a_card_without_a_picture():
    X, y = nw.make_dataset("moons", seed=0)
    t = Trace(nw.Architecture((2, 3, 2)), X[:200], y[:200], X[200:], y[200:])
    assert t._repr_png_() is None
    assert "none yet" in t._repr_html_()


def test_a_sweep_shows_its_phase_diagram(tmp_path):
    r = nw.sweep(tmp_path / "sw", widths=[1, 2], depths=[1], seeds=1, workers=1, dataset="circles", steps=50)
    with Image.open(io.BytesIO(r._repr_png_())) as im:
        assert im.width == 760
