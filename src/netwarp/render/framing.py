"""Framing: which part of a space a panel shows, and how that range glides between frames."""

from __future__ import annotations

import numpy as np

Limits = tuple[float, float, float, float]  # (x0, x1, y0, y1)


def robust_limits(P: np.ndarray, margin: float = 0.12, q: float = 0.5) -> Limits:
    """A square plot range around most of ``P (n, 2)``: percentiles ``q..100-q``, padded by ``margin``.

    Square (the same span on both axes) so shapes are not distorted; around the
    points, not the grid, since a layer can push grid lines far out and they
    must not shrink the data to a dot.
    """
    lo, hi = np.percentile(np.asarray(P, dtype=np.float64), [q, 100 - q], axis=0)
    c = (lo + hi) / 2
    half = max(float(np.max(hi - lo)), 1e-9) / 2 * (1 + 2 * margin)
    return float(c[0] - half), float(c[0] + half), float(c[1] - half), float(c[1] + half)


def moving_average(v: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average of ``v (n,)`` over ``window`` values, edges repeated; shape ``(n,)``."""
    w = max(1, int(window))
    return np.convolve(np.pad(v, (w // 2, w - 1 - w // 2), mode="edge"), np.ones(w) / w, mode="valid")


def smooth_limits(limits: list[Limits], window: int) -> list[Limits]:
    """Moving average of square plot ranges (centre, and half-width on a log scale),
    so the camera glides instead of jumping from frame to frame."""
    L = np.asarray(limits, dtype=np.float64)
    cx, cy = (L[:, 0] + L[:, 1]) / 2, (L[:, 2] + L[:, 3]) / 2
    logh = np.log(np.maximum((L[:, 1] - L[:, 0]) / 2, 1e-9))
    w = max(1, min(int(window), len(L)))
    cx, cy, h = moving_average(cx, w), moving_average(cy, w), np.exp(moving_average(logh, w))
    return [(a - r, a + r, b - r, b + r) for a, b, r in zip(cx, cy, h)]


def smooth_radii(radii, window: int) -> np.ndarray:
    """Moving average of view radii ``(n,)`` on a log scale (3D views), so zooming glides; shape ``(n,)``."""
    return np.exp(moving_average(np.log(np.maximum(radii, 1e-9)), window))


def leave_band(limits: Limits, height_px: int, band_px: int) -> Limits:
    """``limits`` widened so a panel ``height_px`` tall shows them below a top band of ``band_px``.

    The band is kept for the panel's title (cleared before the title is drawn), so
    no grid line or point runs under it. Both axes grow by the same factor, so a
    square range stays undistorted; the content keeps its centre left-right and
    moves down by the band.
    """
    x0, x1, y0, y1 = limits
    f = height_px / max(height_px - band_px, 1)
    cx, hx = (x0 + x1) / 2, (x1 - x0) / 2 * f
    return float(cx - hx), float(cx + hx), float(y0), float(y0 + (y1 - y0) * f)
