"""One playground session (one browser tab): data, a Trainer, what is shown, hand edits.

The session is plain synchronous Python and the only writer of its state:
:meth:`Session.receive` applies one raw message, :meth:`Session.train_for`
advances training for a slice of wall time, :meth:`Session.frame` builds what
the page draws and records what the page was sent (a :class:`~netwarp.web.frames.Sent`),
:meth:`Session.probes_job` / :meth:`Session.probes_done` start and store the
slow linear probes. The websocket loop in :mod:`netwarp.web.live` only moves
messages and decides when to call which; each call changes state in one place,
so the calls can later run in worker threads under one lock.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

import numpy as np

from .. import views
from ..data import build_data
from ..settings import config_values
from ..trace import Trace
from ..train import Trainer
from ..userdata import split
from .budget import MemoryBudget
from .edits import Edit
from .frames import Sent, build_frame, probes_job
from .handlers import MessageHandlers
from .pace import Pace
from .protocol import playground_config
from .replay import replay_config

DEFAULT_CONFIG = playground_config()
log = logging.getLogger("netwarp.web")


class Session(MessageHandlers):
    """State of one tab.

    Parameters
    ----------
    replay : Trace, optional
        A saved run to replay instead of training (``netwarp serve run.npz``).
    name : str
        The replayed file's name, for the status line.
    budget : MemoryBudget, optional
        The server's memory budget this tab's set-ups are checked against.
    """

    def __init__(self, replay: Trace | None = None, name: str = "", budget: MemoryBudget | None = None):
        self.sid = secrets.token_urlsafe(16)
        self.replay = replay
        self.trace: Trace | None = replay
        self.trainer: Trainer | None = None
        self.config = DEFAULT_CONFIG
        self.csv: tuple[np.ndarray, np.ndarray, str, dict] | None = None  # X, y, task, data description
        self.added: list[tuple[float, float, int]] = []
        self.playing = False
        self.snapshot = -1  # -1 follows the newest state
        self.layer = 1
        self.t = 1.0
        self.resolution = 100
        self.neurons = True
        self.projection = "separating"  # wide layers: along the classes' split (or "pca")
        self.hover = -1
        self.edit: Edit | None = None
        self.ack = 0
        self.status = f"replaying {name}" if replay is not None else ""
        self.projector = views.Projector()
        self.data_version = 0
        self.sent = Sent()  # what the page already has; replaced by each frame and probe job
        self._next_record = 0
        self.pending_steps = 0  # asked for by "step", taken a slice at a time by train_for
        self.task = None  # a lesson step's task (netwarp.lessons.Task); frames say whether it is met
        self.pace = Pace()  # slow motion while playing at the "speed" setting
        self.cancelled = False  # the tab closed: the slice in progress stops, none follows
        self.budget = MemoryBudget() if budget is None else budget
        self._step_seconds = 0.0
        self._probes: tuple[str, dict] | None = None  # (key, message) of the last probe job that finished
        self._field_cache: views.FieldCache | None = None
        self.dirty = True
        if replay is not None:
            self.config = replay_config(replay)  # what the page shows: the run's own settings
            self.layer = max(replay.arch.n_layers - 1, 1)
            self.t = float(self.layer)

    # -- building ----------------------------------------------------------
    def _build(self, keep_theta: bool = False) -> None:
        # checked before anything is allocated; raises one line when the set-up does not fit
        need = self.budget.check(self, self.config, self.resolution, None if self.csv is None else len(self.csv[0]))
        values = config_values(self.config)
        net = self.config["net"]
        if self.csv is not None:
            X, y, task, source = self.csv
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
        self._next_record, self.pending_steps = 1, 0
        self.snapshot, self.edit, self.hover, self._probes = -1, None, -1, None
        L = self.trace.arch.n_layers
        self.layer = min(self.layer, L) if keep_theta else max(L - 1, 1)
        self.t = min(self.t, self.layer) if keep_theta else float(self.layer)
        self.projector.reset()
        self.data_version += 1
        self.status = ""
        self.dirty = True
        self.budget.open(self, need)

    def ensure(self) -> None:
        """Build the default setup if nothing was configured yet."""
        if self.trace is None:
            self._build()

    # -- training ----------------------------------------------------------
    def _commit_edit(self) -> None:
        # hand edits of the live network become its new starting point
        if self.edit is not None and self.snapshot == -1 and self.trainer is not None:
            self.trainer.theta[:] = self.edit.theta
        self.edit = None

    def _record_now(self) -> None:
        tr = self.trace
        if self.trainer is not None and len(tr) and tr.steps[-1] != self.trainer.step_count:
            self._record()

    def _record(self) -> bool:
        """Record the live parameters, within the tab's snapshot cap; False (and stopped) if training diverged.

        The one way a tab records (playing, stepping, pausing): at the cap every
        other snapshot is dropped (the first and the newest kept), so a long run
        keeps a timeline over all of it in bounded memory.
        """
        tr = self.trace
        if len(tr) >= self.snapshot_cap:
            tr.keep(np.r_[np.arange(0, len(tr) - 1, 2), len(tr) - 1])
        if self.trainer.record() is None:
            self.playing, self.pending_steps, self.status = False, 0, tr.message
            return False
        return True

    @property
    def snapshot_cap(self) -> int:
        """Most snapshots this tab keeps: 3000, fewer for a network whose snapshots are large (see :class:`MemoryBudget`)."""
        return self.budget.snapshot_cap(self.trace.arch.n_params)

    @property
    def busy(self) -> bool:
        """Training to do: playing, or steps asked for by ``step`` not yet taken."""
        return self.playing or self.pending_steps > 0

    def train_for(self, seconds: float) -> None:
        """Train for about ``seconds`` of wall time (replays advance one snapshot).

        Steps asked for by a ``step`` message are taken here too, a slice at a
        time; between chunks the time and :attr:`cancelled` are checked, so a
        slice stays short even for the largest network and a closed tab stops.
        """
        if not self.busy:
            return
        paced = self.playing and self.pace.paced  # "step" requests are never paced
        due = self.pace.due() if paced else 2**31
        if due == 0:
            return  # nothing due yet: the loop waits for pace.wait()
        self.dirty = True
        if self.replay is not None:  # a paced replay moves "speed" snapshots per second
            step = min(due, len(self.trace))
            self.pace.took(step) if paced else None
            self.snapshot += step if paced else 1
            if self.snapshot >= len(self.trace) - 1:
                self.snapshot, self.playing = len(self.trace) - 1, False
            return
        tr, start = self.trainer, time.perf_counter()
        end = start + seconds
        while not self.cancelled and self.busy:  # at least one chunk: a slice always moves training on
            # small chunks, sized by how long a step takes here, so the slice is not overrun
            k = max(1, min(10, int(seconds / max(self._step_seconds, 1e-6))))
            k = min(k, self.pending_steps) if self.pending_steps else max(1, min(k, self._next_record - tr.step_count))
            if paced:
                k = min(k, due)
            t0 = time.perf_counter()
            if not tr.step(k):
                self.playing, self.pending_steps, self.status = False, 0, self.trace.message
                return
            self._step_seconds = (time.perf_counter() - t0) / k
            if paced:  # slow motion: every step a snapshot, so the timeline holds each one the class saw
                self.pace.took(k)
                due -= k
                self._next_record = tr.step_count + 1
                if not self._record():
                    return
                if due <= 0:
                    break
            elif self.pending_steps:  # a "step" request records once, when all its steps are taken
                self.pending_steps -= k
                if not self.pending_steps:
                    self._record_now()
            elif tr.step_count >= self._next_record:
                # dense early, sparser later: about 20 snapshots per tenfold of steps
                self._next_record = tr.step_count + max(1, tr.step_count // 8)
                if not self._record():
                    return
            if time.perf_counter() >= end:
                break

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

    # -- what the page is sent ----------------------------------------------
    def frame(self, full: bool = False) -> dict:
        """The next message for the page: a ``frame`` of everything it draws, sent
        parts it already has left out (all of them on ``full``), or an ``error``.

        Records what the page now has in :attr:`sent`. A frame that fails to
        build stops playing (and is not retried until something changes), so a
        bug costs a message, not the tab.
        """
        self.ensure()
        try:
            out, self.sent = build_frame(self, self.sent, full)
        except Exception as e:
            log.exception("frame failed")
            self.dirty = self.playing = False
            return {"type": "error", "message": f"internal error drawing this state: {type(e).__name__}: {e}"}
        self.dirty = False
        return out

    def probes_job(self) -> Callable[[], dict] | None:
        """A job computing the linear-probe message for what is shown (to run in a
        worker thread and give to :meth:`probes_done`), or None when one was
        already started for this state or this is not a classifier."""
        job, self.sent = probes_job(self, self.sent)
        return job

    def probes_done(self, msg: dict) -> dict:
        """Store the result of a probe job; returns it, the message for the page."""
        self._probes = (msg.get("key", ""), msg)
        if self.trace is not None and self.trace.arch.sizes[0] != 2:
            self.dirty = True  # the job also fitted the input's view (frames.input_view): the next frame shows it
        return msg
