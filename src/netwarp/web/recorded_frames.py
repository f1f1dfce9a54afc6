"""The playground's frame for a model recorded by its layers' outputs (``netwarp serve run.npz`` of a
:class:`netwarp.torch.Recorder` trace).

Such a trace holds what the model's named layers output on its own training and test points at
each snapshot, not weights netwarp could run. So a replay shows what needs no forward pass: the
timeline, the curves, the probe bars and the hidden-space panel on any recorded layer (its training
points along their classes' split, or the steady 3D PCA camera), and, in place of the network
diagram, the list of recorded layers with their widths. The decision field, morph, weight edits,
code and gradient panels are not sent; the page hides them and says why in one line.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..recorded import RUNNING_VIEWS
from ..trace import Trace
from ..views.cache import cached, peek
from . import geometry as geo
from .frame_base import FrameState, Sent, frame_head

WHY = f"recorded layer outputs, no weights: {RUNNING_VIEWS} need a forward pass, so those panels are hidden"
PLAYING_NOTE = "the probe's line is fitted when the replay pauses"


def recorded_frame(s: FrameState, sent: Sent, full: bool = False) -> tuple[dict, Sent]:
    """The ``frame`` message for a replayed recorded trace ``s.trace`` (``arch.recorded``), and the record.

    Parameters
    ----------
    s : FrameState
        The replaying state: its snapshot, layer and projection are used, never its parameters.
    sent : Sent
        What the page already has (see :func:`netwarp.web.frames.build_frame`).
    full : bool
        Send everything (a page that has nothing yet).

    Returns
    -------
    frame : dict
        JSON-ready: the parts of every frame, ``arch.layer_names``, ``recorded`` (:func:`layers_payload`)
        and, for a classifier, ``hidden`` (layer ``s.layer`` at the shown snapshot) and ``probes_key``.
    sent : Sent
    """
    start = time.perf_counter()
    tr = s.trace
    out, sent = frame_head(s, sent, full)
    out["arch"].update(recorded=True, layer_names=list(tr.layer_names))
    out["recorded"] = layers_payload(tr)
    if tr.arch.task == "classification":
        try:
            hidden, sent = hidden_payload(s, tr, s.shown_index(), sent)
            out["hidden"] = {"layer": s.layer, **hidden}
        except NetwarpError as e:
            out["notes"].append(str(e))
        out["probes_key"] = recorded_probes_key(s)
    else:
        out["notes"].append("the hidden-space view of a recorded model needs a classifier")
    out["server_ms"] = round((time.perf_counter() - start) * 1000, 2)
    return out, sent


def layers_payload(tr: Trace) -> dict:
    """The recorded layers, input first and logits last, each ``{"layer", "name", "width"}`` (the input
    with its image ``shape`` when the trace has one), the model's ``source``, and ``why`` (one line)."""
    sizes, L = tr.arch.sizes, tr.arch.n_layers
    names = ["input", *tr.layer_names, "output logits"]
    layers = [{"layer": i, "name": names[i], "width": int(sizes[i])} for i in range(L + 1)]
    shape = tr.data.get("input_shape")
    if shape is not None:
        layers[0]["shape"] = [int(v) for v in shape]
    return {"layers": layers, "source": tr.data.get("source"), "why": WHY}


def hidden_payload(s: FrameState, tr: Trace, idx: int, sent: Sent) -> tuple[dict, Sent]:
    """Layer ``s.layer``'s training points at snapshot ``idx``, as the hidden view sends a table's.

    A layer wider than 3 is seen along its classes' split (:func:`netwarp.views.separating_projection`
    at that snapshot: points ``basis.apply(layer_outputs(X_train, idx)[layer])``, with the line or
    regions), or through the steady 3D PCA camera when the page asked for it; a 3-wide layer in 3D with
    its separating plane; a 1- or 2-wide layer in its own coordinates with its line. A probe fit costs
    seconds on a wide layer, so while the replay plays a layer not fitted yet at this snapshot keeps the
    last view of that layer, without a line. Fits are cached per trace (tabs replaying it share them).
    """
    H = tr.layer_outputs(tr.X_train, idx)[s.layer]
    D = int(H.shape[1])
    grid = np.empty((0, 2, D))  # recorded points only: no input grid goes through a model we cannot run
    if D > 3 and s.projection == "pca":
        return _projected(s, H, grid), sent
    key = ("recorded separation", s.layer, idx)
    sep = peek(tr, key)
    if sep is None and s.playing and s.layer < tr.arch.n_layers:  # the logits need no fit
        old = sent.separation
        if D > 3 and old is not None and old[0][1] == s.layer and old[1].basis.axes.shape[0] == D:
            return {**geo.separated_payload(old[1].basis, H, grid), "note": PLAYING_NOTE}, sent
        return {**_projected(s, H, grid), "note": PLAYING_NOTE}, sent
    if sep is None:
        sep = cached(tr, key, lambda: views.separating_projection(tr, s.layer, idx))
    sent = dataclasses.replace(sent, separation=(key, sep))
    info = geo.separation_info(sep)
    if D > 3:
        return geo.separated_payload(sep.basis, H, grid, info), sent
    out = _projected(s, H, grid)
    if D == 3:
        out["plane"] = geo.plane_payload(sep)
    else:
        out["separation"] = info
    return out, sent


def _projected(s: FrameState, H: np.ndarray, grid: np.ndarray) -> dict:
    """``H (n, D)`` through the state's steady camera for this layer (3D PCA over what it has seen)."""
    w = views.Warp(points=H, labels=np.asarray(s.trace.y_train), grid=grid, layer=float(s.layer))
    return geo.space_payload(w, s.projector, ("hidden", s.layer))


def recorded_probes_key(s: FrameState) -> str:
    """Names the state a set of probe accuracies measures: the data and the snapshot shown."""
    return f"{s.data_version}:snapshot {s.shown_index()}"


def recorded_probes_job(s: FrameState, sent: Sent):
    """As :func:`netwarp.web.frames.probes_job`, on the recorded outputs of the snapshot shown."""
    tr, idx, key = s.trace, s.shown_index(), recorded_probes_key(s)
    if sent.probes == key:
        return None, sent

    def job() -> dict:
        try:
            acc = views.probe_accuracies(tr, snapshot=idx)
        except (NetwarpError, ValueError) as e:  # e.g. a class missing from a tiny training set
            return {"type": "probes", "acc": [], "note": str(e)}
        return {"type": "probes", "acc": [round(a, 4) for a in acc], "key": key}

    return job, dataclasses.replace(sent, probes=key)
