"""Whether an architecture can untangle the data in principle, in plain words, checked
against the run it describes.

How the classes lie is measured on the trace's own points (can a line split them?
does one class sit inside a ring of another?); only whether classes wind around
each other (``"intertwined"``) cannot be measured and is taken from the built-in
spiral's declaration (:data:`netwarp.datasets.TOPOLOGIES`). Every sentence is then
checked against the snapshot: a note never says "cannot" about classes the network
does separate. Where a 2-wide network on nested classes separates its finitely many
training points anyway, :func:`easy_way_out` finds the gap in the ring it went
through (Olah, "Neural Networks, Manifolds, and Topology", 2014).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..activations import get_activation
from ..datasets import DATASETS, INTERTWINED, NESTED, SEPARABLE, TANGLED
from ..trace import Trace
from .cache import cached

SECTORS = 12  # a class surrounds another when it shows up in every one of these angular sectors around it
RING_SAMPLES = 3600  # points on the ring's circle classified to measure the gap


def data_topology(trace: Trace) -> str | None:
    """How the classes of a 2D classification trace lie: one of
    :data:`netwarp.datasets.TOPOLOGIES`, or None (not 2D classification data).

    Measured once per trace on its training points: ``"nested"`` when every point
    of some class is closer to that class's centre than the points of another class,
    which appear in every direction around it (or were drawn from a full ring, the
    built-in circles); ``"separable"`` when a linear
    classifier fits the training points exactly, else ``"tangled"``. Whether classes
    wind around each other (``"intertwined"``) is only known for the built-in spiral.
    """
    if trace.arch.task != "classification" or trace.arch.sizes[0] != 2:
        return None
    return cached(trace, "topology", lambda: _topology(trace))


def _topology(trace: Trace) -> str:
    if nesting(trace.X_train, trace.y_train, _ring_drawn(trace)) is not None:
        return NESTED
    name = trace.data.get("dataset")
    if name in DATASETS and DATASETS[name].topology == INTERTWINED:
        return INTERTWINED
    return _linear(trace.X_train, trace.y_train)


def _ring_drawn(trace: Trace) -> bool:
    """Whether the points were drawn from a full ring around a disk (the built-in circles),
    so a sparse sample's empty sector is a gap in the sample, not in the ring."""
    name = trace.data.get("dataset")
    return name in DATASETS and DATASETS[name].topology == NESTED


def nesting(X: np.ndarray, y: np.ndarray, surrounded: bool = False) -> tuple[int, int] | None:
    """``(inner, outer)``: the first class found lying inside a ring of another, or None.

    Parameters
    ----------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,)
    surrounded : bool
        The outer class is known to be drawn all around (a generated ring): only the
        radial gap is measured, not that every direction has a point.
    """
    classes = np.unique(y)
    for a in classes:
        inner = X[y == a]
        c = inner.mean(axis=0)
        reach = np.quantile(np.linalg.norm(inner - c, axis=1), 0.95)
        for b in classes[classes != a]:
            outer = X[y == b] - c
            dist = np.linalg.norm(outer, axis=1)
            sectors = np.floor((np.arctan2(outer[:, 1], outer[:, 0]) + np.pi) / (2 * np.pi) * SECTORS)
            around = surrounded or len(np.unique(np.clip(sectors, 0, SECTORS - 1))) == SECTORS
            if around and np.quantile(dist, 0.05) > reach:
                return int(a), int(b)
    return None


def _linear(X: np.ndarray, y: np.ndarray) -> str:
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, max_iter=5000).fit(X, y)
    return SEPARABLE if fit.score(X, y) == 1.0 else TANGLED


