"""Views of a network with one activation per hidden layer: each layer is computed, named and
reasoned about by its own activation."""

import numpy as np
import pytest

import netwarp
from netwarp import views


@pytest.fixture(scope="module")
def mixed():
    X, y = netwarp.make_dataset("moons", n=120, seed=1)
    return netwarp.train(X, y, [6, 5], ["tanh", "relu"], steps=60, snapshots=4, seed=3)


def by_hand(trace, X, snapshot=-1):
    (W0, b0), (W1, b1), (W2, b2) = trace.weights(snapshot)
    h1 = np.tanh(X @ W0 + b0)
    h2 = np.maximum(h1 @ W1 + b1, 0.0)
    return [X, h1, h2, h2 @ W2 + b2]


def test_layer_outputs_and_neuron_fields_use_each_layers_activation(mixed):
    xs, ys, pts = views.plane_grid(views.bounds(mixed), 9)
    want = by_hand(mixed, pts)
    for f, a in zip(views.neuron_fields(mixed, resolution=9), want[1:]):
        np.testing.assert_allclose(f.reshape(-1, f.shape[-1]), a, atol=1e-12)
    # the field cache patches single units of one layer: still the layer's own activation
    cache = views.FieldCache(mixed, resolution=9)
    for layer in (0, 1):  # one bias of hidden layer 1 (tanh), then of hidden layer 2 (relu)
        theta = mixed.theta(-1).copy()
        cache(theta)
        theta[mixed.arch.slices()[layer][1].start] += 0.5
        edited = cache(theta)
        probs = netwarp.nn.softmax(netwarp.forward(mixed.arch, theta, pts)[-1])
        np.testing.assert_allclose(edited.probs.reshape(-1, 2), probs, atol=1e-12)


def test_code_and_algebra_name_each_layer(mixed):
    lines = views.algebra(mixed)
    assert lines[:3] == ["l1 = tanh(l0 W0 + b0)", "l2 = relu(l1 W1 + b1)", "l3 = l2 W2 + b2"]
    assert lines[3] == "l3 = relu(tanh(l0 W0 + b0) W1 + b1) W2 + b2"
    X = mixed.X_test[:7]
    for lang in ("numpy", "torch"):
        if lang == "torch":
            pytest.importorskip("torch")
        space: dict = {}
        src = views.forward_code(mixed, lang=lang)
        assert "2-6-5-2 tanh,relu network" in src
        exec(compile(src, "<netwarp>", "exec"), space)
        for got, want in zip(space["layers"](X), by_hand(mixed, X)):
            np.testing.assert_allclose(got, want, atol=1e-12)


def test_saliency_backpropagates_through_each_layers_derivative(mixed):
    X = mixed.X_test[:5]
    g = views.saliency(mixed, X, 1, versus=0)
    h = 1e-6
    for i in range(2):
        d = np.zeros(2)
        d[i] = h
        up, down = by_hand(mixed, X + d)[-1], by_hand(mixed, X - d)[-1]
        numeric = ((up[:, 1] - up[:, 0]) - (down[:, 1] - down[:, 0])) / (2 * h)
        np.testing.assert_allclose(g[:, i], numeric, rtol=1e-5, atol=1e-7)


def test_lesion_runs_each_layers_activation(mixed):
    X, y = mixed.X_test, mixed.y_test
    got = views.lesion(mixed, 1, [0, 2], X, y)
    (W0, b0), (W1, b1), (W2, b2) = mixed.weights(-1)
    h1 = np.tanh(X @ W0 + b0)
    h1[:, [0, 2]] = 0.0
    pred = (np.maximum(h1 @ W1 + b1, 0) @ W2 + b2).argmax(axis=1)
    np.testing.assert_allclose(got, [np.mean(pred[y == c] == c) for c in range(2)])


def test_dead_relu_is_found_only_on_the_relu_layer(mixed):
    theta = mixed.theta(-1).copy()
    arch = mixed.arch
    (sw0, sb0), (sw1, sb1), _ = arch.slices()
    theta[sb0.start] = -100.0  # a tanh unit pinned at -1: saturated, not dead
    theta[sb1.start] = -100.0  # a relu unit at 0 everywhere: dead
    t = netwarp.Trace(arch, mixed.X_train, mixed.y_train, mixed.X_test, mixed.y_test)
    t.record(0, theta)
    found = {(f.kind, f.layer, f.unit) for f in views.diagnose(t)}
    assert ("dead", 2, 0) in found and ("saturated", 1, 0) in found
    assert not any(k == "dead" and layer == 1 for k, layer, _ in found)


@pytest.mark.parametrize("acts, folds", [(["tanh", "elu"], False), (["tanh", "relu"], True)])
def test_topology_note_is_one_to_one_per_layer(acts, folds):
    X, y = netwarp.make_dataset("circles", n=200, seed=0)
    t = netwarp.train(X, y, [2, 2], acts, steps=40, snapshots=2, data={"dataset": "circles"})
    note = views.topology_note(t)
    assert note is not None
    if folds:
        assert "relu can fold the plane" in note or "separates" not in note
        assert "one-to-one" not in note
    else:
        assert "each of its activations (tanh, elu) is one-to-one" in note
