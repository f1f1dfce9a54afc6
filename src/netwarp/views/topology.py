"""Whether an architecture can untangle the data in principle, in plain words.

The facts used are about the data's shape, not its name: a built-in dataset
declares its shape (:data:`netwarp.datasets.TOPOLOGIES`); a user's own 2D
points are measured (can a line split them? does one class sit inside a ring
of another?).
"""

from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..datasets import DATASETS, INTERTWINED, NESTED, SEPARABLE, TANGLED
from ..trace import Trace
from .cache import cached

SECTORS = 12  # a class surrounds another when it shows up in every one of these angular sectors around it


def data_topology(trace: Trace) -> str | None:
    """How the classes of a 2D classification trace lie: one of
    :data:`netwarp.datasets.TOPOLOGIES`, or None (not 2D classification data).

    Built-in datasets declare it; for other data it is measured once per trace:
    ``"nested"`` when every point of some class is closer to that class's centre
    than the points of another class, which appear in every direction around it;
    ``"separable"`` when a linear classifier fits the training points exactly,
    else ``"tangled"``. Whether classes wind around each other
    (``"intertwined"``) is only known for the built-in spiral.
    """
    if trace.arch.task != "classification" or trace.arch.sizes[0] != 2:
        return None
    name = trace.data.get("dataset")
    if name in DATASETS:
        return DATASETS[name].topology
    return cached(trace, "topology", lambda: _measure(trace.X_train, trace.y_train))


def _measure(X: np.ndarray, y: np.ndarray) -> str:
    classes = np.unique(y)
    for a in classes:
        inner = X[y == a]
        c = inner.mean(axis=0)
        reach = np.quantile(np.linalg.norm(inner - c, axis=1), 0.95)
        for b in classes[classes != a]:
            outer = X[y == b] - c
            dist = np.linalg.norm(outer, axis=1)
            sectors = np.floor((np.arctan2(outer[:, 1], outer[:, 0]) + np.pi) / (2 * np.pi) * SECTORS)
            if len(np.unique(np.clip(sectors, 0, SECTORS - 1))) == SECTORS and np.quantile(dist, 0.05) > reach:
                return NESTED
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, max_iter=5000).fit(X, y)
    return SEPARABLE if fit.score(X, y) == 1.0 else TANGLED


def topology_note(trace: Trace) -> str | None:
    """A plain sentence when the architecture cannot untangle the data in
    principle (or, for spirals, practically never does); None otherwise."""
    shape = data_topology(trace)
    if shape is None or shape == SEPARABLE:
        return None
    hidden = trace.arch.hidden
    what = trace.data.get("dataset") or "this data"
    if not hidden:
        return (
            "With no hidden layer the network is a linear model: its boundary is a straight line, "
            f"and no straight line separates the classes of {what}."
        )
    if max(hidden) > 2:
        return None
    act = trace.arch.activation
    inner = "the disk" if what == "circles" else "the inner class"
    if shape == NESTED and get_activation(act).one_to_one:
        return (
            f"Every hidden layer is at most 2 wide and {act} is one-to-one, so each layer only stretches, "
            f"squishes and bends the plane without tearing or folding it: {inner} stays surrounded by the ring, "
            f"and no line at the end can separate them. A layer of 3 units can lift {inner} out of the ring."
        )
    if shape == NESTED:
        return (
            f"Every hidden layer is at most 2 wide: {act} can fold the plane, but squeezing the ring onto one side "
            f"of {inner} within 2 dimensions is at best a crude approximation. A layer of 3 units lifts it out cleanly."
        )
    if shape == INTERTWINED:
        return (
            "Every hidden layer is at most 2 wide, so each layer can only bend the plane (it cannot lift the arms "
            "apart in a third dimension); unwinding intertwined spirals that way needs many finely tuned layers, "
            "and narrow networks usually get stuck. Wider layers untangle them easily."
        )
    return None  # tangled but not enclosed: two units that fold the plane can be enough


def width_bound(dataset: str | None, activation: str) -> tuple[int, str] | None:
    """For a sweep's phase diagram: the widest that every hidden layer can be and
    still not untangle the built-in ``dataset`` in principle, with the sentence
    saying why; None when the data has no such bound.

    Returns
    -------
    (int, str) or None
        ``(2, "...")`` for nested classes (a disk in a ring, with a one-to-one
        activation) and intertwined spirals.
    """
    shape = DATASETS[dataset].topology if dataset in DATASETS else None
    if shape == NESTED and get_activation(activation).one_to_one:
        return 2, "every hidden layer ≤ 2 wide cannot untangle a disk from a ring"
    if shape == INTERTWINED:
        return 2, "every hidden layer ≤ 2 wide can only bend the plane: the arms stay intertwined"
    return None
