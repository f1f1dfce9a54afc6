"""What a network does with its inputs, for any input width (8x8 digits above all):
which input values decide (saliency), the path from one input to another, and each
first-layer unit's incoming weights as an image.

Gradients come from netwarp's own backward pass through the recorded parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..errors import NetwarpError
from ..nn import forward, softmax
from ..trace import Trace
from .needs import need_weights
from .unseen import unseen_inputs


def check_class(trace: Trace, cls: int, name: str = "class") -> int:
    """``cls`` as a class of this classifier, or a one-line error naming the range."""
    if trace.arch.task != "classification":
        raise NetwarpError("this view needs a classifier; this trace is a regression")
    k = trace.n_classes
    if isinstance(cls, bool) or not isinstance(cls, (int, np.integer)) or not 0 <= cls < k:
        raise NetwarpError(f"{name} {cls!r} does not exist; this network has classes 0..{k - 1}")
    return int(cls)


def saliency(trace: Trace, X: ArrayLike, cls: int, versus: int | None = None, snapshot: int = -1,
             times_input: bool = False, mask_unseen: bool = True) -> np.ndarray:
    """The gradient of ``logit[cls]`` (minus ``logit[versus]`` when given) with respect to each input.

    Inputs the training set does not show (:func:`~netwarp.views.unseen.unseen_inputs`: constant, or
    almost never off their usual value) are NaN: their weights learned nothing or next to nothing, so
    their gradient is noise, not evidence.

    Parameters
    ----------
    trace : Trace
    X : array-like of shape (n, n_inputs)
    cls : int
    versus : int, optional
        Contrastive saliency: which inputs make it ``cls`` rather than ``versus``.
    snapshot : int
    times_input : bool
        Gradient × input instead (how much each input's value pushed the score).
    mask_unseen : bool
        NaN for the unseen inputs (default); False gives the raw gradient everywhere.

    Returns
    -------
    ndarray of shape (n, n_inputs)
    """
    need_weights(trace, "saliency")
    cls = check_class(trace, cls)
    if versus is not None:
        versus = check_class(trace, versus, "versus class")
        if versus == cls:
            raise NetwarpError(f"versus must be another class than {cls}")
    X = trace.check_inputs(X)
    acts, zs = forward(trace.arch, trace.theta(snapshot), X, stages=True)
    weights = trace.weights(snapshot)
    acts_of = trace.arch.acts  # each hidden layer's own derivative
    delta = np.zeros((len(X), trace.arch.sizes[-1]))
    delta[:, cls] = 1.0
    if versus is not None:
        delta[:, versus] = -1.0
    for k in range(trace.arch.n_layers - 1, -1, -1):
        delta = delta @ weights[k][0].T
        if k:
            delta = delta * acts_of[k - 1].df(zs[k - 1], acts[k])
    out = delta * X if times_input else delta
    if mask_unseen:
        out[:, unseen_inputs(trace)] = np.nan
    return out


def class_saliency(trace: Trace, X: ArrayLike, y: ArrayLike, cls: int, versus: int | None = None,
                   snapshot: int = -1, mask_unseen: bool = True) -> np.ndarray:
    """:func:`saliency` averaged over the points of class ``cls`` in ``X``, shape ``(n_inputs,)``
    (NaN for the unseen inputs unless ``mask_unseen=False``)."""
    need_weights(trace, "class saliency")
    cls = check_class(trace, cls)
    X, y = trace.check_inputs(X), np.asarray(y)
    mine = X[y == cls]
    if not len(mine):
        raise NetwarpError(f"X has no point of class {cls}")
    return saliency(trace, mine, cls, versus, snapshot, mask_unseen=mask_unseen).mean(axis=0)


def saliency_over_training(trace: Trace, x: ArrayLike, cls: int, versus: int | None = None,
                           snapshots: int = 8, mask_unseen: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The saliency of one input at snapshots spread over training (NaN for the unseen inputs
    unless ``mask_unseen=False``).

    Returns
    -------
    steps : ndarray of shape (m,)
    maps : ndarray of shape (m, n_inputs)
    """
    from .dynamics import spread_snapshots

    need_weights(trace, "saliency over training")
    idx = spread_snapshots(trace, snapshots)
    x = trace.check_inputs(np.atleast_2d(np.asarray(x, dtype=float)))[:1]
    maps = np.stack([saliency(trace, x, cls, versus, int(i), mask_unseen=mask_unseen)[0] for i in idx])
    return trace.steps[idx], maps


@dataclass(frozen=True)
class Path:
    """Inputs along a straight line from ``a`` to ``b`` and what the network does with them.

    Attributes
    ----------
    inputs : ndarray of shape (steps, n_inputs)
        First row ``a``, last row ``b``.
    activations : list of ndarray
        As :meth:`Trace.layer_outputs`: ``activations[k]`` has shape ``(steps, sizes[k])``, 0 the inputs, last the logits.
    probs : ndarray of shape (steps, k)
    predicted : ndarray of shape (steps,)
    flips : ndarray of shape (m,)
        The indices ``i`` where the prediction changes between ``i - 1`` and ``i``.
    """

    inputs: np.ndarray
    activations: list
    probs: np.ndarray
    predicted: np.ndarray
    flips: np.ndarray


def along(trace: Trace, inputs: ArrayLike, snapshot: int = -1) -> Path:
    """What the network does along any path of inputs (e.g. the strokes a user drew, in order)."""
    need_weights(trace, "a path of inputs")
    X = trace.check_inputs(inputs)
    if trace.arch.task != "classification":
        raise NetwarpError("a path of inputs needs a classifier; this trace is a regression")
    acts = trace.layer_outputs(X, snapshot)
    probs = softmax(acts[-1])
    pred = probs.argmax(axis=1)
    return Path(X, acts, probs, pred, np.flatnonzero(np.diff(pred)) + 1)


def interpolate(trace: Trace, a: ArrayLike, b: ArrayLike, steps: int = 11, snapshot: int = -1) -> Path:
    """The straight line in input space from ``a`` to ``b``, ``steps`` points, and the network along it.

    Parameters
    ----------
    a, b : array-like of shape (n_inputs,)
    steps : int
        At least 2.
    """
    need_weights(trace, "a path between inputs")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 2 <= steps <= 1000:
        raise NetwarpError(f"steps must be a whole number from 2 to 1000, got {steps!r}")
    A = trace.check_inputs(np.atleast_2d(np.asarray(a, dtype=float)))
    B = trace.check_inputs(np.atleast_2d(np.asarray(b, dtype=float)))
    if len(A) != 1 or len(B) != 1:
        raise NetwarpError("a and b must each be one input vector")
    t = np.linspace(0.0, 1.0, int(steps))[:, None]
    inputs = (1 - t) * A + t * B
    inputs[-1] = B[0]  # exactly b, not b to rounding
    return along(trace, inputs, snapshot)


def weight_images(trace: Trace, snapshot: int = -1, shape: tuple[int, int] | None = None) -> np.ndarray:
    """Each first-layer unit's incoming weights as an image (8x8 for digits).

    Returns
    -------
    ndarray of shape (width, rows, cols)
    """
    need_weights(trace, "the weight-image view")
    n = trace.arch.sizes[0]
    if shape is None:
        side = int(round(np.sqrt(n)))
        if side * side != n:
            raise NetwarpError(f"the {n} inputs do not make a square image; give shape=(rows, cols)")
        shape = (side, side)
    if shape[0] * shape[1] != n:
        raise NetwarpError(f"shape {shape} does not hold the {n} inputs")
    W0 = trace.weights(snapshot)[0][0]
    return W0.T.reshape(-1, *shape)
