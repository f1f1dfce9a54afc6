"""The Trace: one training run, the contract every view and renderer reads.

A Trace holds the architecture, the train/test data and a sequence of
snapshots (step, parameters, train/test loss and accuracy). It can still be
growing (the live playground appends to it) or finished and saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from . import limits
from .errors import NetwarpError, whole_number
from .nn import Architecture, Evaluator, forward, softmax
from .recorded import check_outputs, logit_metrics, no_weights, other_inputs, which_split
from .tracefile import ARRAYS, read_trace_file, stack_outputs, unstack_outputs, write_trace_file


@dataclass(frozen=True)
class Snapshot:
    """One recorded moment of training.

    ``train_loss``/``test_loss`` are the data loss (cross-entropy or MSE, without
    the regularisation term); accuracies are NaN for regression.
    """

    index: int
    step: int
    train_loss: float
    test_loss: float
    train_acc: float
    test_acc: float


@dataclass(eq=False)  # traces hold arrays: compare them with np.array_equal, not ==
class Trace:
    """A finished or growing training run.

    Parameters
    ----------
    arch : Architecture
    X_train : ndarray of shape (n_train, sizes[0])
    y_train : ndarray of shape (n_train,)
    X_test : ndarray of shape (n_test, sizes[0])
    y_test : ndarray of shape (n_test,)
    config : dict
        The training settings (lr, optimizer, steps, seed, ...), JSON-serialisable.
    data : dict
        Where the data came from (dataset name and options, or ``{"source": ...}``).
    layer_names : tuple of str
        For a model recorded by its layers' outputs (``arch.recorded``): the recorded
        modules' names (dotted paths), one per hidden layer; the snapshots then hold
        those outputs on the training and test points instead of weights
        (:mod:`netwarp.recorded`).
    """

    arch: Architecture
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    config: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    status: str = "running"
    message: str = ""
    _steps: list = field(default_factory=list, repr=False)
    _params: list = field(default_factory=list, repr=False)
    _metrics: list = field(default_factory=list, repr=False)
    _evaluator: Evaluator | None = field(default=None, repr=False)  # built on first record
    layer_names: tuple = ()
    # per snapshot of a recorded model: (train, test), each a list of float32 (n, sizes[i]) for i >= 1
    _reps: list = field(default_factory=list, repr=False)

    @classmethod
    def from_arrays(
        cls,
        arch: Architecture,
        X_train: np.ndarray,
        y_train: np.ndarray,
        X_test: np.ndarray,
        y_test: np.ndarray,
        steps: ArrayLike = (),
        params: ArrayLike = (),
        metrics: ArrayLike = (),
        **info,
    ) -> Trace:
        """A Trace with recorded snapshots given as arrays (e.g. read from a file).

        Parameters
        ----------
        arch : Architecture
        X_train, y_train, X_test, y_test : ndarray
            As in the class parameters.
        steps : array-like of shape (k,)
        params : array-like of shape (k, n_params)
        metrics : array-like of shape (k, 4)
            train_loss, test_loss, train_acc, test_acc per snapshot.
        **info
            ``config``, ``data``, ``status``, ``message``; for a recorded model also
            ``layer_names`` and ``reps``: per snapshot ``(train, test)`` lists of
            ``(n, sizes[i])`` arrays for ``i = 1 .. len(sizes) - 1``.
        """
        reps = info.pop("reps", [])
        trace = cls(arch, X_train, y_train, X_test, y_test, **info)
        if arch.recorded:
            if len(trace.layer_names) != len(arch.sizes) - 2:
                raise NetwarpError(f"{len(trace.layer_names)} layer names for {len(arch.sizes) - 2} recorded layers")
            trace.layer_names = tuple(str(n) for n in trace.layer_names)
            widths = arch.sizes[1:]
            trace._reps = [(check_outputs(tr, len(X_train), widths, "train"), check_outputs(te, len(X_test), widths, "test"))
                           for tr, te in reps]
            params = np.zeros((len(trace._reps), 0))
            if len(trace._reps) != len(np.asarray(steps)):
                raise NetwarpError("a recorded model needs one set of layer outputs per snapshot")
        trace._steps = [whole_number("step", s, 0, limits.MAX_STEPS) for s in np.asarray(steps).tolist()]
        if any(b <= a for a, b in zip(trace._steps, trace._steps[1:])):
            raise NetwarpError("steps must be increasing")
        trace._params = [np.array(p, dtype=np.float64) for p in params]
        trace._metrics = [tuple(float(v) for v in m) for m in metrics]
        if not len(trace._params) == len(trace._metrics) == len(trace._steps):
            raise NetwarpError("steps, params and metrics must have one row per snapshot")
        return trace

    def copy(self) -> Trace:
        """A frozen copy: later snapshots recorded into ``self`` do not appear in it.

        The data arrays are shared (they are never modified); the snapshot lists are not.
        Safe while another thread records into ``self`` (the playground exports a
        live run): a snapshot appended meanwhile is left out whole, and a thinning
        (:meth:`keep`) meanwhile makes it read again.
        """
        while True:
            lists = (self._steps, self._params, self._metrics, self._reps)
            copies = [list(a) for a in lists]
            if all(a is b for a, b in zip(lists, (self._steps, self._params, self._metrics, self._reps))):
                break
        n = min(len(c) for c in copies[:3])  # appends go steps, params, metrics: the common prefix is whole
        extra = {"layer_names": self.layer_names, "reps": copies[3][:n]} if self.arch.recorded else {}
        return Trace.from_arrays(
            self.arch, self.X_train, self.y_train, self.X_test, self.y_test, *(c[:n] for c in copies[:3]),
            config=dict(self.config), data=dict(self.data), status=self.status, message=self.message, **extra,
        )

    # -- recording -------------------------------------------------------
    def record(self, step: int, theta: np.ndarray, train: tuple[float, float] | None = None) -> Snapshot | None:
        """Evaluate ``theta`` of shape ``(n_params,)`` and append a snapshot.

        ``train``, if given, is ``(train_loss, train_acc)`` already computed at
        ``theta`` on the whole training set. Returns None (and records
        nothing) when the parameters or losses are not finite.
        """
        if self.arch.recorded:
            raise no_weights(self.layer_names, "recording weights")
        step = self._next_step(step)
        # beyond the bound the pictures' forward passes overflow; the saved file would be refused
        if not np.all(np.isfinite(theta)) or np.abs(theta).max(initial=0) > limits.MAX_PARAM_VALUE:
            return None
        if self._evaluator is None:
            self._evaluator = Evaluator(self.arch, self.X_train, self.y_train, self.X_test, self.y_test)
        m = self._evaluator(theta, train)
        if not (np.isfinite(m[0]) and np.isfinite(m[1])):
            return None
        n, params = len(self._steps), theta.copy()
        try:
            self._steps.append(int(step))
            self._params.append(params)
            self._metrics.append(m)
        except BaseException:  # Ctrl-C between the appends: keep the three lists in step
            for stack in (self._steps, self._params, self._metrics):
                del stack[n:]
            raise
        return self.snapshot(-1)

    def _next_step(self, step: int) -> int:
        step = whole_number("step", step, 0, limits.MAX_STEPS)
        if self._steps and step <= self._steps[-1]:
            raise NetwarpError(f"step {step} does not come after the last recorded step, {self._steps[-1]}")
        return step

    def record_outputs(self, step: int, train: list[np.ndarray], test: list[np.ndarray]) -> Snapshot | None:
        """Append a snapshot of a recorded model (``arch.recorded``) from its layers' outputs.

        Parameters
        ----------
        step : int
        train, test : list of ndarray
            Entry ``i`` is the output of recorded layer ``i + 1`` on the training
            (test) points, shape ``(n, sizes[i + 1])``; the last is the logits, of
            which the losses and accuracies are computed (in float64, before
            the outputs are stored as float32).

        Returns
        -------
        Snapshot or None
            None (and nothing recorded) when an output is not finite.
        """
        if not self.arch.recorded:
            raise NetwarpError("record_outputs is for a model recorded by its layers' outputs; use record(step, theta)")
        step = self._next_step(step)
        if not all(np.isfinite(a).all() for a in (*train, *test)):
            return None
        m = (*logit_metrics(train[-1], self.y_train), *logit_metrics(test[-1], self.y_test))
        m = (m[0], m[2], m[1], m[3])  # train_loss, test_loss, train_acc, test_acc
        widths = self.arch.sizes[1:]
        reps = (check_outputs(train, len(self.X_train), widths, "train"), check_outputs(test, len(self.X_test), widths, "test"))
        n = len(self._steps)
        try:
            self._reps.append(reps)
            self._steps.append(int(step))
            self._params.append(np.zeros(0))
            self._metrics.append(m)
        except BaseException:  # Ctrl-C between the appends: keep the lists in step
            for stack in (self._steps, self._params, self._metrics, self._reps):
                del stack[n:]
            raise
        return self.snapshot(-1)

    def keep(self, indices: ArrayLike) -> None:
        """Keep only the snapshots at ``indices`` (increasing), e.g. every other one to bound memory."""
        idx = [self.index(int(i)) for i in np.asarray(indices).ravel()]
        if any(b <= a for a, b in zip(idx, idx[1:])):
            raise NetwarpError("snapshots to keep must be given in increasing order")
        self._steps = [self._steps[i] for i in idx]
        self._params = [self._params[i] for i in idx]
        self._metrics = [self._metrics[i] for i in idx]
        if self._reps:
            self._reps = [self._reps[i] for i in idx]

    def drop_last(self) -> None:
        """Forget the newest snapshot (e.g. one recorded just as training blew up)."""
        if not len(self):
            raise NetwarpError("this trace has no snapshots to drop")
        for stack in (self._steps, self._params, self._metrics, *([self._reps] if self._reps else [])):
            stack.pop()

    # -- reading ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self._steps)

    @property
    def steps(self) -> np.ndarray:
        """Training step of every snapshot, shape ``(n_snapshots,)``."""
        return np.asarray(self._steps, dtype=np.int64)

    @property
    def params(self) -> np.ndarray:
        """Every snapshot's flat parameters, shape ``(n_snapshots, n_params)``."""
        return np.asarray(self._params, dtype=np.float64).reshape(len(self), self.arch.n_params)

    @property
    def metrics(self) -> np.ndarray:
        """Columns train_loss, test_loss, train_acc, test_acc; shape ``(n_snapshots, 4)``."""
        return np.asarray(self._metrics, dtype=np.float64).reshape(len(self), 4)

    @property
    def snapshots(self) -> list[Snapshot]:
        """Every recorded snapshot, oldest first (step, losses and accuracies; see :meth:`snapshot`)."""
        return [self.snapshot(i) for i in range(len(self))]

    @property
    def has_weights(self) -> bool:
        """Whether netwarp can run this network (False for a model recorded by its layers' outputs)."""
        return not self.arch.recorded

    @property
    def n_classes(self) -> int:
        """Number of classes (0 for regression)."""
        return self.arch.sizes[-1] if self.arch.task == "classification" else 0

    def index(self, snapshot: int) -> int:
        """Normalise a snapshot index (negative counts from the end), or raise."""
        n = len(self)
        if n == 0:
            raise NetwarpError("this trace has no snapshots yet")
        if isinstance(snapshot, bool) or not isinstance(snapshot, (int, np.integer)) or not -n <= snapshot < n:
            raise NetwarpError(f"snapshot {snapshot!r} is out of range; this trace has {n} snapshots (0..{n - 1}, or -1 for the last)")
        return int(snapshot) % n

    def snapshot(self, snapshot: int = -1) -> Snapshot:
        """The metrics of one snapshot (an index into the recorded ones; -1 is the last).

        Returns
        -------
        Snapshot
            ``index``, ``step``, ``train_loss``, ``test_loss``, ``train_acc``, ``test_acc``.
        """
        i = self.index(snapshot)
        return Snapshot(i, self._steps[i], *self._metrics[i])

    def theta(self, snapshot: int = -1) -> np.ndarray:
        """A copy of the flat parameters at a snapshot, shape ``(n_params,)``; a one-line
        error for a model recorded by its layers' outputs (it has no weights here)."""
        if self.arch.recorded:
            raise no_weights(self.layer_names)
        return self._params[self.index(snapshot)].copy()

    def weights(self, snapshot: int = -1) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W0, b0), ...]`` with ``W_i`` of shape ``(sizes[i], sizes[i+1])``."""
        return self.arch.unflatten(self.theta(snapshot))

    def check_inputs(self, X: ArrayLike) -> np.ndarray:
        """``X`` as float64 of shape ``(n, sizes[0])``, or a one-line error."""
        try:
            X = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise NetwarpError("X must be a numeric array") from None
        if X.ndim == 1 and self.arch.sizes[0] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.arch.sizes[0]:
            raise NetwarpError(f"X must have shape (n, {self.arch.sizes[0]}), got {X.shape}")
        if not np.isfinite(X).all():
            raise NetwarpError("X has NaN or infinite values")
        return X

    def check_theta(self, theta: ArrayLike) -> np.ndarray:
        """``theta`` as float64 of shape ``(n_params,)`` with finite values, or a one-line error."""
        try:
            out = np.asarray(theta, dtype=np.float64)
        except (TypeError, ValueError):
            raise NetwarpError("theta must be a numeric array of parameters") from None
        if out.shape != (self.arch.n_params,):
            raise NetwarpError(f"theta must have shape ({self.arch.n_params},) for this network, got {out.shape}")
        if not np.isfinite(out).all():
            raise NetwarpError("theta has NaN or infinite values")
        return out

    def layer_outputs(self, X: ArrayLike, snapshot: int = -1, theta: np.ndarray | None = None) -> list[np.ndarray]:
        """Every layer's representation of ``X``.

        Parameters
        ----------
        X : array-like of shape (n, sizes[0])
        snapshot : int
        theta : ndarray of shape (n_params,), optional
            Parameters to use instead of the snapshot's (e.g. a hand-edited copy).

        Returns
        -------
        list of ndarray
            ``[X, h1, ..., logits]``; entry ``i`` has shape ``(n, sizes[i])``.
            The last entry is the output layer before softmax. For a recorded
            model (``arch.recorded``) ``X`` must be the training or test points:
            the recorded outputs are returned (as float64), other points refused.
        """
        if self.arch.recorded:
            if theta is not None:
                raise no_weights(self.layer_names, "running edited weights")
            i = self.index(snapshot)
            X = self.check_inputs(X)
            split = which_split(X, self.X_train, self.X_test)
            if split is None:
                raise other_inputs(self.layer_names)
            return [X, *(a.astype(np.float64) for a in self._reps[i][split])]
        theta = self.theta(snapshot) if theta is None else self.check_theta(theta)
        return forward(self.arch, theta, self.check_inputs(X))

    def forward_stages(
        self, X: ArrayLike, snapshot: int = -1, theta: np.ndarray | None = None
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``(acts, zs)``: activations as :meth:`layer_outputs` and each layer's affine output.

        Parameters
        ----------
        X : array-like of shape (n, sizes[0])
        snapshot : int
        theta : ndarray of shape (n_params,), optional

        Returns
        -------
        acts : list of ndarray
            ``acts[i]`` has shape ``(n, sizes[i])``.
        zs : list of ndarray
            ``zs[i]`` has shape ``(n, sizes[i + 1])``.
        """
        theta = self.theta(snapshot) if theta is None else self.check_theta(theta)
        return forward(self.arch, theta, self.check_inputs(X), stages=True)

    def predict_proba(self, X: ArrayLike, snapshot: int = -1, theta: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)``, of ``X (n, sizes[0])`` (classification only).

        ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
        """
        if self.arch.task != "classification":
            raise NetwarpError("predict_proba needs a classifier; this trace is a regression")
        return softmax(self.layer_outputs(X, snapshot, theta)[-1])

    def predict(self, X: ArrayLike, snapshot: int = -1, theta: np.ndarray | None = None) -> np.ndarray:
        """Predicted labels (int, shape ``(n,)``) or regression values (float, shape ``(n,)``) of ``X (n, sizes[0])``.

        ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
        """
        out = self.layer_outputs(X, snapshot, theta)[-1]
        return out.argmax(axis=1) if self.arch.task == "classification" else out[:, 0]

    def summary(self) -> str:
        """A few human-readable lines: architecture, data, snapshots, final metrics."""
        a = self.arch
        lines = [
            f"network   {self.network_text}",
            f"data      {self.data_description}: {len(self.X_train)} train / {len(self.X_test)} test points",
            "training  " + ", ".join(f"{k}={v}" for k, v in self.config.items()),
            f"status    {self.status}" + (f": {self.message}" if self.message else ""),
        ]
        if len(self):
            s = self.snapshot(-1)
            lines.append(f"snapshots {len(self)} (steps {self._steps[0]}..{s.step})")
            metric = f"loss {s.train_loss:.4f} train / {s.test_loss:.4f} test"
            if a.task == "classification":
                metric += f", accuracy {s.train_acc:.3f} train / {s.test_acc:.3f} test"
            lines.append(f"final     {metric}")
            fell = self.collapsed()
            if fell is not None:
                b, now = self.snapshot(fell[0]), self.snapshot(fell[1])
                what = (f"({b.test_acc:.1%} test) to {now.test_acc:.1%}" if a.task == "classification"
                        else f"(test error {b.test_loss:.4g}) to {now.test_loss:.4g}")
                lines.append(f"warning   collapsed after step {b.step} {what} at step {now.step}")
        return "\n".join(_printable(line) for line in lines)

    @property
    def network_text(self) -> str:
        """One line naming the network: sizes, activations and parameters, or the recorded layers."""
        a = self.arch
        if a.recorded:
            layers = ", ".join(f"{n} ({w})" for n, w in zip((*self.layer_names, "logits"), a.sizes[1:]))
            return f"{a.sizes[0]} inputs, recorded layers {layers} (a {a.task}; outputs recorded, no weights)"
        return f"{'-'.join(map(str, a.sizes))} {a.activation_text} ({a.task}, {a.n_params} parameters)"

    def chance_loss(self) -> float:
        """The training loss of a network that learned nothing: cross-entropy ``ln k`` of the
        uniform guess over ``k`` classes, or the mean squared error of predicting the mean."""
        if self.arch.task == "classification":
            return float(np.log(self.n_classes))
        return float(np.var(np.asarray(self.y_train, dtype=np.float64)))

    def collapsed(self, snapshot: int = -1, share: float = 0.5) -> tuple[int, int] | None:
        """``(best, now)`` snapshot indices when the training loss at ``snapshot`` has risen back
        more than ``share`` of the way from its best earlier snapshot to :meth:`chance_loss`; else None."""
        i = self.index(snapshot)
        loss = self.metrics[: i + 1, 0]
        if i < 1 or not np.all(np.isfinite(loss)):
            return None
        best, chance = int(np.argmin(loss)), self.chance_loss()
        if best == i or loss[best] >= chance or loss[i] - loss[best] <= share * (chance - loss[best]):
            return None
        return best, i

    @property
    def feature_names(self) -> list[str]:
        """The input's names: a table's column headers; ``x1, x2`` for the plane, ``x`` for a line,
        ``x1`` to ``xd`` otherwise."""
        names = self.data.get("features") if isinstance(self.data, dict) else None
        names = _bundled(self.data, 0) if names is None else names
        d = self.arch.sizes[0]
        if isinstance(names, list) and len(names) == d:
            return [str(n) for n in names]
        return ["x"] if d == 1 else [f"x{i + 1}" for i in range(d)]

    @property
    def class_names(self) -> list[str]:
        """The classes' names (a table's text labels, a bundled table's), else ``"0", "1", ...``;
        empty for a regression."""
        if self.arch.task != "classification":
            return []
        names = self.data.get("classes") if isinstance(self.data, dict) else None
        names = _bundled(self.data, 1) if names is None else names
        if isinstance(names, list) and len(names) == self.n_classes:
            return [str(n) for n in names]
        return [str(i) for i in range(self.n_classes)]

    @property
    def data_description(self) -> str:
        """Where the data came from, e.g. ``"spiral(n=600, noise=0.0, seed=0)"`` or ``"csv:my.csv"``, and
        a recorded model's loss when it was not the plain one the trace shows (``data["loss_note"]``:
        ``"torch:Sequential; trained with label smoothing 0.1; the losses shown are plain cross-entropy"``)."""
        note = self.data.get("loss_note")
        if "dataset" in self.data:
            skip = ("dataset", "loss_note", *_NAMES_AND_UNITS)
            opts = ", ".join(f"{k}={v}" for k, v in self.data.items() if k not in skip)
            where = f"{self.data['dataset']}({opts})"
        else:
            where = str(self.data.get("source", "arrays"))
        return f"{where}; {note}" if note else where

    def _repr_html_(self) -> str | None:
        """Jupyter's inline card: the picture, the curves, the network and its final metrics."""
        from .display import card

        return card("trace", "html", self)

    def _repr_png_(self) -> bytes | None:
        """The card's picture alone (decision field or fit, and the training curves)."""
        from .display import card

        return card("trace", "png", self)

    def save(self, path: str | Path) -> None:
        """Write the trace to ``path`` (.npz plus JSON metadata), atomically."""
        arrays = {name: getattr(self, name) for name in ARRAYS}
        info = {"config": self.config, "data": self.data, "status": self.status, "message": self.message}
        if self.arch.recorded:
            info["layers"] = list(self.layer_names)
            arrays.update(stack_outputs(self._reps, self.arch.sizes, len(self.X_train), len(self.X_test)))
        write_trace_file(path, self.arch, arrays, info)


def _bundled(data: object, which: int) -> list[str] | None:
    """Feature (0) or class (1) names of the bundled table ``data`` names, if it names one."""
    from .tables import BUNDLED, bundled_names

    name = data.get("dataset") if isinstance(data, dict) else None
    return list(bundled_names(name)[which]) if name in BUNDLED else None


_NAMES_AND_UNITS = ("features", "classes", "mean", "scale")  # kept in data, too long for a one-line description


def _printable(text: str) -> str:
    """``text`` with control characters (terminal escapes from a file's metadata) shown escaped, not obeyed."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def load_trace(path: str | Path) -> Trace:
    """Read a Trace written by :meth:`Trace.save`.

    Raises
    ------
    NetwarpError
        The file is missing, not an ``.npz``, truncated, corrupt, from another
        program, or from a newer netwarp.
    """
    arch, a, info = read_trace_file(path)
    if arch.recorded:
        info["layer_names"] = tuple(info.pop("layers"))
        info["reps"] = unstack_outputs(a, arch.sizes)
    return Trace.from_arrays(arch, a["X_train"], a["y_train"], a["X_test"], a["y_test"], a["steps"], a["params"], a["metrics"], **info)
