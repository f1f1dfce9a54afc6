"""Hand edits of weights and biases: which parameters changed, and the predictions that flipped.

An :class:`Edit` holds only parameters; what the page was already sent of it
(the ghost of the field before the edit) is tracked by :mod:`netwarp.web.frames`.
"""

from __future__ import annotations

import numpy as np

from ..errors import NetwarpError
from ..nn import Architecture, Evaluator
from ..trace import Trace


def param_index(arch: Architecture, ref: dict) -> int:
    """Where a weight ``W_layer[i, j]`` (``kind='w'``) or bias ``b_layer[j]`` (``kind='b'``) sits in theta.

    Raises a one-line NetwarpError naming the valid range when it does not exist.
    """
    L, layer, i, j = arch.n_layers, ref["layer"], ref["i"], ref["j"]
    if not 0 <= layer < L:
        raise NetwarpError(f"weight layer {layer} is out of range; this network has weight layers 0..{L - 1}")
    n_in, n_out = arch.sizes[layer], arch.sizes[layer + 1]
    sw, sb = arch.slices()[layer]
    if not 0 <= j < n_out:
        raise NetwarpError(f"unit j={j} is out of range; layer {layer + 1} has units 0..{n_out - 1}")
    if ref["kind"] == "b":
        return sb.start + j
    if not 0 <= i < n_in:
        raise NetwarpError(f"unit i={i} is out of range; layer {layer} has units 0..{n_in - 1}")
    return sw.start + i * n_out + j


class Edit:
    """A hand-edited copy of the parameters shown when the editing began.

    Parameters
    ----------
    trace : Trace
    base : ndarray of shape (n_params,)
        The parameters before any edit (the "trained value" to restore).
    """

    def __init__(self, trace: Trace, base: np.ndarray):
        self.trace = trace
        self.base = base.copy()
        self.theta = base.copy()
        self.changed: dict[int, tuple] = {}  # theta index -> (kind, layer, i, j)
        self._X = np.vstack([trace.X_train, trace.X_test])
        self._base_pred = trace.predict(self._X, theta=self.base) if trace.arch.task == "classification" else None
        self._evaluate = Evaluator(trace.arch, trace.X_train, trace.y_train, trace.X_test, trace.y_test)

    def set(self, idx: int, value: float, ref: tuple) -> None:
        self.theta[idx] = value
        self.changed[idx] = ref

    def restore(self, idx: int) -> None:
        self.theta[idx] = self.base[idx]
        self.changed.pop(idx, None)

    def flips(self) -> tuple[int, int]:
        """How many train+test predictions differ from before the edit, out of how many."""
        if self._base_pred is None:
            return 0, 0
        now = self.trace.predict(self._X, theta=self.theta)
        return int(np.count_nonzero(now != self._base_pred)), len(self._X)

    def metrics(self) -> tuple[float, float, float, float]:
        """``(train_loss, test_loss, train_acc, test_acc)`` of the edited network (the header shows them)."""
        return self._evaluate(self.theta)

    def payload(self) -> dict:
        flipped, total = self.flips()
        return {
            "changed": [
                {"kind": k, "layer": layer, "i": i, "j": j, "value": float(self.theta[idx]), "base": float(self.base[idx])}
                for idx, (k, layer, i, j) in self.changed.items()
            ],
            "flipped": flipped,
            "total": total,
        }
