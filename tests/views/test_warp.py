import numpy as np
import pytest

from netwarp import NetwarpError, views


@pytest.mark.parametrize("layer", [0, 1, 2, 3])
def test_warp_is_the_layers_actual_output(spiral_trace, layer):
    w = views.warp(spiral_trace, layer, snapshot=10, lines=7, samples=11)
    out = spiral_trace.layer_outputs(spiral_trace.X_train, snapshot=10)[layer]
    np.testing.assert_array_equal(w.points, out)
    grid = views.input_grid(views.bounds(spiral_trace), 7, 11)
    expect = spiral_trace.layer_outputs(grid.reshape(-1, 2), snapshot=10)[layer].reshape(14, 11, -1)
    np.testing.assert_allclose(w.grid, expect, atol=1e-12)


def test_input_grid_lines_are_straight_and_cover_bounds():
    g = views.input_grid((-1, 1, -2, 2), lines=5, samples=9)
    assert g.shape == (10, 9, 2)
    assert np.all(g[:5, :, 1] == g[:5, :1, 1])  # horizontal lines: constant y
    assert np.all(g[5:, :, 0] == g[5:, :1, 0])  # vertical lines: constant x
    assert g[..., 0].min() == -1 and g[..., 0].max() == 1 and g[..., 1].min() == -2 and g[..., 1].max() == 2


def test_morph_starts_at_input_and_ends_exactly_at_the_layer(spiral_trace):
    for layer in (1, 2, 3):
        m = views.Morph(spiral_trace, layer, lines=5, samples=6)
        start, end = m.at(0), m.at(layer)
        assert start.points.shape[1] == max(spiral_trace.arch.sizes[: layer + 1])
        np.testing.assert_array_equal(start.points[:, :2], spiral_trace.X_train)
        assert np.all(start.points[:, 2:] == 0)
        target = spiral_trace.layer_outputs(spiral_trace.X_train)[layer]
        # the same numbers up to BLAS blocking (target came from a different batch)
        np.testing.assert_allclose(end.points[:, : target.shape[1]], target, rtol=0, atol=1e-12)
        np.testing.assert_allclose(views.warp(spiral_trace, layer, lines=5, samples=6).grid, end.grid[..., : target.shape[1]], rtol=0, atol=1e-12)


def test_morph_stages_are_linear_map_then_bias_then_activation(spiral_trace):
    m = views.Morph(spiral_trace, 1, lines=3, samples=4)
    (W, b) = spiral_trace.weights()[0]
    X = spiral_trace.X_train
    np.testing.assert_allclose(m.at(1 / 3).points, X @ W, atol=1e-12)
    np.testing.assert_allclose(m.at(2 / 3).points, X @ W + b, atol=1e-12)
    np.testing.assert_allclose(m.at(1 / 6).points, 0.5 * (np.c_[X, np.zeros((len(X), 6))] + X @ W), atol=1e-12)
    assert "linear map W0 (2x8)" in m.stage(0.1)
    assert "bias" in m.stage(0.5)
    assert "activation tanh" in m.stage(0.9)


def test_morph_is_continuous(spiral_trace):
    m = views.Morph(spiral_trace, 3, lines=3, samples=4)
    ts = np.linspace(0, 3, 301)
    states = np.stack([m.state(t) for t in ts])
    steps = np.abs(np.diff(states, axis=0)).max(axis=(1, 2))
    assert steps.max() < 0.1 * np.abs(states).max()


def test_warp_and_morph_reject_bad_input(spiral_trace):
    with pytest.raises(NetwarpError, match="layer 4 is out of range"):
        views.warp(spiral_trace, 4)
    with pytest.raises(NetwarpError, match="between 0 and 2"):
        views.morph(spiral_trace, 2, 2.5)
    with pytest.raises(NetwarpError, match="lines"):
        views.warp(spiral_trace, 1, lines=1)
    with pytest.raises(NetwarpError, match=">= 1"):
        views.Morph(spiral_trace, 0)
