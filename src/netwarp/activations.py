"""Activation functions and their derivatives, as a name table.

Each entry maps ``z`` (the affine output) to ``a`` and gives ``da/dz`` from
both ``z`` and ``a``: tanh and sigmoid are cheapest from ``a``, the rest from ``z``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import NetwarpError, unknown_name

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (z, a) -> da/dz
    description: str
    # one-to-one (strictly monotonic): a layer of it can stretch and bend space but never fold it
    one_to_one: bool = True


def _tanh(z: np.ndarray) -> np.ndarray:
    # 2 / (1 + e^-2z) - 1: twice as fast as np.tanh in float64 here, and
    # exact to ~1e-16 absolute; exp overflowing to inf correctly gives -1
    t = np.multiply(z, -2.0)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    np.divide(2.0, t, out=t)
    t -= 1.0
    return t


def _sigmoid(z: np.ndarray) -> np.ndarray:
    t = np.negative(z)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    return np.divide(1.0, t, out=t)


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def _erf(z: np.ndarray) -> np.ndarray:
    from scipy.special import erf  # imported on first use: most runs never need it

    return erf(z)


_SQRT_HALF = float(np.sqrt(0.5))
_INV_SQRT_2PI = float(1.0 / np.sqrt(2.0 * np.pi))


def _gelu(z: np.ndarray) -> np.ndarray:
    # the exact form, z * Phi(z), as torch.nn.GELU() (approximate="none")
    return 0.5 * z * (1.0 + _erf(z * _SQRT_HALF))


def _gelu_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    with np.errstate(under="ignore"):
        return 0.5 * (1.0 + _erf(z * _SQRT_HALF)) + z * _INV_SQRT_2PI * np.exp(-0.5 * z * z)


def _silu(z: np.ndarray) -> np.ndarray:
    return z * _sigmoid(z)


def _silu_df(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def _elu(z: np.ndarray) -> np.ndarray:
    # alpha 1, as torch.nn.ELU(); expm1 of min(z, 0) so a large z never overflows
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))


#: The activations a hidden layer can use, by name (``"relu"``, ``"tanh"``, ...): each an :class:`Activation` with its function and derivative.
ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("identity", lambda z: z, lambda z, a: np.ones_like(z), "no nonlinearity: the network stays linear"),
        Activation("relu", lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype), "max(0, z): folds space along hyperplanes", one_to_one=False),
        Activation(
            "leaky_relu",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
            "relu with a small slope for z < 0",
        ),
        Activation("tanh", _tanh, lambda z, a: 1.0 - a * a, "squashes each axis smoothly into (-1, 1)"),
        Activation("sigmoid", _sigmoid, lambda z, a: a * (1.0 - a), "squashes each axis smoothly into (0, 1)"),
        Activation("softplus", _softplus, lambda z, a: _sigmoid(z), "log(1 + e^z): a smooth relu"),
        Activation("sin", np.sin, lambda z, a: np.cos(z), "sin(z): periodic folds", one_to_one=False),
        # gelu and silu dip below zero for z < 0 before rising again: not one-to-one
        Activation("gelu", _gelu, _gelu_df, "z * Phi(z): a smooth relu that dips below 0 (transformers' choice)",
                   one_to_one=False),
        Activation("silu", _silu, _silu_df, "z * sigmoid(z), also called swish: a smooth relu that dips below 0",
                   one_to_one=False),
        Activation("elu", _elu, lambda z, a: np.where(z > 0, 1.0, a + 1.0), "z for z > 0, e^z - 1 below: a smooth relu "
                   "that saturates at -1"),
    ]
}


# the name a recorded layer of a model netwarp does not run holds in place of an activation
# (a conv block, an embedding): netwarp has its outputs, not a function to apply
RECORDED = "recorded"


def get_activation(name: str) -> Activation:
    """Look up an activation by name, with a one-line error naming the choices."""
    if name == RECORDED:
        raise NetwarpError("a recorded layer of a model netwarp does not run has no activation function netwarp can "
                           "apply: this trace holds the layers' outputs, not their weights")
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise unknown_name("activation", name, ACTIVATIONS) from None
