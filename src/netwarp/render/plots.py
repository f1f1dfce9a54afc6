"""Static pictures of space on matplotlib ``Axes``: fields, warped grids, 3D spaces.

Every function takes plain arrays and an optional ``ax`` (a new figure is made
when it is omitted) and returns the ``Axes`` it drew on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .camera import DEFAULT_AZIMUTH, DEFAULT_ELEVATION, matplotlib_view
from .framing import robust_limits
from .palette import GRID_LINE, INK, field_rgb, point_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from mpl_toolkits.mplot3d.axes3d import Axes3D

POINT_SIZE = 14  # matplotlib marker area in points^2


def _axes(ax, projection=None, size=(480, 480)):
    if ax is not None:
        return ax
    from .figure import new_figure

    return new_figure(*size, projections=[projection])[1][0]


def plot_field(
    ax: Axes | None = None,
    *,
    xs: np.ndarray,
    ys: np.ndarray,
    probs: np.ndarray,
    points: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    title: str | None = None,
    boundary: bool = True,
    marked: np.ndarray | None = None,
    marked_label: str = "",
) -> Axes:
    """A classifier's decision field with the data on top.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    xs : ndarray of shape (C,)
    ys : ndarray of shape (R,), ascending
    probs : ndarray of shape (R, C, k)
        Class probabilities; the background is :func:`~netwarp.render.palette.field_rgb`.
    points : ndarray of shape (n, 2), optional
    labels : ndarray of shape (n,), optional
    title : str, optional
    boundary : bool
        Outline the 50% contour (two classes) where the predicted class changes.
    marked : ndarray of int, optional
        Indices into ``points`` to ring (e.g. the points nearest a gap in the boundary).
    marked_label : str
        The legend entry for the rings.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    k = probs.shape[-1]
    dx, dy = (xs[-1] - xs[0]) / (len(xs) - 1) / 2, (ys[-1] - ys[0]) / (len(ys) - 1) / 2
    ax.imshow(
        field_rgb(probs),
        origin="lower",
        extent=(xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy),
        interpolation="nearest",
        aspect="auto",
    )
    if boundary and k == 2:
        ax.contour(xs, ys, probs[..., 1], levels=[0.5], colors=[INK], linewidths=0.8, alpha=0.6)
    if points is not None:
        ax.scatter(points[:, 0], points[:, 1], s=POINT_SIZE, c=point_colors(labels, k) / 255.0, edgecolors=INK, linewidths=0.4)
        ring_points(ax, points, marked, marked_label)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def ring_points(ax: Axes, points: np.ndarray, marked: np.ndarray | None, label: str) -> None:
    """Ring ``points[marked]`` (``points (n, 2)``) with hollow circles and a legend entry ``label``."""
    if marked is None or not len(marked):
        return
    P = np.asarray(points)[np.asarray(marked, dtype=int)]
    ax.scatter(P[:, 0], P[:, 1], s=POINT_SIZE * 14, facecolors="none", edgecolors=INK, linewidths=1.8, zorder=5, label=label or None)
    if label:
        ax.legend(loc="best", fontsize=10, framealpha=0.85)


