"""The HTML report of a trace recorded by its layers' outputs (a model netwarp does not run).

What a weight trace's report draws from a forward pass (the decision field, the
morph, code, the diagram, weights) has nothing to draw from here; instead the
report shows what the recorded outputs hold: a timeline slider over the snapshots
with one panel per recorded layer along its classes' split (each layer's view
fitted once over the shown snapshots, so the camera stays still), the training
curves with a marker at the step shown, each layer's probe accuracy over training,
each layer at the last snapshot, and what :func:`netwarp.views.diagnose` finds.
Every caption is built from the run's numbers.
"""

from __future__ import annotations

from html import escape

import numpy as np

from .. import views
from ..render.encode import png_bytes, shared_palette
from ..render.figure import figure_bytes, new_figure
from ..render.html import TIMELINE_JS, Page, data_uri
from ..render.palette import CLASS_COLORS, INK
from ..trace import Trace
from ..views import units_phrase
from .recorded_figures import (
    apart_phrase,
    recorded_curves_figure,
    recorded_layer_figure,
    recorded_layers,
    recorded_name,
    recorded_names_phrase,
)
from .recorded_scene import LayerTrack, curves_panel
from .report_rows import metric_rows
from .report_timeline import timeline_head
from .scene_common import font_size

TIMELINE_FRAMES = 40  # the slider's stops, as for a weight trace's report
PANEL = 440  # each layer's panel in the timeline, pixels
CURVES_WIDTH, CURVES_HEIGHT = 960, 380
MAX_LAYERS = 6  # panels per timeline stop: more would not fit a screen; the rest are named in the text


def settings_rows(trace: Trace) -> list[tuple[str, str]]:
    """The run's settings as (name, value) rows, the recorded layers named."""
    shape = trace.data.get("input_shape") if isinstance(trace.data, dict) else None
    inputs = f"{trace.arch.sizes[0]} inputs" + (f" (images {'x'.join(map(str, shape))}, flattened)" if shape else "")
    rows = [
        ("model", f"{trace.data_description}, recorded by its layers' outputs (no weights)"),
        ("recorded layers", recorded_names_phrase(trace)),
        ("data", f"{inputs}, {trace.n_classes} classes: {len(trace.X_train)} train / {len(trace.X_test)} test points"),
    ]
    rows += [(k, str(v)) for k, v in trace.config.items()]
    rows.append(("status", trace.status + (f": {trace.message}" if trace.message else "")))
    rows.append(("snapshots", f"{len(trace)} (steps {trace.steps[0]}..{trace.steps[-1]})"))
    return rows


def timeline_html(trace: Trace, tracks: list[LayerTrack], snaps: np.ndarray) -> str:
    """The slider, play button, one ``.frame`` per snapshot in ``snaps`` (one PNG per track), the
    curves with their marker and the script (:data:`netwarp.render.html.TIMELINE_JS`)."""
    fs = font_size(2 * PANEL)
    band = int(fs * 1.6)
    drawn = [[t.panel(i, PANEL, fs, band).rgba().copy() for t in tracks] for i in range(len(snaps))]
    palette = shared_palette([np.concatenate(row, axis=1) for row in drawn])
    steps = trace.steps[snaps]
    rgb, xs, (top, bottom) = curves_panel(trace, CURVES_WIDTH, CURVES_HEIGHT, tracks, steps)
    xs = [100 * x / CURVES_WIDTH for x in xs]
    last = len(snaps) - 1
    caps = [_caption(trace, int(s)) for s in snaps]
    parts = timeline_head(last, caps[-1])
    for k, (row, s) in enumerate(zip(drawn, snaps)):
        hidden = "" if k == last else " hidden"
        imgs = "".join(f'<img class="space" src="{data_uri(png_bytes(a, palette), "png")}" '
                       f'alt="{escape(recorded_name(trace, t.layer))} at step {steps[k]}">' for a, t in zip(row, tracks))
        parts.append(f'<div class="frame" data-snapshot="{int(s)}" data-step="{steps[k]}" data-x="{xs[k]:.2f}" '
                     f'data-caption="{escape(caps[k])}"{hidden}>{imgs}</div>')
    parts.append(
        f'<div class="curves"><img src="{data_uri(png_bytes(rgb), "png")}" alt="training curves and probe accuracies">'
        f'<div class="mark" style="left:{xs[-1]:.2f}%;top:{100 * top / CURVES_HEIGHT:.2f}%;'
        f'height:{100 * (bottom - top) / CURVES_HEIGHT:.2f}%"></div></div>')
    parts.append(f"<script>{TIMELINE_JS}</script></section>")
    return "\n".join(parts)


def _caption(trace: Trace, i: int) -> str:
    s = trace.snapshot(i)
    return (f"step {s.step}: test accuracy {s.test_acc:.1%} (train {s.train_acc:.1%}), "
            f"loss {s.test_loss:.3f} test / {s.train_loss:.3f} train")