@dataclass(frozen=True)
class EasyWayOut:
    """How a network with every hidden layer at most 2 wide separated nested classes
    anyway: its inner class's region leaves through a gap between the ring's points.

    Attributes
    ----------
    inner, outer : int
        The enclosed class and the ring's class.
    centre : ndarray of shape (2,)
        The inner class's centre.
    radius : float
        The ring's median distance from ``centre``.
    arc : float
        The fraction of the circle of ``radius`` around ``centre`` that the network
        gives to the inner class: where its region crosses the ring.
    angle : float
        The direction of that crossing from ``centre`` in degrees (counter-clockwise
        from the x1 axis); where ``arc`` is 0 (the region escapes off the median
        circle) the direction of the marked points.
    nearest : ndarray of shape (2,)
        Indices into ``trace.X_train`` of the two ring points either side of the gap:
        the nearest by angle around ``centre`` on each side of ``angle``, so no ring
        point lies between them on the gap's side.
    n_train : int
        The training points, all classified correctly.
    test_acc : float
    """

    inner: int
    outer: int
    centre: np.ndarray
    radius: float
    arc: float
    angle: float
    nearest: np.ndarray
    n_train: int
    test_acc: float


def _narrow_one_to_one(trace: Trace) -> bool:
    hidden = trace.arch.hidden
    # the topology argument needs every layer one-to-one: one folding layer is enough to escape it
    return bool(hidden) and max(hidden) <= 2 and all(a.one_to_one for a in trace.arch.acts)


def _one_to_one_said(names: tuple[str, ...]) -> str:
    """``"tanh is one-to-one"``, or for per-layer activations ``"each of its activations (tanh, elu) is one-to-one"``."""
    kinds = list(dict.fromkeys(names))
    if len(kinds) == 1:
        return f"{kinds[0]} is one-to-one"
    return f"each of its activations ({', '.join(kinds)}) is one-to-one"


def easy_way_out(trace: Trace, snapshot: int = -1) -> EasyWayOut | None:
    """Where a network that cannot separate nested classes in principle (every hidden
    layer at most 2 wide, a one-to-one activation) separates all its training points
    all the same, the gap in the ring its boundary goes through; None otherwise.

    Returns
    -------
    EasyWayOut or None
    """
    if not trace.has_weights or data_topology(trace) != NESTED or not _narrow_one_to_one(trace):
        return None  # a recorded model: its architecture and activations are not known, nor its region off the points
    s = trace.snapshot(snapshot)
    if s.train_acc < 1.0:
        return None
    X, y = trace.X_train, np.asarray(trace.y_train)
    inner, outer = nesting(X, y, _ring_drawn(trace))
    centre = X[y == inner].mean(axis=0)
    radius = float(np.median(np.linalg.norm(X[y == outer] - centre, axis=1)))
    theta = np.linspace(0.0, 2 * np.pi, RING_SAMPLES, endpoint=False)
    circle = centre + radius * np.c_[np.cos(theta), np.sin(theta)]
    crossing = trace.predict(circle, snapshot) == inner
    ring = np.flatnonzero(y == outer)
    if crossing.any():
        angle = float(np.angle(np.exp(1j * theta[crossing]).mean()))
    else:  # the region escapes off the middle circle: towards the ring point the boundary passes closest to
        logits = trace.layer_outputs(X[ring], snapshot)[-1]
        d = X[ring[np.argmin(logits[:, outer] - logits[:, inner])]] - centre
        angle = float(np.arctan2(d[1], d[0]))
    # the ring points either side of the gap: the nearest by angle on each side of its direction
    d = X[ring] - centre
    turn = np.angle(np.exp(1j * (np.arctan2(d[:, 1], d[:, 0]) - angle)))
    nearest = np.array([ring[np.argmin(np.where(turn >= 0, turn, np.inf))], ring[np.argmax(np.where(turn < 0, turn, -np.inf))]])
    return EasyWayOut(inner, outer, centre, radius, float(crossing.mean()), float(np.degrees(angle) % 360.0),
                      nearest, len(y), float(s.test_acc))


