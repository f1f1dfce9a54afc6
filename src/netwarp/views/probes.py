"""How linearly separable the classes are at each layer: linear probes."""

from __future__ import annotations

import numpy as np

from ..threads import blas_threads, candidates
from ..trace import Trace


def linear_probe():
    """A fresh, unfitted linear probe: logistic regression on standardised features
    (deterministic lbfgs), the one probe every view uses."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0))


def fit_probe(H: np.ndarray, y: np.ndarray):
    """:func:`linear_probe` fitted on a layer's representation ``H (n, D)`` with labels ``y (n,)``.

    The fit runs on the BLAS threads :mod:`netwarp.threads` picks for its products
    (``n x D x classes`` multiply-adds): one for every layer netwarp shows. Threads
    inherited from numpy made a 1347 x 128 digits probe take 3 s instead of 0.05 s on
    a busy 2-core machine (each of lbfgs's ~20 small products waited for a thread that
    had lost its core), the same collapse the training loop avoids.
    """
    work = len(H) * H.shape[1] * max(2, len(np.unique(y)))
    probe = linear_probe()
    with blas_threads(candidates(work)[0]):
        probe.fit(H, y)
    return probe


def probe_accuracies(trace: Trace, snapshot: int = -1, theta: np.ndarray | None = None) -> list[float]:
    """Test accuracy of a linear probe (logistic regression) on every layer.

    The probe is fitted on the training points' representation at each layer
    and scored on the test points'. Index ``i`` is layer ``i`` (0 input, last the
    output logits; for a recorded model the recorded layers in between, as
    :meth:`Trace.layer_outputs` numbers them). Deterministic: lbfgs on
    standardised features. ``theta`` (shape ``(n_params,)``), if given, replaces
    the snapshot's parameters (refused for a recorded model, which has none).

    Returns
    -------
    list of float, length ``n_layers + 1``
    """
    if trace.arch.task != "classification":
        return []
    train = trace.layer_outputs(trace.X_train, snapshot, theta)
    test = trace.layer_outputs(trace.X_test, snapshot, theta)
    return [float(fit_probe(A, trace.y_train).score(B, trace.y_test)) for A, B in zip(train, test)]
