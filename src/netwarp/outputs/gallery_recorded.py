"""The gallery's chapter on models netwarp does not run: a small CNN on the 8x8 digits and an
MLP with BatchNorm on the wine table, recorded by their named layers' outputs over a
minibatch training loop (:mod:`netwarp.torch.examples`). Every caption number is measured
from the recorded trace. Without torch (an optional extra) the chapter says so and is skipped.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..render.figure import new_figure
from ..render.palette import CLASS_COLORS, INK
from ..render.plots import class_legend, plot_warp
from ..trace import Trace
from ..views import units_phrase
from .gallery_section import Section
from .layer_view import region_art, view_limits
from .recorded_figures import apart_phrase, label_centres, recorded_layer_figure, recorded_name, recorded_view

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TITLE = "10. Any model, seen by its layers: a CNN and a BatchNorm MLP recorded in PyTorch"
STEPS = 4  # gallery.step calls of the chapter (one when torch is missing)
PROBE_SNAPSHOTS = 8  # snapshots whose probes are fitted for the accuracy-over-training chart


def has_torch() -> bool:
    """Whether torch (the ``netwarp[torch]`` extra) can be imported, without importing it."""
    return importlib.util.find_spec("torch") is not None


def chapter_steps() -> int:
    """How many progress lines the chapter logs on this machine."""
    return STEPS if has_torch() else 1


def probes_over_training(trace: Trace, snapshots: np.ndarray) -> np.ndarray:
    """Linear-probe test accuracy of every layer at each of ``snapshots``.

    Returns
    -------
    ndarray of shape (len(snapshots), n_layers + 1)
        Column 0 the input, then the recorded layers, then the logits.
    """
    return np.array([views.probe_accuracies(trace, int(s)) for s in snapshots])


def probes_over_training_figure(trace: Trace, snapshots: np.ndarray, acc: np.ndarray, size: int = 760) -> Figure:
    """One line per layer: its probe's test accuracy ``acc (m, L+1)`` at the steps of ``snapshots (m,)``."""
    fig, (ax,) = new_figure(size, int(size * 0.62))
    steps = trace.steps[snapshots]
    styles = [(INK, ":")] + [(CLASS_COLORS[i % len(CLASS_COLORS)], "-") for i in range(1, acc.shape[1] - 1)] + [(INK, "-")]
    for j, (color, ls) in enumerate(styles):
        name = recorded_name(trace, j)
        width = units_phrase(trace.arch.sizes[j])
        ax.plot(steps, acc[:, j], color=color, ls=ls, lw=2, marker="o", ms=4, label=f"{name} ({width})")
    chance = 1.0 / trace.n_classes
    # zoomed on the lines (the differences are a few percent); chance drawn when it falls in range
    low = max(0.0, float(np.floor((acc.min() - 0.03) * 20) / 20))
    if chance >= low:
        ax.axhline(chance, color=INK, lw=0.8, ls="--", label="chance")
    ax.set_ylim(low, 1.005)
    ax.set_xlabel("training step (minibatches)")
    ax.set_ylabel("linear probe test accuracy" + (f" (axis from {low:.0%})" if low > 0 else ""))
    ax.legend(fontsize=10, loc="lower right", framealpha=0.9)
    ax.set_title("how linearly separable each recorded layer is, over training", fontsize=12)
    return fig


