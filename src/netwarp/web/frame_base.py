"""The parts of a playground frame every trace has, and the records a frame is built from.

:class:`Sent` (what the page already has) and :class:`FrameState` (what a frame is
built from) are shared by :mod:`netwarp.web.frames` (a network netwarp runs) and
:mod:`netwarp.web.recorded_frames` (a model recorded by its layers' outputs);
:func:`frame_head` builds what both send: the timeline, the metrics, the view, the
notes, the lesson task, the curves and the points.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Protocol

import numpy as np

from .. import views
from ..trace import Trace
from ..train import Trainer
from . import geometry as geo
from .edits import Edit


@dataclasses.dataclass(frozen=True)
class Sent:
    """What the page already has, so a frame need not repeat the heavy parts.

    Attributes
    ----------
    data_version : int
        The state's ``data_version`` whose points were sent (-1: none yet).
    curves : int
        How many snapshots the sent loss curves cover (-1: none yet).
    ghost : tuple or None
        ``(data_version, hash of the edit's base parameters, resolution)`` of the
        ghost field the page keeps while an edit lasts; None when no edit is shown.
    neurons_at : float
        ``time.perf_counter()`` when the neuron heatmaps were last sent.
    probes : str or None
        :func:`probes_key` of the last probe job started (its reply goes to the page).
    separation : tuple or None
        ``(key, Separation)`` of the separating view last sent, ``key`` =
        ``(data_version, layer, hash of theta)``: reused while the state is the
        same (a probe fit costs 0.1-0.5 s) and its basis kept while it stays exact.
    """

    data_version: int = -1
    curves: int = -1
    ghost: tuple | None = None
    neurons_at: float = -math.inf
    probes: str | None = None
    separation: tuple | None = dataclasses.field(default=None, compare=False)  # holds arrays: not compared


class FrameState(Protocol):
    """What a frame is built from (a :class:`~netwarp.web.session.Session` has all of it)."""

    trace: Trace
    trainer: Trainer | None
    replay: Trace | None
    config: dict
    csv: tuple | None
    added: list
    playing: bool
    snapshot: int
    layer: int
    t: float
    resolution: int
    neurons: bool
    projection: str
    hover: int
    edit: Edit | None
    ack: int
    status: str
    projector: views.Projector
    data_version: int

    def theta(self) -> np.ndarray: ...

    def shown_index(self) -> int: ...

    def field_cache(self) -> views.FieldCache: ...


def _metrics(tr: Trace, idx: int, edit: Edit | None = None) -> dict:
    """The shown snapshot's loss and accuracy, or the edited network's while an edit lasts."""
    s = tr.snapshot(idx)
    values = edit.metrics() if edit is not None else (s.train_loss, s.test_loss, s.train_acc, s.test_acc)
    clean = lambda v: None if not math.isfinite(v) else round(float(v), 6)  # noqa: E731
    out = dict(zip(("train_loss", "test_loss", "train_acc", "test_acc"), map(clean, values)))
    return {"step": s.step, **out, "edited": edit is not None}


def frame_head(s: FrameState, sent: Sent, full: bool) -> tuple[dict, Sent]:
    """The parts of a frame every trace has: the timeline, the metrics, the view, the notes,
    the lesson task, and the curves and points when the page does not have them yet."""
    tr, arch = s.trace, s.trace.arch
    idx = s.shown_index()
    live = s.snapshot == -1 and s.trainer is not None
    out: dict = {
        "type": "frame",
        "ack": s.ack,
        "playing": s.playing,
        "replay": s.replay is not None,
        "status": s.status,
        "arch": {"sizes": list(arch.sizes), "activation": arch.activation_text, "activations": list(arch.activations),
                 "task": arch.task, "classes": tr.n_classes,
                 "class_names": tr.class_names},
        "timeline": {"count": len(tr), "index": idx, "live": s.snapshot == -1,
                     "step": s.trainer.step_count if live else int(tr.steps[idx])},
        "metrics": _metrics(tr, idx, s.edit),
        "view": {"layer": s.layer, "t": s.t, "resolution": s.resolution, "snapshot": s.snapshot},
        "config": s.config,
        # a replayed run of the user's own arrays was not made by a dataset of the menu either
        "source": "csv" if s.csv is not None or (s.replay is not None and "dataset" not in s.replay.data) else "dataset",
        "added": len(s.added),
        "notes": [],
    }
    if s.task is not None:
        values = measures(out)
        out["task"] = {"text": s.task.text, "met": s.task.met(values), "values": values}
    note = views.topology_note(tr, idx) if len(tr) else None  # about the snapshot shown
    if note:
        out["notes"].append(note)
    if full or sent.curves != len(tr) or sent.data_version != s.data_version:
        # new points re-measure the whole run (see handlers._rebuild_keeping_run): resend the curves too
        out["curves"] = geo.curves_payload(tr)
        sent = dataclasses.replace(sent, curves=len(tr))
    if full or sent.data_version != s.data_version:
        out["points"] = geo.points_payload(tr)
        out["data_version"] = s.data_version
        sent = dataclasses.replace(sent, data_version=s.data_version)
    return out, sent


def measures(frame: dict) -> dict:
    """What a lesson's task may test (:data:`netwarp.lessons.tasks.MEASURES`), for the state a frame shows."""
    m, sizes = frame["metrics"], frame["arch"]["sizes"]
    hidden = sizes[1:-1]
    return {"train_acc": m.get("train_acc"), "test_acc": m.get("test_acc"), "train_loss": m.get("train_loss"),
            "test_loss": m.get("test_loss"), "step": frame["timeline"]["step"],
            "max_width": max(hidden) if hidden else 0, "layers": len(hidden)}
