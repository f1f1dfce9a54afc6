"""Build one frame: every view of the shown state, computed by :mod:`netwarp.views`.

Building a frame is a function of two things: the state shown (a
:class:`FrameState`, which a :class:`~netwarp.web.session.Session` is) and a
:class:`Sent` record of what the page already has. It returns the frame and
the new record; only the session stores that record. The one thing it mutates
is the state's 3D camera (``projector``), which follows the layers it draws.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..trace import Trace
from ..views.cache import cached, peek
from . import geometry as geo
from .frame_base import FrameState, Sent, frame_head
from .recorded_frames import recorded_frame, recorded_probes_job

GRID_LINES, GRID_SAMPLES = 20, 40  # enough to see the folds; views.input_grid cost grows with lines
NEURON_RES = 24
NEURON_INTERVAL = 0.25  # seconds between neuron-heatmap refreshes while training


def build_frame(s: FrameState, sent: Sent, full: bool = False, now: float | None = None) -> tuple[dict, Sent]:
    """The ``frame`` message for state ``s``, and what the page has once it arrives.

    Parameters
    ----------
    s : FrameState
        The state shown; ``s.trace`` must exist.
    sent : Sent
        What the page already has. Heavy parts that rarely change (the data
        points, the curves, an edit's ghost) are sent only when they differ
        from it; the neuron heatmaps at most every ``NEURON_INTERVAL`` while playing.
    full : bool
        Send everything (a page that has nothing yet).
    now : float, optional
        ``time.perf_counter()`` of this frame (default: now).

    Returns
    -------
    frame : dict
        JSON-ready ``frame`` message.
    sent : Sent
        The record after this frame.
    """
    if s.trace.arch.recorded:  # no weights: its own frame
        return recorded_frame(s, sent, full)
    tr, arch = s.trace, s.trace.arch
    theta = s.theta()
    start = time.perf_counter()
    now = start if now is None else now
    plane = arch.sizes[0] == 2
    classifier = arch.task == "classification"
    out, sent = frame_head(s, sent, full)
    try:
        if arch.task == "regression" and arch.sizes[0] == 1 and arch.sizes[-1] == 1:
            out["curve"] = geo.curve_payload(tr, theta)
        if plane or classifier:  # off the plane (digits, a table) the points alone, seen along their split
            refit = s.edit is None  # a still camera while a weight is dragged shows only its effect
            w = views.warp(tr, s.layer, lines=GRID_LINES, samples=GRID_SAMPLES, theta=theta)
            hidden, sep, sent = _hidden_view(s, tr, theta, w, sent, refit)
            out["hidden"] = {"layer": s.layer, **hidden}
            m = None
            if s.layer >= 1 and s.t == s.layer and arch.sizes[s.layer] == max(arch.sizes[: s.layer + 1]) and s.hover < 0:
                # the morph's end is the layer itself (same width, so no padding): reuse it
                # ... and say so instead of sending the same 40 kB twice
                out["morph"] = {"same_as": "hidden", "t": s.t, "stage": views.morph_stage(tr, s.t, s.layer)}
            elif s.layer >= 1:
                m = views.Morph(tr, s.layer, lines=GRID_LINES, samples=GRID_SAMPLES, theta=theta)
                out["morph"] = {"layer": s.layer, "t": s.t, "stage": m.stage(s.t),
                                **geo.space_payload(m.at(s.t), s.projector, ("morph", s.layer), refit)}
            if s.hover >= 0 and plane:
                out["path"] = _path(s, tr, theta, m, sep)
            if not plane:  # the probe is fitted by the probes job, off the frame's path (seconds for digits)
                shown = peek(tr, ("input view", s.data_version))
                if shown is not None:
                    out["input"] = shown
        else:
            out["notes"].append(f"the hidden-space views need a classifier or 2 inputs; this data has {arch.sizes[0]}")
    except NetwarpError as e:
        out["notes"].append(str(e))
    out["diagram"] = geo.diagram_payload(tr, theta)
    if plane and s.neurons and (full or not s.playing or now - sent.neurons_at >= NEURON_INTERVAL):
        out["neurons"] = geo.neurons_payload(tr, theta, NEURON_RES)
        sent = dataclasses.replace(sent, neurons_at=now)
    if s.edit is not None:
        out["edit"] = s.edit.payload()
    ghost = None  # the page drops its ghost with the first frame without an edit
    if plane and classifier:
        out["field"], labels = geo.field_payload(tr, theta, s.resolution, s.field_cache())
        if s.edit is not None:
            # the page keeps the ghost while the edit lasts: send it once, not with every move
            ghost = (s.data_version, hash(s.edit.base.tobytes()), s.resolution)
            if full or sent.ghost != ghost:
                out["edit"]["ghost"] = geo.field_payload(tr, s.edit.base, s.resolution)[0]["labels"]
    if sent.ghost != ghost:
        sent = dataclasses.replace(sent, ghost=ghost)
    if classifier:
        # the page shows the bars as out of date until probes of this very state arrive
        out["probes_key"] = probes_key(s, theta)
    out["server_ms"] = round((time.perf_counter() - start) * 1000, 2)  # shown by the benchmark
    return out, sent


def _hidden_view(
    s: FrameState, tr: Trace, theta: np.ndarray, w: views.Warp, sent: Sent, refit: bool
) -> tuple[dict, views.SeparatingBasis | None, Sent]:
    """The hidden-space payload of ``w`` (layer ``s.layer``), the separating basis it is seen
    through (None: the projector's view) and the record.

    A classifier's layer wider than 3 is seen along the direction its classes are
    split (:func:`netwarp.views.separating_projection`) with the separating line(s),
    unless the page asked for the steady 3D PCA camera; a 3-wide layer keeps its 3D
    view and gets the separating plane; a 1- or 2-wide layer its own coordinates and the line.
    The line of the last hidden layer (and of the logits) is the network's own boundary;
    earlier layers get a linear probe's, fitted only while nothing moves (a fit costs
    0.1-0.5 s, over the playground's frame and edit budgets).
    """
    D = int(w.points.shape[1])
    if tr.arch.task != "classification" or (D > 3 and s.projection == "pca"):
        return geo.space_payload(w, s.projector, ("hidden", s.layer), refit), None, sent
    skey = (s.data_version, s.layer, hash(theta.tobytes()))
    old = sent.separation
    old = old if old is not None and old[0][:2] == skey[:2] and old[1].basis.axes.shape[0] == D else None
    sep = old[1] if old is not None and old[0] == skey else None
    if sep is None and s.layer < tr.arch.n_layers - 1 and (s.playing or s.edit is not None):
        # no probe fit while training or dragging: keep the last view, without a line
        note = "the probe's line is fitted when training pauses and no weight is dragged"
        if D > 3 and old is not None:
            basis = old[1].basis
            return {**geo.separated_payload(basis, w.points, w.grid), "note": note}, basis, sent
        return {**geo.space_payload(w, s.projector, ("hidden", s.layer), refit), "note": note}, None, sent
    if sep is None:
        at = _frozen_at(tr, theta)
        if D <= 2:  # its own coordinates, like the grid the projector draws
            sep = views.separating_projection(at, s.layer, 0, views.SeparatingBasis(np.zeros(D), np.eye(D, 2)))
        elif old is not None:
            # keep the camera while the line stays the boundary itself in it (e.g. an edit
            # before the last layer); refit when the classifier's normal has left the view
            sep = views.separating_projection(at, s.layer, 0, old[1].basis)
            if not sep.exact:
                sep = views.separating_projection(at, s.layer, 0)
        else:
            sep = views.separating_projection(at, s.layer, 0)
        sent = dataclasses.replace(sent, separation=(skey, sep))
    info = geo.separation_info(sep)
    if D > 3:
        return geo.separated_payload(sep.basis, w.points, w.grid, info), sep.basis, sent
    out = geo.space_payload(w, s.projector, ("hidden", s.layer), refit)
    if D == 3:
        out["plane"] = geo.plane_payload(sep)
    else:
        out["separation"] = info
    return out, None, sent


def input_view(tr: Trace, data_version: int) -> dict:
    """An input that is not a plane, for the field panel: its training points along a linear probe's
    split of the classes, with the probe's line or regions. The input does not change with the
    weights, so the probe is fitted once per data set."""
    def fit() -> dict:
        sep = views.separating_projection(tr, 0, -1)
        return {**geo.separated_payload(sep.basis, tr.X_train, np.empty((0, 2, tr.arch.sizes[0]))),
                "layer": 0, "separation": geo.separation_info(sep)}

    return cached(tr, ("input view", data_version), fit)


def _frozen_at(tr: Trace, theta: np.ndarray) -> Trace:
    """``tr``'s data with ``theta (n_params,)`` as its one snapshot: the views take a snapshot index,
    and the playground shows live or hand-edited parameters that no snapshot holds."""
    nan = float("nan")
    return Trace.from_arrays(tr.arch, tr.X_train, tr.y_train, tr.X_test, tr.y_test, [0], [theta], [(nan, nan, nan, nan)])


def _path(
    s: FrameState, tr: Trace, theta: np.ndarray, m: views.Morph | None, basis: views.SeparatingBasis | None = None
) -> dict:
    """Where training point ``s.hover`` is in every layer, and its morph trajectory.

    ``basis``: the separating view the hidden space was drawn in (None: the projector's view)."""
    h = s.hover
    acts = tr.layer_outputs(tr.X_train[h : h + 1], theta=theta)
    out = {
        "index": h,
        "label": float(tr.y_train[h]),
        "values": [np.round(a[0], 5).tolist() for a in acts],
        # the read-out shows what the network answers: class probabilities, not raw logits
        "probs": np.round(tr.predict_proba(tr.X_train[h : h + 1], theta=theta)[0], 4).tolist()
        if tr.arch.task == "classification" else None,
        "hidden": (basis.apply(acts[s.layer]) if basis is not None else s.projector.apply(("hidden", s.layer), acts[s.layer]))[0].tolist(),
    }
    if m is not None:
        ts = np.linspace(0, s.layer, 6 * s.layer + 1)  # two samples per morph stage
        states = np.array([m.state(t)[h] for t in ts])
        out["morph"] = s.projector.apply(("morph", s.layer), states).tolist()
    return out


def probes_key(s: FrameState, theta: np.ndarray) -> str:
    """Names the state (data and parameters) a set of probe accuracies measures."""
    return f"{s.data_version}:{hash(theta.tobytes()):x}"


def probes_job(s: FrameState, sent: Sent) -> tuple[Callable[[], dict] | None, Sent]:
    """A zero-argument function computing the linear-probe message for what is
    shown, or None when it was already started for this state or it is not a
    classifier; and the record with this state's probes claimed.

    The job runs in a worker thread (the probes fit scikit-learn models:
    0.1-0.5 s), so it reads its own copy of the parameters and writes nothing:
    the session stores what it returns.
    """
    tr = s.trace
    if tr is None or tr.arch.task != "classification":
        return None, sent
    if tr.arch.recorded:
        return recorded_probes_job(s, sent)
    theta = s.theta().copy()
    key = probes_key(s, theta)
    if sent.probes == key:
        return None, sent
    version = s.data_version

    def job() -> dict:
        try:
            if tr.arch.sizes[0] != 2:
                input_view(tr, version)  # the field panel's view of an input that is not a plane, for later frames
            acc = views.probe_accuracies(tr, theta=theta)
        except (NetwarpError, ValueError) as e:  # e.g. a class missing from a tiny training set
            return {"type": "probes", "acc": [], "note": str(e)}
        return {"type": "probes", "acc": [round(a, 4) for a in acc], "key": key}

    # claimed when started, not when done: the same job is not started twice
    return job, dataclasses.replace(sent, probes=key)
