"""The separating projection: the drawn line is the network's boundary (last hidden layer)
or a probe's (earlier layers), in a view that can be held still across snapshots."""

import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.errors import NetwarpError


@pytest.fixture(scope="module")
def wide_spiral():
    """2-8-8-2 tanh on the spiral, trained to 100% training accuracy (as in the gallery)."""
    X, y = nw.make_dataset("spiral", seed=0)
    t = nw.train(X, y, hidden=[8, 8], steps=3000, seed=0, data={"dataset": "spiral", "seed": 0})
    assert t.snapshot(-1).train_acc == 1.0
    return t


def test_last_hidden_layer_line_is_the_network_decision_for_every_point(wide_spiral):
    s = views.separating_projection(wide_spiral, 2)
    assert s.points.shape == (len(wide_spiral.X_train), 2)
    w, c = s.line
    assert w.shape == (2,) and isinstance(c, float)
    predicted = wide_spiral.predict(wide_spiral.X_train)
    np.testing.assert_array_equal(s.points @ w + c > 0, predicted == 1)
    assert s.exact and s.accuracy is None and s.source == "network"
    # trained to 100%: the line splits the true classes too, and both sides are used
    np.testing.assert_array_equal(s.side(), wide_spiral.y_train)
    assert 0 < s.side().sum() < len(s.side())


def test_exact_at_every_snapshot_with_its_own_view(wide_spiral):
    for snap in (0, 10, 50):
        s = views.separating_projection(wide_spiral, 2, snap)
        np.testing.assert_array_equal(s.side(), wide_spiral.predict(wide_spiral.X_train, snap))


def test_the_view_is_orthonormal_and_the_first_axis_is_the_weight_difference(wide_spiral):
    s = views.separating_projection(wide_spiral, 2)
    A = s.basis.axes
    np.testing.assert_allclose(A.T @ A, np.eye(2), atol=1e-12)
    W, _ = wide_spiral.weights(-1)[-1]
    d = W[:, 1] - W[:, 0]
    np.testing.assert_allclose(A[:, 0], d / np.linalg.norm(d), atol=1e-12)


def test_earlier_layer_line_is_a_probe_and_its_accuracy_matches_an_independent_fit(wide_spiral):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    s = views.separating_projection(wide_spiral, 1)
    train = wide_spiral.layer_outputs(wide_spiral.X_train)[1]
    test = wide_spiral.layer_outputs(wide_spiral.X_test)[1]
    probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0)).fit(train, wide_spiral.y_train)
    assert s.source == "probe"
    assert s.accuracy == pytest.approx(probe.score(test, wide_spiral.y_test))
    assert s.accuracy == pytest.approx(views.probe_accuracies(wide_spiral)[1])
    # the drawn line is the probe's decision, exactly, on every training point
    np.testing.assert_array_equal(s.side(), probe.predict(train))
    # and it is a real line that splits the points, not a degenerate one
    assert 0 < s.side().sum() < len(s.side())


def test_a_fixed_basis_keeps_the_view_steady_across_snapshots(wide_spiral):
    basis = views.fit_separating_basis(wide_spiral, 2)
    frames = [views.separating_projection(wide_spiral, 2, snap, basis=basis) for snap in range(len(wide_spiral))]
    assert all(f.basis is basis for f in frames)
    # the same points at the last snapshot land where the fitted view put them
    last = views.separating_projection(wide_spiral, 2)
    np.testing.assert_allclose(frames[-1].points, last.points, atol=1e-12)
    np.testing.assert_array_equal(frames[-1].side(), wide_spiral.predict(wide_spiral.X_train))
    assert frames[-1].exact
    # a snapshot's points in the fixed view are that snapshot's layer outputs through the same map
    H = wide_spiral.layer_outputs(wide_spiral.X_train, 5)[2]
    np.testing.assert_allclose(frames[5].points, (H - basis.mean) @ basis.axes, atol=1e-12)
    # while a view refitted per snapshot would move: the fixed one does not change its axes
    assert not np.allclose(views.separating_projection(wide_spiral, 2, 5).basis.axes, basis.axes)


def test_three_wide_layer_gets_a_separating_plane_in_its_own_coordinates(circles_trace):
    s = views.separating_projection(circles_trace, 1)
    w3, c = s.plane
    H = circles_trace.layer_outputs(circles_trace.X_train)[1]
    np.testing.assert_array_equal(H @ w3 + c > 0, circles_trace.predict(circles_trace.X_train) == 1)


def test_multiclass_gets_one_line_per_pair_and_three_classes_are_exact():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 60)
    X = np.array([[0, 2], [-2, -1], [2, -1]])[y] + rng.normal(scale=0.6, size=(180, 2))
    t = nw.train(X, y, hidden=[6], steps=400, seed=0)
    s = views.separating_projection(t, 1)
    assert s.line is None and s.pairs == [(0, 1), (0, 2), (1, 2)] and len(s.lines) == 3
    # three classes: every pairwise boundary lies in the view, so each line is exact
    assert s.exact
    logits = t.layer_outputs(t.X_train)[-1]
    for (i, j), (w, c) in zip(s.pairs, s.lines):
        np.testing.assert_allclose(s.points @ w + c, logits[:, j] - logits[:, i], atol=1e-9)
    # earlier layer: the probe's lines and accuracy
    p = views.separating_projection(t, 0)
    assert p.source == "probe" and 0.5 < p.accuracy <= 1.0 and len(p.lines) == 3