def nearest_centre_share(points: np.ndarray, labels: np.ndarray) -> float:
    """The share of ``points (n, 2)`` closer to their own class's centre than to any other's:
    how far apart the classes lie in a 2-D view, measured on what the picture draws."""
    classes = np.unique(labels)
    centres = np.array([points[labels == c].mean(axis=0) for c in classes])
    nearest = classes[np.argmin(((points[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)]
    return float(np.mean(nearest == labels))


def early_late_figure(trace: Trace, layer: int, snapshots: tuple[int, int], size: int = 1300) -> tuple[Figure, list]:
    """``layer``'s training points at two snapshots in ONE view (a separating basis fitted over both),
    so a point moves between the panels only because the layer's output moved.

    Returns
    -------
    fig : Figure
    seps : list of (FlatView, Separation), one per snapshot
    """
    basis = views.fit_separating_basis(trace, layer, snapshots=list(snapshots))
    pairs = [recorded_view(trace, layer, s, basis=basis) for s in snapshots]
    lims = np.array([view_limits(v) for v, _ in pairs])
    limits = (lims[:, 0].min(), lims[:, 1].max(), lims[:, 2].min(), lims[:, 3].max())
    fig, axes = new_figure(size, int(size * 0.56), ncols=2)
    for ax, (v, s), snap in zip(axes, pairs, snapshots):
        regions, segments = region_art(v, limits)
        plot_warp(ax, points=v.points, labels=trace.y_train, grid=np.empty((0, 2, 2)), separators=v.lines,
                  axis_names=v.axis_names, limits=limits, line_label="where the probe's class regions meet",
                  regions=regions, segments=segments)
        label_centres(ax, v.points, trace.y_train, trace.class_names)
        ax.set_title(f"{recorded_name(trace, layer)} at step {trace.snapshot(snap).step}: probe {s.accuracy:.1%}, "
                     f"{nearest_centre_share(v.points, trace.y_train):.0%} nearest their class centre", fontsize=11)
    class_legend(fig, trace.n_classes, names=trace.class_names,
                 note="one view for both panels, fitted over both snapshots: points move only because the layer did")
    return fig, pairs


def spread(H: np.ndarray) -> float:
    """Root-mean-square distance of the rows of ``H (n, d)`` from their mean: how wide a layer's outputs spread."""
    return float(np.sqrt(((H - H.mean(axis=0)) ** 2).sum(axis=1).mean()))


def moved_phrase(before: float, after: float) -> str:
    """How far a layer's classes moved apart in a fixed view, in words its nearest-centre shares support."""
    if after >= before + 0.15:
        return "its classes move apart in that view"
    if after >= before + 0.05:
        return "its classes move a little further apart in that view"
    return "its classes barely move apart in that view" if after > before else "its classes do not move apart in that view"


def _rise(acc: np.ndarray, j: int) -> str:
    """What layer ``j``'s probe accuracy did from the first to the last snapshot, in words its numbers support."""
    a, b = acc[0, j], acc[-1, j]
    if b > a + 0.005:
        return f"rose from {a:.1%} to {b:.1%}"
    if b < a - 0.005:
        return f"fell from {a:.1%} to {b:.1%}"
    return f"stayed at about {b:.1%}"


def recorded_section(gallery) -> None:
    """Add the recorded-models chapter to ``gallery`` (a :class:`netwarp.outputs.gallery.Gallery`),
    or a note saying why it is skipped when torch is not installed."""
    if not has_torch():
        gallery.sections.append(Section(TITLE, [], "This chapter needs PyTorch, an optional extra "
                                        "(pip install 'netwarp[torch]'); it was skipped."))
        gallery.step("skipped the recorded-model chapter: torch is not installed")
        return
    from ..torch import examples as ex

    steps = gallery.steps(400)
    cnn, _ = ex.record_digits_cnn(steps=steps, every=max(1, steps // 20))
    gallery.step(f"recorded a small CNN on the 8x8 digits: {len(cnn)} snapshots of {', '.join(cnn.layer_names)}")
    snaps = views.spread_snapshots(cnn, PROBE_SNAPSHOTS)
    acc = probes_over_training(cnn, snaps)
    f1 = gallery.png(probes_over_training_figure(cnn, snaps, acc), "10-cnn-probes-over-training.png")
    dense = cnn.arch.n_layers - 1  # fc1, the last recorded layer
    early = min(1, len(cnn) - 1)  # the first snapshot after training began: step 0's outputs are tiny, not mixed
    fig, pairs = early_late_figure(cnn, dense, (early, len(cnn) - 1))
    f2 = gallery.png(fig, "10-cnn-fc1-early-late.png")
    wine, _ = ex.record_wine_mlp(steps=gallery.steps(300), every=max(1, gallery.steps(300) // 30))
    f3 = gallery.png(recorded_layer_figure(wine, wine.arch.n_layers - 1, size=700), "10-wine-batchnorm-mlp-hidden2.png")

    L = cnn.arch.n_layers
    names = [recorded_name(cnn, j) for j in range(L + 1)]
    (v0, s0), (v1, s1) = pairs
    wacc = views.probe_accuracies(wine)
    wnames = [recorded_name(wine, j) for j in range(len(wacc))]
    near0, near1 = (nearest_centre_share(v.points, cnn.y_train) for v in (v0, v1))
    grew = spread(cnn.layer_outputs(cnn.X_train, -1)[dense]) / spread(cnn.layer_outputs(cnn.X_train, early)[dense])
    end = cnn.snapshot(-1)
    layers = ", ".join(f"{names[j]} {_rise(acc, j)}" for j in range(1, L))
    moved = moved_phrase(near0, near1)
    wine_input = ("; a line already separates the input's wines as well as any hidden layer's, so the layers had "
                  "nothing left to untangle" if wacc[0] >= max(wacc[1:-1]) else "")
    files = [
        (f1, f"Linear probe test accuracy on each recorded layer of the CNN at {len(snaps)} steps of training "
             "(the input's is a fixed reference: the pixels do not change)."),
        (f2, f"The dense layer {names[dense]} ({units_phrase(cnn.arch.sizes[dense])}) early in training "
             f"(step {cnn.snapshot(early).step}) and at its end, in one view fitted over both snapshots (the two "
             "directions a probe fitted on both separates the digits along); each digit's label at its class's centre."),
        (f3, f"The BatchNorm MLP's {recorded_name(wine, wine.arch.n_layers - 1)} block on the wine table along its "
             "probe's split, at the end of training."),
    ]
    gallery.sections.append(Section(
        TITLE,
        files,
        f"A convolutional network is not a chain of dense layers netwarp could run, so it is recorded by what its "
        f"named modules output: {', '.join(f'{n} ({units_phrase(w)})' for n, w in zip(cnn.layer_names, cnn.arch.sizes[1:-1]))}, "
        f"on {len(cnn.X_train)} training and {len(cnn.X_test)} test digits, every {int(cnn.steps[1] - cnn.steps[0])} "
        f"minibatch steps ({len(cnn)} snapshots; test accuracy {end.test_acc:.1%} at step {end.step}). "
        f"Over training the linear probe's test accuracy on {layers} (the pixels themselves: {acc[-1, 0]:.1%}). "
        f"In one fixed view of {names[dense]}, {near0:.0%} of the training digits lie nearest their own class's centre "
        f"at step {cnn.snapshot(early).step} and {near1:.0%} at step {end.step}: {moved}; its probe scores {s0.accuracy:.1%} "
        f"then {s1.accuracy:.1%} ({apart_phrase(s1.accuracy, cnn.n_classes)} at the end), and its outputs spread "
        f"{grew:.1f} times as wide at the end (root-mean-square distance from their mean). "
        f"The wine MLP ({', '.join(wine.layer_names)}, each Linear, BatchNorm1d, ReLU) reaches "
        f"{wine.snapshot(-1).test_acc:.1%} test accuracy on {len(wine.X_test)} held-out wines; its probes score "
        f"{', '.join(f'{n} {a:.1%}' for n, a in zip(wnames, wacc))}{wine_input}.",
    ))
