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

The second axis is the main remaining variance orthogonal to the first. For
more than two classes both axes are the classifier's top two discriminant
directions (principal directions of its centred class weight vectors) and one
line is drawn per pair of classes (exact for three classes, whose pairwise
boundaries all lie in that plane; a shadow of the boundary otherwise).

A :class:`SeparatingBasis` can be fitted once (:func:`fit_separating_basis`,
e.g. on the last snapshot) and passed to every frame, so an animation's camera
stays still and motion on screen is motion of the data (the Grand Tour idea).
Each frame's line then comes from that frame's classifier, projected into the
fixed view; ``exact`` says whether the classifier's normal lies in the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import NetwarpError
from ..trace import Trace
from .probes import linear_probe
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
    predicted : ndarray of shape (n,), the network's prediction for them
    line : (ndarray of shape (2,), float) or None
        Two classes: ``points @ w + c > 0`` is the classifier's class-1 side.
    lines : list of (ndarray of shape (2,), float)
        One line per pair of classes, in the order of ``pairs`` (two classes: ``[line]``).
    pairs : list of (int, int)
        The classes ``(i, j)`` each line separates; ``j`` is on the positive side.
    accuracy : float or None
        The probe's test accuracy for layers before the last hidden one; None where
        the line is the network's own boundary.
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


def _classifier(trace: Trace, layer: int, snapshot: int) -> tuple[np.ndarray, np.ndarray, float | None, np.ndarray]:
    """The linear classifier reading ``layer``: weights ``(D, k)``, biases ``(k,)``, the probe's
    test accuracy (None for the network's own output layer) and the training representation ``(n, D)``."""
    L = trace.arch.n_layers
    reps = trace.layer_outputs(trace.X_train, snapshot)
    H = reps[layer]
    if layer == L - 1:
        W, b = trace.weights(snapshot)[-1]
        return np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64), None, H
    if layer == L:
        k = trace.n_classes
        return np.eye(k), np.zeros(k), None, H
    probe = linear_probe()
    probe.fit(H, trace.y_train)
    test = trace.layer_outputs(trace.X_test, snapshot)[layer]
    accuracy = float(probe.score(test, trace.y_test))
    scaler, lr = probe[0], probe[-1]
    # undo the standardisation: coef . (h - m) / s + b  ==  (coef / s) . h + (b - coef . m / s)
    coef = lr.coef_ / scaler.scale_
    icpt = lr.intercept_ - coef @ scaler.mean_
    if coef.shape[0] == 1:  # sklearn's binary form: one row for class 1 against class 0
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        icpt = np.array([0.0, icpt[0]])
    return coef.T, icpt, accuracy, H


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


def fit_separating_basis(trace: Trace, layer: int, snapshot: int = -1) -> SeparatingBasis:
    """The separating view of ``layer`` at ``snapshot``, to pass as ``basis=`` to every frame
    of an animation (fit it on the last snapshot, where the network separates best)."""
    layer = check_layer(trace, layer)
    _need_classifier(trace)
    W, _, _, H = _classifier(trace, layer, snapshot)
    return _basis(W, H)


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
        predicted=trace.predict(trace.X_train, snapshot),
        line=lines[0] if k == 2 else None,
        lines=lines,
        pairs=pairs,
        accuracy=accuracy,
        exact=exact,
        plane=plane,
        basis=basis,
        source="probe" if accuracy is not None else "network",
    )


def _need_classifier(trace: Trace) -> None:
    if trace.arch.task != "classification":
        raise NetwarpError("a separating projection needs a classifier; this trace is a regression")
