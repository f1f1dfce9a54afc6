import zlib

import numpy as np
import pytest

from netwarp.activations import ACTIVATIONS, LEAKY_SLOPE
from netwarp.errors import NetwarpError
from netwarp.nn import Architecture, Backprop, accuracy, data_loss, forward, softmax

ACTS = list(ACTIVATIONS)
# (task, number of outputs): softmax-CE with 2 and 3 classes, MSE
TASKS = [("classification", 2), ("classification", 3), ("regression", 1)]


def problem(sizes, activation, task, seed, n=13):
    """A random network and data of the right shape: ``arch, theta, X, target, y``."""
    rng = np.random.default_rng(seed)
    arch = Architecture(tuple(sizes), activation, task)
    theta = arch.init(rng)
    theta += rng.normal(0, 0.3, theta.shape)  # not just the init distribution
    X = rng.normal(0, 1, (n, sizes[0]))
    if task == "classification":
        y = np.arange(n) % sizes[-1]
        rng.shuffle(y)
        target = np.eye(sizes[-1])[y]
    else:
        y = rng.normal(0, 1, n)
        target = y[:, None]
    return arch, theta, X, target, y


def objective(arch, bp, theta, X, y):
    """What Backprop differentiates: data loss plus the weight penalty."""
    return data_loss(arch, forward(arch, theta, X)[-1], y) + bp.penalty(theta)


# -- Architecture -----------------------------------------------------------


def test_architecture_counts_and_slices():
    arch = Architecture((2, 8, 8, 3))
    assert arch.n_layers == 3
    assert arch.hidden == [8, 8]
    assert arch.n_params == 3 * 8 + 9 * 8 + 9 * 3
    covered = np.zeros(arch.n_params, int)
    for sw, sb in arch.slices():
        covered[sw] += 1
        covered[sb] += 1
    assert (covered == 1).all()  # W and b tile theta exactly once


def test_unflatten_gives_views_with_documented_shapes():
    arch = Architecture((2, 3, 4))
    theta = np.arange(arch.n_params, dtype=float)
    layers = arch.unflatten(theta)
    assert [(W.shape, b.shape) for W, b in layers] == [((2, 3), (3,)), ((3, 4), (4,))]
    # W row-major, then b, layer by layer
    np.testing.assert_array_equal(layers[0][0], np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(layers[0][1], [6, 7, 8])
    layers[1][0][2, 3] = -1.0  # editing a view edits theta
    assert theta[9 + 2 * 4 + 3] == -1.0


def test_flatten_inverts_unflatten(rng):
    arch = Architecture((3, 5, 2))
    theta = rng.normal(size=arch.n_params)
    np.testing.assert_array_equal(arch.flatten(arch.unflatten(theta)), theta)


def test_flatten_checks_shapes(bad):
    arch = Architecture((2, 3, 2))
    good = arch.unflatten(np.zeros(arch.n_params))
    bad("expected 2", arch.flatten, good[:1])
    bad("layer 1", arch.flatten, [good[0], (np.zeros((2, 3)), np.zeros(2))])
    bad("expected 17 parameters", arch.unflatten, np.zeros(5))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(sizes=(2,)), "at least 2"),
        (dict(sizes=(2, 0, 2)), "at least 2 positive"),
        (dict(sizes=("a", 2)), "whole numbers"),
        (dict(sizes=(2, 2), activation="nope"), "unknown activation"),
        (dict(sizes=(2, 2), task="ranking"), "unknown task"),
        (dict(sizes=(2, 1), task="classification"), "at least 2 output"),
    ],
)
def test_architecture_rejects_bad_shapes(kwargs, match, bad):
    bad(match, Architecture, **kwargs)


