"""How each websocket message changes a playground session.

:class:`MessageHandlers` is the half of :class:`~netwarp.web.session.Session`
that answers messages (one ``_on_<type>`` method per message type); the other
half, in :mod:`netwarp.web.session`, builds the network, trains and sends
frames. Both are methods of the one session object, the only writer of its state.
"""

from __future__ import annotations

import logging

from ..errors import NetwarpError
from ..recorded import no_weights
from .anatomy_frames import anatomy_block
from .digits_frames import along_reply, digit_reply, digits_setup, path_reply, robustness_reply, units_reply
from .edits import Edit, param_index
from .protocol import MAX_ADDED, MAX_POINTS, Message, ProtocolError, parse

log = logging.getLogger("netwarp.web")
# messages that ask for numbers and change nothing: answered at once, no frame due
QUESTIONS = {
    "anatomy": lambda session, b: {"type": "anatomy", **anatomy_block(session)},
    "digit": digit_reply,
    "digits_setup": lambda session, b: digits_setup(session),
    "digits_path": path_reply,
    "digits_along": along_reply,
    "digits_units": lambda session, b: units_reply(session, b),
    "robustness": robustness_reply,
    "lesson": lambda session, b: lesson_reply(b),
}
# messages that need the network's weights (a forward pass on other inputs, or the parameters
# themselves), and what each asks for: a trace recorded by its layers' outputs refuses them in one line
NEED_WEIGHTS = {
    "edit": "a weight edit", "restore": "restoring a weight", "anatomy": "the code, diagnostics and gradient panels",
    "digit": "the digits panel", "digits_setup": "the digits panel", "digits_path": "the path between digits",
    "digits_along": "the path between digits", "digits_units": "the digits panel's units and lesions",
    "robustness": "robustness to weight noise",
}


def lesson_reply(b: dict) -> dict:
    """A lesson file loaded from the page, parsed and checked here; its problems as one line."""
    from ..lessons import parse_lesson

    lesson_name = b["name"].removesuffix(".toml")
    lesson, problems = parse_lesson(b["text"], lesson_name)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise NetwarpError(f"lesson {lesson_name}: {problems[0]}{more}")
    return {"type": "lesson", "lesson": lesson.to_json()}


