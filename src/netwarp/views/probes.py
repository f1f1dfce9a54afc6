"""How linearly separable the classes are at each layer, and when they cannot be."""

from __future__ import annotations

import numpy as np

from ..trace import Trace
from .warp import is_invertible


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
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if trace.arch.task != "classification":
        return []
    train = trace.layer_outputs(trace.X_train, snapshot, theta)
    test = trace.layer_outputs(trace.X_test, snapshot, theta)
    scores = []
    for A, B in zip(train, test):
        probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0))
        probe.fit(A, trace.y_train)
        scores.append(float(probe.score(B, trace.y_test)))
    return scores


def topology_note(trace: Trace) -> str | None:
    """A plain sentence when the architecture cannot untangle the data in
    principle (or, for spirals, practically never does); None otherwise.

    Based on the dataset the trace was made from, since whether classes are
    nested is not something a few points can prove.
    """
    name = trace.data.get("dataset")
    hidden = trace.arch.hidden
    if name in ("circles", "spiral", "xor", "checkerboard", "moons") and not hidden and trace.arch.sizes[0] == 2:
        return (
            "With no hidden layer the network is a linear model: its boundary is a straight line, "
            f"and no straight line separates the classes of {name}."
        )
    if trace.arch.sizes[0] != 2 or not hidden or max(hidden) > 2:
        return None
    act = trace.arch.activation
    if name == "circles" and is_invertible(act):
        return (
            f"Every hidden layer is at most 2 wide and {act} is one-to-one, so each layer only stretches, "
            "squishes and bends the plane without tearing or folding it: the disk stays surrounded by the ring, "
            "and no line at the end can separate them. A layer of 3 units can lift the disk out of the ring."
        )
    if name == "circles":
        return (
            f"Every hidden layer is at most 2 wide: {act} can fold the plane, but squeezing the ring onto one side "
            "of the disk within 2 dimensions is at best a crude approximation. A layer of 3 units lifts the disk out cleanly."
        )
    if name == "spiral":
        return (
            "Every hidden layer is at most 2 wide, so each layer can only bend the plane (it cannot lift the arms "
            "apart in a third dimension); unwinding intertwined spirals that way needs many finely tuned layers, "
            "and narrow networks usually get stuck. Wider layers untangle them easily."
        )
    return None
