"""One playground session (one browser tab): data, a Trainer, what is shown, hand edits.

The session is plain synchronous Python: :meth:`Session.apply` takes a checked
message, :meth:`Session.train_for` advances training for a slice of wall time,
:meth:`Session.frame` computes everything the page draws. The websocket loop in
:mod:`netwarp.web.app` decides when to call which.
"""

from __future__ import annotations

import secrets
import time

import numpy as np

from .. import views
from ..data import build_data
from ..errors import NetwarpError
from ..settings import config_values
from ..trace import Trace
from ..train import Trainer
from ..userdata import split
from . import geometry as geo
from .edits import Edit, param_index
from .protocol import MAX_ADDED, MAX_POINTS, Message, ProtocolError, playground_config

DEFAULT_CONFIG = playground_config()
MAX_SNAPSHOTS = 3000


class Session:
    """State of one tab.

    Parameters
    ----------
    replay : Trace, optional
        A saved run to replay instead of training (``netwarp serve run.npz``).
    """

    def __init__(self, replay: Trace | None = None, name: str = ""):
        self.sid = secrets.token_urlsafe(16)
        self.replay = replay
        self.trace: Trace | None = replay
        self.trainer: Trainer | None = None
        self.config = DEFAULT_CONFIG
        self.csv: tuple[np.ndarray, np.ndarray, str] | None = None
        self.added: list[tuple[float, float, int]] = []
        self.playing = False
        self.snapshot = -1  # -1 follows the newest state
        self.layer = 1
        self.t = 1.0
        self.resolution = 100
        self.neurons = True
        self.hover = -1
        self.edit: Edit | None = None
        self.ack = 0
        self.status = f"replaying {name}" if replay is not None else ""
        self.projector = geo.Projector()
        self.data_version = 0
        self._sent_data = self._sent_curves = -1
        self._next_record = 0
        self._neurons_at = self._probes_at = 0.0
        self._probes: tuple | None = None  # (key, accuracies)
        self._field_cache: views.FieldCache | None = None
        self.dirty = True
        if replay is not None:
            self.layer = max(replay.arch.n_layers - 1, 1)
            self.t = float(self.layer)

    # -- building ----------------------------------------------------------
    def _build(self, keep_theta: bool = False) -> None:
        values = config_values(self.config)
        net = self.config["net"]
        if self.csv is not None:
            X, y, task = self.csv
            source = {"source": "csv"}
        else:
            X, y, task, source = build_data(values)
        X_tr, X_te, y_tr, y_te = split(X, y, values["test_size"], values["data_seed"], task == "classification")
        if self.added:
            a = np.array(self.added)
            X_tr, y_tr = np.vstack([X_tr, a[:, :2]]), np.r_[y_tr, a[:, 2].astype(y_tr.dtype)]
        old = self.trainer.theta.copy() if keep_theta and self.trainer is not None else None
        kw = dict(hidden=net["hidden"], activation=net["activation"], lr=net["lr"], optimizer=net["optimizer"],
                  batch_size=net["batch_size"], l1=net["l1"], l2=net["l2"], seed=net["seed"], task=task,
                  X_test=X_te, y_test=y_te, data=source)
        trainer = Trainer(X_tr, y_tr, **kw)
        if old is not None and old.shape == trainer.theta.shape:
            trainer.theta[:] = old  # in place: the optimiser and backprop hold this vector
        self.trainer, self.trace = trainer, trainer.trace
        self.trace.record(0, trainer.theta)
        self._next_record = 1
        self.snapshot, self.edit, self.hover, self._probes = -1, None, -1, None
        L = self.trace.arch.n_layers
        self.layer = min(self.layer, L) if keep_theta else max(L - 1, 1)
        self.t = min(self.t, self.layer) if keep_theta else float(self.layer)
        self.projector.reset()
        self.data_version += 1
        self.status = ""
        self.dirty = True

    def ensure(self) -> None:
        """Build the default setup if nothing was configured yet."""
        if self.trace is None:
            self._build()

    # -- messages ----------------------------------------------------------
    def apply(self, msg: Message) -> None:
        """Apply one checked message; raises NetwarpError/ProtocolError with one line."""
        b = msg.body
        if self.replay is not None and msg.type in ("config", "reset", "step", "add_point", "clear_points", "csv"):
            raise ProtocolError(f"'{msg.type}' is not available while replaying a saved run; start 'netwarp serve' without a file to train")
        getattr(self, "_on_" + msg.type)(b)
        self.dirty = True

    def _on_config(self, b: dict) -> None:
        old = self.config, self.csv, self.added
        self.config = b
        if old[0]["data"] != b["data"]:
            self.csv, self.added = None, []  # new data: old clicks and uploads do not belong to it
        try:
            self._build()
        except NetwarpError:
            self.config, self.csv, self.added = old  # nothing the user had is lost
            raise
        self.playing = False

    def _on_reset(self, b: dict) -> None:
        self._build()  # the same seed gives the same initialisation
        self.playing = False

    def _on_play(self, b: dict) -> None:
        self.ensure()
        if self.replay is not None:
            if self.snapshot == -1 or self.snapshot >= len(self.trace) - 1:
                self.snapshot = 0
        else:
            self._commit_edit()
            self.snapshot = -1
            if self.trace.status == "diverged":
                raise NetwarpError(self.trace.message + " (press reset)")
        self.playing = True

    def _on_pause(self, b: dict) -> None:
        self.playing = False
        self._record_now()

    def _on_step(self, b: dict) -> None:
        self.ensure()
        self._commit_edit()
        self.playing, self.snapshot = False, -1
        if not self.trainer.step(b["n"]):
            self.status = self.trace.message
        self._record_now()

    def _on_view(self, b: dict) -> None:
        self.ensure()
        n, L = len(self.trace), self.trace.arch.n_layers
        if "snapshot" in b:
            s = b["snapshot"]
            if s >= n:
                raise NetwarpError(f"snapshot {s} is out of range; this run has {n} snapshots (0..{n - 1}, or -1 for the newest)")
            if s != self.snapshot:
                self.edit, self.snapshot = None, s
                if self.replay is None:
                    self.playing = self.playing and s == -1
        if "layer" in b:
            if b["layer"] > L:
                raise NetwarpError(f"layer {b['layer']} is out of range; this network has layers 0 (input) to {L} (output)")
            self.layer = b["layer"]
            self.t = min(self.t, self.layer) if "t" not in b else self.t
        if "t" in b:
            if b["t"] > self.layer:
                raise NetwarpError(f"morph position t must be from 0 to the chosen layer {self.layer}, got {b['t']}")
            self.t = b["t"]
        if "resolution" in b:
            self.resolution = b["resolution"]
            if self.edit is not None:
                self.edit.ghost = None
        if "neurons" in b:
            self.neurons = b["neurons"]

    def _on_add_point(self, b: dict) -> None:
        self.ensure()
        tr = self.trace
        if tr.arch.task != "classification" or tr.arch.sizes[0] != 2:
            raise NetwarpError("points can be added by clicking only to 2D classification data")
        if b["label"] >= tr.n_classes:
            raise NetwarpError(f"class {b['label']} does not exist here; this data has classes 0..{tr.n_classes - 1}")
        if len(self.added) >= MAX_ADDED:
            raise NetwarpError(f"at most {MAX_ADDED} added points; clear them first")
        self.added.append((b["x"], b["y"], b["label"]))
        self._build(keep_theta=True)  # keep the weights: watch the network adapt to the new point

    def _on_clear_points(self, b: dict) -> None:
        self.added = []
        self._build(keep_theta=True)

    def _on_csv(self, b: dict) -> None:
        import tempfile

        from ..userdata import load_csv

        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=True, encoding="utf-8") as fh:
            fh.write(b["text"])
            fh.flush()
            try:
                X, y, task = load_csv(fh.name)
            except NetwarpError as e:
                raise NetwarpError(str(e).replace(fh.name, "uploaded CSV")) from None
        if len(X) > MAX_POINTS:
            raise NetwarpError(f"the CSV has {len(X)} rows; at most {MAX_POINTS}")
        old = self.csv, self.added
        self.csv, self.added = (X, y, task), []
        try:
            self._build()
        except NetwarpError:
            self.csv, self.added = old
            raise
        self.playing = False

    def _on_edit(self, b: dict) -> None:
        self.ensure()
        idx = param_index(self.trace.arch, b)
        if self.edit is None:
            self.edit = Edit(self.trace, self.theta())
        self.playing = False
        self.edit.set(idx, b["value"], (b["kind"], b["layer"], b["i"], b["j"]))
        self.ack = max(self.ack, b.get("seq", 0))

    def _on_restore(self, b: dict) -> None:
        if self.edit is None:
            return
        if b.get("all"):
            self.edit = None
        else:
            self.edit.restore(param_index(self.trace.arch, b))
            if not self.edit.changed:
                self.edit = None

    def _on_hover(self, b: dict) -> None:
        self.ensure()
        if b["index"] >= len(self.trace.X_train):
            raise NetwarpError(f"point {b['index']} does not exist; there are {len(self.trace.X_train)} training points")
        self.hover = b["index"]

    # -- training ----------------------------------------------------------
    def _commit_edit(self) -> None:
        # hand edits of the live network become its new starting point
        if self.edit is not None and self.snapshot == -1 and self.trainer is not None:
            self.trainer.theta[:] = self.edit.theta
        self.edit = None

    def _record_now(self) -> None:
        tr = self.trace
        if self.trainer is not None and len(tr) and tr.steps[-1] != self.trainer.step_count:
            if self.trainer.record() is None:
                self.playing, self.status = False, tr.message

    def train_for(self, seconds: float) -> None:
        """Train for about ``seconds`` of wall time (replays advance one snapshot)."""
        if not self.playing:
            return
        self.dirty = True
        if self.replay is not None:
            self.snapshot += 1
            if self.snapshot >= len(self.trace) - 1:
                self.snapshot, self.playing = len(self.trace) - 1, False
            return
        tr, end = self.trainer, time.perf_counter() + seconds
        while time.perf_counter() < end:
            k = max(1, min(10, self._next_record - tr.step_count))  # small chunks: the frame slot is not overrun
            if not tr.step(k):
                self.playing, self.status = False, self.trace.message
                return
            if tr.step_count >= self._next_record and len(self.trace) < MAX_SNAPSHOTS:
                # dense early, sparser later: about 20 snapshots per tenfold of steps
                self._next_record = tr.step_count + max(1, tr.step_count // 8)
                if tr.record() is None:
                    self.playing, self.status = False, self.trace.message
                    return

    # -- what is shown -----------------------------------------------------
    def theta(self) -> np.ndarray:
        """The parameters every view shows, shape ``(n_params,)``: edited, live, or a recorded snapshot."""
        if self.edit is not None:
            return self.edit.theta
        if self.snapshot == -1 and self.trainer is not None:
            return self.trainer.theta
        return self.trace.theta(self.snapshot)

    def field_cache(self) -> views.FieldCache:
        """The decision-field cache for the current trace and resolution (see :class:`~netwarp.views.FieldCache`)."""
        c = self._field_cache
        if c is None or c.trace is not self.trace or c.resolution != self.resolution:
            c = self._field_cache = views.FieldCache(self.trace, self.resolution)
        return c

    def shown_index(self) -> int:
        return len(self.trace) - 1 if self.snapshot == -1 else self.snapshot

    def frame(self, full: bool = False) -> dict:
        """Everything the page draws for the current state, as one JSON-ready dict."""
        from .frames import build_frame

        self.ensure()
        return build_frame(self, full)
