"""Your own PyTorch model as a Trace: one snapshot (:func:`from_torch`) or your
own training loop recorded as it runs (:class:`Recorder`).

The model is read from its forward pass (:mod:`netwarp.torch.reading`) at every
snapshot, and every reading is checked against the model's own float64 outputs.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .. import limits
from ..errors import NetwarpError, SnapshotsThinned, whole_number
from ..memory import check_fits, recording_parts
from ..recorded import bytes_per_snapshot
from ..trace import Snapshot, Trace
from ..train import DEFAULT_SNAPSHOTS, snapshot_steps
from .layers import outputs_trace
from .loss import loss_note
from .points import described, read_sets
from .reading import CHECK_ROWS, Reading, check, read, torch_module, unwrap

if TYPE_CHECKING:
    import torch

PER_DECADE = 30  # snapshots per tenfold of steps when the loop's length is not known
# the largest step a snapshot may have: the page and every JSON reader hold steps as doubles,
# exact only up to 2**53 (and the trace file stores them as int64)
MAX_STEP = 2**53


@dataclass
class _Source:
    """What a snapshot needs besides the model: the rows it is checked on, as the model takes them
    (``X64``, float64 on the CPU) and as netwarp does (``flat``), and whether the one output is a logit."""

    X64: Any
    flat: np.ndarray
    binary: bool


def _trace(model, X, y, X_test, y_test, data: dict, loss_fn=None) -> tuple[Trace, Reading, _Source]:
    torch = torch_module()
    sets = read_sets(X, y, X_test, y_test)
    X, y, X_test, y_test, task, shape = sets.X, sets.y, sets.X_test, sets.y_test, sets.task, sets.shape
    said = loss_note(loss_fn, task)  # before the model is read: a wrong loss_fn is one line at once
    if X_test.shape[1] != X.shape[1]:
        raise NetwarpError(f"the model takes {X.shape[1]} inputs but X_test has {X_test.shape[1]} columns")
    rows = np.vstack([X, X_test])[:CHECK_ROWS] if sets.given else X[:CHECK_ROWS]
    flat = np.ascontiguousarray(rows, dtype=np.float64)
    src = _Source(torch.from_numpy(flat.reshape(len(flat), *shape)), flat, False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the dropped softmax is said once, below
        reading = read(model, src.X64)
    n_out = reading.sizes[-1]
    if reading.sizes[0] != X.shape[1]:
        raise NetwarpError(f"the model takes {reading.sizes[0]} inputs but X has {X.shape[1]} columns")
    if task == "classification":
        top = int(max(y.max(), y_test.max()))
        if n_out == 1 and top > 1:
            raise NetwarpError(f"the model has 1 output but y holds class labels up to {top}; a classifier needs "
                               "one output per class (or one logit for two classes)")
        if n_out > 1 and top >= n_out:
            raise NetwarpError(f"the labels go up to {top} but the model has {n_out} outputs (one per class)")
        src.binary = n_out == 1
    elif n_out != 1:
        raise NetwarpError(f"y holds real values (a regression) but the model has {n_out} outputs; netwarp regresses onto 1")
    arch = reading.arch(task, src.binary)
    check(reading, arch, reading.weights(src.binary), src.flat, src.binary)
    if reading.dropped:
        warnings.warn(f"netwarp drops {reading.dropped} at the end of the model and records the logits before it "
                      "(the probabilities are the same)", stacklevel=3)
    notes = list(reading.notes)
    if src.binary:
        notes.append("one output logit z recorded as the two logits [0, z] (sigmoid(z) = P(class 1))")
    if notes:  # said where every view shows the data: the trace is the model as it predicts
        data = {**data, "source": f"{data['source']} ({'; '.join(notes)})", "model": "; ".join(notes)}
    if said:  # the curves are netwarp's plain loss, not the one the loop went down (Trace.data_description says it)
        data = {**data, "loss_note": said}
    return Trace(arch, X, y, X_test, y_test, config={"source": "torch"}, data=described(data, sets)), reading, src


def _theta(trace: Trace, reading: Reading, src: _Source) -> np.ndarray:
    layers = reading.weights(src.binary)
    check(reading, trace.arch, layers, src.flat, src.binary)  # every reading: a misreading raises
    return trace.arch.flatten(layers)


def from_torch(model: torch.nn.Module, X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None = None,
               y_test: ArrayLike | None = None, step: int = 0, memory: float | None = None,
               layers: list[str] | None = None, loss_fn: object = None) -> Trace:
    """A Trace of one snapshot of a PyTorch model.

    Parameters
    ----------
    model : torch.nn.Module
        Any module whose forward is a chain of layers netwarp can show (see :mod:`netwarp.torch`).
    X : array-like or tensor of shape (n, n_inputs)
        Images of shape ``(n, 8, 8)`` are given to the model as they are and flattened for netwarp.
    y : array-like or tensor of shape (n,)
        Class labels (0..k-1 for a model with k outputs, 0/1 for one output logit) or real values (1 output).
    X_test, y_test : optional
        A test set; without one the training points stand in for it (the trace says so).
    step : int
        The training step this snapshot is of, a whole number from 0 to 2**53 (``MAX_STEP``).
    memory : float, optional
        Megabytes it may use (default: half this machine's memory); a model
        whose snapshot would need more is refused before its weights are copied into the trace.
    layers : list of str, optional
        Record these modules' outputs (dotted paths such as ``["conv", "fc1"]``) and the
        logits instead of reading weights: any model (a CNN, embeddings, a residual
        block), for the views that need only representations (:mod:`netwarp.recorded`).
    loss_fn : torch.nn.Module or callable, optional
        The criterion the model is trained with. The trace's losses are plain cross-entropy
        (mean squared error for a regression); label smoothing, class weights, ``pos_weight``
        or a loss netwarp does not know (named by its class) are said in
        ``trace.data["loss_note"]`` and :attr:`~netwarp.Trace.data_description`.

    Returns
    -------
    Trace
    """
    step = whole_number("step", step, 0, MAX_STEP)  # 1.5 or "3" are refused, not rounded
    if layers is not None:
        trace, _, _, train, test = outputs_trace(model, X, y, X_test, y_test, layers, _source(model))
        _note_loss(trace, loss_fn)
        check_fits(_outputs_parts(trace), memory, "recording these layers", "record fewer or smaller layers, or fewer points")
        if trace.record_outputs(step, train, test) is None:
            raise NetwarpError("the recorded layers' outputs or the model's logits on X are not finite")
        trace.status = "complete"
        return trace
    trace, reading, src = _trace(model, X, y, X_test, y_test, _source(model), loss_fn)
    t = trace
    check_fits(recording_parts(t.arch.sizes, len(t.X_train), len(t.X_test)), memory, "recording this model",
               "record a smaller model or fewer points")
    if trace.record(step, _theta(trace, reading, src)) is None:
        raise NetwarpError("the model's weights or its loss on X are not finite")
    trace.status = "complete"
    return trace


def _source(model) -> dict:
    return {"source": f"torch:{type(unwrap(model)).__name__}"}


def _note_loss(trace: Trace, loss_fn) -> None:
    """Say in ``trace.data`` what ``loss_fn`` adds to the plain loss the trace's curves show (see :mod:`.loss`)."""
    said = loss_note(loss_fn, trace.arch.task)
    if said:
        trace.data = {**trace.data, "loss_note": said}


def _outputs_parts(trace: Trace) -> dict[str, int]:
    """Bytes of a recorded-layers snapshot and the data, for :func:`~netwarp.memory.check_fits`."""
    n = len(trace.X_train) + len(trace.X_test)
    return {"outputs": bytes_per_snapshot(trace.arch.sizes, len(trace.X_train), len(trace.X_test)),
            "data": 8 * n * (trace.arch.sizes[0] + 2)}


class Recorder:
    """Records a PyTorch training loop into a growing :class:`~netwarp.Trace`.

    Call :meth:`record` with the step number inside your loop; it costs two
    comparisons when no snapshot is due. Snapshots are log-spaced like
    :func:`netwarp.train`'s: over ``steps`` when you give the loop's length,
    else about 30 per tenfold of steps; ``every=K`` records the steps that are
    multiples of K (0, K, 2K, ...). A snapshot copies the read layers' weights
    (BatchNorm folded in) and evaluates the loss and accuracy on the train and
    test sets in numpy. Every snapshot reads the model again from one float64
    run of its forward pass in eval mode (its training mode restored) and checks
    the reading against the model's outputs.

    Used as a context manager (``with Recorder(...) as rec:``), the last step
    seen is recorded when the block ends, also when it ends in an exception
    (the trace's status and message then say so).

    When the snapshots would outgrow ``netwarp.limits.SNAPSHOT_BYTES`` (a large
    model recorded often), every other one is dropped and the spacing doubled,
    with a :class:`~netwarp.errors.SnapshotsThinned` warning, so a long loop
    never runs out of memory.

    Parameters
    ----------
    model : torch.nn.Module
    X : array-like or tensor of shape (n, n_inputs)
    y : array-like or tensor of shape (n,)
    X_test, y_test : array-like or tensor of shape (n_test, n_inputs) and (n_test,), optional
        As for :func:`from_torch`.
    every : int, optional
        Record the steps that are multiples of ``every`` instead.
    steps : int, optional
        The loop's length, for the same schedule as ``netwarp.train(steps=...)``.
    snapshots : int
        How many, with ``steps``.
    layers : list of str, optional
        Record these modules' outputs (dotted paths) and the logits at each snapshot instead
        of weights: any ``nn.Module``, for the views that need only representations
        (see :func:`from_torch`). Stored as float32; thinned like weights.
    loss_fn : torch.nn.Module or callable, optional
        The criterion the loop trains with, e.g. ``nn.CrossEntropyLoss(label_smoothing=0.1)``; as
        for :func:`from_torch`, what it adds to plain cross-entropy is said in the data description.

    Attributes
    ----------
    trace : Trace
        The growing Trace; ``status`` is ``"recording"`` until the first snapshot.

    Examples
    --------
    >>> with netwarp.torch.Recorder(model, X, y, every=50) as rec:   # doctest: +SKIP
    ...     for step in range(1, 2001):
    ...         loss = loss_fn(model(X), y); opt.zero_grad(); loss.backward(); opt.step()
    ...         rec.record(step)
    >>> rec.trace.save("run.npz")                                     # doctest: +SKIP
    """

    def __init__(self, model: torch.nn.Module, X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None = None,
                 y_test: ArrayLike | None = None, every: int | None = None, steps: int | None = None,
                 snapshots: int = DEFAULT_SNAPSHOTS, layers: list[str] | None = None, loss_fn: object = None):
        self.every = None if every is None else whole_number("every", every, 1, MAX_STEP)
        plan = None
        if steps is not None and every is None:
            plan = [int(s) for s in snapshot_steps(whole_number("steps", steps, 1, MAX_STEP), snapshots)]
        self.model = model
        self._runner = None
        if layers is not None:
            self.trace, self._runner, self._inputs, _, _ = outputs_trace(model, X, y, X_test, y_test, layers,
                                                                         _source(model))
            _note_loss(self.trace, loss_fn)
            self._same_sets = self.trace.X_test is self.trace.X_train
            self._bytes = bytes_per_snapshot(self.trace.arch.sizes, len(self.trace.X_train), len(self.trace.X_test))
            what = "its recorded layers need"
        else:
            self.trace, reading, self._src = _trace(model, X, y, X_test, y_test, _source(model), loss_fn)
            self._shape = (reading.sizes, reading.activations)
            self._bytes = 8 * self.trace.arch.n_params
            what = f"a model of {self.trace.arch.n_params} parameters needs"
        self.trace.status = "recording"
        self._plan = plan
        self._per_decade = PER_DECADE
        self._room = max(limits.SNAPSHOT_BYTES // max(self._bytes, 1), 0)
        if self._room < 2:
            mb = limits.size_text
            raise NetwarpError(f"{what} {mb(self._bytes)} per snapshot; at most {mb(limits.SNAPSHOT_BYTES)} for all "
                               "snapshots of a run: make it smaller" + (" or record fewer layers or points"
                                                                         if self._runner else ""))
        self._next = 0
        self._last = -1
        self._seen = -1  # the last step record() was called with

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, kind, error, tb) -> bool:
        t = self.trace
        if self._seen > self._last:
            try:
                self.record(self._seen, force=True)
            except NetwarpError:
                if kind is None:
                    raise
                # the loop's own exception is the one to see; the trace already says what happened here
        if kind is not None and t.status not in ("diverged", "stopped"):
            what = "was interrupted" if issubclass(kind, KeyboardInterrupt) else f"raised {kind.__name__}"
            t.status = "stopped"
            t.message = (f"the training loop {what} after step {self._seen}; the trace ends at its last step seen"
                         if self._seen >= 0 else f"the training loop {what} before its first step")
        return False  # never swallow the loop's exception

    def due(self, step: int) -> bool:
        """Whether :meth:`record` at ``step`` would take a snapshot."""
        if self.every is not None:  # the multiples of every (as Lightning, Keras and TensorBoard count)
            return step % self.every == 0 and step > self._last
        return step >= self._next and step > self._last

    def record(self, step: int, force: bool = False) -> Snapshot | None:
        """Take a snapshot at ``step`` if one is due (or ``force``); returns it, or None.

        ``step`` is a whole number from 0 to 2**53 (``MAX_STEP``), increasing from
        call to call; a step at or before the last one recorded is skipped.

        Raises
        ------
        NetwarpError
            The model's weights or losses are no longer finite, its layers
            changed since recording began, or it can no longer be read. The
            snapshots before stay in ``self.trace``, its ``status`` and
            ``message`` say what happened.
        """
        if type(step) is not int or not 0 <= step <= MAX_STEP:  # the usual int costs one test
            step = whole_number("step", step, 0, MAX_STEP)
        if step > self._seen:
            self._seen = step
        if not (force or self.due(step)) or step <= self._last:
            return None
        if self._runner is not None:
            return self._record_outputs(step)
        # every snapshot reads the model again from its forward pass and checks the reading against its
        # outputs, so a replaced module or a weight changed in place is never recorded under the old
        # reading (measured on an idle machine: 1-1.6 ms more a snapshot than taking the last reading's
        # weights; recording the bench's tanh loop costs 8% instead of 3%, its BatchNorm loop 4% instead
        # of 0.4%, within the 10% goal: bench/bench_torch_recorder.py)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a dropped softmax was said when recording began
                reading = read(self.model, self._src.X64)
        except NetwarpError as e:
            raise self._stop("stopped", f"{e} (at step {step})") from None
        if (reading.sizes, reading.activations) != self._shape:
            raise self._stop("stopped", f"the model changed from {_name(*self._shape)} to "
                             f"{_name(reading.sizes, reading.activations)} at step {step}")
        if len(self.trace) >= self._room:
            self._thin()
        try:
            theta = _theta(self.trace, reading, self._src)
        except NetwarpError as e:
            raise self._stop("stopped", f"{e} (at step {step})") from None
        return self._taken(step, self.trace.record(step, theta), "the model's weights or losses")

    def _record_outputs(self, step: int) -> Snapshot:
        """A snapshot of the named layers' outputs and the logits on the train and test points."""
        t = self.trace
        if len(t) >= self._room:
            self._thin()
        try:
            train = self._runner.run(self._inputs[0])
            test = train if self._same_sets else self._runner.run(self._inputs[1])
        except NetwarpError as e:
            raise self._stop("stopped", f"{e} (at step {step})") from None
        widths = tuple(a.shape[1] for a in train)
        if widths != t.arch.sizes[1:]:
            raise self._stop("stopped", f"the recorded layers' widths changed from {list(t.arch.sizes[1:])} to "
                             f"{list(widths)} at step {step}")
        return self._taken(step, t.record_outputs(step, train, test), "the recorded layers' outputs or the logits")

    def _stop(self, status: str, message: str) -> NetwarpError:
        """Mark the trace ``status`` ("stopped", "diverged") with ``message``; the error that says so."""
        t = self.trace
        t.status, t.message = status, message
        return NetwarpError(f"{message}; the trace keeps {len(t)} snapshot(s) before it")

    def _taken(self, step: int, snap: Snapshot | None, what: str) -> Snapshot:
        """After a snapshot at ``step`` was recorded (``snap``) or refused as non-finite (None): the next one due."""
        if snap is None:
            raise self._stop("diverged", f"{what} became non-finite at step {step}")
        self._last = step
        self._next = self._following(step)
        self.trace.status = "complete"
        return snap

    def _thin(self) -> None:
        """Drop every other snapshot (keeping the first and the newest) and record half as often from now on."""
        n = len(self.trace)
        keep = sorted(set(range(0, n, 2)) | {n - 1})
        self.trace.keep(keep)
        if self.every is not None:
            self.every *= 2
        elif self._plan is not None:
            self._plan = self._plan[::2]
        else:
            self._per_decade = max(1, self._per_decade // 2)
        mb = limits.size_text
        warnings.warn(f"kept {len(keep)} of {n} snapshots and now record half as often: "
                      f"{mb(self._bytes)} each, at most {mb(limits.SNAPSHOT_BYTES)} for the run",
                      SnapshotsThinned, stacklevel=3)

    def _following(self, step: int) -> int:
        if self.every is not None:
            return (step // self.every + 1) * self.every  # the next multiple: 50, 100, 150 for every=50
        if self._plan is not None:
            later = [s for s in self._plan if s > step]
            return int(later[0]) if later else 2**62
        return max(step + 1, math.ceil(step * 10 ** (1 / self._per_decade)))


def _name(sizes: tuple[int, ...], activations: tuple[str, ...]) -> str:
    names = list(dict.fromkeys(activations))
    return "-".join(map(str, sizes)) + " " + (",".join(activations) if len(names) > 1 else (names[0] if names else "linear"))
