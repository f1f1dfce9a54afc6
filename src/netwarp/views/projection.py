"""Seeing layers wider than 3: projections that stay steady between frames."""

from __future__ import annotations

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
    from scipy.linalg import orthogonal_procrustes

    D = X.shape[1]
    if D <= dims:
        return np.eye(D, dims)
    if previous is None:
        return fit_projection(X, dims).basis
    Xc = X - X.mean(axis=0)
    Q, _ = np.linalg.qr(Xc.T @ (Xc @ previous))
    R, _ = orthogonal_procrustes(Q, previous)
    return Q @ R


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
