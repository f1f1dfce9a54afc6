"""Recorded representations: the layer outputs of a model netwarp does not run.

A :class:`~netwarp.Trace` of a small CNN, a network with embeddings or a residual
block holds no weights netwarp could apply; it holds what the model's named layers
output on the run's fixed training and test points at each snapshot
(:class:`netwarp.torch.Recorder` with ``layers=``). Views that need only
representations (probes, separating views, selectivity, groups, curves,
diagnose) read them through :meth:`Trace.layer_outputs`; views that need a
forward pass on other inputs refuse in one line (:func:`no_weights`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import NetwarpError

# how the views that need a forward pass are named when they refuse a recorded trace
RUNNING_VIEWS = "the decision field, warped grids, morphs, code, weight views and edits"
WORKING_VIEWS = "probes, separating views, selectivity, neuron groups, curves and diagnose"


def no_weights(names: Sequence[str], what: str = "this view") -> NetwarpError:
    """The one-line refusal of a view that needs weights, on a trace recorded by layer outputs."""
    return NetwarpError(f"{what} needs a forward pass, and this trace holds the recorded outputs of "
                        f"{', '.join(names)} on its own points, not the model's weights ({RUNNING_VIEWS} need them; "
                        f"{WORKING_VIEWS} work)")


def other_inputs(names: Sequence[str]) -> NetwarpError:
    """The refusal of a recorded trace asked for the layers of points it did not record."""
    return NetwarpError(f"this trace recorded {', '.join(names)} on its training and test points only; it has no "
                        "weights to run other inputs (give trace.X_train or trace.X_test)")


def which_split(X: np.ndarray, X_train: np.ndarray, X_test: np.ndarray) -> int | None:
    """0 when ``X`` is the training points, 1 for the test points (the same object or equal values), else None."""
    for k, ref in enumerate((X_train, X_test)):
        if X is ref:
            return k
    X = np.asarray(X)
    for k, ref in enumerate((X_train, X_test)):
        if X.shape == ref.shape and np.array_equal(X, ref):
            return k
    return None


def logit_metrics(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(cross-entropy, accuracy)`` of ``logits (n, k)`` against labels ``y (n,)``, in float64."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    y = np.asarray(y, dtype=np.int64)
    loss = float(-log_p[np.arange(len(y)), y].mean())
    return loss, float((z.argmax(axis=1) == y).mean())


def check_outputs(outputs: Sequence[np.ndarray], n: int, widths: Sequence[int], split: str) -> list[np.ndarray]:
    """``outputs`` (one ``(n, widths[i])`` array per recorded layer, logits last) as float32, or a one-line error."""
    if len(outputs) != len(widths):
        raise NetwarpError(f"{len(outputs)} recorded {split} outputs for {len(widths)} layers")
    out = []
    for i, (a, w) in enumerate(zip(outputs, widths)):
        a = np.asarray(a)
        if a.shape != (n, w):
            raise NetwarpError(f"recorded {split} output {i + 1} has shape {a.shape}, expected {(n, w)}")
        out.append(np.ascontiguousarray(a, dtype=np.float32))
    return out


def bytes_per_snapshot(sizes: Sequence[int], n_train: int, n_test: int) -> int:
    """What one snapshot of recorded layers takes: every recorded layer and the logits, float32, both sets."""
    return 4 * (n_train + n_test) * int(sum(sizes[1:]))
