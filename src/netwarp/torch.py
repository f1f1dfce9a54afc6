"""Your own PyTorch model as a Trace: one snapshot (:func:`from_torch`) or your
own training loop recorded as it runs (:class:`Recorder`).

netwarp reads a ``torch.nn.Sequential`` of ``Linear`` layers with one of the
activations it knows (``ReLU``, ``Tanh``, ``Sigmoid``, ``LeakyReLU`` with
slope 0.01, ``Softplus`` with beta 1, ``Identity``) between them, the same on
every hidden layer, and an optional leading ``Flatten`` (for 8x8 images). Its
weights are copied to the CPU as float64, so a float32 model's layer outputs
agree with torch's own to float32 precision (about 1e-6 relative), and a model
on a GPU is read without being moved. Torch is imported only here, only when
used: ``import netwarp`` never imports it (extra ``netwarp[torch]``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from . import limits
from .activations import LEAKY_SLOPE
from .errors import NetwarpError, SnapshotsThinned, whole_number
from .memory import check_fits, recording_parts
from .nn import Architecture
from .trace import Snapshot, Trace
from .train import DEFAULT_SNAPSHOTS, snapshot_steps
from .userdata import check_xy

if TYPE_CHECKING:
    import torch

__all__ = ["Recorder", "from_torch", "model_theta", "read_model"]

# torch module class name -> netwarp activation; checked further in _activation
_ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyReLU": "leaky_relu",
                "Softplus": "softplus", "Identity": "identity"}
PER_DECADE = 30  # snapshots per tenfold of steps when the loop's length is not known
# the largest step a snapshot may have: the page and every JSON reader hold steps as doubles,
# exact only up to 2**53 (and the trace file stores them as int64)
MAX_STEP = 2**53


def _torch():
    try:
        import torch
    except ImportError:
        raise NetwarpError("reading a PyTorch model needs torch: pip install 'netwarp[torch]'") from None
    return torch


def _activation(label: str, module) -> str:
    name = type(module).__name__
    if name == "LeakyReLU" and not math.isclose(module.negative_slope, LEAKY_SLOPE):
        raise NetwarpError(f"{label} has slope {module.negative_slope}; netwarp's leaky_relu has {LEAKY_SLOPE}")
    if name == "Softplus" and (module.beta != 1 or module.threshold != 20):
        raise NetwarpError(f"{label} has beta {module.beta} and threshold {module.threshold}; "
                           "netwarp's softplus is log(1 + e^z) (beta 1, threshold 20)")
    return _ACTIVATIONS[name]


def _leaves(model, torch, prefix: str = "") -> list[tuple[str, Any]]:
    """``(path, module)`` for every module, nested ``Sequential`` blocks opened; ``path`` is
    torch's own dotted name (``"1.0"``), the one ``model.get_submodule`` takes."""
    out = []
    for name, m in model.named_children():
        if type(m) is torch.nn.Sequential:
            out += _leaves(m, torch, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", m))
    return out


def read_model(model: torch.nn.Module) -> tuple[list[int], str, list[Any]]:
    """The widths, the hidden activation and the Linear modules of ``model``.

    Parameters
    ----------
    model : torch.nn.Sequential
        Possibly holding nested ``Sequential`` blocks, which are read in order.

    Returns
    -------
    widths : list of int
        Units per layer, input first (``[2, 8, 8, 2]``).
    activation : str
        The hidden layers' activation (netwarp's name).
    linears : list of torch.nn.Linear
        The weight layers, in order.

    Raises
    ------
    NetwarpError
        One line naming the first module netwarp cannot take, by torch's own
        dotted path (``module 1.0 (Conv2d)``).
    """
    torch = _torch()
    if not isinstance(model, torch.nn.Sequential):
        raise NetwarpError(f"netwarp reads a torch.nn.Sequential of Linear layers and activations, got {type(model).__name__}")
    kinds = {getattr(torch.nn, name) for name in _ACTIVATIONS}
    mods = _leaves(model, torch)
    if mods and type(mods[0][1]) is torch.nn.Flatten:
        path, f = mods.pop(0)
        if (f.start_dim, f.end_dim) != (1, -1):
            raise NetwarpError(f"module {path} (Flatten) flattens dims {f.start_dim}..{f.end_dim}; netwarp reads "
                               "a Flatten of everything but the batch (start_dim=1, end_dim=-1)")
    linears, acts, pending = [], [], None  # pending: (activation, path) after the last Linear seen
    for path, m in mods:
        name = type(m).__name__
        label = f"module {path} ({name})"
        if type(m) is torch.nn.Linear:
            if linears:
                acts.append(pending or ("identity", path))
            linears.append(m)
            pending = None
        elif type(m) in kinds:
            if not linears:
                raise NetwarpError(f"{label} comes before any Linear layer; netwarp's input layer has no activation")
            act = _activation(label, m)
            if pending is not None and "identity" not in (act, pending[0]):
                raise NetwarpError(f"{label} follows another activation; netwarp has one per layer")
            if pending is None or pending[0] == "identity":
                pending = (act, path)
        elif name in ("Softmax", "LogSoftmax"):
            raise NetwarpError(f"{label}: netwarp's output layer gives logits (train with "
                               "CrossEntropyLoss, which applies the softmax); drop it")
        else:
            raise NetwarpError(f"{label} is not something netwarp can show: it takes Linear layers "
                               f"and the activations {', '.join(_ACTIVATIONS)} (a leading Flatten for images)")
    if not linears:
        raise NetwarpError("the model has no Linear layer")
    if pending is not None and pending[0] != "identity":
        raise NetwarpError(f"module {pending[1]}: the model ends in an activation ({pending[0]}); "
                           "netwarp's output layer is the last Linear's logits")
    for a, b in zip(linears, linears[1:]):
        if a.out_features != b.in_features:
            raise NetwarpError(f"a Linear of {a.out_features} outputs feeds one of {b.in_features} inputs")
    # one activation for every hidden layer: netwarp's Architecture, trainer, trace file, playground
    # and pictures all name a network by it; a model mixing them is refused, naming where it changes
    for k, (act, path) in enumerate(acts):
        if act != acts[0][0]:
            raise NetwarpError(f"module {path}: hidden layer {k + 1} uses {act} but hidden layer 1 uses {acts[0][0]}; "
                               "netwarp needs the same activation on every hidden layer")
    for p in model.parameters():
        if p.device.type == "meta":
            raise NetwarpError("the model's weights are on the meta device (shapes without values); "
                               "load or initialise them first")
        if p.is_complex():  # float64 would silently drop the imaginary part
            raise NetwarpError(f"the model's weights are complex ({p.dtype}); netwarp reads real-valued networks")
    widths = [linears[0].in_features] + [m.out_features for m in linears]
    return widths, (acts[0][0] if acts else "tanh"), linears


def model_theta(arch: Architecture, linears: list) -> np.ndarray:
    """The model's weights as netwarp's flat float64 vector (``W = weight.T``), read on the CPU."""
    pairs = []
    for m in linears:
        W = m.weight.detach().to("cpu").double().numpy().T
        b = m.bias.detach().to("cpu").double().numpy() if m.bias is not None else np.zeros(m.out_features)
        pairs.append((W, b))
    return arch.flatten(pairs)


def _trace(model, X, y, X_test, y_test, data: dict) -> tuple[Trace, list]:
    widths, activation, linears = read_model(model)
    X, y, task = check_xy(_numpy(X, "X"), _numpy(y, "y"), None)
    no_test = X_test is None and y_test is None
    if (X_test is None) != (y_test is None):
        raise NetwarpError("give the test set as both X_test and y_test, or neither")
    X_test, y_test, _ = (X, y, task) if no_test else check_xy(_numpy(X_test, "X_test"), _numpy(y_test, "y_test"), task)
    if X.shape[1] != widths[0]:
        raise NetwarpError(f"the model takes {widths[0]} inputs but X has {X.shape[1]} columns")
    if X_test.shape[1] != widths[0]:
        raise NetwarpError(f"the model takes {widths[0]} inputs but X_test has {X_test.shape[1]} columns")
    n_out = widths[-1]
    if task == "classification":
        top = int(max(y.max(), y_test.max()))
        if n_out == 1:
            raise NetwarpError("the model has 1 output but y holds class labels; a classifier needs one output per class")
        if top >= n_out:
            raise NetwarpError(f"the labels go up to {top} but the model has {n_out} outputs (one per class)")
    elif n_out != 1:
        raise NetwarpError(f"y holds real values (a regression) but the model has {n_out} outputs; netwarp regresses onto 1")
    arch = Architecture(tuple(widths), activation, task)
    if no_test:  # said where every view shows the data, so "test accuracy" is not taken for held-out
        data = {**data, "source": f"{data['source']}, no test set (the training points stand in)",
                "test": "the training points (no test set was given)"}
    return Trace(arch, X, y, X_test, y_test, config={"source": "torch"}, data=data), linears


def _numpy(a: ArrayLike, name: str) -> np.ndarray:
    if getattr(getattr(a, "device", None), "type", None) == "meta":
        raise NetwarpError(f"{name} is on the meta device (a shape without values); give the tensor with its data")
    if hasattr(a, "detach"):  # a torch tensor, wherever it lives
        a = a.detach().to("cpu").numpy()
    a = np.asarray(a)
    return a.reshape(len(a), -1) if a.ndim > 2 else a  # images: one row of pixels each, as Flatten does


def from_torch(model: torch.nn.Module, X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None = None,
               y_test: ArrayLike | None = None, step: int = 0, memory: float | None = None) -> Trace:
    """A Trace of one snapshot of a PyTorch model.

    Parameters
    ----------
    model : torch.nn.Sequential
        ``Linear`` layers with one netwarp activation between them (see the module notes).
    X : array-like or tensor of shape (n, n_inputs)
        Images of shape ``(n, 8, 8)`` are flattened as the model's leading ``Flatten`` does.
    y : array-like or tensor of shape (n,)
        Class labels (0..k-1 for a model with k outputs) or real values (1 output).
    X_test, y_test : optional
        A test set; without one the training points stand in for it (the trace says so).
    step : int
        The training step this snapshot is of, a whole number from 0 to :data:`MAX_STEP`.
    memory : float, optional
        Megabytes it may use (default: half this machine's memory); a model
        whose snapshot would need more is refused before its weights are copied.

    Returns
    -------
    Trace
    """
    step = whole_number("step", step, 0, MAX_STEP)  # 1.5 or "3" are refused, not rounded
    trace, linears = _trace(model, X, y, X_test, y_test, {"source": f"torch:{type(model).__name__}"})
    t = trace
    check_fits(recording_parts(t.arch.sizes, len(t.X_train), len(t.X_test)), memory, "recording this model",
               "record a smaller model or fewer points")
    if trace.record(step, model_theta(trace.arch, linears)) is None:
        raise NetwarpError("the model's weights or its loss on X are not finite")
    trace.status = "complete"
    return trace


class Recorder:
    """Records a PyTorch training loop into a growing :class:`~netwarp.Trace`.

    Call :meth:`record` with the step number inside your loop; it costs two
    comparisons when no snapshot is due. Snapshots are log-spaced like
    :func:`netwarp.train`'s: over ``steps`` when you give the loop's length,
    else about 30 per tenfold of steps; ``every=K`` records every K steps.
    A snapshot copies the weights to the CPU as float64 and evaluates the
    loss and accuracy on the train and test sets in numpy.

    When the snapshots would outgrow ``netwarp.limits.SNAPSHOT_BYTES`` (a large
    model recorded often), every other one is dropped and the spacing doubled,
    with a :class:`~netwarp.errors.SnapshotsThinned` warning, so a long loop
    never runs out of memory.

    Parameters
    ----------
    model : torch.nn.Sequential
    X : array-like or tensor of shape (n, n_inputs)
    y : array-like or tensor of shape (n,)
    X_test, y_test : array-like or tensor of shape (n_test, n_inputs) and (n_test,), optional
        As for :func:`from_torch`.
    every : int, optional
        Record every ``every`` steps instead.
    steps : int, optional
        The loop's length, for the same schedule as ``netwarp.train(steps=...)``.
    snapshots : int
        How many, with ``steps``.

    Attributes
    ----------
    trace : Trace
        The growing Trace; ``status`` is ``"recording"`` until the first snapshot.

    Examples
    --------
    >>> rec = netwarp.torch.Recorder(model, X, y)            # doctest: +SKIP
    >>> for step in range(2000):                              # doctest: +SKIP
    ...     rec.record(step)
    ...     loss = loss_fn(model(X), y); opt.zero_grad(); loss.backward(); opt.step()
    >>> rec.record(2000, force=True); rec.trace.save("run.npz")  # doctest: +SKIP
    """

    def __init__(self, model: torch.nn.Module, X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None = None,
                 y_test: ArrayLike | None = None, every: int | None = None, steps: int | None = None,
                 snapshots: int = DEFAULT_SNAPSHOTS):
        self.every = None if every is None else whole_number("every", every, 1, MAX_STEP)
        plan = None
        if steps is not None and every is None:
            plan = [int(s) for s in snapshot_steps(whole_number("steps", steps, 1, MAX_STEP), snapshots)]
        self.model = model
        self.trace, self._linears = _trace(model, X, y, X_test, y_test, {"source": f"torch:{type(model).__name__}"})
        self.trace.status = "recording"
        self._shape = (self.trace.arch.sizes, self.trace.arch.activation)
        self._plan = plan
        self._per_decade = PER_DECADE
        self._room = max(limits.SNAPSHOT_BYTES // (8 * self.trace.arch.n_params), 0)
        if self._room < 2:
            mb = limits.size_text
            raise NetwarpError(f"a model of {self.trace.arch.n_params} parameters needs {mb(8 * self.trace.arch.n_params)} "
                               f"per snapshot; at most {mb(limits.SNAPSHOT_BYTES)} for all snapshots of a run: make it smaller")
        self._next = 0
        self._last = -1

    def due(self, step: int) -> bool:
        """Whether :meth:`record` at ``step`` would take a snapshot."""
        return step >= self._next and step > self._last

    def record(self, step: int, force: bool = False) -> Snapshot | None:
        """Take a snapshot at ``step`` if one is due (or ``force``); returns it, or None.

        ``step`` is a whole number from 0 to :data:`MAX_STEP`, increasing from
        call to call; a step at or before the last one recorded is skipped.

        Raises
        ------
        NetwarpError
            The model's weights or losses are no longer finite, or its layers
            changed since recording began. The snapshots before stay in
            ``self.trace``, its ``status`` and ``message`` say what happened.
        """
        if type(step) is not int or not 0 <= step <= MAX_STEP:  # the usual int costs one test
            step = whole_number("step", step, 0, MAX_STEP)
        if not (force or self.due(step)) or step <= self._last:
            return None
        t = self.trace
        widths, activation, linears = read_model(self.model)  # re-read: a swapped layer is caught, not mis-recorded
        if (tuple(widths), activation) != self._shape:
            was = "-".join(map(str, self._shape[0]))
            t.message = (f"the model changed from {was} {self._shape[1]} to {'-'.join(map(str, widths))} {activation} "
                         f"at step {step}")
            t.status = "stopped"
            raise NetwarpError(f"{t.message}; the trace keeps {len(t)} snapshot(s) before it")
        if len(t) >= self._room:
            self._thin()
        snap = t.record(step, model_theta(t.arch, linears))
        if snap is None:
            t.status = "diverged"
            t.message = f"the model's weights or losses became non-finite at step {step}"
            raise NetwarpError(t.message + f"; the trace keeps {len(t)} snapshot(s) before it")
        self._last = step
        self._next = self._following(step)
        t.status = "complete"
        return snap

    def _thin(self) -> None:
        """Drop every other snapshot (keeping the first and the newest) and record half as often from now on."""
        import warnings

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
                      f"{mb(8 * self.trace.arch.n_params)} each, at most {mb(limits.SNAPSHOT_BYTES)} for the run",
                      SnapshotsThinned, stacklevel=3)

    def _following(self, step: int) -> int:
        if self.every is not None:
            return step + self.every
        if self._plan is not None:
            later = [s for s in self._plan if s > step]
            return int(later[0]) if later else 2**62
        return max(step + 1, math.ceil(step * 10 ** (1 / self._per_decade)))
