import json

import numpy as np
import pytest

from netwarp.render.palette import (
    CLASS_COLORS,
    class_rgb,
    field_rgb,
    field_words,
    hex_to_rgb,
    palette_json,
    rgb_class,
    weight_rgb,
)


@pytest.mark.parametrize("k", [2, 3, 10])
def test_every_field_cell_shows_its_argmax_class(rng, k):
    probs = rng.dirichlet(np.ones(k), size=(40, 50))
    rgb = field_rgb(probs)
    assert rgb.shape == (40, 50, 3) and rgb.dtype == np.uint8
    assert (rgb_class(rgb, k) == probs.argmax(axis=2)).all()


def test_field_words_pack_the_same_colours(rng):
    probs = rng.dirichlet(np.ones(3), size=(7, 9))
    words = field_words(probs)
    unpacked = np.stack([(words >> (8 * c)) & 0xFF for c in range(3)], axis=-1)
    assert (unpacked == field_rgb(probs)).all()


def test_surer_cells_are_more_saturated():
    probs = np.array([[[0.45, 0.55], [0.2, 0.8], [0.0, 1.0]]])
    rgb = field_rgb(probs).astype(int)
    distance_from_white = np.abs(255 - rgb).sum(axis=-1)[0]
    assert distance_from_white[0] < distance_from_white[1] < distance_from_white[2]
    assert (rgb_class(rgb, 2) == 1).all()  # even the 55% cell is tinted blue


def test_weights_diverge_orange_grey_blue():
    rgb = weight_rgb(np.array([-2.0, 0.0, 2.0]))
    assert tuple(rgb[0]) == hex_to_rgb(CLASS_COLORS[0])
    assert tuple(rgb[2]) == hex_to_rgb(CLASS_COLORS[1])
    assert abs(int(rgb[1, 0]) - int(rgb[1, 2])) < 10  # grey


def test_palette_is_plain_json():
    p = palette_json()
    assert json.loads(json.dumps(p)) == p
    assert p["classes"][:2] == ["#f59322", "#0877bd"]
    assert class_rgb(12).shape == (12, 3)