def test_init_is_seeded_and_scaled():
    arch = Architecture((2, 400, 400, 2), "tanh")
    a = arch.init(np.random.default_rng(3))
    np.testing.assert_array_equal(a, arch.init(np.random.default_rng(3)))
    assert not np.array_equal(a, arch.init(np.random.default_rng(4)))
    W1 = arch.unflatten(a)[1][0]
    assert W1.std() == pytest.approx(np.sqrt(2 / 800), rel=0.05)  # Glorot
    relu = Architecture((2, 400, 400, 2), "relu")
    assert relu.unflatten(relu.init(np.random.default_rng(3)))[1][0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)  # He
    b = arch.unflatten(a)[0][1]
    assert (b != 0).all() and abs(b).max() < 1  # small, not all zero


# -- forward ----------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTS)
def test_forward_layers_and_stages(activation, rng):
    arch = Architecture((2, 4, 3, 2), activation)
    theta = arch.init(rng)
    X = rng.normal(size=(7, 2)).astype(np.float32)
    acts, zs = forward(arch, theta, X, stages=True)
    assert [a.shape for a in acts] == [(7, 2), (7, 4), (7, 3), (7, 2)]
    assert [z.shape for z in zs] == [(7, 4), (7, 3), (7, 2)]
    assert all(a.dtype == np.float64 for a in acts)
    f = ACTIVATIONS[activation].f
    for i, (W, b) in enumerate(arch.unflatten(theta)):
        np.testing.assert_allclose(zs[i], acts[i] @ W + b, rtol=1e-14)
        expected = zs[i] if i == arch.n_layers - 1 else f(zs[i])  # output layer is affine only
        np.testing.assert_array_equal(acts[i + 1], expected)
    np.testing.assert_array_equal(forward(arch, theta, X)[-1], acts[-1])


def test_linear_model_is_one_affine_map(rng):
    arch = Architecture((2, 3))
    theta = arch.init(rng)
    (W, b), = arch.unflatten(theta)
    X = rng.normal(size=(5, 2))
    np.testing.assert_allclose(forward(arch, theta, X)[-1], X @ W + b)


def test_softmax_is_stable_and_normalised():
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [1.0, 1.0, 1.0]]))
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], 1 / 3)


def test_data_loss_and_accuracy():
    clf = Architecture((2, 2))
    out = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    y = np.array([0, 0, 1])
    expected = -np.mean(np.log(softmax(out)[np.arange(3), y]))
    assert data_loss(clf, out, y) == pytest.approx(expected, rel=1e-14)
    assert accuracy(clf, out, y) == pytest.approx(1 / 3)  # ties go to the first class
    assert data_loss(clf, np.array([[1e4, -1e4]]), np.array([1])) == pytest.approx(2e4)  # no overflow
    reg = Architecture((1, 1), task="regression")
    assert data_loss(reg, np.array([[1.0], [3.0]]), np.array([0.0, 1.0])) == pytest.approx((1 + 4) / 2)
    assert np.isnan(accuracy(reg, np.zeros((2, 1)), np.zeros(2)))


# -- gradients ----------------------------------------------------------------


@pytest.mark.parametrize("task, n_out", TASKS, ids=["ce2", "ce3", "mse"])
@pytest.mark.parametrize("activation", ACTS)
def test_gradient_matches_central_differences(activation, task, n_out):
    arch, theta, X, target, y = problem((2, 5, 4, n_out), activation, task, seed=7)
    bp = Backprop(arch, l1=0.01, l2=0.02)
    if activation in ("relu", "leaky_relu"):  # finite differences must not straddle a kink
        assert min(np.abs(z).min() for z in forward(arch, theta, X, stages=True)[1]) > 1e-4
    loss, g = bp(theta, X, target, y)
    assert loss == pytest.approx(data_loss(arch, forward(arch, theta, X)[-1], y), rel=1e-12)
    h = 1e-6
    numeric = np.empty_like(theta)
    for j in range(len(theta)):
        tp, tm = theta.copy(), theta.copy()
        tp[j] += h
        tm[j] -= h
        numeric[j] = (objective(arch, bp, tp, X, y) - objective(arch, bp, tm, X, y)) / (2 * h)
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8)


