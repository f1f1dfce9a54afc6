"""A multilayer perceptron in plain numpy, on one flat parameter vector.

All parameters of a network live in one float64 vector ``theta``; the weight
matrices and bias vectors are views into it (layer by layer: ``W`` of shape
``(n_in, n_out)`` row-major, then ``b`` of shape ``(n_out,)``). That makes a
snapshot a single ``copy()``, an optimiser step a handful of whole-vector
operations, and a hand-edited weight a change to one number.

Forward passes return every layer's representation, which is what the warp
views draw: ``[X, h1, h2, ..., logits]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import limits
from .activations import RECORDED, Activation, get_activation
from .errors import NetwarpError

TASKS = ("classification", "regression")


@dataclass(frozen=True, init=False)
class Architecture:
    """The shape of a network.

    Parameters
    ----------
    sizes : tuple of int
        Units per layer, input first and output last, e.g. ``(2, 8, 8, 2)``.
    activation : str or sequence of str
        Names from :data:`netwarp.ACTIVATIONS`: one for every hidden layer, or
        one per hidden layer (``["tanh", "relu"]``).
    task : {"classification", "regression"}
        Classification ends in softmax + cross-entropy; regression in identity + MSE.
    activations : sequence of str, optional
        The same as a sequence ``activation`` (the keyword the trace file uses).

    Attributes
    ----------
    activations : tuple of str
        One name per hidden layer (``()`` for a linear model); the output
        layer is affine (its softmax belongs to the loss).
    """

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    task: str
    # the name a linear model was given (it has no hidden layer to hold it), so it is
    # still shown and saved as given; for a network with hidden layers this is its first
    given: str = field(repr=False)

    def __init__(self, sizes, activation: str | Sequence[str] = "tanh", task: str = "classification",
                 activations: Sequence[str] | None = None) -> None:
        try:
            sizes = tuple(int(s) for s in sizes)
        except (TypeError, ValueError):
            raise NetwarpError(f"layer sizes must be whole numbers, got {sizes!r}") from None
        if len(sizes) < 2 or min(sizes) < 1:
            raise NetwarpError(f"layer sizes must be at least 2 positive integers, got {list(sizes)[:8]}")
        # the bounds every network netwarp trains, records, saves or reads is held to: one check, here
        if len(sizes) - 1 > limits.MAX_LAYERS:
            raise NetwarpError(f"more than {limits.MAX_LAYERS} layers of weights (it has {len(sizes) - 1})")
        widest = int(np.argmax(sizes))
        recorded = _all_recorded(activations if activations is not None else activation)
        # a recorded layer is a model's output netwarp stores, not a layer it runs: a conv map may be wider
        if sizes[widest] > (limits.MAX_RECORDED_UNITS if recorded and 0 < widest < len(sizes) - 1 else limits.MAX_UNITS):
            which = "the input" if widest == 0 else "the output" if widest == len(sizes) - 1 else f"hidden layer {widest}"
            raise NetwarpError(f"a layer wider than {limits.MAX_UNITS} units ({which} has {sizes[widest]})")
        names = activation_names(activations if activations is not None else activation, len(sizes) - 2)
        if task not in TASKS:
            raise NetwarpError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
        if task == "classification" and sizes[-1] < 2:
            raise NetwarpError("a classifier needs at least 2 output units (one per class)")
        given = names[0] if names else (activation if isinstance(activation, str) else "tanh")
        for k, v in (("sizes", sizes), ("activations", names), ("task", task), ("given", given)):
            object.__setattr__(self, k, v)

    @property
    def activation(self) -> str:
        """The one activation of every hidden layer; an error naming them when they differ (use :attr:`activations`)."""
        names = self.activations
        if any(a != names[0] for a in names):
            raise NetwarpError(f"this network has one activation per hidden layer ({', '.join(names)}); "
                               "read arch.activations (or arch.activation_text for a title)")
        return names[0] if names else self.given

    @property
    def recorded(self) -> bool:
        """Whether the hidden layers are recorded outputs of a model netwarp does not run (no weights)."""
        return bool(self.activations) and self.activations[0] == RECORDED

    @property
    def uniform(self) -> bool:
        """Whether every hidden layer has the same activation."""
        return len(set(self.activations)) <= 1

    @property
    def activation_text(self) -> str:
        """How titles name the activations: ``"tanh"``, or ``"tanh,relu"`` when the layers differ."""
        return self.activation if self.uniform else ",".join(self.activations)

    @property
    def acts(self) -> tuple[Activation, ...]:
        """The hidden layers' :class:`~netwarp.activations.Activation` entries, one per hidden layer."""
        return tuple(get_activation(a) for a in self.activations)

    @property
    def fns(self) -> tuple[Callable[[np.ndarray], np.ndarray], ...]:
        """Each weight layer's elementwise function: the hidden activations, then identity on the output."""
        return (*(a.f for a in self.acts), _identity)

    def layer_activation(self, k: int) -> str:
        """The name of the function after weight layer ``k`` (0-based): a hidden activation or ``"identity"`` on the output."""
        return self.activations[k] if k < len(self.activations) else "identity"

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        """How many numbers the network has: every weight and bias (0 for recorded layers: netwarp holds none)."""
        if self.recorded:
            return 0
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def hidden(self) -> list[int]:
        """The widths of the hidden layers (``[]`` for a linear model)."""
        return list(self.sizes[1:-1])

    def slices(self) -> list[tuple[slice, slice]]:
        """Where each layer's ``W`` and ``b`` sit in ``theta``."""
        out, at = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            out.append((slice(at, at + a * b), slice(at + a * b, at + a * b + b)))
            at += (a + 1) * b
        return out

    def unflatten(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views ``[(W0, b0), (W1, b1), ...]`` into ``theta`` of shape ``(n_params,)``."""
        if theta.shape != (self.n_params,):
            raise NetwarpError(f"expected {self.n_params} parameters for sizes {list(self.sizes)}, got shape {theta.shape}")
        return [
            (theta[sw].reshape(a, b), theta[sb])
            for (sw, sb), a, b in zip(self.slices(), self.sizes[:-1], self.sizes[1:])
        ]

    def flatten(self, weights: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The inverse of :meth:`unflatten`: ``[(W0 (sizes[0], sizes[1]), b0 (sizes[1],)), ...]`` to ``theta (n_params,)``; checks every shape."""
        if len(weights) != self.n_layers:
            raise NetwarpError(f"expected {self.n_layers} (W, b) pairs, got {len(weights)}")
        parts = []
        for i, ((W, b), a, c) in enumerate(zip(weights, self.sizes[:-1], self.sizes[1:])):
            W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
            if W.shape != (a, c) or b.shape != (c,):
                raise NetwarpError(f"layer {i}: expected W {(a, c)} and b {(c,)}, got {W.shape} and {b.shape}")
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """Random parameters: Glorot-normal weights (He for the relu family), small biases.

        Small random biases (not zeros) keep relu hinges from all starting at the origin.
        The draws are in the same order whatever the activations, so a seed gives the
        same weights up to each layer's scale.
        """
        theta = np.empty(self.n_params)
        # each layer by the activation after it; the output layer by the last hidden one's
        names = self.activations or (self.given,)
        for k, ((W, b), a, c) in enumerate(zip(self.unflatten(theta), self.sizes[:-1], self.sizes[1:])):
            relu_like = names[min(k, len(names) - 1)] in ("relu", "leaky_relu", "softplus", "elu", "gelu", "silu")
            std = np.sqrt(2.0 / a) if relu_like else np.sqrt(2.0 / (a + c))
            W[...] = rng.normal(0.0, std, size=(a, c))
            b[...] = rng.normal(0.0, 0.1, size=c)
        return theta


def _identity(z: np.ndarray) -> np.ndarray:
    return z


def _all_recorded(activation) -> bool:
    """Whether ``activation`` (a name or a list of them) says every hidden layer is recorded, not run."""
    if isinstance(activation, str):
        return activation == RECORDED
    try:
        names = list(activation)
    except TypeError:
        return False
    return bool(names) and all(isinstance(a, str) and a == RECORDED for a in names)


def activation_names(activation: str | Sequence[str], n_hidden: int) -> tuple[str, ...]:
    """One checked activation name per hidden layer, from one name or a sequence of them.

    Parameters
    ----------
    activation : str or sequence of str
        One name for every hidden layer, or one per hidden layer (a list of one
        name also means every layer).
    n_hidden : int
        The number of hidden layers.

    Returns
    -------
    tuple of str
        ``n_hidden`` names.

    Raises
    ------
    NetwarpError
        One line for an unknown name or a list of the wrong length.
    """
    if _all_recorded(activation):
        if not n_hidden:
            raise NetwarpError("a model recorded by its layers' outputs needs at least one recorded layer")
        return (RECORDED,) * n_hidden
    if isinstance(activation, str):
        get_activation(activation)
        return (activation,) * n_hidden
    try:
        names = tuple(activation)
    except TypeError:
        raise NetwarpError(f"activation must be a name or a list of names (one per hidden layer), got {activation!r}") from None
    for a in names:
        get_activation(a)
    if len(names) == 1:
        return names * n_hidden
    if len(names) != n_hidden:
        raise NetwarpError(f"{len(names)} activations ({', '.join(names)}) for {n_hidden} hidden layer(s); "
                           "give one name, or one per hidden layer")
    return names


def forward(
    arch: Architecture, theta: np.ndarray, X: np.ndarray, stages: bool = False
) -> list[np.ndarray] | tuple[list[np.ndarray], list[np.ndarray]]:
    """Push ``X`` through the network.

    Parameters
    ----------
    arch : Architecture
    theta : ndarray of shape (n_params,)
    X : ndarray of shape (n_samples, sizes[0])
    stages : bool
        Also return the affine outputs.

    Returns
    -------
    acts : list of ndarray
        ``[X, h1, ..., logits]``; ``acts[i]`` has shape ``(n_samples, sizes[i])``.
        The output layer is affine only (softmax belongs to the loss).
    zs : list of ndarray, only if ``stages``
        ``zs[i] = acts[i] @ W_i + b_i``, shape ``(n_samples, sizes[i + 1])``.

    Notes
    -----
    The arrays are transposed views of :func:`forward_columns`' results
    (Fortran-ordered); numpy treats them like any other array.
    """
    if arch.recorded:
        get_activation(RECORDED)  # its one-line refusal: there are no weights to run
    X = np.asarray(X, dtype=np.float64)
    acts, zs = forward_columns(arch.unflatten(theta), X.T, arch.fns)
    acts = [a.T for a in acts]
    return (acts, [z.T for z in zs]) if stages else acts


def forward_columns(
    layers: list[tuple[np.ndarray, np.ndarray]],
    XT: np.ndarray,
    fns: Sequence[Callable[[np.ndarray], np.ndarray]] | Callable[[np.ndarray], np.ndarray],
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The one forward pass, with samples along the columns.

    ``XT`` has shape ``(sizes[0], n)``; returns activations ``[XT, h1T, ...,
    logitsT]`` and affine outputs ``[z1T, ...]``, each ``(units, n)``.

    Samples run along the columns because numpy is slow at broadcasting and
    elementwise work over short rows: ``z += b`` on an ``(n, 8)`` array costs
    as much as the matmul before it, on ``(8, n)`` a fifth of that.

    Parameters
    ----------
    layers : list of (ndarray of shape (sizes[i], sizes[i + 1]), ndarray of shape (sizes[i + 1],))
        Each layer's ``(W, b)``, as :meth:`Architecture.unflatten` gives them.
    XT : ndarray of shape (sizes[0], n)
    fns : sequence of callable, or callable
        Each layer's elementwise function, as :attr:`Architecture.fns` gives them (the
        output layer's is never applied: it stays affine); one callable is used on
        every hidden layer. A tail of the layers (``layers[k:]``) takes ``fns[k:]``.

    Returns
    -------
    acts : list of ndarray
        ``acts[i]`` has shape ``(sizes[i], n)``.
    zs : list of ndarray
        ``zs[i]`` has shape ``(sizes[i + 1], n)``.
    """
    if callable(fns):
        fns = [fns] * len(layers)
    acts, zs = [XT], []
    last = len(layers) - 1
    for i, (W, b) in enumerate(layers):
        z = W.T @ acts[-1]
        z += b[:, None]
        zs.append(z)
        acts.append(z if i == last else fns[i](z))
    return acts, zs


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``logits`` of shape ``(n, k)`` (via :func:`softmax_parts` on the columns)."""
    _, e, s = softmax_parts(np.asarray(logits, dtype=np.float64).T)
    e /= s
    return e.T


def softmax_parts(outT: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For logits ``outT (k, n)``: ``shifted = outT - colmax``, ``e = exp(shifted)``
    and the column sums ``s (n,)`` of ``e``.

    Column loops and a matmul replace numpy's reductions over a short axis,
    which cost more than everything else in a training step.
    """
    m = outT[0].copy()
    for j in range(1, len(outT)):
        np.maximum(m, outT[j], out=m)
    shifted = outT - m
    e = np.exp(shifted)
    return shifted, e, np.ones(len(outT)) @ e


def _cross_entropy_columns(outT: np.ndarray, TT: np.ndarray) -> float:
    """Mean cross-entropy of logits ``outT (k, n)`` against one-hot ``TT (k, n)``."""
    shifted, _, s = softmax_parts(outT)
    return (float(np.log(s).sum()) - float(np.vdot(shifted, TT))) / outT.shape[1]


def data_loss(arch: Architecture, out: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy (classification, ``y`` int labels) or mean squared error of logits ``out (n, k)`` against ``y (n,)``."""
    if arch.task == "classification":
        return _cross_entropy_columns(out.T, np.eye(out.shape[1])[:, y])
    d = out - y.reshape(out.shape)
    return float(np.vdot(d, d)) / d.size


def accuracy(arch: Architecture, out: np.ndarray, y: np.ndarray) -> float:
    """Fraction of correct labels of logits ``out (n, k)`` against ``y (n,)``; NaN for regression (there is no accuracy)."""
    if arch.task != "classification":
        return float("nan")
    return float(np.mean(out.argmax(axis=1) == y))


def argmax_columns(outT: np.ndarray) -> np.ndarray:
    """Row index of each column's maximum of ``outT (k, n)`` (first on ties, as argmax)."""
    best, idx = outT[0].copy(), np.zeros(outT.shape[1], dtype=np.int64)
    for j in range(1, len(outT)):
        better = outT[j] > best
        idx[better] = j
        np.maximum(best, outT[j], out=best)
    return idx


class Evaluator:
    """Loss and accuracy on a fixed train and test set, in one forward pass.

    Recording a snapshot evaluates both sets; stacking them once and running
    :func:`forward_columns` on the stack halves the per-call overhead. When
    the caller already knows the training metrics (the trainer's own
    full-batch gradient pass computed them), only the test set is run.

    Parameters
    ----------
    arch : Architecture
    X_train : ndarray of shape (n_train, sizes[0])
    y_train : ndarray of shape (n_train,)
        Int labels (classification) or values (regression).
    X_test : ndarray of shape (n_test, sizes[0])
    y_test : ndarray of shape (n_test,)
    """

    def __init__(
        self, arch: Architecture, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray
    ):
        self.arch, self.n = arch, len(X_train)
        self.f = arch.fns
        self.XT = np.ascontiguousarray(np.vstack([X_train, X_test]).T)
        self.XT_test = np.ascontiguousarray(self.XT[:, self.n :])
        if arch.task == "classification":
            eye = np.eye(arch.sizes[-1])
            self.targets = [eye[:, y_train], eye[:, y_test]]
            self.labels = [np.asarray(y_train), np.asarray(y_test)]
        else:
            self.targets = [np.asarray(y_train, dtype=float)[None, :], np.asarray(y_test, dtype=float)[None, :]]
            self.labels = [None, None]

    def __call__(self, theta: np.ndarray, train: tuple[float, float] | None = None) -> tuple[float, float, float, float]:
        """``(train_loss, test_loss, train_acc, test_acc)`` at ``theta (n_params,)``; accuracies NaN for regression.

        ``train``, if given, is ``(train_loss, train_acc)`` already computed at ``theta``.
        """
        layers = self.arch.unflatten(theta)
        if train is None:
            outT = forward_columns(layers, self.XT, self.f)[0][-1]
            (l0, a0), (l1, a1) = (self.metrics(o, i) for i, o in enumerate((outT[:, : self.n], outT[:, self.n :])))
            return l0, l1, a0, a1
        l1, a1 = self.metrics(forward_columns(layers, self.XT_test, self.f)[0][-1], 1)
        return train[0], l1, train[1], a1

    def metrics(self, outT: np.ndarray, split: int) -> tuple[float, float]:
        """``(loss, accuracy)`` of logits ``outT (k, n)`` on split 0 (train) or 1 (test)."""
        T = self.targets[split]
        if self.arch.task == "classification":
            return _cross_entropy_columns(outT, T), float(np.mean(argmax_columns(outT) == self.labels[split]))
        return float(np.mean((outT - T) ** 2)), float("nan")


class Backprop:
    """Loss and gradient for one architecture, reusing its buffers between calls.

    Training calls this thousands of times on tiny matrices, where numpy's
    per-call overhead dominates, so it runs its own arrangement of the forward
    pass (the tests check it against :func:`forward` to 1e-12):

    - samples run along the columns, as in :func:`forward_columns`;
    - each layer's ``W`` (``n_in x n_out``) and ``b`` sit next to each other in
      ``theta``, so together they are one ``(n_in + 1, n_out)`` matrix; with a
      row of ones under each layer's activations, ``W^T a + b`` is a single
      matmul and the bias gradient comes out of the weight gradient's matmul;
    - activations live in preallocated buffers and the gradient is written
      straight into views of one flat vector.
    """

    def __init__(self, arch: Architecture, l1: float = 0.0, l2: float = 0.0):
        self.arch, self.l1, self.l2 = arch, float(l1), float(l2)
        self.acts = arch.acts
        self.grad = np.zeros(arch.n_params)
        self._gaug = self._augmented(self.grad)
        self.wmask = np.zeros(arch.n_params, dtype=bool)
        for sw, _ in arch.slices():
            self.wmask[sw] = True
        self._theta, self._Wa = None, []
        self._X = self._T = self._TT = None
        self._A: list[np.ndarray] = []

    def _augmented(self, theta: np.ndarray) -> list[np.ndarray]:
        """Views ``[W_i; b_i]`` of shape ``(sizes[i] + 1, sizes[i + 1])`` into ``theta``."""
        sizes = self.arch.sizes
        return [
            theta[sw.start : sb.stop].reshape(a + 1, b)
            for (sw, sb), a, b in zip(self.arch.slices(), sizes[:-1], sizes[1:])
        ]

    def __call__(self, theta: np.ndarray, X: np.ndarray, target: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Return ``(data_loss, grad)`` at ``theta (n_params,)``.

        ``X`` has shape ``(n, sizes[0])``; ``target`` is the one-hot matrix
        (classification) or ``y`` as a column (regression), shape
        ``(n, sizes[-1])``; ``y`` the labels or values. Passing the same ``X``
        and ``target`` arrays again skips copying them (so do not modify them
        in place between calls). The returned ``grad`` (shape ``(n_params,)``)
        is overwritten by the next call.
        """
        arch, n = self.arch, len(X)
        if theta is not self._theta:  # the trainer updates one vector in place
            self._theta, self._Wa = theta, self._augmented(theta)
        if not self._A or self._A[0].shape[1] != n:
            # A[i]: layer i's activations, (units + 1, n), the last row ones for the bias
            self._A = [np.ones((d + 1, n)) for d in arch.sizes[:-1]]
            self._X = self._T = None
        A, acts, last = self._A, self.acts, arch.n_layers - 1
        if X is not self._X:
            A[0][:-1] = X.T
            self._X = X
        if target is not self._T:
            self._T, self._TT = target, np.ascontiguousarray(target.T) * (1.0 / n)
        zs = []
        for i, Wa in enumerate(self._Wa):
            z = Wa.T @ A[i]
            zs.append(z)
            if i < last:
                A[i + 1][:-1] = acts[i].f(z)
        out, Tn = zs[-1], self._TT  # Tn: the targets over n
        self.out = out  # logits (k, n), for the trainer's snapshot metrics
        if arch.task == "classification":
            shifted, e, s = softmax_parts(out)
            loss = float(np.log(s).sum()) / n - float(np.vdot(shifted, Tn))
            s *= n  # delta = softmax / n - T / n, in two passes
            e /= s
            delta = e
            delta -= Tn
        else:
            delta = out - Tn * n
            loss = float(np.vdot(delta, delta)) / delta.size
            delta *= 2.0 / delta.size
        for i in range(last, -1, -1):
            np.matmul(A[i], delta.T, out=self._gaug[i])  # weight rows and the bias row at once
            if i:
                delta = self._Wa[i][:-1] @ delta
                delta *= acts[i - 1].df(zs[i - 1], A[i][:-1])
        if self.l2:
            self.grad[self.wmask] += self.l2 * theta[self.wmask]
        if self.l1:
            self.grad[self.wmask] += self.l1 * np.sign(theta[self.wmask])
        return loss, self.grad

    def penalty(self, theta: np.ndarray) -> float:
        """The regularisation term ``l1 * |W|_1 + l2 / 2 * |W|^2`` (weights only) at ``theta (n_params,)``."""
        w = theta[self.wmask]
        return self.l1 * float(np.abs(w).sum()) + 0.5 * self.l2 * float(w @ w)
