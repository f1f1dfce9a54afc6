"""The separating view of a recorded model (issue 23 item 2): from its representations alone,
every recorded layer along its probe's split, and one steady view over training."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from netwarp import views
from netwarp.errors import NetwarpError


def _probe(H, y):
    """An independent fit of the probe netwarp uses (views.linear_probe)."""
    with threadpool_limits(1):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0)).fit(H, y)


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_every_recorded_layer_is_seen_along_its_own_probe(recorded_cnn, layer):
    t = recorded_cnn
    for s in (0, -1):
        H = t.layer_outputs(t.X_train, s)[layer]
        sep = views.separating_projection(t, layer, s)
        probe = _probe(H, t.y_train)
        # the last recorded layer too: what leads from it to the logits is not known to be affine
        assert sep.source == "probe" and not sep.exact
        assert sep.accuracy == probe.score(t.layer_outputs(t.X_test, s)[layer], t.y_test)
        assert sep.accuracy == views.probe_accuracies(t, s)[layer]
        # what the view holds is the probe's own: its predictions, and the classifier its regions come from
        np.testing.assert_array_equal(sep.predicted, probe.predict(H))
        W, b = sep.classifier
        np.testing.assert_array_equal(np.argmax(H @ W + b, axis=1), probe.predict(H))
        np.testing.assert_allclose(sep.points, (H - sep.basis.mean) @ sep.basis.axes)
        np.testing.assert_allclose(sep.basis.axes.T @ sep.basis.axes, np.eye(2), atol=1e-12)
        assert len(sep.lines) == 45 and sep.line is None  # ten classes: regions, one line per pair


def test_the_logits_are_seen_along_the_networks_own_decision(recorded_cnn):
    t = recorded_cnn
    sep = views.separating_projection(t, 3)
    assert sep.source == "network" and sep.accuracy is None
    np.testing.assert_array_equal(sep.predicted, t.predict(t.X_train))


def test_a_basis_fitted_over_training_is_one_steady_view_of_every_snapshot(recorded_cnn):
    t = recorded_cnn
    layer, snaps = 1, [0, 1, 2, 3]
    basis = views.fit_separating_basis(t, layer, snapshots=snaps)
    stack = np.vstack([t.layer_outputs(t.X_train, s)[layer] for s in snaps])
    np.testing.assert_allclose(basis.mean, stack.mean(axis=0))
    np.testing.assert_allclose(basis.axes.T @ basis.axes, np.eye(2), atol=1e-12)
    # its axes are the two main directions of a probe fitted on all the snapshots' points at once
    probe = _probe(stack, np.tile(t.y_train, len(snaps)))
    W = (probe[-1].coef_ / probe[0].scale_).T
    U = np.linalg.svd(W - W.mean(axis=1, keepdims=True), full_matrices=False)[0]
    assert abs(basis.axes[:, 0] @ U[:, 0]) == pytest.approx(1.0, abs=1e-9)
    # every frame on it: a point moves only because its representation moved
    for s in snaps:
        sep = views.separating_projection(t, layer, s, basis=basis)
        assert sep.basis is basis
        np.testing.assert_allclose(sep.points, (t.layer_outputs(t.X_train, s)[layer] - basis.mean) @ basis.axes)
    # the same frames in any order, or given once each, the same view
    again = views.fit_separating_basis(t, layer, snapshots=[3, 2, 1, 0, -1])
    np.testing.assert_allclose(again.axes, basis.axes)


def test_one_snapshot_basis_is_that_snapshots_view(recorded_cnn):
    t = recorded_cnn
    b = views.fit_separating_basis(t, 2, 1)
    np.testing.assert_allclose(b.axes, views.separating_projection(t, 2, 1).basis.axes)


@pytest.mark.parametrize("snapshots, message", [
    ([], "snapshots is empty"),
    ([0, 9], "snapshot 9 is out of range"),
    ("0", "snapshots must be a list of snapshot indices"),
    (3, "snapshots must be a list of snapshot indices"),
])
def test_bad_snapshots_are_refused_in_one_line(recorded_cnn, snapshots, message):
    with pytest.raises(NetwarpError, match=message) as e:
        views.fit_separating_basis(recorded_cnn, 1, snapshots=snapshots)
    assert "\n" not in str(e.value)
