"""Pictures of a trace recorded by its layers' outputs (a model netwarp does not run).

Such a trace holds, per snapshot, what the model's named layers output on its
own training and test points (:class:`netwarp.torch.Recorder` with ``layers=``).
There is no input plane to warp and no weights to draw, so each layer is shown
as its training points along its classes' split, found by a linear probe
(:func:`netwarp.views.separating_projection`), titled with the layer's recorded
name and the probe's measured test accuracy. Every caption is built from the
run's numbers (:func:`apart_phrase`). Pictures that need the weights refuse in
one line (:func:`check_recorded_what`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..errors import NetwarpError, whole_number
from ..render.figure import new_figure
from ..render.plots import class_legend, plot_warp
from ..trace import Trace
from ..views import units_phrase
from .layer_view import FlatView, check_projection, region_art, separated_view, view_limits

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# the pictures of `netwarp plot` a recorded trace can have: they read layer outputs on the run's own points
RECORDED_WHATS = ("auto", "layer", "probes", "curves", "selectivity")
# a probe at least this accurate on the test points: the classes "come apart" along its split
APART = 0.9


def is_recorded(trace: Trace) -> bool:
    """Whether ``trace`` holds recorded layer outputs rather than weights (``trace.arch.recorded``)."""
    return bool(getattr(trace.arch, "recorded", False))


def recorded_name(trace: Trace, layer: int) -> str:
    """The name of ``layer`` (0..n_layers) of a recorded trace: "input", the recorded module's
    dotted path (``trace.layer_names``), or "output logits"."""
    L = trace.arch.n_layers
    if layer == 0:
        return "input"
    if layer == L:
        return "output logits"
    return trace.layer_names[layer - 1]


def recorded_layers(trace: Trace) -> list[int]:
    """The indices (1..n_layers-1) of the recorded layers, in the model's order."""
    return list(range(1, trace.arch.n_layers))


def default_recorded_layer(trace: Trace) -> int:
    """The layer shown when none is asked for: the last recorded one (the logits if none was recorded)."""
    return max(trace.arch.n_layers - 1, 1) if trace.arch.n_layers > 1 else trace.arch.n_layers


def check_recorded_layer(trace: Trace, layer: int | None) -> int:
    """``layer`` (default: the last recorded layer) as an index 0..n_layers, or a one-line error naming the layers."""
    if layer is None:
        return default_recorded_layer(trace)
    L = trace.arch.n_layers
    try:
        return whole_number("layer", layer, 0, L)
    except NetwarpError:
        names = ", ".join(f"{i} {recorded_name(trace, i)}" for i in range(L + 1))
        raise NetwarpError(f"layer must be a whole number from 0 to {L} ({names}), got {str(layer)[:40]}") from None


def check_recorded_what(trace: Trace, what: str) -> None:
    """A one-line refusal of a picture (``plot --what``) that needs the model's weights."""
    if what not in RECORDED_WHATS:
        raise NetwarpError(
            f"--what {what} needs the model's weights, and this trace holds the recorded outputs of "
            f"{', '.join(trace.layer_names)} on its own points only; pictures of it: {', '.join(RECORDED_WHATS[1:])}")


def apart_phrase(accuracy: float | None, n_classes: int) -> str:
    """What a probe's test ``accuracy`` says about a layer, in words the number supports:
    the classes come apart along its split only at :data:`APART` or more."""
    if accuracy is None:
        return ""
    chance = 1.0 / n_classes
    if accuracy >= APART:
        return "the classes come apart along its split"
    if accuracy < chance + 0.5 * (APART - chance):
        return "the classes are still mixed along its split"
    return "the classes only partly come apart along its split"


def layer_caption(trace: Trace, s: views.Separation) -> str:
    """``"linear probe test accuracy 98.2%: the classes come apart along its split"`` from the
    separation's own probe (the network's own boundary for the logits)."""
    if s.accuracy is None:
        return "seen along the network's own output"
    return f"linear probe test accuracy {s.accuracy:.1%}: {apart_phrase(s.accuracy, trace.n_classes)}"


def view_share(trace: Trace, s: views.Separation) -> str:
    """What a flat view of many classes leaves out, said plainly: ``"the view shows 2 of the
    probe's 9 directions"`` when the classifier's normals do not all lie in the view, else ``""``."""
    k, d = trace.n_classes, trace.arch.sizes[s.layer]
    if s.exact or k <= 2:
        return ""
    who = "probe's" if s.source == "probe" else "network's"
    return f"the view shows 2 of the {who} {min(k - 1, d)} discriminant directions"


def recorded_view(trace: Trace, layer: int, snapshot: int = -1, projection: str = "separating",
                  basis: views.SeparatingBasis | None = None) -> tuple[FlatView, views.Separation]:
    """``layer``'s training points at ``snapshot`` flattened to 2D, and the separation that measured them.

    ``projection="separating"`` (default): along the probe's split (``basis`` holds the
    view steady across snapshots); ``"pca"``: the two main directions of the points,
    the probe still fitted for its accuracy.
    """
    check_projection(projection)
    s = views.separating_projection(trace, layer, snapshot, basis=basis)
    if projection == "separating":
        return separated_view(trace, s), s
    H = trace.layer_outputs(trace.X_train, snapshot)[layer]
    proj = views.fit_projection(H, dims=2)
    return FlatView(proj.apply(H), np.empty((0, 2, 2)), [], (f"PC1 ({proj.explained:.0%} of variance with PC2)", "PC2"),
                    "", "PCA view"), s


