import numpy as np
import pytest

from netwarp import NetwarpError, views


def test_narrow_layers_are_shown_as_they_are(rng):
    X = rng.normal(size=(50, 2))
    np.testing.assert_array_equal(views.fit_projection(X, 2).apply(X), X)
    np.testing.assert_array_equal(views.fit_projection(X, 3).apply(X)[:, :2], X)


def test_pca_projection_keeps_the_main_directions(rng):
    X = np.c_[rng.normal(0, 5, 200), rng.normal(0, 3, 200), rng.normal(0, 0.01, (200, 6))]
    p = views.fit_projection(X, 2)
    assert p.explained > 0.99
    np.testing.assert_allclose(p.basis.T @ p.basis, np.eye(2), atol=1e-12)
    with pytest.raises(NetwarpError):
        views.fit_projection(X, 4)


def test_stable_projection_does_not_flicker_between_snapshots(spiral_trace):
    # the 8-wide first hidden layer across adjacent snapshots of training
    frames = [spiral_trace.layer_outputs(spiral_trace.X_train, s)[1] for s in range(len(spiral_trace))]
    stable = views.stable_projections(frames)
    naive = [views.fit_projection(f).apply(f) for f in frames]
    jitter = [views.projection_jitter(a, b) for a, b in zip(stable[1:], stable[:-1])]
    moved = [views.projection_jitter(a, b) for a, b in zip(frames[1:], frames[:-1])]
    # where the layer barely moves, neither does its picture
    assert all(j < 0.05 for j, m in zip(jitter, moved) if m < 0.02)
    # and it never jumps by more than the layer itself moved (refitting PCA per frame can)
    assert all(j <= 3 * m + 0.02 for j, m in zip(jitter, moved))
    assert sum(jitter) < sum(views.projection_jitter(a, b) for a, b in zip(naive[1:], naive[:-1]))


def test_stable_projection_keeps_the_camera_when_directions_swap(rng):
    # two frames whose 2nd and 3rd directions swap importance: PCA per frame
    # would jump to a different plane; the stable view changes little
    Z = rng.normal(size=(200, 4))
    A, B = Z * [5, 2.5, 1.5, 0.1], Z * [5, 1.5, 2.5, 0.1]
    a, b = views.stable_projections([A, B])
    assert views.projection_jitter(b, a) < 0.25
    pa, pb = views.fit_projection(A).apply(A), views.fit_projection(B).apply(B)
    assert views.projection_jitter(pb, pa) > 0.5


def test_projections_reject_what_is_not_a_point_set():
    with pytest.raises(NetwarpError, match="at least 2 points"):
        views.fit_projection([])
    with pytest.raises(NetwarpError, match="shape"):
        views.stable_projections([np.zeros(10)])
    with pytest.raises(NetwarpError, match="NaN"):
        views.fit_projection(np.full((4, 3), np.nan))
    with pytest.raises(NetwarpError, match="same"):
        views.stable_projections([np.ones((5, 4)), np.ones((6, 4))])
    with pytest.raises(NetwarpError, match="same shape"):
        views.projection_jitter(np.ones((3, 2)), np.ones((4, 2)))
