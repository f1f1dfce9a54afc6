import numpy as np
import pytest

from netwarp.optim import OPTIMIZERS, Adam, make_optimizer

N, STEPS = 11, 25


def gradients(seed=0):
    """A fixed sequence of gradients of varying scale (as training produces)."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 10.0 ** rng.uniform(-3, 1), N) for _ in range(STEPS)]


def run_ours(name, lr, theta0, grads):
    theta = theta0.copy()
    ref = theta
    opt = make_optimizer(name, N, lr)
    path = []
    for g in grads:
        opt.step(theta, g)
        path.append(theta.copy())
    assert theta is ref  # updated in place: the trainer and its views share the vector
    return np.array(path)


def test_table():
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam"}


@pytest.mark.parametrize("name", ["nope", "Adam", None, ["adam"]])
def test_unknown_optimizer(name, bad):
    msg = bad("unknown optimizer", make_optimizer, name, 3, 0.1)
    assert "sgd, momentum, adam" in msg


def test_sgd_and_momentum_by_hand():
    theta0, grads = np.linspace(-1, 1, N), gradients(1)
    path = run_ours("sgd", 0.1, theta0, grads)
    np.testing.assert_allclose(path[-1], theta0 - 0.1 * np.sum(grads, axis=0), rtol=1e-12)
    path = run_ours("momentum", 0.1, theta0, grads)
    v, theta = np.zeros(N), theta0.copy()
    for g in grads:
        v = 0.9 * v + g
        theta = theta - 0.1 * v
    np.testing.assert_allclose(path[-1], theta, rtol=1e-12)


def test_adam_by_hand():
    """The textbook form (Kingma & Ba, algorithm 1), against the folded one in netwarp."""
    theta0, grads = np.linspace(-1, 1, N), gradients(2)
    path = run_ours("adam", 0.01, theta0, grads)
    m, v, theta = np.zeros(N), np.zeros(N), theta0.copy()
    for t, g in enumerate(grads, 1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        np.testing.assert_allclose(path[t - 1], theta, rtol=1e-12, atol=1e-15)


def test_adam_first_step_moves_every_parameter_by_lr():
    theta = np.zeros(N)
    Adam(N, 0.05).step(theta, np.linspace(0.5, 3, N))
    np.testing.assert_allclose(theta, -0.05, rtol=1e-6)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_matches_torch_optim(name):
    torch = pytest.importorskip("torch")
    lr = 0.05
    theta0, grads = np.random.default_rng(3).normal(size=N), gradients(3)
    ours = run_ours(name, lr, theta0, grads)
    p = torch.nn.Parameter(torch.tensor(theta0, dtype=torch.float64))
    opt = {
        "sgd": lambda: torch.optim.SGD([p], lr=lr),
        "momentum": lambda: torch.optim.SGD([p], lr=lr, momentum=0.9),  # v = 0.9 v + g; p -= lr v
        "adam": lambda: torch.optim.Adam([p], lr=lr),  # betas (0.9, 0.999), eps 1e-8
    }[name]()
    for t, g in enumerate(grads):
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        np.testing.assert_allclose(ours[t], p.detach().numpy(), rtol=1e-11, atol=1e-14, err_msg=f"step {t + 1}")