def recorded_layer_figure(trace: Trace, layer: int | None = None, snapshot: int = -1, size: int = 700,
                          ax: Axes | None = None, projection: str = "separating") -> Figure:
    """One recorded layer's training points along its classes' split (a probe's), titled with the
    layer's recorded name, its width, the step and the probe's measured test accuracy.

    Parameters
    ----------
    trace : Trace, recorded by its layers' outputs (``trace.arch.recorded``)
    layer : int, optional
        0 (input) .. ``n_layers`` (logits); default: the last recorded layer.
    snapshot : int
    size : int
        Width (and height) in pixels when no ``ax`` is given.
    ax : matplotlib Axes, optional
    projection : {"separating", "pca"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    layer = check_recorded_layer(trace, layer)
    trace.index(snapshot)
    v, s = recorded_view(trace, layer, snapshot, projection)
    if ax is None:
        fig, (ax,) = new_figure(size, size)
    limits = view_limits(v)
    regions, segments = region_art(v, limits)
    d = trace.arch.sizes[layer]
    title = f"{recorded_name(trace, layer)} ({units_phrase(d)}), step {trace.snapshot(snapshot).step}"
    how = "PCA view" if projection == "pca" else "seen along its classes' split"
    label = "where the class regions meet" if regions is not None else v.note.removeprefix("dashed: ") or "separating line"
    lines = [f"{title}, {how}", layer_caption(trace, s)] + ([view_share(trace, s)] if projection == "separating" else [])
    plot_warp(ax, points=v.points, labels=trace.y_train, grid=np.empty((0, 2, 2)), separators=v.lines,
              axis_names=v.axis_names, title=None, limits=limits, line_label=label, regions=regions, segments=segments)
    ax.set_title("\n".join(t for t in lines if t), fontsize=11)
    if trace.n_classes > 3:  # many colours: each class's name at its centre says which cloud is which
        label_centres(ax, v.points, trace.y_train, trace.class_names)
    class_legend(ax.figure, trace.n_classes, names=trace.class_names)
    return ax.figure


def label_centres(ax: Axes, points: np.ndarray, labels: np.ndarray, names: list[str] | None = None) -> None:
    """Each class's name (or number) at the mean of its ``points (n, 2)``, ringed in its colour."""
    from ..render.palette import CLASS_COLORS

    for c in np.unique(labels):
        color = CLASS_COLORS[int(c) % len(CLASS_COLORS)]
        cx, cy = points[labels == c].mean(axis=0)
        ax.text(cx, cy, names[c] if names else str(c), fontsize=13, fontweight="bold", color=color, ha="center",
                va="center", zorder=8, bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": color, "boxstyle": "circle"})


def recorded_probes_figure(trace: Trace, snapshot: int = -1, size: int = 640, ax: Axes | None = None) -> Figure:
    """Linear-probe test accuracy per layer at ``snapshot``, the bars named by the recorded layers."""
    from ..render.charts import plot_probes

    if ax is None:
        fig, (ax,) = new_figure(size, int(size * 0.6))
    acc = views.probe_accuracies(trace, snapshot)
    names = [recorded_name(trace, i) for i in range(len(acc))]
    plot_probes(ax, accuracies=acc, names=names, chance=1.0 / trace.n_classes,
                title=f"how linearly separable the classes are at each layer, step {trace.snapshot(snapshot).step}")
    return ax.figure


def recorded_plot(trace: Trace, what: str, layer: int | None, snapshot: int, size: int | None,
                  projection: str = "separating") -> Figure:
    """The figure ``netwarp plot`` draws for a recorded trace (``what`` in :data:`RECORDED_WHATS`):
    by default the layer view (the last recorded layer unless ``layer`` is given)."""
    check_recorded_what(trace, what)
    if what in ("auto", "layer"):
        return recorded_layer_figure(trace, layer, snapshot, size or 700, projection=projection)
    if what == "probes":
        return recorded_probes_figure(trace, snapshot, size or 640)
    if what == "selectivity":
        return recorded_selectivity_figure(trace, layer, snapshot, size or 1000)
    return recorded_curves_figure(trace, size or 640)


def recorded_names_phrase(trace: Trace) -> str:
    """``"pool (128 units), fc1 (32 units)"``: the recorded layers by name and width."""
    return ", ".join(f"{recorded_name(trace, i)} ({units_phrase(trace.arch.sizes[i])})" for i in recorded_layers(trace))


def recorded_curves_figure(trace: Trace, size: int = 640, height: int | None = None, ax: Axes | None = None) -> Figure:
    """Loss and accuracy over training, computed from the recorded logits, titled with the recorded layers."""
    from ..render.charts import plot_curves

    if ax is None:
        fig, (ax,) = new_figure(size, height or int(size * 0.55))
    plot_curves(ax, **views.training_curves(trace), title=f"training (recorded: {', '.join(trace.layer_names)})")
    return ax.figure


def recorded_selectivity_figure(trace: Trace, layer: int | None = None, snapshot: int = -1, size: int = 1000) -> Figure:
    """Units x classes of a recorded layer (default: the last recorded one): each unit's mean recorded
    output over each class's test points (:func:`netwarp.outputs.digits_figures.selectivity_figure`),
    the layer named as the model names it."""
    from .digits_figures import selectivity_figure

    layer = check_recorded_layer(trace, layer)
    if not 0 < layer < trace.arch.n_layers:
        raise NetwarpError(f"selectivity reads a recorded layer: choose --layer from 1 to {trace.arch.n_layers - 1} "
                           f"({', '.join(trace.layer_names)})")
    fig = selectivity_figure(trace, layer, snapshot, size)
    ax = fig.axes[0]
    ax.set_xlabel(f"units of {recorded_name(trace, layer)}, sorted by the class they answer most")
    ax.set_title(f"which classes drive each unit of {recorded_name(trace, layer)}, step {trace.snapshot(snapshot).step}",
                 fontsize=11)
    return fig
