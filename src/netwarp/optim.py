"""Optimisers that update one flat parameter vector in place, as a name table."""

from __future__ import annotations

import numpy as np

from .errors import unknown_name


class SGD:
    """Plain gradient descent: ``theta -= lr * g``."""

    def __init__(self, n: int, lr: float):
        self.lr = lr

    def step(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Update ``theta (n,)`` in place by one step against the gradient ``g (n,)``."""
        theta -= self.lr * g


class Momentum:
    """Heavy-ball momentum: ``v = beta * v + g; theta -= lr * v``."""

    def __init__(self, n: int, lr: float, beta: float = 0.9):
        self.lr, self.beta, self.v = lr, beta, np.zeros(n)

    def step(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Update ``theta (n,)`` in place by one step against the gradient ``g (n,)``."""
        self.v *= self.beta
        self.v += g
        theta -= self.lr * self.v


class Adam:
    """Adam (Kingma & Ba, 2015) with bias correction."""

    def __init__(self, n: int, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = np.zeros(n), np.zeros(n), 0
        self._tmp = np.zeros(n)

    def step(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Update ``theta (n,)`` in place by one step against the gradient ``g (n,)``."""
        self.t += 1
        self.m *= self.b1
        self.m += (1 - self.b1) * g
        self.v *= self.b2
        np.multiply(g, g, out=self._tmp)
        self._tmp *= 1 - self.b2
        self.v += self._tmp
        # bias corrections folded into one scalar step size and eps
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        np.sqrt(self.v, out=self._tmp)
        self._tmp += self.eps * np.sqrt(c2)
        np.divide(self.m, self._tmp, out=self._tmp)
        self._tmp *= self.lr * np.sqrt(c2) / c1
        theta -= self._tmp


#: The optimizers :func:`netwarp.train` can use, by name: ``"sgd"``, ``"momentum"``, ``"adam"``.
OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, n: int, lr: float) -> SGD | Momentum | Adam:
    """An optimiser from :data:`OPTIMIZERS` for a vector of ``n`` parameters."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise unknown_name("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[name](n, lr)
