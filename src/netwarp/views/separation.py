"""Seeing separability: a 2D view of a layer along the direction its classes are split.

PCA keeps variance, which in a trained wide layer is often *not* the direction
the classes are separated along, so a 100%-accurate layer can look like a
tangle. A separating projection instead puts the classifier's own normal on the
first screen axis:

- the last hidden layer (and the output logits): the classifier is the output
  layer itself, so for two classes the decision ``logit1 - logit0`` is affine in
  the first coordinate and the drawn line agrees with ``trace.predict`` exactly;
- earlier layers (and the input): a linear probe (logistic regression on the
  layer's training representation, as in :mod:`.probes`); the line is the
  probe's and its test accuracy is carried along.
- a model recorded by its layers' outputs (:mod:`netwarp.recorded`): a probe for
  every recorded layer (what leads from the last one to the logits is not known
  to be affine), the logits as above. Everything is computed from the recorded
  training and test representations: the points, the probe, and its lines and
  regions, which are the probe's own affine scores in the view's plane; nothing
  is evaluated off the recorded points.

The second axis is the main remaining variance orthogonal to the first. For
more than two classes both axes are the classifier's top two discriminant
directions (principal directions of its centred class weight vectors). The view
then holds class *regions*, not lines: each class owns the convex part of the
plane where its score is highest (:meth:`Separation.regions`), and a pair's line
is a boundary only where those two classes lead (:meth:`Separation.boundaries`);
for three classes the regions meet at one point. Exact for three classes, whose
pairwise differences all lie in that plane; a section of the boundary otherwise.

A :class:`SeparatingBasis` can be fitted once (:func:`fit_separating_basis`,
e.g. on the last snapshot) and passed to every frame, so an animation's camera
stays still and motion on screen is motion of the data (the Grand Tour idea).
Each frame's line then comes from that frame's classifier, projected into the
fixed view; ``exact`` says whether the classifier's normal lies in the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import NetwarpError
from ..trace import Trace
from .probes import fit_probe
from .warp import check_layer


@dataclass(frozen=True)
class SeparatingBasis:
    """A fixed affine view ``(H - mean) @ axes`` of a ``D``-wide layer onto 2 dims."""

    mean: np.ndarray  # (D,)
    axes: np.ndarray  # (D, 2), orthonormal columns (zero-padded when D < 2)

    def apply(self, H: np.ndarray) -> np.ndarray:
        """Project ``H (..., D)`` to ``(..., 2)``."""
        return (np.asarray(H, dtype=np.float64) - self.mean) @ self.axes

    def line(self, w: np.ndarray, c: float) -> tuple[np.ndarray, float]:
        """The hyperplane ``H @ w + c = 0`` (``w (D,)``) as a line ``P @ w2 + c2 = 0`` in the view."""
        w = np.asarray(w, dtype=np.float64)
        return self.axes.T @ w, float(w @ self.mean + c)


@dataclass(frozen=True)
class Separation:
    """A layer seen along its classifier's direction(s); see the module notes.

    Attributes
    ----------
    layer : int
    points : ndarray of shape (n, 2), the training points in the view
    labels : ndarray of shape (n,), their true classes
    predicted : ndarray of shape (n,)
        The prediction of the classifier whose line(s) are drawn: the network's for the
        last hidden layer (of a network with weights) and the logits, the probe's for the others.
    line : (ndarray of shape (2,), float) or None
        Two classes: ``points @ w + c > 0`` is the classifier's class-1 side.
    lines : list of (ndarray of shape (2,), float)
        One line per pair of classes, in the order of ``pairs`` (two classes: ``[line]``).
    pairs : list of (int, int)
        The classes ``(i, j)`` each line separates; ``j`` is on the positive side.
    accuracy : float or None
        The probe's test accuracy where a probe draws the line(s); None where the line is
        the network's own boundary.
    exact : bool
        True when the line is the classifier's boundary exactly (its normal lies in the view).
    plane : (ndarray of shape (3,), float) or None
        For a 3-wide layer and two classes, the separating plane in the layer's own coordinates.
    basis : SeparatingBasis
        The view used; pass it back as ``basis=`` to keep later frames steady.
    """

    layer: int
    points: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    line: tuple[np.ndarray, float] | None
    lines: list[tuple[np.ndarray, float]]
    pairs: list[tuple[int, int]]
    accuracy: float | None
    exact: bool
    plane: tuple[np.ndarray, float] | None
    basis: SeparatingBasis = field(repr=False)
    source: str = "network"  # "network" (the output layer decides) or "probe"
    classifier: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)  # W (D, k), b (k,)

    def scores(self) -> tuple[np.ndarray, np.ndarray]:
        """The classifier's class scores on the view's plane as an affine map: ``P @ A + a0``
        for points ``P (m, 2)``, with ``A (2, k)`` and ``a0 (k,)``."""
        W, b = self.classifier
        return self.basis.axes.T @ W, self.basis.mean @ W + b

    def classify(self, points: np.ndarray) -> np.ndarray:
        """The class the drawn regions give points ``(m, 2)`` of the view: shape ``(m,)``.
        Where ``exact`` is true, ``classify(self.points)`` equals ``self.predicted``."""
        return class_of(*self.scores(), points)

    def regions(self, limits: tuple[float, float, float, float]) -> list[tuple[int, np.ndarray]]:
        """Each class's region within ``limits = (x0, x1, y0, y1)``: ``(class, polygon (m, 2))``,
        convex, one per class that owns any of the box."""
        return class_regions(*self.scores(), limits)

    def boundaries(self, limits: tuple[float, float, float, float]) -> list[tuple[tuple[int, int], np.ndarray]]:
        """The real boundaries within ``limits``: ``((i, j), segment (2, 2))`` where classes
        ``i`` and ``j`` score equal and no other class scores more."""
        return class_boundaries(*self.scores(), limits)

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows this result as its picture (:func:`netwarp.outputs.view_cards.view_figure`)."""
        from ..display import card

        return card("separation", "png", self)

    def side(self, P: np.ndarray | None = None) -> np.ndarray:
        """Which side of the (two-class) line points ``P (m, 2)`` (default: ``points``) fall on: 1 or 0."""
        if self.line is None:
            raise NetwarpError("a side is defined for two classes only")
        w, c = self.line
        P = self.points if P is None else np.asarray(P)
        return (P @ w + c > 0).astype(int)