def test_penalty_is_on_weights_only(rng):
    arch, theta, X, target, y = problem((2, 3, 2), "tanh", "classification", seed=1)
    plain = Backprop(arch)(theta, X, target, y)[1].copy()
    bp = Backprop(arch, l1=0.1, l2=0.3)
    reg = bp(theta, X, target, y)[1]
    for (gw0, gb0), (gw, gb), (W, _) in zip(arch.unflatten(plain), arch.unflatten(reg), arch.unflatten(theta)):
        np.testing.assert_allclose(gw - gw0, 0.1 * np.sign(W) + 0.3 * W, rtol=1e-12)
        np.testing.assert_array_equal(gb, gb0)
    W = np.concatenate([W.ravel() for W, _ in arch.unflatten(theta)])
    assert bp.penalty(theta) == pytest.approx(0.1 * np.abs(W).sum() + 0.15 * (W**2).sum())


def test_backprop_follows_in_place_updates_and_batch_sizes():
    arch, theta, X, target, y = problem((2, 6, 3), "sin", "classification", seed=2, n=20)
    bp = Backprop(arch, l2=0.01)
    bp(theta, X, target, y)
    theta += 0.1  # the trainer changes the same vector in place
    fresh = Backprop(arch, l2=0.01)
    np.testing.assert_array_equal(bp(theta, X, target, y)[1], fresh(theta.copy(), X, target, y)[1])
    # a smaller mini-batch, then a different vector object
    sub = slice(0, 7)
    np.testing.assert_array_equal(bp(theta, X[sub], target[sub], y[sub])[1], fresh(theta.copy(), X[sub], target[sub], y[sub])[1])
    other = theta * 0.5
    np.testing.assert_array_equal(bp(other, X, target, y)[1], fresh(other.copy(), X, target, y)[1])


# -- PyTorch as the oracle ----------------------------------------------------------


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def torch_loss(torch, arch, theta, X, y, l1, l2):
    """The same network and objective in PyTorch autograd, float64."""
    F = torch.nn.functional
    table = {
        "identity": lambda z: z,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, LEAKY_SLOPE),
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": F.softplus,
        "sin": torch.sin,
        "gelu": F.gelu,
        "silu": F.silu,
        "elu": F.elu,
    }
    t = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    a = torch.tensor(X, dtype=torch.float64)
    penalty = 0.0
    for i, ((sw, sb), n_in, n_out) in enumerate(zip(arch.slices(), arch.sizes[:-1], arch.sizes[1:])):
        W, b = t[sw].reshape(n_in, n_out), t[sb]
        a = a @ W + b
        if i < arch.n_layers - 1:
            a = table[arch.activations[i]](a)
        penalty = penalty + l1 * W.abs().sum() + l2 / 2 * (W * W).sum()
    if arch.task == "classification":
        data = F.cross_entropy(a, torch.tensor(y, dtype=torch.long))
    else:
        data = F.mse_loss(a[:, 0], torch.tensor(y, dtype=torch.float64))
    (data + penalty).backward()
    return data.item(), t.grad.numpy()


SHAPES = [(2,), (2, 5), (3, 7, 4), (1, 6, 5, 3), (5, 3, 8, 2, 4)]  # input and hidden widths


@pytest.mark.parametrize("loss", ["ce", "mse"])
@pytest.mark.parametrize("shape", SHAPES, ids=["-".join(map(str, s)) for s in SHAPES])
@pytest.mark.parametrize("activation", ACTS)
def test_gradient_matches_pytorch(torch, activation, shape, loss):
    seed = zlib.crc32(f"{activation}{shape}{loss}".encode())  # stable across runs, unlike hash()
    task, n_out = ("classification", 3) if loss == "ce" else ("regression", 1)
    l1, l2 = 0.003, 0.01
    arch, theta, X, target, y = problem((*shape, n_out), activation, task, seed=seed, n=17)
    ours_loss, ours = Backprop(arch, l1, l2)(theta, X, target, y)
    ref_loss, ref = torch_loss(torch, arch, theta, X, y, l1, l2)
    assert ours_loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


