import numpy as np
import pytest

from netwarp import NetwarpError, views


def test_bounds_cover_all_data_with_margin(spiral_trace):
    x0, x1, y0, y1 = views.bounds(spiral_trace)
    X = np.vstack([spiral_trace.X_train, spiral_trace.X_test])
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1
    assert y0 < X[:, 1].min() and X[:, 1].max() < y1


def test_decision_field_equals_the_networks_probabilities(spiral_trace):
    f = views.decision_field(spiral_trace, snapshot=5, resolution=41)
    assert f.probs.shape == (41, 41, 2) and f.labels.shape == (41, 41)
    # pixel (i, j) is the point (xs[j], ys[i]): check a few against a direct prediction
    for i, j in [(0, 0), (0, 40), (40, 0), (17, 29), (40, 40)]:
        p = spiral_trace.predict_proba([[f.xs[j], f.ys[i]]], snapshot=5)[0]
        np.testing.assert_allclose(f.probs[i, j], p, rtol=0, atol=1e-12)
        assert f.labels[i, j] == p.argmax()
    assert np.all(np.diff(f.ys) > 0) and np.all(np.diff(f.xs) > 0)
    np.testing.assert_array_equal(f.confidence, f.probs.max(axis=2))


def test_decision_field_with_hand_edited_theta_differs(spiral_trace):
    theta = spiral_trace.theta()
    theta[0] += 5.0
    a = views.decision_field(spiral_trace, resolution=20)
    b = views.decision_field(spiral_trace, resolution=20, theta=theta)
    assert not np.allclose(a.probs, b.probs)
    np.testing.assert_allclose(b.probs.reshape(-1, 2)[7], spiral_trace.predict_proba([[b.xs[7], b.ys[0]]], theta=theta)[0])


def test_decision_field_rejects_bad_input(spiral_trace, square_trace):
    with pytest.raises(NetwarpError, match="resolution"):
        views.decision_field(spiral_trace, resolution=1)
    with pytest.raises(NetwarpError, match="out of range"):
        views.decision_field(spiral_trace, snapshot=10_000)
    with pytest.raises(NetwarpError, match="classifier"):
        views.decision_field(square_trace)


def test_neuron_fields_are_each_units_output(spiral_trace):
    fields = views.neuron_fields(spiral_trace, resolution=9)
    assert [f.shape for f in fields] == [(9, 9, 8), (9, 9, 3), (9, 9, 2)]
    xs, ys, pts = views.plane_grid(views.bounds(spiral_trace), 9)
    acts = spiral_trace.layer_outputs(pts)
    for f, a in zip(fields, acts[1:]):
        np.testing.assert_array_equal(f.reshape(-1, f.shape[-1]), a)


def test_regression_curve_sums_its_units_and_finds_the_hinges(square_trace):
    c = views.regression_curve(square_trace, samples=2000)
    np.testing.assert_allclose(c.units.sum(axis=1) + c.bias, c.yhat, atol=1e-12)
    np.testing.assert_allclose(c.yhat, square_trace.predict(c.xs[:, None]), atol=1e-12)
    # the curve is straight between knots: second differences vanish away from them
    d2 = np.abs(np.diff(c.yhat, 2))
    kinks = c.xs[1:-1][d2 > 1e-9]
    assert len(c.knots) <= 3
    for k in kinks:
        assert np.min(np.abs(c.knots - k)) < 2 * (c.xs[1] - c.xs[0])


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_field_cache_after_an_edit_is_a_fresh_field(spiral_trace, layer):
    cache = views.FieldCache(spiral_trace, resolution=30)
    base = spiral_trace.theta()
    first = cache(base)
    np.testing.assert_array_equal(first.probs, views.decision_field(spiral_trace, resolution=30).probs)
    sw, sb = spiral_trace.arch.slices()[layer]
    n_out = spiral_trace.arch.sizes[layer + 1]
    for value in (-3.0, 0.0, 2.5):
        theta = base.copy()
        theta[sw.start] = value  # one weight, as the playground's slider sets it (one unit reruns)
        theta[sb.start] += 0.1 * value  # and the same unit's bias
        edited = cache(theta)
        fresh = views.decision_field(spiral_trace, resolution=30, theta=theta)
        # the one recomputed unit comes from a smaller matmul: equal up to rounding
        np.testing.assert_allclose(edited.probs, fresh.probs, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(edited.labels, fresh.labels)
        np.testing.assert_array_equal(edited.confidence, edited.probs.max(axis=2))
    theta = base.copy()
    theta[sw][: n_out * 2] += 0.3  # most units of the layer changed: the whole layer reruns
    np.testing.assert_array_equal(cache(theta).probs, views.decision_field(spiral_trace, resolution=30, theta=theta).probs)
    assert cache(theta) is cache(theta)  # unchanged parameters: nothing recomputed
    np.testing.assert_allclose(cache(base).probs, first.probs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("bad", [(1, 0, 0, 1), (0, 1, 1, 1), (np.nan, 1, 0, 1), (0, 1), "abcd", None.__class__])
def test_views_reject_bounds_that_are_not_a_rectangle(spiral_trace, bad):
    with pytest.raises(NetwarpError, match="bounds"):
        views.decision_field(spiral_trace, resolution=5, bounds=bad)
    with pytest.raises(NetwarpError, match="bounds"):
        views.warp(spiral_trace, 1, lines=3, samples=3, bounds=bad)
