"""A self-contained HTML report of one Trace: settings, metrics, pictures,
animations, probe accuracy per layer and the topology note."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import views
from ..render.figure import figure_bytes
from ..render.html import Page
from ..render.output import atomic_output, check_output
from ..trace import Trace
from ..views import default_layer, layer_name, layer_names, net_name, three_wide, units_phrase
from .animate import animate
from .digits_figures import is_image_classifier
from .figures import curves_figure, field_figure, fit_figure, layer_figure, probes_figure
from .recorded_figures import is_recorded
from .report_rows import metric_rows
from .report_timeline import timeline_html

MAX_LAYER_VIEWS = 5
TIMELINE_FRAMES = 40  # the slider's stops: enough to see training unfold, few enough to keep the file small
SIZE_MARK = "@@REPORT-SIZE@@"


def _gif(trace: Trace, kind: str, progress: bool, **kw) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{kind}.gif"
        animate(trace, path, kind, progress=progress, **kw)
        return path.read_bytes()


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def settings_rows(trace: Trace) -> list[tuple[str, str]]:
    """The run's settings as (name, value) rows."""
    a = trace.arch
    rows = [
        ("network", f"{net_name(a.sizes)} ({a.activation_text}, {a.task}, {a.n_params} parameters)"),
        ("data", f"{trace.data_description}: {len(trace.X_train)} train / {len(trace.X_test)} test points"),
    ]
    rows += [(k, str(v)) for k, v in trace.config.items()]
    rows.append(("status", trace.status + (f": {trace.message}" if trace.message else "")))
    rows.append(("snapshots", f"{len(trace)} (steps {trace.steps[0]}..{trace.steps[-1]})" if len(trace) else "0"))
    return rows