def test_gradient_matches_pytorch_two_classes_many_points(torch):
    arch, theta, X, target, y = problem((2, 8, 8, 2), "tanh", "classification", seed=0, n=500)
    ours_loss, ours = Backprop(arch)(theta, X, target, y)
    ref_loss, ref = torch_loss(torch, arch, theta, X, y, 0.0, 0.0)
    assert ours_loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-13)


# -- one activation per hidden layer -------------------------------------------------


MIXED = [("tanh", "relu"), ("gelu", "sin", "sigmoid"), ("elu", "silu")]


@pytest.mark.parametrize("names", MIXED)
def test_mixed_activations_gradient_matches_pytorch(torch, names):
    arch, theta, X, target, y = problem((3, *[5] * len(names), 3), list(names), "classification", seed=len(names), n=17)
    assert arch.activations == names
    loss, grad = Backprop(arch, l2=0.01)(theta, X, target, y)
    tl, tg = torch_loss(torch, arch, theta, X, y, 0.0, 0.01)
    assert loss == pytest.approx(tl, rel=1e-12)
    np.testing.assert_allclose(grad, tg, rtol=1e-9, atol=1e-12)


def test_mixed_forward_applies_each_layers_own_activation(rng):
    arch = Architecture((2, 4, 3, 2), ["tanh", "relu"])
    theta = arch.init(rng)
    X = rng.normal(size=(9, 2))
    (W0, b0), (W1, b1), (W2, b2) = arch.unflatten(theta)
    h1 = np.tanh(X @ W0 + b0)
    h2 = np.maximum(h1 @ W1 + b1, 0)
    acts = forward(arch, theta, X)
    np.testing.assert_allclose(acts[1], h1, atol=1e-14)
    np.testing.assert_allclose(acts[2], h2, atol=1e-14)
    np.testing.assert_allclose(acts[3], h2 @ W2 + b2, atol=1e-13)


def test_activations_tuple_and_the_single_name():
    one = Architecture((2, 8, 8, 2), "tanh")
    assert one.activations == ("tanh", "tanh") and one.activation == "tanh"
    assert Architecture((2, 8, 8, 2), ["relu"]).activations == ("relu", "relu")
    assert Architecture((2, 8, 8, 2), ["tanh", "tanh"]) == one  # the same network however it is spelled
    mixed = Architecture((2, 8, 8, 2), ("tanh", "relu"))
    assert mixed.activation_text == "tanh,relu" and not mixed.uniform
    with pytest.raises(NetwarpError, match=r"one activation per hidden layer \(tanh, relu\).*arch.activations"):
        _ = mixed.activation
    assert [mixed.layer_activation(k) for k in range(3)] == ["tanh", "relu", "identity"]
    linear = Architecture((2, 3), "relu")
    assert linear.activations == () and linear.activation == "relu"


@pytest.mark.parametrize("bad, match", [
    (["tanh"] * 3, "3 activations .* for 2 hidden layer"),
    (["tanh", "nope"], "unknown activation"),
    (5, "a name or a list of names"),
])
def test_bad_activation_lists_are_one_line_errors(bad, match):
    with pytest.raises(NetwarpError, match=match):
        Architecture((2, 8, 8, 2), bad)


def test_same_seed_same_weights_for_one_activation_spelled_as_a_list():
    a, b = Architecture((2, 8, 8, 2), "tanh"), Architecture((2, 8, 8, 2), ["tanh", "tanh"])
    np.testing.assert_array_equal(a.init(np.random.default_rng(3)), b.init(np.random.default_rng(3)))
