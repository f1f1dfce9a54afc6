"""How linearly separable the classes are at each layer: linear probes."""

from __future__ import annotations

import numpy as np

from ..trace import Trace


def linear_probe():
    """A fresh, unfitted linear probe: logistic regression on standardised features
    (deterministic lbfgs), the one probe every view uses."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0))


def probe_accuracies(trace: Trace, snapshot: int = -1, theta: np.ndarray | None = None) -> list[float]:
    """Test accuracy of a linear probe (logistic regression) on every layer.

    The probe is fitted on the training points' representation at each layer
    and scored on the test points'. Index ``i`` is layer ``i`` (0 input, last the
    output logits). Deterministic: lbfgs on standardised features.
    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.

    Returns
    -------
    list of float, length ``n_layers + 1``
    """
    if trace.arch.task != "classification":
        return []
    train = trace.layer_outputs(trace.X_train, snapshot, theta)
    test = trace.layer_outputs(trace.X_test, snapshot, theta)
    scores = []
    for A, B in zip(train, test):
        probe = linear_probe()
        probe.fit(A, trace.y_train)
        scores.append(float(probe.score(B, trace.y_test)))
    return scores
