"""Weights and gradients over training, checked against the recorded numbers and PyTorch."""

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError
from netwarp.trace import Trace
from netwarp.views import convergence, gradient_flow, layer_params, weight_histograms, zero_gradient_fraction


@pytest.fixture(scope="module")
def spiral_run():
    X, y = nw.make_dataset("spiral", seed=0)
    return nw.train(X, y, [8, 8], steps=1500, l2=0.001, seed=0)


def test_the_convergence_sentence_matches_the_recorded_weights(spiral_run):
    t = spiral_run
    c = convergence(t)
    for k in range(t.arch.n_layers):
        W = layer_params(t, k)
        rel = np.linalg.norm(W[-1] - W, axis=1) / np.linalg.norm(W[-1])
        np.testing.assert_allclose(c.remaining[:, k], rel)
        s = c.settled[k]
        if s is None:  # still moving: more than 5% away from the end even at the last snapshot but one
            assert rel[-2] >= 0.05 and f"W{k} (into" in c.sentence and f"was still moving at step {t.steps[-1]}" in c.sentence
            continue
        i = list(t.steps).index(s)
        assert np.all(rel[i:] < 0.05) and rel[i - 1] >= 0.05  # from s on it moved < 5%, just before it did not
        assert f"W{k} (into" in c.sentence and str(s) in c.sentence


def test_the_last_layer_to_settle_is_said_to_keep_moving_until_then():
    X, y = nw.make_dataset("spiral", seed=0)
    t = nw.train(X, y, [8, 8], steps=3000, seed=0)
    c = convergence(t)
    assert None not in c.settled
    last = int(np.argmax(c.settled))
    name = "the output" if last == 2 else f"hidden layer {last + 1}"
    assert f"W{last} (into {name}) kept moving until step {c.settled[last]}" in c.sentence


def test_gradient_flow_is_the_gradient_torch_computes(spiral_run):
    torch = pytest.importorskip("torch")
    t = spiral_run
    g = gradient_flow(t)
    assert g.shape == (len(t), 3)
    for i in (0, 40, len(t) - 1):
        params = [torch.tensor(a, requires_grad=True) for W, b in t.weights(i) for a in (W, b)]
        h = torch.tensor(t.X_train)
        for k in range(3):
            h = h @ params[2 * k] + params[2 * k + 1]
            if k < 2:
                h = torch.tanh(h)
        loss = torch.nn.functional.cross_entropy(h, torch.tensor(t.y_train).long())
        loss = loss + 0.5 * 0.001 * sum((params[2 * k] ** 2).sum() for k in range(3))
        loss.backward()
        for k in range(3):
            expected = np.sqrt(float((params[2 * k].grad ** 2).sum() + (params[2 * k + 1].grad ** 2).sum()))
            assert g[i, k] == pytest.approx(expected, rel=1e-9)


def test_a_dead_relu_unit_gets_no_gradient():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [4], "relu", steps=100)
    theta = t.theta().copy()
    sw, sb = t.arch.slices()[0]
    theta[sb.start + 2] = -100.0  # unit 2's bias: zero on every point
    t.record(101, theta)
    assert zero_gradient_fraction(t)[-1, 0] >= 0.25


def test_histograms_count_every_weight(spiral_run):
    counts, edges = weight_histograms(spiral_run, 1, bins=30)
    assert counts.shape == (len(spiral_run), 30) and np.all(counts.sum(axis=1) == 64)
    assert edges[0] == layer_params(spiral_run, 1)[:, :64].min()


def test_an_empty_trace_says_so():
    X, y = nw.make_dataset("moons", seed=0)
    t = Trace(nw.Architecture((2, 3, 2)), X[:200], y[:200], X[200:], y[200:])
    for view in (convergence, gradient_flow):
        with pytest.raises(NetwarpError, match="no snapshot yet"):
            view(t)