def class_of(A: np.ndarray, a0: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The highest-scoring class of each of ``points (m, 2)`` under scores ``P @ A + a0``: shape ``(m,)``."""
    return np.argmax(np.asarray(points, dtype=np.float64) @ A + a0, axis=1)


def _box(limits: tuple[float, float, float, float]) -> np.ndarray:
    x0, x1, y0, y1 = limits
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def _clip(poly: np.ndarray, w: np.ndarray, c: float) -> np.ndarray:
    """The part of convex ``poly (m, 2)`` where ``p @ w + c >= 0`` (one Sutherland-Hodgman pass)."""
    if not len(poly):
        return poly
    f = poly @ w + c
    out = []
    for i in range(len(poly)):
        a, b, fa, fb = poly[i], poly[(i + 1) % len(poly)], f[i], f[(i + 1) % len(poly)]
        if fa >= 0:
            out.append(a)
        if (fa >= 0) != (fb >= 0):
            out.append(a + fa / (fa - fb) * (b - a))
    return np.array(out).reshape(-1, 2)


def class_regions(A: np.ndarray, a0: np.ndarray, limits: tuple[float, float, float, float]) -> list[tuple[int, np.ndarray]]:
    """Where each class of the affine scores ``P @ A + a0`` (``A (2, k)``, ``a0 (k,)``) is highest
    within the box ``limits``: ``(class, convex polygon (m, 2))`` for each class with any area."""
    out = []
    for i in range(A.shape[1]):
        poly = _box(limits)
        for j in range(A.shape[1]):
            if j != i:
                poly = _clip(poly, A[:, i] - A[:, j], float(a0[i] - a0[j]))
        if len(poly) >= 3:
            out.append((i, poly))
    return out


def class_boundaries(A: np.ndarray, a0: np.ndarray, limits: tuple[float, float, float, float]) -> list[tuple[tuple[int, int], np.ndarray]]:
    """The segments within ``limits`` where two classes of the scores ``P @ A + a0`` tie for the
    highest: ``((i, j), ends (2, 2))``. Two classes: their whole line across the box."""
    k = A.shape[1]
    out = []
    for i in range(k):
        for j in range(i + 1, k):
            ends = _across(A[:, j] - A[:, i], float(a0[j] - a0[i]), limits)
            if ends is None:
                continue
            lo, hi = 0.0, 1.0  # along the segment from ends[0] to ends[1]
            for m in range(k):
                if m in (i, j):
                    continue
                # class i (tied with j) must score at least m: g(t) = g0 + t (g1 - g0) >= 0
                g0, g1 = (ends @ (A[:, i] - A[:, m]) + (a0[i] - a0[m])).tolist()
                if g1 == g0:
                    lo, hi = (lo, hi) if g0 >= 0 else (1.0, 0.0)
                elif g1 > g0:
                    lo = max(lo, -g0 / (g1 - g0))
                else:
                    hi = min(hi, -g0 / (g1 - g0))
            if hi > lo:
                out.append(((i, j), ends[0] + np.array([[lo], [hi]]) * (ends[1] - ends[0])))
    return out


def _across(w: np.ndarray, c: float, limits: tuple[float, float, float, float]) -> np.ndarray | None:
    """Where the line ``p @ w + c = 0`` crosses the box ``limits``: its two ends ``(2, 2)``, or None."""
    box = _box(limits)
    f = box @ w + c
    hits = [box[q] + f[q] / (f[q] - f[(q + 1) % 4]) * (box[(q + 1) % 4] - box[q])
            for q in range(4) if (f[q] <= 0) != (f[(q + 1) % 4] <= 0)]
    if len(hits) < 2:
        return None
    hits = np.array(hits)
    far = int(np.argmax(((hits - hits[0]) ** 2).sum(axis=1)))
    return np.array([hits[0], hits[far]]) if far else None


def _network_decides(trace: Trace, layer: int) -> bool:
    """Whether the network's own output layer is the linear classifier reading ``layer``: the logits
    always, and the last hidden layer of a network netwarp holds the weights of. A recorded model's
    last recorded layer may reach the logits through anything (an activation, dropout, another
    module), so a probe reads it like every earlier layer."""
    L = trace.arch.n_layers
    return layer == L or (layer == L - 1 and trace.has_weights)


def _classifier(trace: Trace, layer: int, snapshot: int) -> tuple[np.ndarray, np.ndarray, float | None, np.ndarray]:
    """The linear classifier reading ``layer``: weights ``(D, k)``, biases ``(k,)``, the probe's
    test accuracy (None for the network's own output layer) and the training representation ``(n, D)``."""
    H = trace.layer_outputs(trace.X_train, snapshot)[layer]
    if _network_decides(trace, layer):
        return (*_own(trace, layer, snapshot), None, H)
    test = trace.layer_outputs(trace.X_test, snapshot)[layer]
    probe = fit_probe(H, trace.y_train)
    return (*_unscaled(probe), float(probe.score(test, trace.y_test)), H)


def _own(trace: Trace, layer: int, snapshot: int) -> tuple[np.ndarray, np.ndarray]:
    """The network's output layer as the classifier of ``layer`` (see :func:`_network_decides`)."""
    if layer == trace.arch.n_layers:  # the logits themselves: class i's score is its logit
        k = trace.n_classes
        return np.eye(k), np.zeros(k)
    W, b = trace.weights(snapshot)[-1]
    return np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)


def _unscaled(probe) -> tuple[np.ndarray, np.ndarray]:
    """A fitted :func:`linear_probe` as weights ``(D, k)`` and biases ``(k,)`` on the layer's own values."""
    scaler, lr = probe[0], probe[-1]
    # undo the standardisation: coef . (h - m) / s + b  ==  (coef / s) . h + (b - coef . m / s)
    coef = lr.coef_ / scaler.scale_
    icpt = lr.intercept_ - coef @ scaler.mean_
    if coef.shape[0] == 1:  # sklearn's binary form: one row for class 1 against class 0
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        icpt = np.array([0.0, icpt[0]])
    return coef.T, icpt


def _pca_axis(H: np.ndarray, away_from: np.ndarray) -> np.ndarray:
    """The unit direction of most variance of ``H (n, D)`` orthogonal to the columns of ``away_from (D, m)``."""
    D = H.shape[1]
    Hc = H - H.mean(axis=0)
    P = np.eye(D) - away_from @ away_from.T
    values, vectors = np.linalg.eigh(P @ np.cov(Hc, rowvar=False) @ P)
    v = vectors[:, -1]
    if values[-1] <= 1e-15:  # no variance left off the first axis: any orthogonal unit vector
        v = P @ np.eye(D)[np.abs(P).sum(axis=0).argmax()]
    v = P @ v
    return v / np.linalg.norm(v)


def _signed(v: np.ndarray) -> np.ndarray:
    """``v`` with its largest loading positive, so refits agree on orientation."""
    return v * (1.0 if v[np.abs(v).argmax()] >= 0 else -1.0)


def _axes(W: np.ndarray, H: np.ndarray) -> np.ndarray:
    """Orthonormal view axes ``(D, 2)`` for a classifier with weights ``W (D, k)`` on points ``H (n, D)``."""
    D, k = W.shape
    if D <= 2:  # a narrow layer is shown in its own coordinates
        return np.eye(D, 2)
    normals = W - W.mean(axis=1, keepdims=True)  # only differences between classes matter
    U, s, _ = np.linalg.svd(normals, full_matrices=False)
    if s[0] <= 1e-12 * max(1.0, np.abs(W).max()):  # a classifier that separates nothing: plain PCA
        first = _pca_axis(H, np.zeros((D, 0)))
    elif k == 2:
        first = (W[:, 1] - W[:, 0]) / np.linalg.norm(W[:, 1] - W[:, 0])  # class 1 to the right
    else:
        first = _signed(U[:, 0])
    if k > 2 and len(s) > 1 and s[1] > 1e-9 * s[0]:
        second = U[:, 1] - first * (first @ U[:, 1])
        second = _signed(second / np.linalg.norm(second))
    else:
        second = _signed(_pca_axis(H, first[:, None]))
    return np.column_stack([first, second])


def fit_separating_basis(trace: Trace, layer: int, snapshot: int = -1,
                         snapshots: Sequence[int] | None = None) -> SeparatingBasis:
    """The separating view of ``layer``, to pass as ``basis=`` to every frame of an animation.

    Parameters
    ----------
    trace : Trace, a classifier (weights or recorded layers)
    layer : int, 0 (input) .. ``n_layers`` (output logits)
    snapshot : int
        Fit the view at this one snapshot (e.g. the last, where the network separates best).
    snapshots : sequence of int, optional
        Fit it over these snapshots instead (e.g. :func:`~netwarp.views.spread_snapshots`), so
        one view serves the whole run, not only its end: the layer's training points at all of
        them are stacked, the view is centred on the stack, and its first axis (two, for more than
        two classes) is a probe fitted on the stack (each point once per snapshot, with its label);
        for two classes the second is the stack's main remaining variance. Where the network's
        output layer reads the layer (the logits; the last hidden layer of a network with
        weights) its weights at the latest of ``snapshots`` give the axes instead. The camera
        then stays put and a point moves on screen only because the representation moved (the
        Grand Tour's lesson). Measured on a recorded digits CNN's 128-wide pool layer (8
        snapshots): once training had started, a 2-D logistic fit in the stacked probe's view
        told 63% of the test digits apart, against 49% in the last snapshot's probe's view and
        45% along the directions the 8 per-snapshot probes share; it costs one probe fit on the
        stack (about 2 s there, against 0.05 s for one snapshot's).

    Returns
    -------
    SeparatingBasis
        ``mean (D,)``, ``axes (D, 2)``.
    """
    layer = check_layer(trace, layer)
    _need_classifier(trace)
    if snapshots is None:
        W, _, _, H = _classifier(trace, layer, snapshot)
        return _basis(W, H)
    idx = _snapshot_list(trace, snapshots)
    H = np.vstack([trace.layer_outputs(trace.X_train, i)[layer] for i in idx])
    if _network_decides(trace, layer):
        W = _own(trace, layer, idx[-1])[0]
    else:
        W = _unscaled(fit_probe(H, np.tile(trace.y_train, len(idx))))[0]
    return _basis(W, H)


def _snapshot_list(trace: Trace, snapshots: Sequence[int]) -> list[int]:
    """``snapshots`` as distinct snapshot indices in order, or a one-line error."""
    if isinstance(snapshots, (str, bytes)) or not hasattr(snapshots, "__len__"):
        raise NetwarpError(f"snapshots must be a list of snapshot indices, got {snapshots!r}")
    if not len(snapshots):
        raise NetwarpError("snapshots is empty; give at least one snapshot index")
    return sorted({trace.index(s) for s in snapshots})


def _basis(W: np.ndarray, H: np.ndarray) -> SeparatingBasis:
    # a layer of 1 or 2 units keeps its own coordinates (no centring), so its axes read h1, h2
    mean = np.zeros(H.shape[1]) if H.shape[1] <= 2 else H.mean(axis=0)
    return SeparatingBasis(mean, _axes(W, H))


def separating_projection(trace: Trace, layer: int, snapshot: int = -1, basis: SeparatingBasis | None = None) -> Separation:
    """The training points of ``layer`` at ``snapshot`` seen along the direction(s) their
    classes are separated along, with the separating line(s) in the same 2D coordinates.

    Parameters
    ----------
    trace : Trace, a classifier
    layer : int, 0 (input) .. ``n_layers`` (output logits)
    snapshot : int
    basis : SeparatingBasis, optional
        A fixed view (from :func:`fit_separating_basis` or an earlier ``Separation.basis``);
        by default the view is fitted at this snapshot.

    Returns
    -------
    Separation
        ``points (n, 2)``, ``line = (w (2,), c)``; for the last hidden layer of a two-class
        network with its own view, ``points @ w + c > 0`` exactly where ``trace.predict`` says 1.
    """
    layer = check_layer(trace, layer)
    _need_classifier(trace)
    W, b, accuracy, H = _classifier(trace, layer, snapshot)
    if basis is None:
        basis = _basis(W, H)
    elif basis.axes.shape[0] != H.shape[1]:
        raise NetwarpError(f"the basis is for a {basis.axes.shape[0]}-wide layer, but layer {layer} has {H.shape[1]} units")
    k = W.shape[1]
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    normals = [(W[:, j] - W[:, i], float(b[j] - b[i])) for i, j in pairs]
    lines = [basis.line(w, c) for w, c in normals]
    # the line is the boundary itself when every normal lies in the view's plane
    exact = all(np.linalg.norm(w - basis.axes @ (basis.axes.T @ w)) <= 1e-9 * max(np.linalg.norm(w), 1e-300) for w, _ in normals)
    plane = (normals[0][0].copy(), normals[0][1]) if k == 2 and H.shape[1] == 3 else None
    return Separation(
        layer=layer,
        points=basis.apply(H),
        labels=np.asarray(trace.y_train),
        predicted=np.argmax(H @ W + b, axis=1),
        line=lines[0] if k == 2 else None,
        lines=lines,
        pairs=pairs,
        accuracy=accuracy,
        exact=exact,
        plane=plane,
        basis=basis,
        source="probe" if accuracy is not None else "network",
        classifier=(W, b),
    )


def _need_classifier(trace: Trace) -> None:
    if trace.arch.task != "classification":
        raise NetwarpError("a separating projection needs a classifier; this trace is a regression")
