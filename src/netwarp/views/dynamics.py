"""How the weights and gradients move over training: per-layer series, histograms,
convergence, gradient flow.

The gradients are those of the full training set at each snapshot's parameters
(with the run's L1/L2 terms), computed by netwarp's own backward pass from the
recorded parameters: exactly what a full-batch trainer computes at that step,
so every trace has them, old files and PyTorch runs included, and recording
costs nothing extra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import NetwarpError
from ..nn import Backprop
from ..trace import Trace
from .cache import cached
from .needs import need_weights

SETTLED = 0.05  # a layer has settled once its weights change by less than this fraction from then to the end


def _check(trace: Trace) -> None:
    if not len(trace):
        raise NetwarpError("this trace has no snapshot yet: there is nothing to show over training")


def layer_params(trace: Trace, layer: int) -> np.ndarray:
    """Weight layer ``layer``'s parameters (``W_layer`` then ``b_layer``, flattened) at every snapshot.

    Returns
    -------
    ndarray of shape (n_snapshots, n_in * n_out + n_out)
    """
    _check(trace)
    need_weights(trace, "the layer-parameter view")
    L = trace.arch.n_layers
    if not 0 <= layer < L:
        raise NetwarpError(f"weight layer {layer} is out of range; this network has W0..W{L - 1}")
    sw, sb = trace.arch.slices()[layer]
    return trace.params[:, sw.start : sb.stop]


def weight_histograms(trace: Trace, layer: int, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Each snapshot's histogram of ``W_layer``'s weights, on one set of bins over the whole run.

    Returns
    -------
    counts : ndarray of shape (n_snapshots, bins)
    edges : ndarray of shape (bins + 1,)
    """
    need_weights(trace, "the weight histogram")
    sw, _ = trace.arch.slices()[layer]
    W = layer_params(trace, layer)[:, : sw.stop - sw.start]
    lo, hi = float(W.min()), float(W.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    return np.stack([np.histogram(w, edges)[0] for w in W]), edges


@dataclass(frozen=True)
class Convergence:
    """How each weight layer moved over training.

    Attributes
    ----------
    steps : ndarray of shape (n_snapshots,)
    change : ndarray of shape (n_snapshots - 1, n_layers)
        Relative change ``||W(s_i+1) - W(s_i)|| / ||W(s_i+1)||`` between consecutive snapshots.
    remaining : ndarray of shape (n_snapshots, n_layers)
        ``||W(end) - W(s_i)|| / ||W(end)||``: how far each layer still had to go.
    settled : list of (int or None)
        Per layer, the first step from which it changed by less than :data:`SETTLED` to the end
        (None: it was still moving at the last snapshot but one).
    sentence : str
    """

    steps: np.ndarray
    change: np.ndarray
    remaining: np.ndarray
    settled: list
    sentence: str


def _layer_name(k: int, L: int) -> str:
    return f"W{k} (into {'the output' if k == L - 1 else f'hidden layer {k + 1}'})"


def convergence(trace: Trace) -> Convergence:
    """Per weight layer, how much it moved between snapshots and from when on it stopped moving."""
    _check(trace)
    need_weights(trace, "the convergence view")
    L = trace.arch.n_layers
    P = [layer_params(trace, k) for k in range(L)]
    norm = lambda a: np.linalg.norm(a, axis=-1)  # noqa: E731
    change = np.stack([norm(np.diff(p, axis=0)) / np.maximum(norm(p[1:]), 1e-12) for p in P], axis=1)
    remaining = np.stack([norm(p[-1] - p) / max(float(norm(p[-1])), 1e-12) for p in P], axis=1)
    steps = trace.steps
    settled = []
    for k in range(L):
        moving = np.flatnonzero(remaining[:, k] >= SETTLED)
        first = 0 if not len(moving) else moving[-1] + 1
        settled.append(int(steps[first]) if first < len(steps) - 1 else None)
    order = sorted(range(L), key=lambda k: (settled[k] is None, settled[k] or 0))
    parts = []
    for k in order:
        if settled[k] is None:
            parts.append(f"{_layer_name(k, L)} was still moving at step {int(steps[-1])}")
        elif k == order[-1] and len(order) > 1:
            parts.append(f"{_layer_name(k, L)} kept moving until step {settled[k]}")
        else:
            parts.append(f"{_layer_name(k, L)} settled by step {settled[k]}")
    return Convergence(steps, change, remaining, settled, "; ".join(parts) + ".")


def _gradients(trace: Trace) -> tuple[np.ndarray, np.ndarray]:
    arch, L = trace.arch, trace.arch.n_layers
    cfg = trace.config or {}
    bp = Backprop(arch, float(cfg.get("l1", 0.0) or 0.0), float(cfg.get("l2", 0.0) or 0.0))
    n_out = arch.sizes[-1]
    target = np.eye(n_out)[trace.y_train.astype(int)] if arch.task == "classification" else trace.y_train[:, None]
    norms, dead = np.zeros((len(trace), L)), np.zeros((len(trace), L))
    slices = arch.slices()
    for i, theta in enumerate(trace.params):
        _, g = bp(np.array(theta), trace.X_train, target, trace.y_train)
        for k, ((sw, sb), a, b) in enumerate(zip(slices, arch.sizes[:-1], arch.sizes[1:])):
            gk = g[sw.start : sb.stop].reshape(a + 1, b)  # the weight rows and the bias row
            norms[i, k] = np.linalg.norm(gk)
            dead[i, k] = np.mean(np.all(gk == 0.0, axis=0))
    return norms, dead


def gradient_flow(trace: Trace) -> np.ndarray:
    """Per-layer gradient norms at every snapshot: ``||dLoss/dW_k, dLoss/db_k||`` on the training set.

    Returns
    -------
    ndarray of shape (n_snapshots, n_layers)
    """
    _check(trace)
    need_weights(trace, "the gradient flow")
    return cached(trace, ("gradients", len(trace), int(trace.steps[-1])), lambda: _gradients(trace))[0]


def zero_gradient_fraction(trace: Trace) -> np.ndarray:
    """Per layer, the fraction of its units whose incoming weights and bias get exactly zero gradient.

    Returns
    -------
    ndarray of shape (n_snapshots, n_layers)
        Column ``k`` is about the units of layer ``k + 1`` (the outputs of ``W_k``).
    """
    _check(trace)
    need_weights(trace, "the zero-gradient fraction")
    return cached(trace, ("gradients", len(trace), int(trace.steps[-1])), lambda: _gradients(trace))[1]


def spread_snapshots(trace: Trace, most: int) -> np.ndarray:
    """Up to ``most`` snapshot indices spread evenly over the run, first and last included.

    Returns
    -------
    ndarray of shape (m,)
    """
    return np.unique(np.round(np.linspace(0, len(trace) - 1, max(1, min(most, len(trace))))).astype(int))
