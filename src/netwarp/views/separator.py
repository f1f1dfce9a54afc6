"""Where a two-class network decides: its boundary as a hyperplane in a layer's space."""

from __future__ import annotations

import numpy as np

from ..trace import Trace


def separator(trace: Trace, layer: int, snapshot: int) -> tuple[np.ndarray, float] | None:
    """The two-class decision boundary as a hyperplane ``w·h + c = 0`` in ``layer``'s space.

    Exists for the last hidden layer (the output layer is affine in it) and the
    output logits (``logit1 = logit0``); None otherwise or for more than 2 classes.
    For a model recorded by its layers' outputs only the logits have one: what
    leads from its last recorded layer to the logits is not known to be affine.

    Returns
    -------
    (w, c) : (ndarray of shape (sizes[layer],), float), or None
    """
    L = trace.arch.n_layers
    if trace.n_classes != 2:
        return None
    if layer == L:
        return np.array([-1.0, 1.0]), 0.0
    if layer == L - 1 and trace.has_weights:
        W, b = trace.weights(snapshot)[-1]
        return W[:, 1] - W[:, 0], float(b[1] - b[0])
    return None
