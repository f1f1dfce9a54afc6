"""Build one frame: every view of the current state, computed by :mod:`netwarp.views`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..errors import NetwarpError
from . import geometry as geo

if TYPE_CHECKING:
    from .session import Session

GRID_LINES, GRID_SAMPLES = 20, 40  # enough to see the folds; views.input_grid cost grows with lines
NEURON_RES = 24
NEURON_INTERVAL = 0.25  # seconds between neuron-heatmap refreshes while training


def _metrics(tr, idx: int) -> dict:
    s = tr.snapshot(idx)
    clean = lambda v: None if not math.isfinite(v) else round(float(v), 6)  # noqa: E731
    return {"step": s.step, "train_loss": clean(s.train_loss), "test_loss": clean(s.test_loss),
            "train_acc": clean(s.train_acc), "test_acc": clean(s.test_acc)}


def build_frame(s: Session, full: bool = False) -> dict:
    """The ``frame`` message for session ``s``.

    Heavy parts that rarely change (the data points, the curves) are sent only
    when they changed since the last frame, or on ``full``.
    """
    tr, arch = s.trace, s.trace.arch
    theta = s.theta()
    now = time.perf_counter()
    plane = arch.sizes[0] == 2
    classifier = arch.task == "classification"
    idx = s.shown_index()
    live = s.snapshot == -1 and s.trainer is not None
    out: dict = {
        "type": "frame",
        "ack": s.ack,
        "playing": s.playing,
        "replay": s.replay is not None,
        "status": s.status,
        "arch": {"sizes": list(arch.sizes), "activation": arch.activation, "task": arch.task, "classes": tr.n_classes},
        "timeline": {"count": len(tr), "index": idx, "live": s.snapshot == -1,
                     "step": s.trainer.step_count if live else int(tr.steps[idx])},
        "metrics": _metrics(tr, idx),
        "view": {"layer": s.layer, "t": s.t, "resolution": s.resolution, "snapshot": s.snapshot},
        "config": s.config,
        "source": "csv" if s.csv is not None else "dataset",
        "added": len(s.added),
        "notes": [],
    }
    note = views.topology_note(tr)
    if note:
        out["notes"].append(note)
    if full or s._sent_data != s.data_version:
        out["points"] = geo.points_payload(tr)
        out["data_version"] = s._sent_data = s.data_version
    if full or s._sent_curves != len(tr):
        out["curves"] = geo.curves_payload(tr)
        s._sent_curves = len(tr)
    try:
        if arch.task == "regression" and arch.sizes[0] == 1 and arch.sizes[-1] == 1:
            out["curve"] = geo.curve_payload(tr, theta)
        if plane:
            refit = s.edit is None  # a still camera while a weight is dragged shows only its effect
            w = views.warp(tr, s.layer, lines=GRID_LINES, samples=GRID_SAMPLES, theta=theta)
            out["hidden"] = {"layer": s.layer, **geo.space_payload(w, s.projector, ("hidden", s.layer), refit)}
            m = None
            if s.layer >= 1 and s.t == s.layer and arch.sizes[s.layer] == max(arch.sizes[: s.layer + 1]) and s.hover < 0:
                # the morph's end is the layer itself (same width, so no padding): reuse it
                # ... and say so instead of sending the same 40 kB twice
                out["morph"] = {"same_as": "hidden", "t": s.t, "stage": views.morph_stage(tr, s.t, s.layer)}
            elif s.layer >= 1:
                m = views.Morph(tr, s.layer, lines=GRID_LINES, samples=GRID_SAMPLES, theta=theta)
                out["morph"] = {"layer": s.layer, "t": s.t, "stage": m.stage(s.t),
                                **geo.space_payload(m.at(s.t), s.projector, ("morph", s.layer), refit)}
            if s.hover >= 0:
                out["path"] = _path(s, tr, theta, m)
        else:
            out["notes"].append(f"the hidden-space views need 2 inputs; this data has {arch.sizes[0]}")
    except NetwarpError as e:
        out["notes"].append(str(e))
    out["diagram"] = geo.diagram_payload(tr, theta)
    if plane and s.neurons and (full or not s.playing or now - s._neurons_at >= NEURON_INTERVAL):
        out["neurons"] = geo.neurons_payload(tr, theta, NEURON_RES)
        s._neurons_at = now
    if s.edit is not None:
        out["edit"] = s.edit.payload()
    if plane and classifier:
        out["field"], labels = geo.field_payload(tr, theta, s.resolution, s.field_cache())
        if s.edit is not None:
            if s.edit.ghost is None:
                s.edit.ghost = geo.field_payload(tr, s.edit.base, s.resolution)[0]["labels"]
                s.edit.ghost_sent = False
            if full or not s.edit.ghost_sent:
                out["edit"]["ghost"] = s.edit.ghost
                s.edit.ghost_sent = True
    if classifier:
        # the page shows the bars as out of date until probes of this very state arrive
        out["probes_key"] = probes_key(s, theta)
    out["server_ms"] = round((time.perf_counter() - now) * 1000, 2)  # shown by the benchmark
    s.dirty = False
    return out


def _path(s, tr, theta, m) -> dict:
    """Where training point ``s.hover`` is in every layer, and its morph trajectory."""
    h = s.hover
    acts = tr.layer_outputs(tr.X_train[h : h + 1], theta=theta)
    out = {
        "index": h,
        "label": float(tr.y_train[h]),
        "values": [np.round(a[0], 5).tolist() for a in acts],
        "hidden": s.projector.apply(("hidden", s.layer), acts[s.layer])[0].tolist(),
    }
    if m is not None:
        ts = np.linspace(0, s.layer, 6 * s.layer + 1)  # two samples per morph stage
        states = np.array([m.state(t)[h] for t in ts])
        out["morph"] = s.projector.apply(("morph", s.layer), states).tolist()
    return out


def probes_key(s: Session, theta: np.ndarray) -> str:
    """Names the state (data and parameters) a set of probe accuracies measures."""
    return f"{s.data_version}:{hash(theta.tobytes()):x}"


def probes_job(s: Session) -> Callable[[], dict] | None:
    """A zero-argument function computing the linear-probe message for what is
    shown, or None when it is unchanged or not a classifier.

    It runs in a worker thread (the probes fit scikit-learn models: 0.1-0.5 s),
    so it captures its own copy of the parameters and the trace it reads.
    """
    tr = s.trace
    if tr is None or tr.arch.task != "classification":
        return None
    theta = s.theta().copy()
    key = probes_key(s, theta)
    if s._probes is not None and s._probes[0] == key:
        return None

    def job() -> dict:
        try:
            acc = views.probe_accuracies(tr, theta=theta)
        except (NetwarpError, ValueError) as e:  # e.g. a class missing from a tiny training set
            return {"type": "probes", "acc": [], "note": str(e)}
        s._probes = (key, acc)
        return {"type": "probes", "acc": [round(a, 4) for a in acc], "key": key}

    s._probes = (key, None)  # claimed: do not start the same job twice
    return job
