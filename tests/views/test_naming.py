"""One naming convention for layers, units and networks, and the two-class separator."""

import numpy as np
import pytest

from netwarp import views


def test_layer_names_follow_the_layer_index_convention():
    assert views.layer_names(3) == ["input", "hidden layer 1", "hidden layer 2", "output logits"]
    assert views.layer_names(3, short=True) == ["in", "h1", "h2", "out"]
    assert views.layer_name(1, 1) == "output logits"  # no hidden layer: layer 1 is the output


def test_unit_names_pad_with_blanks():
    assert views.unit_names(0, 2, 2) == ("x1", "x2")
    assert views.unit_names(1, 2, 3) == ("h1", "h2", "h3")
    assert views.unit_names(2, 2, 2, dims=3) == ("out1", "out2", "")
    assert views.units_phrase(1) == "1 unit" and views.units_phrase(4) == "4 units"


def test_net_name_default_layer_and_three_wide(blobs_trace):
    assert views.net_name(blobs_trace) == "2-4-2" == views.net_name([2, 4, 2])
    assert views.default_layer(blobs_trace) == 1  # the last hidden layer
    assert views.three_wide(blobs_trace) == []


@pytest.mark.parametrize("layer", [1, 2])
def test_separator_is_where_the_two_logits_tie(blobs_trace, layer):
    w, c = views.separator(blobs_trace, layer, -1)
    H = blobs_trace.layer_outputs(blobs_trace.X_train, -1)
    logits = H[-1]
    # w . h + c is the logit difference, so its sign is the predicted class
    assert np.allclose(H[layer] @ w + c, logits[:, 1] - logits[:, 0])
    assert views.separator(blobs_trace, 0, -1) is None


def test_procrustes_rotation_recovers_a_turn(rng):
    A = rng.normal(size=(30, 2))
    t = 0.8
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    assert np.allclose(views.procrustes_rotation(A, A @ R), R)


def test_projector_keeps_narrow_layers_and_follows_wide_ones(rng):
    p = views.Projector()
    pts, grid = rng.normal(size=(20, 3)), rng.normal(size=(4, 5, 3))
    a, g = p.project("k", pts, grid)
    assert np.array_equal(a, pts) and np.array_equal(g, grid)  # up to 3 wide: as it is
    wide = rng.normal(size=(40, 6))
    a, g = p.project("w", wide, rng.normal(size=(2, 5, 6)))
    assert a.shape == (40, 3) and g.shape == (2, 5, 3)
    assert np.allclose(p.apply("w", wide), a)
    b, _ = p.project("w", wide + 1e-3, rng.normal(size=(2, 5, 6)) * 1e-3, refit=True)
    assert views.projection_jitter(b, a) < 0.5  # a refit on nearly the same points does not jump


def test_the_article_follows_how_the_number_is_read():
    said = {n: views.with_article(n) for n in (0, 1, 2, 7, 8, 11, 18, 80, 89, 100, 800, 8000, 11000, 18500)}
    assert said == {0: "a 0", 1: "a 1", 2: "a 2", 7: "a 7", 8: "an 8", 11: "an 11", 18: "an 18", 80: "an 80",
                    89: "an 89", 100: "a 100", 800: "an 800", 8000: "an 8000", 11000: "an 11000", 18500: "an 18500"}


def test_a_straight_paths_points_are_named_by_t_exactly():
    assert views.t_labels(9) == ["0", "0.125", "0.25", "0.375", "0.5", "0.625", "0.75", "0.875", "1"]
    assert views.t_labels(3) == ["0", "0.5", "1"]
