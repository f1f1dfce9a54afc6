"""A multilayer perceptron in plain numpy, on one flat parameter vector.

All parameters of a network live in one float64 vector ``theta``; the weight
matrices and bias vectors are views into it (layer by layer: ``W`` of shape
``(n_in, n_out)`` row-major, then ``b`` of shape ``(n_out,)``). That makes a
snapshot a single ``copy()``, an optimiser step a handful of whole-vector
operations, and a hand-edited weight a change to one number.

Forward passes return every layer's representation, which is what the warp
views draw: ``[X, h1, h2, ..., logits]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .errors import NetwarpError

TASKS = ("classification", "regression")


@dataclass(frozen=True)
class Architecture:
    """The shape of a network.

    Parameters
    ----------
    sizes : tuple of int
        Units per layer, input first and output last, e.g. ``(2, 8, 8, 2)``.
    activation : str
        Name from :data:`netwarp.ACTIVATIONS`, used on every hidden layer.
    task : {"classification", "regression"}
        Classification ends in softmax + cross-entropy; regression in identity + MSE.
    """

    sizes: tuple[int, ...]
    activation: str = "tanh"
    task: str = "classification"

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "sizes", tuple(int(s) for s in self.sizes))
        except (TypeError, ValueError):
            raise NetwarpError(f"layer sizes must be whole numbers, got {self.sizes!r}") from None
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise NetwarpError(f"layer sizes must be at least 2 positive integers, got {list(self.sizes)}")
        get_activation(self.activation)
        if self.task not in TASKS:
            raise NetwarpError(f"unknown task {self.task!r}; choose one of: {', '.join(TASKS)}")
        if self.task == "classification" and self.sizes[-1] < 2:
            raise NetwarpError("a classifier needs at least 2 output units (one per class)")

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def hidden(self) -> list[int]:
        return list(self.sizes[1:-1])

    def slices(self) -> list[tuple[slice, slice]]:
        """Where each layer's ``W`` and ``b`` sit in ``theta``."""
        out, at = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            out.append((slice(at, at + a * b), slice(at + a * b, at + a * b + b)))
            at += (a + 1) * b
        return out

    def unflatten(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views ``[(W0, b0), (W1, b1), ...]`` into ``theta`` of shape ``(n_params,)``."""
        if theta.shape != (self.n_params,):
            raise NetwarpError(f"expected {self.n_params} parameters for sizes {list(self.sizes)}, got shape {theta.shape}")
        return [
            (theta[sw].reshape(a, b), theta[sb])
            for (sw, sb), a, b in zip(self.slices(), self.sizes[:-1], self.sizes[1:])
        ]

    def flatten(self, weights: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The inverse of :meth:`unflatten`; checks every shape."""
        if len(weights) != self.n_layers:
            raise NetwarpError(f"expected {self.n_layers} (W, b) pairs, got {len(weights)}")
        parts = []
        for i, ((W, b), a, c) in enumerate(zip(weights, self.sizes[:-1], self.sizes[1:])):
            W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
            if W.shape != (a, c) or b.shape != (c,):
                raise NetwarpError(f"layer {i}: expected W {(a, c)} and b {(c,)}, got {W.shape} and {b.shape}")
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """Random parameters: Glorot-normal weights (He for the relu family), small biases.

        Small random biases (not zeros) keep relu hinges from all starting at the origin.
        """
        theta = np.empty(self.n_params)
        relu_like = self.activation in ("relu", "leaky_relu", "softplus")
        for (W, b), a, c in zip(self.unflatten(theta), self.sizes[:-1], self.sizes[1:]):
            std = np.sqrt(2.0 / a) if relu_like else np.sqrt(2.0 / (a + c))
            W[...] = rng.normal(0.0, std, size=(a, c))
            b[...] = rng.normal(0.0, 0.1, size=c)
        return theta


def forward(arch: Architecture, theta: np.ndarray, X: np.ndarray, stages: bool = False):
    """Push ``X`` through the network.

    Parameters
    ----------
    arch : Architecture
    theta : ndarray of shape (n_params,)
    X : ndarray of shape (n_samples, sizes[0])
    stages : bool
        Also return the affine outputs.

    Returns
    -------
    acts : list of ndarray
        ``[X, h1, ..., logits]``; ``acts[i]`` has shape ``(n_samples, sizes[i])``.
        The output layer is affine only (softmax belongs to the loss).
    zs : list of ndarray, only if ``stages``
        ``zs[i] = acts[i] @ W_i + b_i``, shape ``(n_samples, sizes[i + 1])``.
    """
    f = get_activation(arch.activation).f
    layers = arch.unflatten(theta)
    acts, zs = [np.asarray(X, dtype=np.float64)], []
    for i, (W, b) in enumerate(layers):
        z = acts[-1] @ W
        z += b
        zs.append(z)
        acts.append(z if i == len(layers) - 1 else f(z))
    return (acts, zs) if stages else acts


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``logits`` of shape ``(n, k)``."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def data_loss(arch: Architecture, out: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy (classification, ``y`` int labels) or mean squared error."""
    if arch.task == "classification":
        shifted = out - out.max(axis=1, keepdims=True)
        logz = np.log(np.exp(shifted).sum(axis=1))
        return float(np.mean(logz - shifted[np.arange(len(y)), y]))
    return float(np.mean((out - y.reshape(out.shape)) ** 2))


def accuracy(arch: Architecture, out: np.ndarray, y: np.ndarray) -> float:
    """Fraction of correct labels; NaN for regression (there is no accuracy)."""
    if arch.task != "classification":
        return float("nan")
    return float(np.mean(out.argmax(axis=1) == y))


class Backprop:
    """Loss and gradient for one architecture, reusing its buffers between calls.

    Training calls this thousands of times on tiny matrices, where numpy's
    per-call overhead dominates; writing into preallocated views of one flat
    gradient vector keeps a step to a few dozen numpy calls.
    """

    def __init__(self, arch: Architecture, l1: float = 0.0, l2: float = 0.0):
        self.arch, self.l1, self.l2 = arch, float(l1), float(l2)
        self.act = get_activation(arch.activation)
        self.grad = np.zeros(arch.n_params)
        self.gviews = arch.unflatten(self.grad)
        self.wmask = np.zeros(arch.n_params, dtype=bool)
        for sw, _ in arch.slices():
            self.wmask[sw] = True
        self._theta, self._layers = None, []
        self._ones = np.ones(0)
        self._ones_k = np.ones(arch.sizes[-1])

    def __call__(self, theta: np.ndarray, X: np.ndarray, target: np.ndarray, y: np.ndarray):
        """Return ``(data_loss, grad)`` at ``theta``.

        ``target`` is the one-hot matrix (classification) or ``y`` as a column
        (regression), shape ``(n, sizes[-1])``; ``y`` the labels or values.
        The returned ``grad`` (shape ``(n_params,)``) is overwritten by the next call.
        """
        arch, n = self.arch, len(X)
        if theta is not self._theta:  # the trainer updates one vector in place
            self._theta, self._layers = theta, arch.unflatten(theta)
        if len(self._ones) != n:
            self._ones = np.ones(n)
        layers, f, last = self._layers, self.act.f, arch.n_layers - 1
        acts, zs = [X], []
        for i, (W, b) in enumerate(layers):
            z = acts[-1] @ W
            z += b
            zs.append(z)
            acts.append(z if i == last else f(z))
        out = acts[-1]
        if arch.task == "classification":
            # row max and row sum by column loops / matmul: numpy's reductions
            # along a short last axis cost more than the whole rest of a step
            m = out[:, 0].copy()
            for j in range(1, out.shape[1]):
                np.maximum(m, out[:, j], out=m)
            shifted = out - m[:, None]
            e = np.exp(shifted)
            s = e @ self._ones_k[: out.shape[1]]
            loss = (float(np.log(s) @ self._ones) - float(np.vdot(shifted, target))) / n
            e /= s[:, None]
            e -= target
            delta = e
            delta *= 1.0 / n
        else:
            delta = out - target
            loss = float(np.vdot(delta, delta)) / delta.size
            delta *= 2.0 / delta.size
        for i in range(last, -1, -1):
            gW, gb = self.gviews[i]
            np.matmul(acts[i].T, delta, out=gW)
            np.matmul(self._ones, delta, out=gb)  # a column sum, several times faster than .sum(0)
            if i:
                delta = delta @ layers[i][0].T
                delta *= self.act.df(zs[i - 1], acts[i])
        if self.l2:
            self.grad[self.wmask] += self.l2 * theta[self.wmask]
        if self.l1:
            self.grad[self.wmask] += self.l1 * np.sign(theta[self.wmask])
        return loss, self.grad

    def penalty(self, theta: np.ndarray) -> float:
        """The regularisation term ``l1 * |W|_1 + l2 / 2 * |W|^2`` (weights only)."""
        w = theta[self.wmask]
        return self.l1 * float(np.abs(w).sum()) + 0.5 * self.l2 * float(w @ w)
