import numpy as np
import pytest

from netwarp.activations import ACTIVATIONS, LEAKY_SLOPE, get_activation

NAMES = list(ACTIVATIONS)

# reference formulas, written the obvious way
REFERENCE = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "softplus": lambda z: np.log1p(np.exp(z)),
    "sin": np.sin,
    "gelu": lambda z: 0.5 * z * (1 + np.vectorize(__import__("math").erf)(z / np.sqrt(2))),
    "silu": lambda z: z / (1 + np.exp(-z)),
    "elu": lambda z: np.where(z > 0, z, np.exp(np.minimum(z, 0)) - 1),
}


def test_table_has_the_issue_activations():
    assert set(NAMES) == {"identity", "relu", "leaky_relu", "tanh", "sigmoid", "softplus", "sin",
                          "gelu", "silu", "elu"}
    for name, act in ACTIVATIONS.items():
        assert act.name == name
        assert act.description


@pytest.mark.parametrize("name", NAMES)
def test_values_match_reference(name, rng):
    z = rng.normal(0, 3, (50, 4))
    a = ACTIVATIONS[name].f(z)
    assert a.shape == z.shape and a.dtype == np.float64
    np.testing.assert_allclose(a, REFERENCE[name](z), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_difference(name, rng):
    z = rng.normal(0, 2, 400)
    z = z[np.abs(z) > 1e-3]  # away from the relu kink
    h = 1e-6
    f = ACTIVATIONS[name].f
    numeric = (f(z + h) - f(z - h)) / (2 * h)
    analytic = ACTIVATIONS[name].df(z, f(z))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_does_not_overflow_or_warn_on_huge_inputs(name):
    z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        a = ACTIVATIONS[name].f(z)
        d = ACTIVATIONS[name].df(z, a)
    assert np.isfinite(a).all() and np.isfinite(d).all()


def test_saturating_limits():
    z = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(ACTIVATIONS["tanh"].f(z), [-1.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].f(z), [0.0, 1.0])
    np.testing.assert_array_equal(ACTIVATIONS["softplus"].f(z), [0.0, 1e4])


def test_relu_family_derivative_at_zero_is_the_left_one():
    # PyTorch's convention too: relu'(0) = 0, leaky_relu'(0) = slope
    z = np.zeros(3)
    assert (ACTIVATIONS["relu"].df(z, ACTIVATIONS["relu"].f(z)) == 0).all()
    assert (ACTIVATIONS["leaky_relu"].df(z, ACTIVATIONS["leaky_relu"].f(z)) == LEAKY_SLOPE).all()


def test_leaky_slope_is_used():
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].f(np.array([-2.0, 3.0])), [-2 * LEAKY_SLOPE, 3.0])


def test_inputs_are_not_modified(rng):
    z = rng.normal(size=20)
    keep = z.copy()
    for act in ACTIVATIONS.values():
        act.df(z, act.f(z))
    np.testing.assert_array_equal(z, keep)


@pytest.mark.parametrize("name", ["nope", "Tanh", "", None, ["tanh"], 3])
def test_unknown_name(name, bad):
    msg = bad("unknown activation", get_activation, name)
    assert "tanh" in msg and "relu" in msg  # names the choices


TORCH_MODULES = {"gelu": "GELU", "silu": "SiLU", "elu": "ELU", "tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid",
                 "softplus": "Softplus"}


@pytest.mark.parametrize("name", sorted(TORCH_MODULES))
def test_value_and_derivative_match_torch(name, rng):
    torch = pytest.importorskip("torch")
    z = rng.normal(0, 3, 500)
    z = z[np.abs(z) > 1e-3]
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    out = getattr(torch.nn, TORCH_MODULES[name])()(t)
    out.sum().backward()
    act = ACTIVATIONS[name]
    a = act.f(z)
    np.testing.assert_allclose(a, out.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(act.df(z, a), t.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["gelu", "silu", "elu"])
def test_one_to_one_flag_matches_monotonicity(name):
    z = np.linspace(-6, 6, 20001)
    a = ACTIVATIONS[name].f(z)
    assert ACTIVATIONS[name].one_to_one == bool(np.all(np.diff(a) > 0))