def test_bad_input_gets_one_line_errors(wide_spiral):
    with pytest.raises(NetwarpError, match="out of range"):
        views.separating_projection(wide_spiral, 9)
    basis = views.fit_separating_basis(wide_spiral, 2)
    with pytest.raises(NetwarpError, match="8-wide layer, but layer 0 has 2 units"):
        views.separating_projection(wide_spiral, 0, basis=basis)
    X = np.linspace(-1, 1, 40)[:, None]
    reg = nw.train(X, X[:, 0] ** 2, hidden=[3], steps=20, seed=0)
    with pytest.raises(NetwarpError, match="needs a classifier"):
        views.separating_projection(reg, 1)


@pytest.fixture(scope="module")
def three_arms():
    """2-16-16-3 tanh on the 3-arm spiral (the CS231n case study's data), trained to 100%."""
    X, y = nw.make_dataset("spiral", arms=3, seed=0)
    t = nw.train(X, y, hidden=[16, 16], steps=1500, seed=0, data={"dataset": "spiral", "arms": 3, "seed": 0})
    assert t.snapshot().train_acc == 1.0
    return t


@pytest.mark.parametrize("layer", [0, 1, 2, 3])
def test_regions_classify_every_point_as_the_drawn_classifier_does(three_arms, layer):
    s = views.separating_projection(three_arms, layer)
    assert s.exact  # three classes: every pairwise difference lies in the discriminant plane
    np.testing.assert_array_equal(s.classify(s.points), s.predicted)
    if s.source == "network":
        np.testing.assert_array_equal(s.predicted, three_arms.predict(three_arms.X_train))


def test_the_regions_meet_at_one_point_and_no_boundary_cuts_a_third_class(three_arms):
    s = views.separating_projection(three_arms, 2)
    lo, hi = s.points.min(axis=0), s.points.max(axis=0)
    box = (lo[0], hi[0], lo[1], hi[1])
    A, a0 = s.scores()
    bounds = s.boundaries(box)
    assert 2 <= len(bounds) <= 3
    for (i, j), seg in bounds:
        P = seg[0] + np.linspace(0.01, 0.99, 50)[:, None] * (seg[1] - seg[0])
        sc = P @ A + a0
        np.testing.assert_allclose(sc[:, i], sc[:, j], atol=1e-9)
        others = [m for m in range(3) if m not in (i, j)]
        assert np.all(sc[:, i][:, None] >= sc[:, others] - 1e-9)  # i and j lead: a real boundary
        # a step off the segment on either side lands in i's region and in j's
        n = np.array([-(seg[1] - seg[0])[1], (seg[1] - seg[0])[0]])
        n *= 1e-6 * np.ptp(s.points) / np.linalg.norm(n)
        mid = seg.mean(axis=0)
        assert {int(s.classify(mid[None] + n)[0]), int(s.classify(mid[None] - n)[0])} == {i, j}
    if len(bounds) == 3:  # the triple point: every boundary ends there
        ends = np.concatenate([seg for _, seg in bounds])
        meet = [e for e in ends if sum(np.allclose(e, f, atol=1e-9) for f in ends) == 3]
        assert meet
    # the regions tile the box, each owned by the class that classify gives it
    for c, poly in s.regions(box):
        assert np.all(s.classify(poly.mean(axis=0)[None]) == c)


def test_two_classes_keep_their_exact_line(wide_spiral):
    s = views.separating_projection(wide_spiral, 2)
    box = (-5.0, 5.0, -5.0, 5.0)
    ((pair, seg),) = s.boundaries(box)
    w, c = s.line
    assert pair == (0, 1)
    np.testing.assert_allclose(seg @ w + c, 0, atol=1e-9)
    np.testing.assert_array_equal(s.classify(s.points), s.predicted)


def test_a_basis_over_snapshots_of_the_last_hidden_layer_keeps_the_networks_own_split(wide_spiral):
    snaps = views.spread_snapshots(wide_spiral, 5)
    basis = views.fit_separating_basis(wide_spiral, 2, snapshots=snaps)
    # the network's output weights at the latest snapshot given, centred on all of them
    W, _ = wide_spiral.weights(int(snaps[-1]))[-1]
    d = W[:, 1] - W[:, 0]
    np.testing.assert_allclose(basis.axes[:, 0], d / np.linalg.norm(d), atol=1e-12)
    stack = np.vstack([wide_spiral.layer_outputs(wide_spiral.X_train, int(s))[2] for s in snaps])
    np.testing.assert_allclose(basis.mean, stack.mean(axis=0), atol=1e-12)
    assert views.separating_projection(wide_spiral, 2, basis=basis).exact
