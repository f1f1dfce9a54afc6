"""The report's timeline: a slider over the recorded snapshots, the decision field,
the hidden space and the training curves linked.

Every frame is two inline PNGs (the training animation's two panels, the hidden
space through the separating view with one basis fitted on the last snapshot, so
the camera stays still); the curves are one inline PNG with a marker the page's
few lines of script move to the frame's step. At most :data:`MAX_FRAMES` frames,
spread evenly over the run, keep the file a size a user will accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from ..render.encode import png_bytes, shared_palette
from ..render.html import TIMELINE_JS, data_uri
from ..render.palette import field_ramp
from ..trace import Trace
from .figures import curves_figure
from .training_scene import TrainingScene

MAX_FRAMES = 40
WIDTH = 960  # both panels side by side: each 456 px, drawn at its native size in the page
CURVES_WIDTH, CURVES_HEIGHT = 960, 340


@dataclass(frozen=True)
class TimelineFrame:
    """One stop of the slider: the snapshot index, its step, the two panels as PNG bytes."""

    snapshot: int
    step: int
    field_png: bytes
    space_png: bytes
    caption: str


def _caption(trace: Trace, i: int) -> str:
    s = trace.snapshot(i)
    return (f"step {s.step}: test accuracy {s.test_acc:.1%} (train {s.train_acc:.1%}), "
            f"loss {s.test_loss:.3f} test / {s.train_loss:.3f} train")


def timeline_frames(trace: Trace, frames: int = MAX_FRAMES, width: int = WIDTH) -> list[TimelineFrame]:
    """At most ``frames`` snapshots, spread evenly from first to last, each drawn as two PNG panels.

    The PNGs share one adaptive palette (fitted on a few frames, no dithering), about
    three times smaller than full colour with the field's gradient kept smooth.
    """
    scene = TrainingScene(trace, frames=min(frames, len(trace)), size=width)
    drawn = [scene.panels(i) for i in range(scene.n_frames)]
    arrays = [(a.rgba(), b.rgba()) for a, b in drawn]
    k = trace.n_classes
    palette = shared_palette([np.concatenate(pair, axis=1) for pair in arrays], reserve=field_ramp(k, max(8, 192 // k)))
    out = []
    for i, (a, b) in zip(scene.snaps, arrays):
        out.append(TimelineFrame(int(i), trace.snapshot(int(i)).step, png_bytes(a, palette), png_bytes(b, palette), _caption(trace, int(i))))
    return out


def _curves(trace: Trace, steps: list[int]) -> tuple[bytes, list[float], float, float]:
    """The curves PNG, each step's x as % of the image width, and the plot area's top and height in %."""
    from ..render.figure import figure_bytes

    fig = curves_figure(trace, CURVES_WIDTH, CURVES_HEIGHT)
    fig.canvas.draw()  # settle the constrained layout so the axes' pixel box is final
    ax = fig.axes[0]
    W, H = fig.bbox.width, fig.bbox.height
    box = ax.get_window_extent()
    xs = [100 * float(ax.transData.transform((max(s, 0), 1.0))[0]) / W for s in steps]
    return figure_bytes(fig), xs, 100 * (1 - box.y1 / H), 100 * box.height / H


def timeline_head(last: int, caption: str) -> list[str]:
    """The opening of a timeline section: its play button, a slider over frames 0..``last`` (at the
    last) and the shown frame's ``caption``; the frames, curves and ``TIMELINE_JS`` follow."""
    return [
        '<section class="timeline" id="timeline">',
        f'<div class="controls"><button type="button">play</button>'
        f'<input type="range" min="0" max="{last}" step="1" value="{last}" aria-label="snapshot">'
        f'<span class="step">{escape(caption)}</span></div>',
    ]


def timeline_html(trace: Trace, frames: int = MAX_FRAMES) -> str:
    """The timeline section's HTML: slider, play button, one ``.frame`` per listed snapshot, curves, script."""
    fr = timeline_frames(trace, frames)
    curves, xs, top, height = _curves(trace, [f.step for f in fr])
    last = len(fr) - 1
    parts = timeline_head(last, fr[-1].caption)
    for k, (f, x) in enumerate(zip(fr, xs)):
        hidden = "" if k == last else " hidden"
        parts.append(
            f'<div class="frame" data-snapshot="{f.snapshot}" data-step="{f.step}" data-x="{x:.2f}" '
            f'data-caption="{escape(f.caption)}"{hidden}>'
            f'<img class="field" src="{data_uri(f.field_png, "png")}" alt="decision field at step {f.step}">'
            f'<img class="space" src="{data_uri(f.space_png, "png")}" alt="hidden space at step {f.step}"></div>'
        )
    parts.append(
        f'<div class="curves"><img src="{data_uri(curves, "png")}" alt="training curves">'
        f'<div class="mark" style="left:{xs[-1]:.2f}%;top:{top:.2f}%;height:{height:.2f}%"></div></div>'
    )
    parts.append(f"<script>{TIMELINE_JS}</script></section>")
    return "\n".join(parts)
