"""Pictures of a classifier whose input is a table (any number of named features): each layer
seen along its classes' split, and the input as a biplot (each feature's direction an arrow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..render.figure import new_figure
from ..render.palette import INK
from ..render.plots import class_legend, plot_warp
from ..trace import Trace
from ..views import check_layer, layer_name, units_phrase
from .layer_view import region_art, separated_view, view_limits

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_ARROWS = 8  # feature arrows drawn on the input's biplot: the longest ones, said in the title


def feature_arrows(trace: Trace, axes: np.ndarray, limits: tuple[float, float, float, float]) -> list[tuple[str, np.ndarray]]:
    """Each input feature's direction in a view ``axes (d, 2)``: ``(name, arrow (2,))``, the longest
    :data:`MAX_ARROWS` first, scaled together so the longest reaches 40% of the view's span.

    A feature's arrow is where a step of one unit (one standard deviation for a
    standardised table) along that feature moves a point in the view.
    """
    span = min(limits[1] - limits[0], limits[3] - limits[2])
    length = np.linalg.norm(axes, axis=1)
    order = np.argsort(-length)[:MAX_ARROWS]
    scale = 0.4 * span / max(float(length.max()), 1e-12)
    names = trace.feature_names
    return [(names[i], axes[i] * scale) for i in order if length[i] > 0]


def table_layer_figure(trace: Trace, layer: int, snapshot: int = -1, size: int = 700, ax: Axes | None = None) -> Figure:
    """``layer`` of a table classifier along its classes' split: the training points, the separating
    line (two classes) or class regions (three or more), the probe's test accuracy for layers before
    the last; for the input (``layer=0``) a biplot, each feature's direction drawn as a labelled arrow."""
    layer = check_layer(trace, layer)
    sep = views.separating_projection(trace, layer, snapshot)  # one probe fit serves the view and the arrows
    v = separated_view(trace, sep)
    if ax is None:
        fig, (ax,) = new_figure(size, size)
    limits = view_limits(v)
    regions, segments = region_art(v, limits)
    d = trace.arch.sizes[layer]
    step = trace.snapshot(snapshot).step
    title = f"{layer_name(layer, trace.arch.n_layers)} ({units_phrase(d)}), step {step}, seen along the classes' split"
    note = v.note
    if layer == 0:
        arrows = feature_arrows(trace, sep.basis.axes, limits)
        centre = sep.basis.apply(trace.X_train.mean(axis=0))  # arrows start at the data's mean
        for name, a in arrows:
            ax.annotate("", xy=centre + a, xytext=centre, arrowprops={"arrowstyle": "->", "color": INK, "lw": 1.4}, zorder=6)
            ax.text(*(centre + a * 1.08), name, fontsize=9, ha="center", va="center", zorder=7,
                    bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1})
        shown = f"the {len(arrows)} longest of {d}" if len(arrows) < d else f"all {d}"
        note = f"{note}\narrows: each feature's direction ({shown})" if note else f"arrows: each feature's direction ({shown})"
    label = "where the class regions meet" if regions is not None else v.note.removeprefix("dashed: ") or "separating line"
    plot_warp(ax, points=v.points, labels=trace.y_train, grid=np.empty((0, 2, 2)), separators=v.lines,
              axis_names=v.axis_names, title=f"{title}\n{note}" if note else title, limits=limits, line_label=label,
              regions=regions, segments=segments)
    class_legend(ax.figure, trace.n_classes, names=trace.class_names)
    return ax.figure
