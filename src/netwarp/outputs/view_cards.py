"""The views' results drawn inline in a notebook: a :class:`~netwarp.views.Field`, a
:class:`~netwarp.views.Curve`, a :class:`~netwarp.views.Warp` and a
:class:`~netwarp.views.Separation` show themselves as a small picture (``_repr_png_``).

Each result holds plain arrays and no network, so its picture is drawn from exactly
those arrays; :func:`view_figure` returns the matplotlib Figure (what a test reads),
the display hook its PNG. Registered with :mod:`netwarp.display` when loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import display
from ..errors import NetwarpError
from ..render.charts import plot_units
from ..render.figure import figure_bytes, new_figure
from ..render.framing import robust_limits
from ..render.plots import plot_field, plot_warp, plot_warp3d
from ..views import Curve, Field, Separation, Warp, fit_projection, units_phrase
from .layer_view import FlatView, region_art

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SIZE = 460  # pixels: a notebook cell shows a few of these side by side


def _own(ax: Axes | None, width: int, projection: str | None = None) -> Axes:
    """The caller's ``ax``, or the only axes of a new figure ``width x SIZE`` pixels."""
    return ax if ax is not None else new_figure(width, SIZE, projections=[projection])[1][0]


def _field(f: Field, ax: Axes | None) -> Figure:
    ax = _own(ax, SIZE)
    k = f.probs.shape[-1]
    plot_field(ax, xs=f.xs, ys=f.ys, probs=f.probs,
               title=f"decision field: {k} classes on {len(f.ys)} x {len(f.xs)} cells\n(paler: less sure)")
    return ax.figure


def _curve(c: Curve, ax: Axes | None) -> Figure:
    ax = _own(ax, SIZE + 120)
    plot_units(ax, xs=c.xs, units=c.units, bias=c.bias, yhat=c.yhat, knots=c.knots,
               title=f"the fit (grey) as the sum of {units_phrase(c.units.shape[1])}' contributions")
    return ax.figure


def _warp(w: Warp, ax: Axes | None) -> Figure:
    d = w.points.shape[1]
    where = f"layer {w.layer:g}" if float(w.layer).is_integer() else f"morph at t = {w.layer:g}"
    if d == 3:
        if ax is not None and ax.name != "3d":
            raise NetwarpError("a 3-unit layer is drawn on 3D axes: pass ax=fig.add_subplot(projection='3d')")
        ax = _own(ax, SIZE + 40, "3d")  # room for the third axis' name
        plot_warp3d(ax, points=w.points, labels=w.labels, grid=w.grid, title=f"{where}: {units_phrase(3)}",
                    axis_names=("unit 1", "unit 2", "unit 3"))
        ax.set_box_aspect(None, zoom=0.86)  # matplotlib's 3D box otherwise crowds out the third axis' name
        return ax.figure
    ax = _own(ax, SIZE)
    if d > 3:  # a PCA view, said so on the axes
        p = fit_projection(w.points)
        points, grid, names = p.apply(w.points), p.apply(w.grid), ("PCA 1", "PCA 2")
        title = f"{where}: {units_phrase(d)}, PCA view ({p.explained:.0%} of the variance)"
    else:  # 1 or 2 units: as they are (one unit along a line)
        points = np.pad(w.points, ((0, 0), (0, 2 - d)))
        grid = np.pad(w.grid, ((0, 0), (0, 0), (0, 2 - d)))
        names, title = ("unit 1", "unit 2" if d == 2 else "(none)"), f"{where}: {units_phrase(d)}"
    plot_warp(ax, points=points, labels=w.labels, grid=grid, title=title, axis_names=names)
    return ax.figure


def _separation(s: Separation, ax: Axes | None) -> Figure:
    ax = _own(ax, SIZE)
    how = "the network's own boundary" if s.accuracy is None else f"a linear probe, test accuracy {s.accuracy:.1%}"
    limits = robust_limits(s.points, q=0.0)
    if s.line is not None:
        plot_warp(ax, points=s.points, labels=s.labels, grid=np.empty((0, 2, 2)), separators=[s.line], limits=limits,
                  title=f"layer {s.layer} seen along its classes' split\ndashed: {how}",
                  axis_names=("along the split", "most remaining variance"), line_label="separating line")
        return ax.figure
    # 3+ classes: the regions and where they meet, not every pair's whole line
    regions, segments = region_art(FlatView(s.points, np.empty((0, 2, 2)), [], ("", ""), "", "", s.scores()), limits)
    plot_warp(ax, points=s.points, labels=s.labels, grid=np.empty((0, 2, 2)), limits=limits, regions=regions,
              segments=segments, title=f"layer {s.layer} seen along its classes' split\nshaded: class regions of {how}",
              axis_names=("discriminant direction 1", "discriminant direction 2"), line_label="where the regions meet")
    return ax.figure


_DRAW = {Field: _field, Curve: _curve, Warp: _warp, Separation: _separation}


def view_figure(result: Field | Curve | Warp | Separation, ax: Axes | None = None) -> Figure:
    """The picture of one view result, drawn from its own arrays (what it shows inline in a notebook).

    Parameters
    ----------
    result : Field, Curve, Warp or Separation
        A Field's probabilities ``(R, R, k)``; a Curve's fit and unit terms ``(m,)``,
        ``(m, h)``; a Warp's points ``(n, d)`` and grid ``(lines, samples, d)`` (``d > 3``
        through a PCA view, named on the axes); a Separation's points ``(n, 2)`` and lines.
    ax : matplotlib Axes, optional
        Where to draw (3D axes for a 3-unit Warp); a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the given ``ax``'s.
    """
    for kind, draw in _DRAW.items():
        if isinstance(result, kind):
            return draw(result, ax)
    raise NetwarpError(f"view_figure draws a Field, Curve, Warp or Separation, not {type(result).__name__}")


def _png(result) -> bytes:
    return figure_bytes(view_figure(result))


for _kind in ("field", "curve", "warp", "separation"):
    display.register(_kind, "png", _png)
