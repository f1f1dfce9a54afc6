"""Static pictures of a Trace (matplotlib): the glue from ``views`` to ``render``.

Each ``*_figure`` function returns a matplotlib ``Figure`` of an exact pixel
size; :func:`plot` picks one for the command line and saves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.charts import plot_curves, plot_fit, plot_probes, plot_units
from ..render.figure import new_figure, save_figure
from ..render.framing import robust_limits
from ..render.output import check_output
from ..render.plots import class_legend, plot_field, plot_warp, plot_warp3d
from ..trace import Trace
from ..views import check_layer, default_layer, layer_name, net_name, separator, unit_names, units_phrase
from .digits_figures import DIGIT_WHATS, digits_plot, is_image_classifier
from .layer_view import check_projection, dead_note, flat_view, region_art, separates, view_limits
from .recorded_figures import is_recorded, recorded_plot
from .table_figures import table_layer_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FIELD_NOTE = "background: predicted class (paler: less sure)"
GAP_LABEL = "ring points beside the gap the boundary goes through"


def _gap_marks(trace: Trace, snapshot: int) -> np.ndarray | None:
    """The training points to ring where a 2-wide run took the easy way out (:func:`views.easy_way_out`)."""
    gap = views.easy_way_out(trace, snapshot)
    return None if gap is None else gap.nearest
WHATS = ("auto", "field", "layer", "fit", "probes", "curves", "code", "weights", "gradients", "diagram",
         "filters", "digit", "path", "saliency", "saliency-training", "selectivity", "groups", "robustness")
MIN_PX, MAX_PX = 160, 4000


def _check_size(size) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not MIN_PX <= size <= MAX_PX:
        raise NetwarpError(f"size must be a whole number of pixels from {MIN_PX} to {MAX_PX}, got {size!r}")
    return int(size)


def _step_title(trace: Trace, snapshot: int) -> str:
    s = trace.snapshot(snapshot)
    if trace.arch.task == "classification":
        return f"step {s.step}: test accuracy {s.test_acc:.1%}"
    return f"step {s.step}: test MSE {s.test_loss:.4f}"


def _net_name(trace: Trace) -> str:
    return f"{net_name(trace)} {trace.arch.activation_text}"


def field_figure(
    trace: Trace, snapshot: int = -1, size: int = 520, ax: Axes | None = None, title: str | None = None, legend: bool = True
) -> Figure:
    """The decision field with the training points (a 2-input classifier), and a legend of
    the colours under it (``legend=False`` leaves it to the caller, e.g. one per figure).

    Returns the Figure (or the given ``ax``'s figure).
    """
    f = views.decision_field(trace, snapshot, resolution=240)
    if ax is None:
        fig, (ax,) = new_figure(_check_size(size), _check_size(size))
    plot_field(ax, xs=f.xs, ys=f.ys, probs=f.probs, points=trace.X_train, labels=trace.y_train,
               title=title or f"{_net_name(trace)}, {_step_title(trace, snapshot)}",
               marked=_gap_marks(trace, snapshot), marked_label=GAP_LABEL)
    if legend:
        class_legend(ax.figure, trace.n_classes, FIELD_NOTE)
    return ax.figure


def layer_figure(
    trace: Trace, layer: int, snapshot: int = -1, size: int = 520, ax: Axes | None = None, projection: str = "separating"
) -> Figure:
    """One layer's space: the warped input grid and the data.

    2 units are drawn as they are, 3 on 3D axes (with the separating plane),
    wider through the separating view (``projection="separating"``, the default:
    the classes' split on the first axis, see
    :func:`netwarp.views.separating_projection`) or PCA (``"pca"``), 1 along a
    line. The dashed line is the network's own decision line for the last hidden
    layer, a linear probe's (with its test accuracy) for earlier ones. A given
    ``ax`` must be 3D for a 3-unit layer.

    Returns the Figure (or the given ``ax``'s figure).
    """
    layer = check_layer(trace, layer)
    check_projection(projection)
    w = views.warp(trace, layer, snapshot, lines=25, samples=80)
    d = w.points.shape[1]
    L = trace.arch.n_layers
    title = f"{layer_name(layer, L)} ({units_phrase(d)}) of {_net_name(trace)}, step {trace.snapshot(snapshot).step}"
    if d == 3:
        sep = separator(trace, layer, snapshot)
        note = "plane: the network's decision" if sep is not None else ""
        if sep is None and separates(trace) and trace.n_classes == 2 and projection == "separating":
            s = views.separating_projection(trace, layer, snapshot)
            sep, note = s.plane, f"plane: linear probe, test accuracy {s.accuracy:.1%}"
        if ax is None:
            fig, (ax,) = new_figure(_check_size(size), _check_size(size), projections=["3d"])
        plot_warp3d(ax, points=w.points, labels=w.labels, grid=w.grid, separator=sep,
                    title=f"{title}\n{note}" if note else title, axis_names=unit_names(layer, L, 3))
        return ax.figure
    if ax is None:
        fig, (ax,) = new_figure(_check_size(size), _check_size(size))
    v = flat_view(trace, layer, snapshot, w, projection)
    dead = dead_note(v.points)  # the panel zooms to the points; say why they look like noise
    limits = view_limits(v)
    regions, segments = region_art(v, limits)
    label = "where the class regions meet" if regions is not None else v.note.removeprefix("dashed: ") or "separating line"
    plot_warp(ax, points=v.points, labels=w.labels, grid=v.grid, separators=v.lines, axis_names=v.axis_names,
              title=f"{title}\n{dead}" if dead else f"{title}\n{v.note}" if regions is not None else title,
              limits=limits, line_label=label, regions=regions, segments=segments,
              marked=_gap_marks(trace, snapshot), marked_label=GAP_LABEL)
    return ax.figure


def stages_figure(trace: Trace, layer: int = 1, snapshot: int = -1, size: int = 1000, axes: list[Axes] | None = None) -> Figure:
    """A 2-wide layer before and after its activation, side by side.

    A saturated tanh layer squeezes everything against the square's edges, where
    nobody can see the shapes any more; the pre-activation (``l_k W_k + b_k``, an affine
    image of the previous layer) shows the same points one step earlier, where the
    shapes are still spread out. The activation is one-to-one, so what surrounds
    what on the left still surrounds it on the right.

    ``axes``, if given, is the pair of Axes to draw before and after on.
    Returns the Figure (the given axes' figure).
    """
    layer = check_layer(trace, layer)
    if not 0 < layer < trace.arch.n_layers or trace.arch.sizes[layer] != 2:
        raise NetwarpError(f"a before/after picture needs a hidden layer of 2 units; layer {layer} has {trace.arch.sizes[layer]}")
    size = _check_size(size)
    if axes is None:
        fig, (a, b) = new_figure(size, int(size * 0.52), ncols=2)
    elif len(axes) != 2:
        raise NetwarpError(f"stages_figure draws before and after: it needs 2 Axes, got {len(axes)}")
    else:
        (a, b), fig = axes, axes[0].figure
    L = trace.arch.n_layers
    pre = views.morph(trace, layer, layer - 1 / 3, snapshot, lines=25, samples=80)  # after + b, before the activation
    post = views.warp(trace, layer, snapshot, lines=25, samples=80)
    k = layer - 1
    act = trace.arch.layer_activation(k)  # this layer's own
    names = unit_names(layer, L, 2)
    plot_warp(a, points=pre.points[:, :2], labels=pre.labels, grid=pre.grid[..., :2],
              title=f"{layer_name(layer, L)} before {act}: l{k} W{k} + b{k}",
              axis_names=(f"{names[0]} before {act}", f"{names[1]} before {act}"),
              limits=robust_limits(pre.points[:, :2], q=0.0))
    plot_warp(b, points=post.points, labels=post.labels, grid=post.grid, separator=separator(trace, layer, snapshot),
              title=f"after {act}: {layer_name(layer, L)} of {_net_name(trace)}",
              axis_names=tuple(names), limits=robust_limits(post.points, q=0.0))
    return fig


def compare_figure(
    traces: list[Trace], titles: list[str] | None = None, size: int = 900, snapshot: int = -1, axes: list[Axes] | None = None
) -> Figure:
    """Decision fields of several networks on the same data, side by side.

    ``axes``, if given, holds one Axes per trace. Returns the Figure (the given axes' figure).
    """
    size = _check_size(size)
    n = len(traces)
    if axes is None:
        x0, x1, y0, y1 = views.bounds(traces[0])
        # each panel keeps the data's aspect ratio, plus room for a title and tick labels
        panel = size / n
        height = int(np.clip(panel * (y1 - y0) / (x1 - x0) + 70, MIN_PX, 2 * panel + 70))
        fig, axes = new_figure(size, height + 30, ncols=n)
    elif len(axes) != n:
        raise NetwarpError(f"compare_figure needs one Axes per trace: {n} traces, {len(axes)} axes")
    else:
        fig = axes[0].figure
    for i, (t, ax) in enumerate(zip(traces, axes)):
        field_figure(t, snapshot, ax=ax, title=titles[i] if titles else None, legend=False)
    class_legend(fig, traces[0].n_classes, FIELD_NOTE)  # one legend for all panels
    return fig


def fit_figure(trace: Trace, snapshot: int = -1, size: int = 900, ax: Axes | None = None) -> Figure:
    """A 1D regression: the fit beside each hidden unit's contribution (the hinges, for ReLU).

    A given ``ax`` gets the fit alone (the contributions need a panel of their own).
    Returns the Figure (or the given ``ax``'s figure).
    """
    c = views.regression_curve(trace, snapshot)
    size = _check_size(size)
    if ax is None:
        fig, (a, b) = new_figure(size, int(size * 0.52), ncols=2)
    else:
        fig, a, b = ax.figure, ax, None
    plot_fit(a, x=trace.X_train[:, 0], y=trace.y_train, xs=c.xs, yhat=c.yhat, knots=c.knots,
             title=f"{_net_name(trace)}, {_step_title(trace, snapshot)}")
    if b is None:
        return fig
    plot_units(b, xs=c.xs, units=c.units, bias=c.bias, yhat=c.yhat, knots=c.knots,
               title="each hidden unit's contribution\n(they sum to the fit)")
    return fig


def probes_figure(
    traces: list[Trace], labels: list[str] | None = None, snapshot: int = -1, size: int = 640, ax: Axes | None = None
) -> Figure:
    """Linear-probe test accuracy per layer, one group of bars per network.

    Returns the Figure (or the given ``ax``'s figure).
    """
    if ax is None:
        fig, (ax,) = new_figure(_check_size(size), int(_check_size(size) * 0.6))
    from ..render.palette import CLASS_COLORS

    n = len(traces)
    width = 0.8 / n
    for i, t in enumerate(traces):
        acc = views.probe_accuracies(t, snapshot)
        plot_probes(ax, accuracies=acc, chance=1.0 / t.n_classes if i == n - 1 else None,
                    label=(labels[i] if labels else _net_name(t)) if n > 1 else None,
                    offset=(i - (n - 1) / 2) * width, width=width, color=CLASS_COLORS[(1 + i) % len(CLASS_COLORS)],
                    title="how linearly separable the classes are at each layer")
    return ax.figure


def curves_figure(trace: Trace, size: int = 640, height: int | None = None, ax: Axes | None = None) -> Figure:
    """Training curves: loss (log) and accuracy over the steps; ``height`` defaults to 0.55 x ``size``.

    Returns the Figure (or the given ``ax``'s figure).
    """
    if ax is None:
        size = _check_size(size)
        fig, (ax,) = new_figure(size, _check_size(height) if height is not None else int(size * 0.55))
    c = views.training_curves(trace)
    plot_curves(ax, **c, title=f"training {_net_name(trace)}")
    return ax.figure


def auto_what(trace: Trace, layer: int | None) -> str:
    """What :func:`plot` draws by default: a layer if one is given, else the field,
    the fit, or (for inputs that are not a plane) the probe accuracies."""
    if layer is not None:
        return "layer"
    if trace.arch.task == "regression":
        return "fit" if trace.arch.sizes[0] == 1 else "curves"
    return "field" if trace.arch.sizes[0] == 2 else "probes"


def plot(
    trace: Trace, path: str | Path, what: str = "auto", layer: int | None = None, snapshot: int = -1, size: int | None = None,
    projection: str = "separating", **choose,
) -> Path:
    """Draw one picture of ``trace`` and save it as PNG or SVG (by extension), atomically.

    Parameters
    ----------
    trace : Trace
    path : str or Path
    what : {"auto", "field", "layer", "fit", "probes", "curves", "code", "weights", "gradients", "diagram"}
        ``code``: shapes, algebra and numpy code side by side; ``weights``: every weight and its
        histograms over training; ``gradients``: per-layer gradient norms over training;
        ``diagram``: the network with a legend, the units diagnostics name ringed.
        For images (8x8 digits): ``filters``, ``digit``, ``path``, ``saliency``,
        ``saliency-training``, ``selectivity``, ``groups`` (with lesions) and ``robustness``
        (any trace); see :mod:`netwarp.outputs.digits_figures`.
    layer : int, optional
        For ``layer`` (default: the last hidden layer).
    snapshot : int
    size : int, optional
        Width in pixels.
    projection : {"separating", "pca"}
        How a layer wider than 3 is flattened (``layer`` pictures).
    **choose
        For the image views: ``index``, ``digit``, ``versus``, ``to_index``, ``to_digit``
        (which test images and classes; see :func:`netwarp.outputs.digits_figures.digits_plot`).
    """
    path = check_output(path, "image")
    check_projection(projection)
    if what not in WHATS:
        raise NetwarpError(f"unknown picture {what!r}; choose one of: {', '.join(WHATS)}")
    trace.index(snapshot)
    if is_recorded(trace):  # layer outputs on the run's own points, no weights: pictures of its own
        return save_figure(recorded_plot(trace, what, layer, snapshot, size and _check_size(size), projection), path)
    if layer is not None:
        check_layer(trace, layer)
    what = auto_what(trace, layer) if what == "auto" else what
    if size is not None:
        _check_size(size)
    if what == "field":
        fig = field_figure(trace, snapshot, size or 520)
    elif what == "layer" and trace.arch.sizes[0] != 2 and trace.arch.task == "classification":
        if is_image_classifier(trace):
            fig = digits_plot(trace, "layer", snapshot, size, layer)  # no input plane to warp: the digits as dots
        else:  # a table: each layer (the input too, with its features as arrows) along the classes' split
            fig = table_layer_figure(trace, default_layer(trace) if layer is None else layer, snapshot, size or 700)
    elif what == "layer":
        fig = layer_figure(trace, default_layer(trace) if layer is None else layer, snapshot, size or 520, projection=projection)
    elif what == "fit":
        fig = fit_figure(trace, snapshot, size or 900)
    elif what == "probes":
        if trace.arch.task != "classification":
            raise NetwarpError("probe accuracies need a classifier; this trace is a regression")
        fig = probes_figure([trace], snapshot=snapshot, size=size or 640)
    elif what in ("code", "weights", "gradients", "diagram"):
        from . import anatomy

        draw = {"code": anatomy.code_figure, "weights": anatomy.weights_figure,
                "gradients": anatomy.gradients_figure, "diagram": anatomy.diagram_figure}[what]
        kw = {"size": size} if size else {}
        fig = draw(trace, snapshot, **kw) if what in ("code", "diagram") else draw(trace, **kw)
    elif what in DIGIT_WHATS:
        fig = digits_plot(trace, what, snapshot, size, layer, **choose)
    else:
        fig = curves_figure(trace, size or 640)
    return save_figure(fig, path)
