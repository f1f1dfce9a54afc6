"""Views of what a digits network reads and how its units work, checked against the numbers:
saliency against PyTorch and central differences, paths against layer_outputs, selectivity against
per-class means, lesions against a forward pass with the units zeroed, robustness against noise."""

import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.errors import NetwarpError


@pytest.fixture(scope="module")
def digits():
    X, y = nw.make_dataset("digits", seed=0)
    return nw.train(X, y, [24, 12], steps=200, seed=0, data={"dataset": "digits"})


def test_saliency_is_the_gradient_of_the_score(digits):
    t = digits
    X = t.X_test[:4]
    for cls, versus in ((3, None), (7, 2)):
        s = views.saliency(t, X, cls, versus, mask_unseen=False)
        eps = 1e-6
        num = np.zeros_like(X)
        for j in range(X.shape[1]):
            d = np.zeros_like(X)
            d[:, j] = eps
            up, down = t.layer_outputs(X + d)[-1], t.layer_outputs(X - d)[-1]
            score = (up[:, cls] - down[:, cls]) - ((up[:, versus] - down[:, versus]) if versus is not None else 0)
            num[:, j] = score / (2 * eps)
        np.testing.assert_allclose(s, num, atol=1e-6)
    np.testing.assert_allclose(views.saliency(t, X, 3, times_input=True, mask_unseen=False),
                               views.saliency(t, X, 3, mask_unseen=False) * X)
    np.testing.assert_allclose(views.saliency(t, X, 3, times_input=True), views.saliency(t, X, 3) * X)  # NaN in both


def _ink_share(X):
    """Per pixel, the share of images in X where it is off its most common value (counted apart from the view)."""
    share = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        values, counts = np.unique(X[:, j], return_counts=True)
        share[j] = 1 - counts.max() / len(X)
    return share


def test_saliency_greys_the_pixels_the_training_set_does_not_show(digits):
    """7 vs 2: the NaN pixels are exactly those constant over the training set, plus those inked in
    under RARE_SHARE of it; everywhere else the map is the raw gradient; all three views agree."""
    t = digits
    x = t.X_test[t.y_test == 7][:1]
    raw = views.saliency(t, x, 7, 2, mask_unseen=False)[0]
    sal = views.saliency(t, x, 7, 2)[0]
    constant = np.ptp(t.X_train, axis=0) == 0
    assert constant.sum() == 4  # the digits' 4 pixels blank in every training image of this split
    np.testing.assert_array_equal(views.unseen_inputs(t, rare=0), constant)
    share = _ink_share(t.X_train)
    unseen = constant | (share < views.RARE_SHARE)
    np.testing.assert_array_equal(np.isnan(sal), unseen)
    np.testing.assert_array_equal(views.unseen_inputs(t), unseen)
    np.testing.assert_allclose(views.varied_share(t), share)
    np.testing.assert_array_equal(sal[~unseen], raw[~unseen])
    assert np.isfinite(raw).all()
    avg = views.class_saliency(t, t.X_test, t.y_test, 7, 2)
    np.testing.assert_array_equal(np.isnan(avg), unseen)
    np.testing.assert_allclose(views.class_saliency(t, t.X_test, t.y_test, 7, 2, mask_unseen=False)[~unseen], avg[~unseen])
    _, maps = views.saliency_over_training(t, x[0], 7, 2, snapshots=4)
    assert np.isnan(maps[:, unseen]).all() and np.isfinite(maps[:, ~unseen]).all()
    _, raw_maps = views.saliency_over_training(t, x[0], 7, 2, snapshots=4, mask_unseen=False)
    assert np.isfinite(raw_maps).all()


def test_the_loudest_remaining_pixels_are_inked_in_a_real_share_of_the_digits(digits):
    """Unmasked, the loudest pixel of "7 rather than 2" is one almost no training digit inks (its
    weight is noise or fitted to a handful); masked, the loudest are inked in a real share of the 7s and 2s."""
    t = digits
    ink = (t.X_train > 0).mean(axis=0)
    sevens_twos = (t.X_train[np.isin(t.y_train, [7, 2])] > 0).mean(axis=0)
    for raw, masked in ((views.saliency(t, t.X_test[t.y_test == 7][:1], 7, 2, mask_unseen=False)[0],
                         views.saliency(t, t.X_test[t.y_test == 7][:1], 7, 2)[0]),
                        (views.class_saliency(t, t.X_test, t.y_test, 7, 2, mask_unseen=False),
                         views.class_saliency(t, t.X_test, t.y_test, 7, 2))):
        assert ink[np.argmax(np.abs(raw))] < 0.01  # what the mask is for
        loudest = np.argsort(-np.nan_to_num(np.abs(masked), nan=-1.0))[:4]
        assert np.all(ink[loudest] >= views.RARE_SHARE), ink[loudest]
        assert np.all(sevens_twos[loudest] >= 0.05), sevens_twos[loudest]