def probes_over_training_figure(trace: Trace, tracks: list[LayerTrack], steps: np.ndarray, input_acc: float,
                                size: int = 800):
    """Each recorded layer's linear-probe test accuracy over training (the tracks' own probes), the
    input's probe (constant: the input does not change) and the network's own test accuracy."""
    fig, (ax,) = new_figure(size, int(size * 0.5))
    x = np.maximum(steps, 0)
    for k, t in enumerate(tracks):
        ax.plot(x, t.accuracy, color=CLASS_COLORS[(2 + k) % len(CLASS_COLORS)], lw=1.8, marker="o", ms=3,
                label=f"{recorded_name(trace, t.layer)} probe")
    ax.axhline(input_acc, color=INK, lw=1, ls=":", label=f"input probe ({input_acc:.1%})")
    ax.plot(x, views.training_curves(trace)["test_acc"][np.searchsorted(trace.steps, steps)], color=INK, lw=1.2, ls="--",
            label="network test accuracy")
    ax.axhline(1.0 / trace.n_classes, color="#999999", lw=0.8, ls="-.", label="chance")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("step")
    ax.set_ylabel("test accuracy")
    ax.set_title("linear probe test accuracy of each recorded layer over training", fontsize=12)
    ax.legend(fontsize=9, loc="lower right")
    return fig


def probe_sentence(trace: Trace, tracks: list[LayerTrack], input_acc: float) -> str:
    """One measured sentence per layer: its probe accuracy at the first and last shown snapshot,
    and whether the classes come apart along its split (:func:`apart_phrase`)."""
    parts = []
    for t in tracks:
        a0, a1 = float(t.accuracy[0]), float(t.accuracy[-1])
        parts.append(f"{recorded_name(trace, t.layer)}: {a0:.1%} at the first snapshot, {a1:.1%} at the last "
                     f"({apart_phrase(a1, trace.n_classes)})")
    best = max(tracks, key=lambda t: t.accuracy[-1])
    than = "above" if best.accuracy[-1] > input_acc else "not above"
    return ("A logistic regression fitted on each layer's training outputs, scored on the test points. "
            + "; ".join(parts) + f". A probe on the raw input gives {input_acc:.1%}; the best layer at the end, "
            f"{recorded_name(trace, best.layer)}, is {than} that.")


def diagnose_section(page: Page, trace: Trace) -> None:
    """What :func:`netwarp.views.diagnose` finds at the last snapshot, from the recorded outputs."""
    found = views.diagnose(trace)
    page.heading("Diagnosis")
    if not found:
        text = views.nothing_found(trace)
        page.note(text[0].upper() + text[1:] + ".")
        return
    page.table([(f.kind, recorded_name(trace, f.layer) if f.layer is not None else "", f.message) for f in found],
               header=("finding", "layer", "what it means"))


def recorded_sections(page: Page, trace: Trace) -> None:
    """Append a recorded trace's sections to ``page`` (the caller gives the title and footer)."""

    page.heading("Settings")
    page.table(settings_rows(trace))
    page.heading("Metrics")
    page.table(metric_rows(trace), header=("step", "loss train / test", "accuracy train / test"))
    layers = recorded_layers(trace)
    shown = layers[-MAX_LAYERS:]
    snaps = views.spread_snapshots(trace, TIMELINE_FRAMES)
    tracks = [LayerTrack(trace, layer, snaps) for layer in shown]
    page.heading("Timeline")
    left_out = f" (the last {len(shown)} of {len(layers)} recorded layers)" if len(shown) < len(layers) else ""
    page.paragraph(
        f"Drag the slider (or press play) to replay training at {len(snaps)} of the {len(trace)} recorded snapshots: "
        f"each recorded layer{left_out} ({', '.join(recorded_name(trace, t.layer) for t in tracks)}) seen along the "
        "direction(s) a linear probe splits its classes, through one view fitted over the shown snapshots so the "
        "camera stays still, and the loss and accuracy curves (computed from the recorded logits) with each layer's "
        "probe accuracy; the marker is the step shown.")
    page.raw(timeline_html(trace, tracks, snaps))
    page.heading("Linear separability per layer over training")
    input_acc = float(views.separating_projection(trace, 0, -1).accuracy)
    page.paragraph(probe_sentence(trace, tracks, input_acc))
    page.figures([(figure_bytes(probes_over_training_figure(trace, tracks, trace.steps[snaps], input_acc)), "png",
                   "Linear probe test accuracy per recorded layer at each shown snapshot.")])
    page.table([(recorded_name(trace, t.layer), units_phrase(trace.arch.sizes[t.layer]), f"{t.accuracy[0]:.3f}",
                 f"{t.accuracy[-1]:.3f}") for t in tracks],
               header=("layer", "width", f"probe accuracy, step {trace.steps[snaps[0]]}", f"step {trace.steps[snaps[-1]]}"))
    page.heading("Each recorded layer at the last snapshot")
    page.figures([(figure_bytes(recorded_layer_figure(trace, t.layer, -1, 620)), "png",
                   f"{recorded_name(trace, t.layer)} ({units_phrase(trace.arch.sizes[t.layer])}) along its classes' split, "
                   f"in its own view at the last step.") for t in tracks])
    page.heading("Training curves")
    page.figures([(figure_bytes(recorded_curves_figure(trace, 800)), "png",
                   "Loss (log scale) and accuracy over training, from the recorded logits.")])
    diagnose_section(page, trace)
    page.heading("What this report leaves out")
    page.note("This trace holds what the model's layers output on its own training and test points, not the model's "
              "weights, so nothing here runs the model on other inputs: no decision field, morph, code, network diagram "
              "or weight views.")
