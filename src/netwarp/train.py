"""Training a network and recording its Trace."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import limits
from .errors import NetwarpError, SnapshotsThinned, TrainingDiverged, TrainingInterrupted
from .memory import check_fits, training_parts
from .nn import Architecture, Backprop, argmax_columns
from .optim import make_optimizer
from .settings import MAX_UNITS as MAX_UNITS  # widest layer; kept here for callers of train.MAX_UNITS
from .settings import check, default
from .threads import ThreadChoice, blas_threads, product_work
from .trace import Snapshot, Trace
from .userdata import check_xy, split

DEFAULT_SNAPSHOTS = default("snapshots")
BLOWUP = 20


def snapshot_steps(steps: int, snapshots: int = DEFAULT_SNAPSHOTS, every: int | None = None) -> np.ndarray:
    """Which steps to record: 0, then roughly log-spaced (dense early, when
    the network changes fastest), then the last; or every ``every`` steps.

    Returns
    -------
    ndarray of shape (k,), sorted unique ints in ``[0, steps]``.
    """
    if every is not None:
        check("record_every", every)
        return np.unique(np.r_[np.arange(0, steps + 1, every), steps])
    k = min(check("snapshots", snapshots), steps + 1)
    # geometric spacing on step + 1 (starts at 0, ends at steps), then nudged
    # up where rounding made neighbours equal, and down near the end, so there
    # are exactly k distinct steps
    g = np.round(np.geomspace(1, steps + 1, k)).astype(np.int64) - 1
    i = np.arange(k)
    s = np.maximum.accumulate(g - i) + i
    return np.minimum(s, steps - (k - 1 - i))


def snapshot_count(steps: int, snapshots: int = DEFAULT_SNAPSHOTS, every: int | None = None) -> int:
    """How many steps :func:`snapshot_steps` would give, without making them (``every=1`` over 10**10 steps is 80 GB)."""
    if every is not None:
        check("record_every", every)
        return steps // every + 1 + (1 if steps % every else 0)
    return min(check("snapshots", snapshots), steps + 1)


class Trainer:
    """A network being trained, step by step, recording into ``self.trace``.

    :func:`train` runs one to the end; the live playground keeps one and
    advances it a few steps per frame.

    Parameters are those of :func:`train`, plus ``theta`` (ndarray of shape
    ``(n_params,)``, optional): start from these parameters instead of a random
    initialisation; ``planned`` (int): snapshots to be recorded, and ``memory``
    (MB, optional), the budget the whole run is checked against before its
    parameters are made (:mod:`netwarp.memory`).
    """

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        hidden: Sequence[int] = (8, 8),
        activation: str | Sequence[str] = "tanh",
        lr: float = 0.03,
        optimizer: str = "adam",
        batch_size: int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
        task: str | None = None,
        test_size: float = 0.25,
        X_test: ArrayLike | None = None,
        y_test: ArrayLike | None = None,
        data: dict | None = None,
        theta: np.ndarray | None = None,
        *,
        planned: int = 2,
        memory: float | None = None,
    ):
        X, y, task = check_xy(X, y, task)
        hidden = check("hidden", hidden)
        check("activation", activation)
        lr, l1, l2 = check("lr", lr), check("l1", l1), check("l2", l2)
        check("optimizer", optimizer)
        seed = check("seed", seed)
        batch_size = check("batch_size", batch_size)
        if (X_test is None) != (y_test is None):
            raise NetwarpError(f"{'y_test' if X_test is None else 'X_test'} was given without "
                               f"{'X_test' if X_test is None else 'y_test'}: give the test set as both, or neither")
        if X_test is None:
            check("test_size", test_size)
            X, X_test, y, y_test = split(X, y, test_size, seed, task == "classification")
        else:
            try:
                X_test, y_test, _ = check_xy(X_test, y_test, task)
            except NetwarpError as e:
                raise NetwarpError(f"the test set (X_test, y_test): {e}") from None
            if X_test.shape[1] != X.shape[1]:
                raise NetwarpError(f"the test set: X_test has {X_test.shape[1]} features but X has {X.shape[1]}")
        n_out = int(max(y.max(), y_test.max())) + 1 if task == "classification" else 1
        self.arch = Architecture((X.shape[1], *hidden, n_out), activation, task)
        self.batch_size = None if batch_size is None or batch_size >= len(X) else int(batch_size)
        recorded = min(planned, limits.SNAPSHOT_BYTES // (8 * self.arch.n_params))  # thinned beyond
        check_fits(training_parts(self.arch.sizes, len(X), len(X_test), self.batch_size, optimizer, recorded), memory)
        self.rng = np.random.default_rng(seed)
        if theta is None:
            self.theta = self.arch.init(self.rng)
        else:
            self.theta = np.array(theta, dtype=np.float64)
            self.arch.unflatten(self.theta)
        self.opt = make_optimizer(optimizer, self.arch.n_params, lr)
        self.backprop = Backprop(self.arch, l1, l2)
        self.target = np.eye(n_out)[y] if task == "classification" else y[:, None]
        self.y = y
        self.step_count = 0
        self._ready = None  # (theta, loss, grad) computed ahead by record()
        self._order = np.arange(len(X))
        self._cursor = len(X)
        # BLAS threads for this network's products (one for all but the largest); see netwarp.threads
        self.threads = ThreadChoice(product_work(self.arch.sizes, self.batch_size or len(X)))
        # plain Python numbers: the config is saved as JSON (numpy scalars are not serialisable)
        config = dict(lr=float(lr), optimizer=optimizer, batch_size=None if batch_size is None else int(batch_size), l1=float(l1), l2=float(l2), seed=int(seed))
        self.trace = Trace(self.arch, X, y, X_test, y_test, config=config, data=data or {"source": "arrays"})

    def _batch(self):
        if self.batch_size is None:
            return self.trace.X_train, self.target, self.y
        if self._cursor + self.batch_size > len(self._order):
            self.rng.shuffle(self._order)
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + self.batch_size]
        self._cursor += self.batch_size
        return self.trace.X_train[idx], self.target[idx], self.y[idx]

    def step(self, n: int = 1) -> bool:
        """Take ``n`` optimiser steps. Returns False (and stops) if the loss diverged.

        They run on the BLAS threads :attr:`threads` chooses (``threads.threads``).
        """
        done = 0
        while done < n:
            threads, k = self.threads.plan(n - done)
            with blas_threads(threads):
                t0 = time.perf_counter()
                ok = self._run_steps(k)
                self.threads.observe(threads, (time.perf_counter() - t0) / k)
            if not ok:
                return False
            done += k
        return True

    def _run_steps(self, n: int) -> bool:
        for _ in range(n):
            if self._ready is not None and np.array_equal(self._ready[0], self.theta):
                _, loss, g = self._ready  # computed by record() at these very parameters
            else:
                loss, g = self.backprop(self.theta, *self._batch())
            self._ready = None
            if not np.isfinite(loss) or not np.isfinite(g).all():
                self._diverged(f"loss became {loss}" if not np.isfinite(loss) else "gradient became infinite")
                return False
            self.opt.step(self.theta, g)
            self.step_count += 1
        return True

    def record(self) -> Snapshot | None:
        """Record the current parameters as a snapshot.

        Returns None, recording nothing, when training has diverged: the
        parameters or losses are not finite, or the training loss has blown up
        past ``BLOWUP`` times its first recorded value (a softmax with bounded
        hidden units never reaches inf, it just gets confidently wrong).
        """
        with blas_threads(self.threads.threads):
            return self._record()

    def _record(self) -> Snapshot | None:
        t, train = self.trace, None
        if self.batch_size is None:
            # full batch: the next step's gradient pass evaluates the training
            # set at exactly these parameters, so run it now and keep it
            loss, g = self.backprop(self.theta, *self._batch())
            if np.isfinite(loss):
                self._ready = (self.theta.copy(), loss, g)
                acc = float(np.mean(argmax_columns(self.backprop.out) == self.y)) if self.arch.task == "classification" else float("nan")
                train = (loss, acc)
        snap = t.record(self.step_count, self.theta, train)
        if snap is None:
            self._diverged(f"parameters or loss became non-finite, or parameters larger than {limits.MAX_PARAM_VALUE:g}")
            return None
        first = t.snapshot(0).train_loss
        if len(t) > 1 and snap.train_loss > BLOWUP * max(first, 1e-3):
            t.drop_last()
            self._diverged(f"training loss rose to {snap.train_loss:.4g}, over {BLOWUP}x its starting {first:.4g}")
            return None
        return snap

    def _diverged(self, why: str) -> None:
        t = self.trace
        kept = f"kept {len(t)} snapshot(s) up to step {t.snapshot(-1).step}" if len(t) else "no snapshot was kept"
        t.status = "diverged"
        t.message = (
            f"training diverged at step {self.step_count} ({why}) with learning rate {t.config['lr']}; "
            f"{kept}; try a smaller learning rate"
        )


def train(
    X: ArrayLike,
    y: ArrayLike,
    hidden: Sequence[int] = (8, 8),
    activation: str | Sequence[str] = "tanh",
    steps: int = 3000,
    lr: float = 0.03,
    optimizer: str = "adam",
    seed: int = 0,
    *,
    batch_size: int | None = None,
    l1: float = 0.0,
    l2: float = 0.0,
    task: str | None = None,
    test_size: float = 0.25,
    X_test: ArrayLike | None = None,
    y_test: ArrayLike | None = None,
    snapshots: int = DEFAULT_SNAPSHOTS,
    record_every: int | None = None,
    callback: Callable[[Trace], bool | None] | None = None,
    progress: bool = False,
    data: dict | None = None,
    memory: float | None = None,
) -> Trace:
    """Train a multilayer perceptron and record its Trace.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Integer labels (classification) or real values (regression).
    hidden : list of int
        Hidden layer widths; ``[]`` is logistic (or linear) regression.
    activation : str or list of str
        Name from :data:`netwarp.ACTIVATIONS` for every hidden layer, or one name
        per hidden layer (``["tanh", "relu"]``).
    steps : int
        Optimiser steps (full batch: one per epoch).
    lr : float
        Learning rate.
    optimizer : {"sgd", "momentum", "adam"}
    seed : int
        Seeds initialisation, the train/test split and mini-batch order.
    batch_size : int, optional
        Mini-batch size; full batch when omitted.
    l1, l2 : float
        Regularisation strengths on the weights (not biases).
    task : {"classification", "regression"}, optional
        Inferred from ``y`` when omitted.
    test_size : float
        Fraction held out for testing when ``X_test`` is not given.
    X_test, y_test : array-like of shape (n_test, n_features) and (n_test,), optional
        An explicit test set.
    snapshots : int
        How many snapshots to record, log-spaced over training.
    record_every : int, optional
        Record every ``record_every`` steps instead.
    callback : callable, optional
        Called as ``callback(trace)`` after each snapshot; returning False stops training.
    progress : bool
        Show a progress bar.
    data : dict, optional
        Where the data came from, kept in the Trace.
    memory : float, optional
        Megabytes the run may use (default: half this machine's memory). The
        run's memory is estimated from these settings (:mod:`netwarp.memory`)
        and a larger one refused before anything large is allocated.

    Returns
    -------
    Trace
        ``trace.status`` is ``"complete"``, ``"stopped"`` (by the callback) or
        ``"diverged"`` (then a :class:`TrainingDiverged` warning carries the
        message and the trace keeps every snapshot up to the last good one).

    Raises
    ------
    TrainingInterrupted
        On Ctrl-C; its ``trace`` attribute holds the snapshots recorded so far.
    """
    check("steps", steps)
    planned = snapshot_count(int(steps), snapshots, record_every)
    trainer = Trainer(
        X, y, hidden, activation, lr, optimizer, batch_size, l1, l2, seed, task, test_size, X_test, y_test, data,
        planned=planned, memory=memory,
    )
    trainer.trace.config["steps"] = int(steps)
    plan = _fit_in_memory(int(steps), snapshots, record_every, trainer.arch.n_params)
    bar = _progress(int(steps)) if progress else None
    trace = trainer.trace
    trace.status = "complete"
    try:
        for target in plan:
            ok = trainer.step(int(target) - trainer.step_count) and trainer.record() is not None
            if bar is not None:
                bar.update(int(target) - bar.n)
                if ok and trace.arch.task == "classification":
                    last = trace.snapshot(-1)
                    bar.set_postfix(loss=f"{last.train_loss:.4f}", acc=f"{last.train_acc:.3f}", refresh=False)
            if not ok:
                warnings.warn(trace.message, TrainingDiverged, stacklevel=2)
                break
            if callback is not None and callback(trace) is False:
                trace.status, trace.message = "stopped", f"stopped by the callback at step {trainer.step_count}"
                break
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        kept = f"kept {len(trace)} snapshot(s) up to step {trace.snapshot(-1).step}" if len(trace) else "no snapshot was kept"
        trace.status, trace.message = "interrupted", f"interrupted at step {trainer.step_count}; {kept}"
        raise TrainingInterrupted(trace) from None
    if bar is not None:
        bar.close()
    return trace


def _fit_in_memory(steps: int, snapshots: int, every: int | None, n_params: int) -> np.ndarray:
    """The snapshot steps of :func:`snapshot_steps`, thinned evenly so their parameters fit in ``limits.SNAPSHOT_BYTES``.

    Checked before training so a large network fails or adapts at once, not
    after hours with nothing saved. The thinned steps are made directly: the
    whole plan of ``every=1`` over 10**10 steps would not fit in memory itself.
    """
    each = 8 * n_params
    fits = limits.SNAPSHOT_BYTES // each
    count = snapshot_count(steps, snapshots, every)
    if fits >= count:
        return snapshot_steps(steps, snapshots, every)
    mb = limits.size_text
    if fits < 2:
        raise NetwarpError(f"a network of {n_params} parameters needs {mb(each)} per snapshot; "
                           f"at most {mb(limits.SNAPSHOT_BYTES)} for all snapshots of a run: make it smaller")
    keep = np.unique(np.round(np.linspace(0, count - 1, fits)).astype(np.int64))
    # the i-th step of the full plan: i * every, and the last is `steps` itself
    plan = snapshot_steps(steps, snapshots)[keep] if every is None else np.minimum(keep * every, steps)
    warnings.warn(f"recording {len(keep)} snapshots instead of {count}: {mb(each)} each, "
                  f"at most {mb(limits.SNAPSHOT_BYTES)} for the run", SnapshotsThinned, stacklevel=3)
    return plan


def _progress(total: int):
    from tqdm.auto import tqdm

    # disable=None: no bar when stderr is not a terminal (logs, CI)
    return tqdm(total=total, unit="step", desc="training", leave=False, disable=None)