def class_legend(fig: Figure, k: int, note: str | None = None, extra: list | None = None, names: list[str] | None = None) -> None:
    """A legend of what the colours mean, under the figure's panels (never over the data):
    one entry per class (``names``, or ``class 0``, ``class 1``, ...), any ``extra`` handles
    (e.g. the dashed line), then ``note``."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker="o", markersize=7, markerfacecolor=c / 255.0, markeredgecolor=INK,
                      markeredgewidth=0.4, label=names[j] if names else f"class {j}")
               for j, c in enumerate(point_colors(np.arange(k), k))]
    handles += list(extra or [])
    # the note is the legend's title, on its own line: one row would overflow a narrow figure
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=10, frameon=False,
               handletextpad=0.3, columnspacing=1.2, title=note, title_fontsize=10)


def separator_segment(w: np.ndarray, c: float, limits: tuple[float, float, float, float]) -> np.ndarray | None:
    """Where the line ``w . p + c = 0`` crosses the box ``limits = (x0, x1, y0, y1)``.

    Parameters
    ----------
    w : ndarray of shape (2,)
    c : float
    limits : tuple of 4 floats

    Returns
    -------
    ndarray of shape (2, 2) (its two ends), or None if it misses the box.
    """
    x0, x1, y0, y1 = limits
    w = np.asarray(w, dtype=np.float64)
    pts = []
    if abs(w[1]) > 1e-12:
        for x in (x0, x1):
            y = -(c + w[0] * x) / w[1]
            if y0 - 1e-9 <= y <= y1 + 1e-9:
                pts.append((x, y))
    if abs(w[0]) > 1e-12:
        for y in (y0, y1):
            x = -(c + w[1] * y) / w[0]
            if x0 - 1e-9 <= x <= x1 + 1e-9:
                pts.append((x, y))
    if len(pts) < 2:
        return None
    pts = np.array(pts)
    far = np.argmax(((pts - pts[0]) ** 2).sum(axis=1))
    return np.array([pts[0], pts[far]])


def plot_warp(
    ax: Axes | None = None,
    *,
    points: np.ndarray,
    labels: np.ndarray,
    grid: np.ndarray,
    separator: tuple[np.ndarray, float] | None = None,
    title: str | None = None,
    axis_names: tuple[str, str] = ("h1", "h2"),
    separators: list[tuple[np.ndarray, float]] | None = None,
    line_label: str = "separating line",
    limits: tuple[float, float, float, float] | None = None,
    marked: np.ndarray | None = None,
    marked_label: str = "",
    regions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    segments: list[np.ndarray] | None = None,
) -> Axes:
    """A 2D space (a layer, or a projection of one): the warped grid and the data.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    points : ndarray of shape (n, 2)
    labels : ndarray of shape (n,)
    grid : ndarray of shape (m, s, 2)
        Polylines (the input grid pushed through the network).
    separator : tuple (w, c), optional
        The line ``w . p + c = 0`` (``w`` of shape (2,)), e.g. where the output
        layer's two logits are equal; drawn dashed.
    title : str, optional
    separators : list of (w, c), optional
        More such lines (e.g. one per pair of classes).
    line_label : str
        The legend entry naming the dashed line(s).
    axis_names : tuple of 2 str
    limits : tuple of 4 floats, optional
        ``(x0, x1, y0, y1)``; by default around the points (:func:`robust_limits`).
    marked : ndarray of int, optional
        Indices into ``points`` to ring, with the legend entry ``marked_label``.
    marked_label : str
    regions : (xs (C,), ys (R,), probs (R, C, k)), optional
        Class regions as a pale field under the grid (:func:`field_rgb`).
    segments : list of ndarray of shape (2, 2), optional
        Boundary segments between regions, drawn dashed (named by ``line_label``).

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    lim = robust_limits(points) if limits is None else limits
    if regions is not None:
        xs, ys, probs = regions
        ax.imshow(field_rgb(probs), origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]), interpolation="nearest",
                  aspect="auto", zorder=0)
    ax.add_collection(LineCollection(list(grid), colors=GRID_LINE, linewidths=0.5, alpha=0.55))
    ax.scatter(points[:, 0], points[:, 1], s=POINT_SIZE, c=point_colors(labels) / 255.0, edgecolors=INK, linewidths=0.4, zorder=3)
    lines = ([separator] if separator is not None else []) + list(separators or [])
    drawn = False
    for w, c in lines:
        seg = separator_segment(w, c, lim)
        if seg is not None:
            ax.plot(seg[:, 0], seg[:, 1], "--", color=INK, lw=1.6, zorder=4, label=None if drawn else line_label)
            drawn = True
    for seg in segments or []:
        ax.plot(seg[:, 0], seg[:, 1], "--", color=INK, lw=1.6, zorder=4, label=None if drawn else line_label)
        drawn = True
    if marked is not None and len(marked):
        ring_points(ax, points, marked, marked_label)
    elif drawn:
        ax.legend(loc="best", fontsize=10, framealpha=0.85)
    ax.set_xlim(lim[0], lim[1])
    ax.set_ylim(lim[2], lim[3])
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def plot_warp3d(
    ax: Axes3D | None = None,
    *,
    points: np.ndarray,
    labels: np.ndarray,
    grid: np.ndarray,
    separator: tuple[np.ndarray, float] | None = None,
    title: str | None = None,
    axis_names: tuple[str, str, str] = ("h1", "h2", "h3"),
    view: tuple[float, float] | None = None,
) -> Axes3D:
    """A 3-wide space on 3D axes: the warped grid (a bent sheet) and the data.

    Parameters
    ----------
    ax : matplotlib 3D Axes, optional
    points : ndarray of shape (n, 3)
    labels : ndarray of shape (n,)
    grid : ndarray of shape (m, s, 3)
    separator : tuple (w, c), optional
        The plane ``w . p + c = 0`` (``w`` of shape (3,)), drawn translucent.
    title : str, optional
    axis_names : tuple of 3 str
    view : tuple (elevation, azimuth) in matplotlib's degrees, optional
        By default the still view of :mod:`~netwarp.render.camera` (the one the animations use).

    Returns
    -------
    matplotlib 3D Axes
    """
    from mpl_toolkits.mplot3d.art3d import Line3DCollection

    ax = _axes(ax, projection="3d")
    ax.add_collection3d(Line3DCollection(list(grid), colors=GRID_LINE, linewidths=0.4, alpha=0.35))
    ax.scatter(points[:, 0], points[:, 1], points[:, 2], s=POINT_SIZE * 0.8, c=point_colors(labels) / 255.0, edgecolors=INK, linewidths=0.3, depthshade=True)
    lo, hi = np.percentile(points, 0.5, axis=0), np.percentile(points, 99.5, axis=0)
    pad = (hi - lo) * 0.1 + 1e-9
    lo, hi = lo - pad, hi + pad
    if separator is not None:
        _plane(ax, np.asarray(separator[0], float), float(separator[1]), lo, hi)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_zlim(lo[2], hi[2])
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    ax.set_zlabel(axis_names[2])
    ax.view_init(*(matplotlib_view(DEFAULT_AZIMUTH, DEFAULT_ELEVATION) if view is None else view))
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def _plane(ax, w: np.ndarray, c: float, lo: np.ndarray, hi: np.ndarray) -> None:
    # solve for the coordinate the plane depends on most, over a grid of the other two
    k = int(np.argmax(np.abs(w)))
    i, j = [d for d in range(3) if d != k]
    u, v = np.meshgrid(np.linspace(lo[i], hi[i], 2), np.linspace(lo[j], hi[j], 2))
    s = -(c + w[i] * u + w[j] * v) / w[k]
    P = [None, None, None]
    P[i], P[j], P[k] = u, v, np.clip(s, lo[k], hi[k])
    ax.plot_surface(*P, color=INK, alpha=0.12, linewidth=0)