class MessageHandlers:
    """Message handling for :class:`~netwarp.web.session.Session` (which supplies
    the state, ``_build``, ``ensure``, ``theta``, ``_commit_edit`` and ``_record_now``)."""

    def receive(self, raw: str | bytes) -> dict | None:
        """Check and apply one raw websocket message; returns a reply (an ``error``, or the
        answer to a question such as ``anatomy``) or None.

        Either way the next frame is due: after an error it resends the truth,
        so the page's controls snap back.
        """
        try:
            return self.apply(parse(raw))
        except (ProtocolError, NetwarpError) as e:
            self.dirty = True
            return {"type": "error", "message": str(e)}
        except Exception as e:  # a bug must cost one message, not the tab
            log.exception("message failed")
            self.dirty = True
            return {"type": "error", "message": f"internal error: {type(e).__name__}: {e}"}

    def apply(self, msg: Message) -> dict | None:
        """Apply one checked message; returns its reply, if it has one. Raises NetwarpError/ProtocolError with one line."""
        b = msg.body
        if self.replay is not None and msg.type == "config" and self._same_run(b):
            self._on_speed(b["play"])  # a replay's settings are its own; only its speed may change
            self.dirty = True
            return None
        if self.replay is not None and msg.type in ("config", "reset", "step", "add_point", "clear_points", "csv"):
            raise ProtocolError(f"'{msg.type}' is not available while replaying a saved run; start 'netwarp serve' without a file to train")
        if msg.type in NEED_WEIGHTS and self.trace is not None and self.trace.arch.recorded:
            raise no_weights(self.trace.layer_names, NEED_WEIGHTS[msg.type])
        if msg.type in QUESTIONS:  # a question: it changes nothing, so no frame is due
            return QUESTIONS[msg.type](self, b)
        getattr(self, "_on_" + msg.type)(b)
        self.dirty = True
        return None

    def _on_config(self, b: dict) -> None:
        if self.trace is not None and self.csv is None and self._same_run(b):
            # only how the run is played changed (its speed): the run goes on as it was
            self._on_speed(b["play"])
            return
        old = self.config, self.csv, self.added
        self.config = b
        # a config that changes neither the data nor the network while a CSV is loaded is the
        # user picking a dataset from the menu again (it shows "uploaded CSV"): back to that dataset
        back_from_csv = self.csv is not None and old[0]["net"] == b["net"]
        if old[0]["data"] != b["data"] or back_from_csv:
            self.csv, self.added = None, []  # new data: old clicks and uploads do not belong to it
        try:
            self._build()
        except NetwarpError:
            self.config, self.csv, self.added = old  # nothing the user had is lost
            raise
        self.playing = False

    def _same_run(self, b: dict) -> bool:
        """The config ``b`` trains what the current one does (it may play it at another speed)."""
        return all(b.get(k) == v for k, v in self.config.items() if k != "play")

    def _on_speed(self, play: dict) -> None:
        self.config = {**self.config, "play": play}
        if self.playing:
            self.pace.start(play["speed"])

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
        self.pace.start(self.config.get("play", {}).get("speed"))
        self.playing = True

    def _on_pause(self, b: dict) -> None:
        self.playing, self.pending_steps = False, 0
        self._record_now()

    def _on_step(self, b: dict) -> None:
        self.ensure()
        self._commit_edit()
        self.playing, self.snapshot = False, -1
        # taken in slices by train_for, off the event loop, so other tabs keep their turn
        self.pending_steps += b["n"]

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
            if self.replay is None:
                self.budget.open(self, self.budget.check(self, self.config, b["resolution"]))
            self.resolution = b["resolution"]  # an edit's ghost is resent at the new resolution
        if "neurons" in b:
            self.neurons = b["neurons"]
        if "projection" in b:
            self.projection = b["projection"]

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
        self._rebuild_keeping_run()  # keep the weights: watch the network adapt to the new point

    def _on_clear_points(self, b: dict) -> None:
        self.added = []
        self._rebuild_keeping_run()

    def _rebuild_keeping_run(self) -> None:
        """Rebuild on the changed points without losing the recorded timeline.

        Every recorded snapshot's parameters are measured again on the new data
        (so the curves stay true to the points shown), and the step count goes on.
        """
        old, step = self.trace, self.trainer.step_count if self.trainer is not None else 0
        self._build(keep_theta=True)
        tr = self.trace
        if old is None or len(old) == 0 or tuple(old.arch.sizes) != tuple(tr.arch.sizes):
            return
        now = self.trainer.theta.copy()
        tr.drop_last()  # _build's snapshot at step 0: replaced by the run so far
        for st, th in zip(old.steps, old.params):
            tr.record(int(st), th)
        self.trainer.step_count = step
        if not len(tr) or tr.steps[-1] != step:
            tr.record(step, now)
        self._next_record = step + max(1, step // 8)

    def _on_csv(self, b: dict) -> None:
        import tempfile
        from pathlib import Path

        from ..data import csv_data

        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=True, encoding="utf-8") as fh:
            fh.write(b["text"])
            fh.flush()
            try:
                # a header row makes it a table: its names and text labels come along
                X, y, task, description = csv_data(Path(fh.name))
            except NetwarpError as e:
                raise NetwarpError(str(e).replace(fh.name, "uploaded CSV")) from None
        if len(X) > MAX_POINTS:
            raise NetwarpError(f"the CSV has {len(X)} rows; at most {MAX_POINTS}")
        old = self.csv, self.added
        self.csv, self.added = (X, y, task, {**description, "source": "csv"}), []
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

    def _on_task(self, b: dict) -> None:
        from ..lessons import parse_task

        self.task = None if b["text"] is None else parse_task(b["text"])

    def _on_hover(self, b: dict) -> None:
        self.ensure()
        if b["index"] >= len(self.trace.X_train):
            raise NetwarpError(f"point {b['index']} does not exist; there are {len(self.trace.X_train)} training points")
        self.hover = b["index"]