def topology_note(trace: Trace, snapshot: int = -1) -> str | None:
    """A plain sentence when the architecture cannot untangle the data in principle,
    or struggles where untangling is possible but hard; None otherwise.

    Checked against ``snapshot``: where the network separates the training points
    anyway the note says how (see :func:`easy_way_out`), never that it cannot.
    None for a model recorded by its layers' outputs: its recorded layers are only
    some of its layers and their functions are not known, so no claim about what
    it can untangle would be true.
    """
    shape = data_topology(trace)
    if shape is None or shape == SEPARABLE or not trace.has_weights:
        return None
    s = trace.snapshot(snapshot)
    hidden = trace.arch.hidden
    what = trace.data.get("dataset") or "this data"
    if not hidden:
        if s.train_acc >= 1.0:
            return None
        return (
            "With no hidden layer the network is a linear model: its boundary is a straight line, "
            f"and no straight line separates the classes of {what}."
        )
    if max(hidden) > 2:
        return None
    names = trace.arch.activations
    inner = "the disk" if what == "circles" else "the inner class"
    if shape == NESTED and all(get_activation(a).one_to_one for a in names):
        gap = easy_way_out(trace, snapshot)
        if gap is not None:
            return _easy_way_out_note(gap, _one_to_one_said(names), inner)
        return (
            f"Every hidden layer is at most 2 wide and {_one_to_one_said(names)}, so each layer only stretches, "
            f"squishes and bends the plane without tearing or folding it: {inner} stays surrounded by the ring, "
            f"and no line at the end can separate them. A layer of 3 units can lift {inner} out of the ring."
        )
    if shape == NESTED:
        if s.train_acc >= 1.0:
            return None
        return (
            f"Every hidden layer is at most 2 wide: {_folding(names)} can fold the plane, but squeezing the ring onto one side "
            f"of {inner} within 2 dimensions is at best a crude approximation (this run: {s.train_acc:.1%} of its "
            "training points). A layer of 3 units lifts it out cleanly."
        )
    if shape == INTERTWINED and s.train_acc < 0.99:
        return (
            "Every hidden layer is at most 2 wide. Two-unit layers can untangle two spirals in principle: each "
            "arm is a curve that stretching and squishing the plane, without cutting or folding it, can straighten "
            "(Olah). But it takes many finely tuned layers, and gradient descent rarely finds them: this run "
            f"separates {s.train_acc:.1%} of its training points. Wider layers give it room."
        )
    return None  # tangled but not enclosed: two units that fold the plane can be enough


def _folding(names: tuple[str, ...]) -> str:
    """The activations among ``names`` that fold the plane, named once each (``"relu"``)."""
    folds = [a for a in dict.fromkeys(names) if not get_activation(a).one_to_one]
    return " and ".join(folds or list(dict.fromkeys(names)))


def _easy_way_out_note(gap: EasyWayOut, one_to_one: str, inner: str) -> str:
    where = (f"{gap.arc:.1%} of the ring's middle circle, around {gap.angle:.0f}°, lies on {inner}'s side"
             if gap.arc > 0 else f"around {gap.angle:.0f}°")
    return (
        f"Every hidden layer is at most 2 wide and {one_to_one}, so no such network can separate {inner} from "
        f"a ring drawn densely enough; yet this one separates all {gap.n_train} training points. It took the easy way "
        f"out (Olah): its region for {inner} leaves through a gap between the ring's points ({where}), and "
        f"{1 - gap.test_acc:.1%} of the test "
        "points fall on the wrong side. A layer of 3 units can lift it out of the ring instead."
    )


def width_bound(data: str | Trace | None, activation: str) -> tuple[int, str] | None:
    """For a sweep's phase diagram: the widest that every hidden layer can be and
    still not untangle the data in principle, with the sentence saying why; None
    when topology proves no such bound.

    Parameters
    ----------
    data : str, Trace or None
        A run of the sweep (its points are measured, :func:`data_topology`) or a
        built-in dataset's name (its declared shape).
    activation : str

    Returns
    -------
    (int, str) or None
        ``(2, "...")`` for nested classes (a disk in a ring) with a one-to-one
        activation, the only case topology proves. Intertwined spirals have none:
        2-wide layers can untangle them in principle (Olah), it is only hard to train.
    """
    if isinstance(data, Trace):
        shape = data_topology(data)
    else:
        shape = DATASETS[data].topology if data in DATASETS else None
    if shape == NESTED and get_activation(activation).one_to_one:
        return 2, "every hidden layer ≤ 2 wide cannot untangle a disk from a densely drawn ring"
    return None
