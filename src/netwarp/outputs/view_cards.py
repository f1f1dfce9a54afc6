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
from ..render.charts import plot_units
from ..render.figure import figure_bytes, new_figure
from ..render.plots import plot_field, plot_warp, plot_warp3d
from ..views import Curve, Field, Separation, Warp, fit_projection, units_phrase

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIZE = 460  # pixels: a notebook cell shows a few of these side by side


def _field(f: Field) -> Figure:
    fig, (ax,) = new_figure(SIZE, SIZE)
    k = f.probs.shape[-1]
    plot_field(ax, xs=f.xs, ys=f.ys, probs=f.probs,
               title=f"decision field: {k} classes on {len(f.ys)} x {len(f.xs)} cells\n(paler: less sure)")
    return fig


def _curve(c: Curve) -> Figure:
    fig, (ax,) = new_figure(SIZE + 120, SIZE)
    plot_units(ax, xs=c.xs, units=c.units, bias=c.bias, yhat=c.yhat, knots=c.knots,
               title=f"the fit (grey) as the sum of {units_phrase(c.units.shape[1])}' contributions")
    return fig


def _warp(w: Warp) -> Figure:
    d = w.points.shape[1]
    where = f"layer {w.layer:g}" if float(w.layer).is_integer() else f"morph at t = {w.layer:g}"
    if d == 3:
        fig, (ax,) = new_figure(SIZE + 40, SIZE, projections=["3d"])  # room for the third axis' name
        plot_warp3d(ax, points=w.points, labels=w.labels, grid=w.grid, title=f"{where}: {units_phrase(3)}",
                    axis_names=("unit 1", "unit 2", "unit 3"))
        ax.set_box_aspect(None, zoom=0.86)  # matplotlib's 3D box otherwise crowds out the third axis' name
        return fig
    fig, (ax,) = new_figure(SIZE, SIZE)
    if d > 3:  # a PCA view, said so on the axes
        p = fit_projection(w.points)
        points, grid, names = p.apply(w.points), p.apply(w.grid), ("PCA 1", "PCA 2")
        title = f"{where}: {units_phrase(d)}, PCA view ({p.explained:.0%} of the variance)"
    else:  # 1 or 2 units: as they are (one unit along a line)
        points = np.pad(w.points, ((0, 0), (0, 2 - d)))
        grid = np.pad(w.grid, ((0, 0), (0, 0), (0, 2 - d)))
        names, title = ("unit 1", "unit 2" if d == 2 else "(none)"), f"{where}: {units_phrase(d)}"
    plot_warp(ax, points=points, labels=w.labels, grid=grid, title=title, axis_names=names)
    return fig


def _separation(s: Separation) -> Figure:
    fig, (ax,) = new_figure(SIZE, SIZE)
    how = "the network's own boundary" if s.accuracy is None else f"a linear probe, test accuracy {s.accuracy:.1%}"
    plot_warp(ax, points=s.points, labels=s.labels, grid=np.empty((0, 2, 2)), separators=s.lines,
              title=f"layer {s.layer} seen along its classes' split\ndashed: {how}",
              axis_names=("along the split", "most remaining variance"), line_label="separating line")
    return fig


_DRAW = {Field: _field, Curve: _curve, Warp: _warp, Separation: _separation}


def view_figure(result: Field | Curve | Warp | Separation) -> Figure:
    """The picture of one view result, drawn from its own arrays.

    Parameters
    ----------
    result : Field, Curve, Warp or Separation
        A Field's probabilities ``(R, R, k)``; a Curve's fit and unit terms ``(m,)``,
        ``(m, h)``; a Warp's points ``(n, d)`` and grid ``(lines, samples, d)`` (``d > 3``
        through a PCA view, named on the axes); a Separation's points ``(n, 2)`` and lines.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for kind, draw in _DRAW.items():
        if isinstance(result, kind):
            return draw(result)
    raise TypeError(f"no picture for {type(result).__name__}")


def _png(result) -> bytes:
    return figure_bytes(view_figure(result))


for _kind in ("field", "curve", "warp", "separation"):
    display.register(_kind, "png", _png)
