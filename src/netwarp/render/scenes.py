"""Raster drawings of spaces for animation frames (plain arrays in, pixels out).

Each function draws one panel onto a :class:`~netwarp.render.raster.Canvas`
whose ``bounds`` already frame the data.
"""

from __future__ import annotations

import numpy as np

from .camera import project
from .palette import BACKGROUND, GRID_LINE, INK, MUTED, field_words, point_colors
from .raster import Canvas

BAND_RULE = "#e4e4e4"  # the faint line under a panel's title band


def draw_field(
    canvas: Canvas,
    xs: np.ndarray,
    ys: np.ndarray,
    probs: np.ndarray,
    points: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    radius: float = 2.5,
) -> None:
    """The decision field (see :func:`~netwarp.render.palette.field_rgb`) and the data.

    Parameters
    ----------
    canvas : Canvas
    xs : ndarray of shape (C,)
    ys : ndarray of shape (R,)
    probs : ndarray of shape (R, C, k)
    points : ndarray of shape (n, 2), optional
    labels : ndarray of shape (n,), optional
    radius : float
        Point radius in pixels.
    """
    canvas.field(xs, ys, field_words(probs))
    if points is not None:
        canvas.points(points, point_colors(labels, probs.shape[-1]), radius)


def draw_space(
    canvas: Canvas,
    points: np.ndarray,
    labels: np.ndarray,
    grid: np.ndarray | None = None,
    separator: tuple[np.ndarray, float] | None = None,
    radius: float = 2.5,
    k: int | None = None,
    separators: list[tuple[np.ndarray, float]] | None = None,
    regions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    segments: list[np.ndarray] | None = None,
) -> bool:
    """A 2D space: the warped grid, optional separating line(s), the data; True when a
    line crossed the panel (so a caption naming it may be drawn).

    Parameters
    ----------
    canvas : Canvas
    points : ndarray of shape (n, 2)
    labels : ndarray of shape (n,)
    grid : ndarray of shape (m, s, 2), optional
    separator : tuple (w, c), optional
        The line ``w . p + c = 0``, drawn dashed.
    radius : float
    k : int, optional
        Number of classes (for the colours).
    separators : list of (w, c), optional
        More such lines.
    regions : (xs (C,), ys (R,), probs (R, C, k)), optional
        Class regions, painted as a pale field under everything.
    segments : list of ndarray of shape (2, 2), optional
        Boundary segments between the regions, drawn dashed.
    """
    from .plots import separator_segment

    if regions is not None:
        canvas.field(regions[0], regions[1], field_words(regions[2]))
    if grid is not None and len(grid):
        canvas.lines(grid, _grid_color(canvas), 1)
    drawn = False
    for w, c in ([separator] if separator is not None else []) + list(separators or []):
        seg = separator_segment(w, c, canvas.bounds)
        if seg is not None:
            _dashed(canvas, seg[0], seg[1], INK, max(2, canvas.width // 250))
            drawn = True
    for seg in segments or []:
        _dashed(canvas, seg[0], seg[1], INK, max(2, canvas.width // 250))
        drawn = True
    canvas.points(points, point_colors(labels, k), radius)
    return drawn


def _grid_color(canvas: Canvas) -> tuple[int, int, int]:
    # a lighter line on small canvases, where a dense grid would grey everything out
    g = int(GRID_LINE[1:3], 16)
    return (g + 80,) * 3 if canvas.width < 360 else (g + 50,) * 3


def _dashed(canvas: Canvas, a, b, color, width: int, dash_px: float = 8.0) -> None:
    a, b = np.asarray(a, float), np.asarray(b, float)
    length = float(np.hypot(*(canvas.to_px(b) - canvas.to_px(a))))
    n = max(int(length / dash_px), 1)
    ts = np.linspace(0, 1, n + 1)
    # every dash in one call: one antialiasing pass for the whole line
    dashes = np.stack([a + (b - a) * ts[0:n:2, None], a + (b - a) * ts[1 : n + 1 : 2, None]], axis=1)
    canvas.lines(dashes, color, width)


def draw_space3d(
    canvas: Canvas,
    points: np.ndarray,
    labels: np.ndarray,
    grid: np.ndarray | None,
    azimuth: float,
    elevation: float,
    center: np.ndarray,
    radius: float = 2.5,
    k: int | None = None,
    axis_names: tuple[str, str, str] = ("h1", "h2", "h3"),
    axis_length: float | None = None,
    axis_origin: np.ndarray | None = None,
) -> np.ndarray:
    """A 3D space through the orthographic camera, far points first.

    The canvas bounds are in screen units of :func:`~netwarp.render.camera.project`
    (centred on ``center``). Points farther away are drawn first and slightly
    paler, so nearer ones cover them.

    Parameters
    ----------
    canvas : Canvas
    points : ndarray of shape (n, 3)
    labels : ndarray of shape (n,)
    grid : ndarray of shape (m, s, 3), optional
    azimuth, elevation : float
        Radians.
    center : ndarray of shape (3,)
    radius : float
    k : int, optional
    axis_names : tuple of 3 str
        Labels for the axis arrows, drawn from ``center`` (``""`` for none).
    axis_length : float, optional
        Length of the axis arrows in data units (default: a third of the view).
    axis_origin : ndarray of shape (3,), optional
        Where the axis arrows start (default ``center``; a corner keeps them off the data).

    Returns
    -------
    ndarray of shape (n, 2): the points' screen positions, in data order.
    """
    xy, depth = project(points, azimuth, elevation, center)
    if grid is not None:
        gxy, _ = project(grid, azimuth, elevation, center)
        canvas.lines(gxy, _grid_color(canvas), 1)
    L = axis_length or (canvas.bounds[1] - canvas.bounds[0]) / 3
    o = project(np.asarray(center if axis_origin is None else axis_origin, dtype=np.float64)[None], azimuth, elevation, center)[0][0]
    axes_xy, _ = project(np.eye(3) * L, azimuth, elevation)
    for name, tip in zip(axis_names, axes_xy):
        canvas.segment(o, o + tip, MUTED, 1)
        p = canvas.to_px(o + tip * 1.08)
        canvas.text((float(p[0]), float(p[1])), name, max(11, canvas.width // 60), MUTED, anchor="mm")
    order = np.argsort(-depth, kind="stable")  # far first
    colors = point_colors(labels, k).astype(np.float64)
    span = np.ptp(depth) or 1.0
    fade = 0.35 * (depth - depth.min()) / span  # a little paler with distance: depth cue
    colors = colors + (255.0 - colors) * fade[:, None]
    canvas.points(xy[order], np.rint(colors[order]).astype(np.uint8), radius)
    return xy


def title_band(canvas: Canvas, band_px: int) -> None:
    """Clear the top ``band_px`` rows to the background (with a faint rule under them) for a title.

    Whatever was drawn there (grid lines, points pushed to the edge) is hidden, so the
    title is never drawn over the picture; frame the content with
    :func:`~netwarp.render.framing.leave_band` so nothing real sits in the band.
    """
    canvas.rect((0, 0, canvas.width, band_px - 1), fill=BACKGROUND)
    canvas.rect((0, band_px - 1, canvas.width, band_px - 1), fill=BAND_RULE)