def test_saliency_matches_torch_autograd(digits):
    torch = pytest.importorskip("torch")
    t, X = digits, digits.X_test[:6]
    x = torch.tensor(X, requires_grad=True)
    h = x
    for k, (W, b) in enumerate(t.weights()):
        h = h @ torch.tensor(W) + torch.tensor(b)
        if k < t.arch.n_layers - 1:
            h = torch.tanh(h)
    (h[:, 4] - h[:, 9]).sum().backward()
    np.testing.assert_allclose(views.saliency(t, X, 4, versus=9, mask_unseen=False), x.grad.numpy(), atol=1e-12)


def test_the_path_ends_are_the_images_and_its_layers_are_layer_outputs(digits):
    t = digits
    a, b = t.X_test[t.y_test == 5][0], t.X_test[t.y_test == 6][0]
    p = views.interpolate(t, a, b, steps=7)
    assert np.array_equal(p.inputs[0], a) and np.array_equal(p.inputs[-1], b)
    for ours, truth in zip(p.activations, t.layer_outputs(p.inputs)):
        np.testing.assert_array_equal(ours, truth)
    np.testing.assert_allclose(p.probs.sum(axis=1), 1.0)
    assert list(p.flips) == [i for i in range(1, 7) if p.predicted[i] != p.predicted[i - 1]]
    assert p.predicted[0] == t.predict(a[None])[0] and p.predicted[-1] == t.predict(b[None])[0]


def test_selectivity_is_the_per_class_mean_of_each_unit(digits):
    t = digits
    sel = views.class_selectivity(t, t.X_test, t.y_test)
    acts = t.layer_outputs(t.X_test)
    assert [s.shape for s in sel] == [(24, 10), (12, 10)]
    for k, table in enumerate(sel, start=1):
        for c in range(10):
            np.testing.assert_allclose(table[:, c], acts[k][t.y_test == c].mean(axis=0))


def test_groups_put_units_that_fire_together_together(digits):
    t = digits
    g = views.neuron_groups(t, 1, t.X_test, n_groups=4)
    assert g.shape == (24,) and set(g) == {0, 1, 2, 3} and g[0] == 0
    a = t.layer_outputs(t.X_test)[1]
    corr = np.nan_to_num(np.corrcoef(a.T))
    same = [corr[i, j] for i in range(24) for j in range(i + 1, 24) if g[i] == g[j]]
    other = [corr[i, j] for i in range(24) for j in range(i + 1, 24) if g[i] != g[j]]
    assert np.mean(same) > np.mean(other)


def test_a_lesion_is_a_forward_pass_with_those_units_zeroed(digits):
    t = digits
    units = [0, 3, 5]
    acc = views.lesion(t, 1, units, t.X_test, t.y_test)
    (W0, b0), (W1, b1), (W2, b2) = t.weights()
    h1 = np.tanh(t.X_test @ W0 + b0)
    h1[:, units] = 0
    pred = (np.tanh(h1 @ W1 + b1) @ W2 + b2).argmax(axis=1)
    np.testing.assert_allclose(acc, [np.mean(pred[t.y_test == c] == c) for c in range(10)])
    none = views.lesion(t, 1, [], t.X_test, t.y_test)
    np.testing.assert_allclose(none, [np.mean(t.predict(t.X_test)[t.y_test == c] == c) for c in range(10)])


def test_robustness_counts_unchanged_predictions(digits):
    r = views.robustness(digits, [0.0, 0.3, 3.0], draws=3)
    assert r.shape == (3, 3, 3)
    assert np.all(r[:, 0] == 1.0)  # no noise, no change
    assert np.all(r[:, 2].mean(axis=1) < r[:, 1].mean(axis=1) + 1e-9)  # more noise, more changes


def test_robustness_works_for_2d_data_too():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [8], steps=200)
    assert views.robustness(t, [0, 1], draws=2).shape == (2, 2, 2)


def test_bad_digits_input_is_named_in_one_line(digits):
    t = digits
    with pytest.raises(NetwarpError, match=r"class 12 does not exist; this network has classes 0..9"):
        views.saliency(t, t.X_test[:1], 12)
    with pytest.raises(NetwarpError, match="versus must be another class than 3"):
        views.saliency(t, t.X_test[:1], 3, versus=3)
    with pytest.raises(NetwarpError, match=r"X must have shape \(n, 64\), got \(1, 63\)"):
        views.saliency(t, np.zeros((1, 63)), 3)
    bad = t.X_test[:1].copy()
    bad[0, 5] = np.nan
    with pytest.raises(NetwarpError, match="NaN"):
        views.interpolate(t, bad[0], t.X_test[1])
    with pytest.raises(NetwarpError, match=r"units must be in 0..23 for hidden layer 1"):
        views.lesion(t, 1, [30], t.X_test, t.y_test)
    with pytest.raises(NetwarpError, match="not a hidden layer"):
        views.neuron_groups(t, 3, t.X_test)


def test_the_saliency_help_says_why_pixels_are_grey():
    text = views.HELP["saliency"][1]
    assert "Grey pixels" in text
    assert "pixels blank in every training image never trained, their gradient is initial noise" in text
    assert f"under {views.RARE_SHARE:.0%}" in text
    assert "gradient x input beside it" in text
