"""Seeing layers wider than 3: projections that stay steady between frames.

The one steady camera of netwarp: :func:`next_basis` carries a view from frame
to frame; :func:`stable_projections` applies it to a whole sequence (the
animations) and :class:`Projector` to a live, growing one per view (the
playground). :func:`procrustes_rotation` is the rotation fit both rely on.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from ..errors import NetwarpError


@dataclass(frozen=True)
class Projection:
    """A fixed affine map ``(X - mean) @ basis`` from ``D`` dims to ``dims``.

    When ``D <= dims`` it is the identity (zero-padded), so 2- and 3-wide
    layers are shown as they are.
    """

    mean: np.ndarray  # (D,)
    basis: np.ndarray  # (D, dims), orthonormal columns
    explained: float  # fraction of the variance the view keeps

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Project ``X (..., D)`` to ``(..., dims)``."""
        return (np.asarray(X) - self.mean) @ self.basis


def fit_projection(arrays: list[np.ndarray] | np.ndarray, dims: int = 2) -> Projection:
    """Fit one PCA view on the points of all ``arrays`` (each ``(m_i, D)``) together.

    Fitting once over every frame of an animation keeps the camera still.
    """
    parts = arrays if isinstance(arrays, list) else [arrays]
    X = np.vstack([_points(a) for a in parts]) if parts else np.empty((0, 0))
    if len(X) < 2:
        raise NetwarpError("a projection needs at least 2 points")
    D = X.shape[1]
    if dims not in (2, 3):
        raise NetwarpError(f"a projection goes to 2 or 3 dims, not {dims}")
    if D <= dims:
        return Projection(np.zeros(D), np.eye(D, dims), 1.0)
    if not np.ptp(X, axis=0).any():  # every point the same: no direction to pick, keep the axes
        return Projection(X.mean(axis=0), np.eye(D, dims), 1.0)
    # principal axes as eigenvectors of the D x D covariance rather than an SVD
    # of X: the same axes in microseconds instead of ~15 ms for a few thousand
    # points, which the playground's 30 ms edit budget needs
    mean = X.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(X - mean, rowvar=False))
    basis = vectors[:, ::-1][:, :dims].copy()
    # a sign convention (largest loading positive) so refits agree on orientation
    basis *= np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(dims)])
    return Projection(mean, basis, float(values[::-1][:dims].sum() / values.sum()))


def stable_projections(frames: list[np.ndarray], dims: int = 2) -> list[np.ndarray]:
    """Project a sequence of point sets ``frames``, each ``(n, D)`` (the same points, e.g. one per
    snapshot) to ``dims`` without flicker or flips.

    The first frame gets its PCA view. Each later view is one step of subspace
    iteration from the previous one (``orth(C_t B_{t-1})`` with the frame's
    covariance ``C_t``), rotated by orthogonal Procrustes to sit as close to the
    previous basis as possible. So the camera follows the layer's main
    directions as training moves them, but never jumps when two directions
    swap importance (which refitting PCA per frame does) and never mirrors.
    Works on a growing sequence, frame by frame (the live playground).

    Returns
    -------
    list of ndarray, each of shape (n, dims)
    """
    out: list[np.ndarray] = []
    basis = None
    for X in frames:
        X = _points(X)
        if out and X.shape != (len(out[-1]), len(basis)):
            raise NetwarpError(f"every frame must hold the same points in the same dims; got {X.shape} after {(len(out[-1]), len(basis))}")
        basis = next_basis(X, basis, dims)
        out.append((X - X.mean(axis=0)) @ basis)
    return out


def next_basis(X: np.ndarray, previous: np.ndarray | None, dims: int = 2) -> np.ndarray:
    """The view basis ``(D, dims)`` for points ``X (n, D)`` following ``previous`` (see :func:`stable_projections`)."""
    D = X.shape[1]
    if D <= dims:
        return np.eye(D, dims)
    if previous is None:
        return fit_projection(X, dims).basis
    Xc = X - X.mean(axis=0)
    Q, _ = np.linalg.qr(Xc.T @ (Xc @ previous))
    return Q @ procrustes_rotation(Q, previous)


def procrustes_rotation(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The orthogonal matrix ``R (k, k)`` that takes ``A (n, k)`` closest to ``B (n, k)``:
    argmin ``||A R - B||`` (orthogonal Procrustes; may include a reflection).

    Centre ``A`` and ``B`` first to match shapes rather than positions.
    """
    U, _, Vt = np.linalg.svd(np.asarray(A).T @ np.asarray(B))
    return U @ Vt


class Projector:
    """Screen coordinates for a layer's space, one steady view per ``key``.

    A layer up to 3 wide is shown as it is; a wider one through a 3D view that
    follows the layer from frame to frame (:func:`next_basis`, the same steady camera the animations use), so a live
    layer does not flicker, flip or jump as it trains.
    """

    def __init__(self) -> None:
        self._last: dict = {}  # key -> (mean (D,), basis (D, dims))

    def reset(self) -> None:
        """Forget every key's view, so the next frames are fitted afresh."""
        self._last.clear()

    def project(self, key: Hashable, points: np.ndarray, grid: np.ndarray, refit: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Project ``points (n, D)`` and ``grid (lines, samples, D)`` to ``dims`` = min(max(D, 2), 3).

        ``refit=False`` keeps the last view of ``key`` (a still camera while a weight is dragged).
        """
        D = points.shape[1]
        prev = self._last.get(key)
        if prev is not None and prev[1].shape[0] != D:
            prev = None  # the layer changed width: start a new view
        if D > 3 and (refit or prev is None):
            X = np.vstack([points, grid.reshape(-1, D)])
            prev = (X.mean(axis=0), next_basis(X, None if prev is None else prev[1], 3))
        elif D <= 3:
            prev = (np.zeros(D), np.eye(D, max(D, 2)))
        self._last[key] = prev
        mean, M = prev
        return (points - mean) @ M, (grid - mean) @ M

    def apply(self, key: Hashable, X: np.ndarray) -> np.ndarray:
        """The last projection used for ``key`` applied to more points ``X (m, D)``; returns ``(m, dims)``."""
        mean, M = self._last[key]
        return (X - mean) @ M


def _points(a) -> np.ndarray:
    """``a`` as finite float points of shape ``(n, D)``, or a one-line error."""
    try:
        X = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise NetwarpError("points must be a numeric array of shape (n, D)") from None
    if X.ndim != 2 or X.shape[1] < 1:
        raise NetwarpError(f"points must have shape (n, D), got {X.shape}")
    if not np.isfinite(X).all():
        raise NetwarpError("points have NaN or infinite values")
    return X


def projection_jitter(a: np.ndarray, b: np.ndarray) -> float:
    """How far the points moved between two projected frames ``a``, ``b`` of shape ``(n, dims)``:
    RMS displacement over the RMS spread of ``b`` (0 = identical, ~1.4 = a flip)."""
    a, b = _points(a), _points(b)
    if a.shape != b.shape:
        raise NetwarpError(f"the two frames must have the same shape, got {a.shape} and {b.shape}")
    spread = np.sqrt(np.mean(np.sum((b - b.mean(axis=0)) ** 2, axis=1)))
    return float(np.sqrt(np.mean(np.sum((a - b) ** 2, axis=1))) / max(spread, 1e-12))