def build_report(trace: Trace, progress: bool = False, source: str | Path | None = None) -> str:
    """The report's HTML text (images and animations inlined); ``source``, the trace file it was made
    from, is named in the commands the report suggests."""
    a = trace.arch
    if is_recorded(trace):  # layer outputs, no weights: the sections that need a forward pass have nothing to draw
        from .report_recorded import recorded_sections

        page = Page(f"netwarp report: {trace.data_description}, recorded layers {', '.join(trace.layer_names)}")
        recorded_sections(page, trace)
        page.paragraph(f"Made by netwarp; this file ({SIZE_MARK}) is self-contained and opens offline.", "muted")
        return _with_size(page.html())
    page = Page(f"netwarp report: {net_name(a.sizes)} {a.activation_text} on {trace.data_description}")
    page.heading("Settings")
    page.table(settings_rows(trace))
    page.heading("Metrics")
    page.table(metric_rows(trace), header=("step", "loss train / test", "accuracy train / test"))
    plane = a.sizes[0] == 2 and a.task == "classification"
    from .report_anatomy import explain

    explain(page, "curves")
    if not plane:  # a plane classifier's curves are in its timeline, linked to the pictures
        page.figures([(figure_bytes(curves_figure(trace, 800)), "png", "Loss (log scale) and accuracy over training.")])
    if plane:
        page.heading("Timeline")
        layer = default_layer(trace)
        d = a.sizes[layer]
        how = "as it is" if d == 2 else "in 3D" if d == 3 else "through the separating view, one basis for every step" if d > 3 else "along a line"
        page.paragraph(
            f"Drag the slider (or press play) to replay training: the decision boundary, the "
            f"{layer_name(layer, a.n_layers)} ({units_phrase(d)}, drawn {how}) and the loss and accuracy curves "
            f"(the marker is the step shown) at {min(len(trace), TIMELINE_FRAMES)} of the {len(trace)} recorded snapshots."
        )
        page.raw(timeline_html(trace, TIMELINE_FRAMES))
        page.heading("What the network does to space")
        explain(page, "field")
        explain(page, "hidden")
        s = trace.snapshot(-1)
        page.figures([(figure_bytes(field_figure(trace, -1, 520)), "png",
                       f"Decision boundary at step {s.step}; test accuracy {s.test_acc:.1%}.")])
        items = []
        for layer in range(1, min(a.n_layers, MAX_LAYER_VIEWS) + 1):
            d = a.sizes[layer]
            how = "as it is" if d <= 2 else "in 3D" if d == 3 else "through a 2D PCA view"
            items.append((figure_bytes(layer_figure(trace, layer, -1, 520)), "png",
                          f"{_cap(layer_name(layer, a.n_layers))} ({units_phrase(d)}), drawn {how}: the input grid and data after this layer."))
        page.figures(items)
        page.heading("Animations")
        explain(page, "morph")
        # training is replayed by the timeline above; a training GIF would repeat it at twice the size
        gifs = [(_gif(trace, "morph", progress, frames=36, size=520), "gif",
                 "The morph: input to output, each layer as linear map, bias shift, activation.")]
        hidden3 = [i for i in three_wide(trace) if 0 < i < a.n_layers]
        if hidden3:
            gifs.append((_gif(trace, "rotate", progress, frames=36, size=520, layer=hidden3[-1]), "gif",
                         f"{_cap(layer_name(hidden3[-1], a.n_layers))}, 3 units wide, turning."))
        page.figures(gifs)
    elif a.task == "classification" and not is_image_classifier(trace):
        from .table_figures import table_layer_figure

        page.heading("Where we cannot look: each layer along its classes' split")
        page.paragraph(
            f"The input has {a.sizes[0]} features, too many to draw as a plane. Each layer is shown instead along the "
            "direction(s) its classes are split: a linear probe's for the input and earlier layers (with its test "
            "accuracy), the network's own output layer for the last hidden layer. On the input, each feature's "
            "direction is an arrow.")
        page.figures([(figure_bytes(table_layer_figure(trace, layer, -1, 560)), "png",
                       f"{_cap(layer_name(layer, a.n_layers))} ({units_phrase(a.sizes[layer])}) at the last snapshot.")
                      for layer in range(0, min(a.n_layers, MAX_LAYER_VIEWS))])
        page.paragraph("The morph from the input to the last hidden layer (PCA views carried from frame to frame, "
                       "turned to the classes' split at the end):")
        page.figures([(_gif(trace, "morph", progress, frames=24, size=520, layer=max(1, a.n_layers - 1)), "gif",
                       "The morph: input to the last hidden layer, each layer as linear map, bias shift, activation.")])
    elif a.task == "regression" and a.sizes[0] == 1:
        page.heading("The fit")
        explain(page, "fit")
        page.figures([(figure_bytes(fit_figure(trace, -1, 900)), "png",
                       "The fitted curve and each last-hidden unit's contribution (for ReLU, hinges summing to the fit).")])

    if a.task == "classification":
        page.heading("Linear separability per layer")
        explain(page, "probes")
        acc = views.probe_accuracies(trace)
        names = layer_names(a.n_layers)
        page.table([(n, f"{v:.3f}") for n, v in zip(names, acc)], header=("layer", "linear probe test accuracy"))
        page.figures([(figure_bytes(probes_figure([trace], size=560)), "png",
                       f"A logistic regression fitted on each layer's representation: {acc[0]:.1%} on the input, "
                       f"{max(acc[1:]):.1%} at best after it.")])
        note = views.topology_note(trace)
        page.heading("Topology")
        page.note(note if note else "Nothing in the shape of this data stops this network, and it did not struggle where "
                  "it could have: either some hidden layer is wider than 2, or the data is not nested or intertwined, or "
                  "the network separated its training points anyway.")
    from .report_anatomy import anatomy_sections

    if is_image_classifier(trace):
        from .report_digits import digits_sections

        digits_sections(page, trace)
    anatomy_sections(page, trace, source)
    page.paragraph(f"Made by netwarp; this file ({SIZE_MARK}) is self-contained and opens offline.", "muted")
    return _with_size(page.html())


def _with_size(text: str) -> str:
    """``text`` with its own size stated where :data:`SIZE_MARK` stands (rounded, so the number does not move it)."""
    n = len(text.replace(SIZE_MARK, "").encode("utf-8")) + len("999.9 MB")
    said = f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.0f} kB"
    return text.replace(SIZE_MARK, said)


def write_report(trace: Trace, path: str | Path, progress: bool = True, source: str | Path | None = None) -> Path:
    """Write the HTML report of ``trace`` to ``path`` (``.html``), atomically; ``source`` as in :func:`build_report`."""
    path = check_output(path, "report")
    trace.index(-1)  # a one-line error for an empty trace
    text = build_report(trace, progress, source)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
