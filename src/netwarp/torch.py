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

from .errors import NetwarpError
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


def _torch():
    try:
        import torch
    except ImportError:
        raise NetwarpError("reading a PyTorch model needs torch: pip install 'netwarp[torch]'") from None
    return torch


def _activation(i: int, module) -> str:
    name = type(module).__name__
    if name == "LeakyReLU" and not math.isclose(module.negative_slope, 0.01):
        raise NetwarpError(f"module {i} (LeakyReLU) has slope {module.negative_slope}; netwarp's leaky_relu has 0.01")
    if name == "Softplus" and module.beta != 1:
        raise NetwarpError(f"module {i} (Softplus) has beta {module.beta}; netwarp's softplus has beta 1")
    return _ACTIVATIONS[name]


def read_model(model: torch.nn.Module) -> tuple[list[int], str, list[Any]]:
    """The widths, the hidden activation and the Linear modules of ``model``.

    Raises a one-line NetwarpError naming the first module netwarp cannot take.
    """
    torch = _torch()
    if not isinstance(model, torch.nn.Sequential):
        raise NetwarpError(f"netwarp reads a torch.nn.Sequential of Linear layers and activations, got {type(model).__name__}")
    mods = list(model)
    if mods and type(mods[0]).__name__ == "Flatten":
        mods = mods[1:]
    linears, acts, pending = [], [], None  # pending: the activation after the last Linear seen
    for i, m in enumerate(mods):
        name = type(m).__name__
        if isinstance(m, torch.nn.Linear):
            if linears:
                acts.append(pending or "identity")
            linears.append(m)
            pending = None
        elif name in _ACTIVATIONS:
            if not linears:
                raise NetwarpError(f"module {i} ({name}) comes before any Linear layer; netwarp's input layer has no activation")
            if pending is not None and _activation(i, m) != "identity":
                raise NetwarpError(f"module {i} ({name}) follows another activation; netwarp has one per layer")
            act = _activation(i, m)
            pending = act if pending is None or pending == "identity" else pending
        elif name in ("Softmax", "LogSoftmax"):
            raise NetwarpError(f"module {i} ({name}): netwarp's output layer gives logits (train with "
                               "CrossEntropyLoss, which applies the softmax); drop it")
        else:
            raise NetwarpError(f"module {i} ({name}) is not something netwarp can show: it takes Linear layers "
                               f"and the activations {', '.join(_ACTIVATIONS)} (a leading Flatten for images)")
    if not linears:
        raise NetwarpError("the model has no Linear layer")
    if pending not in (None, "identity"):
        raise NetwarpError(f"the model ends in an activation ({pending}); netwarp's output layer is the last Linear's logits")
    for a, b in zip(linears, linears[1:]):
        if a.out_features != b.in_features:
            raise NetwarpError(f"a Linear of {a.out_features} outputs feeds one of {b.in_features} inputs")
    kinds = set(acts)
    if len(kinds) > 1:
        first = acts[0]
        k = next(j for j, a in enumerate(acts) if a != first)
        raise NetwarpError(f"hidden layer {k + 1} uses {acts[k]} but hidden layer 1 uses {first}; "
                           "netwarp needs the same activation on every hidden layer")
    widths = [linears[0].in_features] + [m.out_features for m in linears]
    return widths, (acts[0] if acts else "tanh"), linears


def model_theta(arch: Architecture, linears: list) -> np.ndarray:
    """The model's weights as netwarp's flat float64 vector (``W = weight.T``), read on the CPU."""
    pairs = []
    for m in linears:
        W = m.weight.detach().to("cpu", copy=True).double().numpy().T
        b = m.bias.detach().to("cpu", copy=True).double().numpy() if m.bias is not None else np.zeros(m.out_features)
        pairs.append((W, b))
    return arch.flatten(pairs)


def _trace(model, X, y, X_test, y_test, data: dict) -> tuple[Trace, list]:
    widths, activation, linears = read_model(model)
    X, y, task = check_xy(_numpy(X), _numpy(y), None)
    no_test = X_test is None and y_test is None
    if (X_test is None) != (y_test is None):
        raise NetwarpError("give the test set as both X_test and y_test, or neither")
    X_test, y_test, _ = (X, y, task) if no_test else check_xy(_numpy(X_test), _numpy(y_test), task)
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
    if no_test:
        data = {**data, "test": "the training points (no test set was given)"}
    return Trace(arch, X, y, X_test, y_test, config={"source": "torch"}, data=data), linears


def _numpy(a: ArrayLike) -> np.ndarray:
    if hasattr(a, "detach"):  # a torch tensor, wherever it lives
        a = a.detach().to("cpu").numpy()
    a = np.asarray(a)
    return a.reshape(len(a), -1) if a.ndim > 2 else a  # images: one row of pixels each, as Flatten does


def from_torch(model: torch.nn.Module, X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None = None,
               y_test: ArrayLike | None = None, step: int = 0) -> Trace:
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
        The training step this snapshot is of.

    Returns
    -------
    Trace
    """
    trace, linears = _trace(model, X, y, X_test, y_test, {"source": f"torch:{type(model).__name__}"})
    if trace.record(step, model_theta(trace.arch, linears)) is None:
        raise NetwarpError("the model's weights or its loss on X are not finite")
    trace.status = "complete"
    return trace


class Recorder:
    """Records a PyTorch training loop into a growing :class:`~netwarp.Trace`.

    Call :meth:`record` with the step number inside your loop; it costs a
    comparison when no snapshot is due. Snapshots are log-spaced like
    :func:`netwarp.train`'s: over ``steps`` when you give the loop's length,
    else about 30 per tenfold of steps; ``every=K`` records every K steps.

    Parameters
    ----------
    model : torch.nn.Sequential
    X, y, X_test, y_test
        As for :func:`from_torch`.
    every : int, optional
    steps : int, optional
        The loop's length, for the same schedule as ``netwarp.train(steps=...)``.
    snapshots : int
        How many, with ``steps``.

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
        self.model = model
        self.trace, self._linears = _trace(model, X, y, X_test, y_test, {"source": f"torch:{type(model).__name__}"})
        self.trace.status = "recording"
        if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every < 1):
            raise NetwarpError(f"every must be a whole number of steps, at least 1, got {every!r}")
        self.every = every
        self._plan = list(snapshot_steps(steps, snapshots)) if steps is not None and every is None else None
        self._next = 0
        self._last = -1

    def due(self, step: int) -> bool:
        """Whether :meth:`record` at ``step`` would take a snapshot."""
        return step >= self._next and step > self._last

    def record(self, step: int, force: bool = False) -> Snapshot | None:
        """Take a snapshot at ``step`` if one is due (or ``force``); returns it, or None.

        Raises a one-line NetwarpError when the model's weights are no longer finite.
        """
        if not (force or self.due(step)) or step <= self._last:
            return None
        snap = self.trace.record(step, model_theta(self.trace.arch, self._linears))
        if snap is None:
            self.trace.status = "diverged"
            self.trace.message = f"the model's weights or losses became non-finite at step {step}"
            raise NetwarpError(self.trace.message + f"; the trace keeps {len(self.trace)} snapshot(s) before it")
        self._last = step
        self._next = self._following(step)
        self.trace.status = "complete"
        return snap

    def _following(self, step: int) -> int:
        if self.every is not None:
            return step + self.every
        if self._plan is not None:
            later = [s for s in self._plan if s > step]
            return int(later[0]) if later else 2**62
        return max(step + 1, math.ceil(step * 10 ** (1 / PER_DECADE)))
