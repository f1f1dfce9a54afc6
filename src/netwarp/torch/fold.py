"""A read model's layers as netwarp's flat float64 parameters, BatchNorm folded in (numpy only).

A ``BatchNorm1d`` in eval mode is the per-feature affine map ``x * s + t`` with
``s = gamma / sqrt(running_var + eps)`` and ``t = beta - running_mean * s``; composed
with the ``Linear`` next to it, it is one ``Linear`` again, exactly. A BatchNorm
right after a Linear (before its activation) folds into that Linear's output, one
after an activation (or before the first Linear) into the next Linear's input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class LayerRecipe:
    """One of netwarp's weight layers: a torch ``Linear`` with the BatchNorms folded into it.

    Attributes
    ----------
    linear : torch.nn.Linear
    pre : list of torch.nn.BatchNorm1d
        Applied, in order, to the Linear's input.
    post : list of torch.nn.BatchNorm1d
        Applied, in order, to the Linear's output.
    """

    linear: Any
    pre: list = field(default_factory=list)
    post: list = field(default_factory=list)


def _np(t) -> np.ndarray:
    return t.detach().to("cpu").double().numpy()


def bn_affine(bn) -> tuple[np.ndarray, np.ndarray]:
    """``(s, t)`` of shape ``(features,)`` each: the eval-mode BatchNorm as ``x * s + t``."""
    mean, var = _np(bn.running_mean), _np(bn.running_var)
    gamma = _np(bn.weight) if bn.weight is not None else np.ones_like(mean)
    beta = _np(bn.bias) if bn.bias is not None else np.zeros_like(mean)
    s = gamma / np.sqrt(var + bn.eps)
    return s, beta - mean * s


def layer_weights(r: LayerRecipe) -> tuple[np.ndarray, np.ndarray]:
    """``(W (n_in, n_out), b (n_out,))`` of one layer, its BatchNorms folded in, in float64."""
    m = r.linear
    W = _np(m.weight).T
    b = _np(m.bias) if m.bias is not None else np.zeros(m.out_features)
    if r.pre:
        s, t = np.ones(W.shape[0]), np.zeros(W.shape[0])
        for bn in r.pre:  # compose x -> x * s + t over the BatchNorms in order
            sb, tb = bn_affine(bn)
            s, t = s * sb, t * sb + tb
        b = b + t @ W
        W = s[:, None] * W
    for bn in r.post:
        sb, tb = bn_affine(bn)
        W, b = W * sb[None, :], b * sb + tb
    return W, b


def recipes_theta(recipes: list[LayerRecipe], binary: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every layer's ``(W, b)``; with ``binary``, the one output logit ``z`` becomes the two logits ``[0, z]``
    (softmax of ``[0, z]`` is ``[1 - sigmoid(z), sigmoid(z)]``: what BCEWithLogitsLoss trains)."""
    pairs = [layer_weights(r) for r in recipes]
    if binary:
        W, b = pairs[-1]
        pairs[-1] = (np.hstack([np.zeros_like(W), W]), np.concatenate([[0.0], b]))
    return pairs
