"""Plain-language diagnostics that point at the neuron: what is wrong with a run, where,
what it means and what to try. Silent on a healthy run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..trace import Trace
from .dynamics import _check, gradient_flow
from .naming import layer_name
from .topology import easy_way_out, topology_note

SATURATED = 0.99  # |tanh| (or sigmoid's distance from 0.5, doubled) above this is flat: no gradient gets through
VANISHING = 1e-3  # the first layer's gradient below this fraction of the last layer's, while still learning
EXPLODING = 1e3  # a gradient norm above this
OVERFIT_GAP = 0.10  # train accuracy this much above test accuracy
COLLAPSE = 0.5  # the loss rose back more than this share of the way from its best to chance level


@dataclass(frozen=True)
class Finding:
    """One thing the diagnostics found.

    Attributes
    ----------
    kind : str
        ``"dead"``, ``"saturated"``, ``"vanishing"``, ``"exploding"``, ``"oscillating"``,
        ``"collapsed"``, ``"too_narrow"`` or ``"overfitting"``.
    layer : int or None
        The layer (``layer_outputs`` numbering: 1 is hidden layer 1) or None for the whole network.
    unit : int or None
        The unit within ``layer``, or None.
    message : str
        What it is, what it means, what to try.
    """

    kind: str
    layer: int | None
    unit: int | None
    message: str


def _units(trace: Trace, snapshot: int) -> list[Finding]:
    out = []
    L = trace.arch.n_layers
    layers = trace.layer_outputs(trace.X_train, snapshot)
    for k in range(1, L):
        a, act = layers[k], trace.arch.activations[k - 1]  # each hidden layer by its own activation
        name = layer_name(k, L)
        for j in range(a.shape[1]):
            col = a[:, j]
            if act == "relu" and np.all(col <= 0.0):
                out.append(Finding("dead", k, j, (
                    f"{name}, unit {j} is dead: its ReLU outputs 0 on every training point, so no gradient reaches "
                    "its weights and it can never come back. Try a smaller learning rate, leaky_relu, or another seed.")))
            elif act in ("tanh", "sigmoid"):
                centred = col if act == "tanh" else 2.0 * col - 1.0
                if np.all(centred > SATURATED) or np.all(centred < -SATURATED):
                    out.append(Finding("saturated", k, j, (
                        f"{name}, unit {j} is saturated: its {act} sits at {float(np.mean(col)):+.2f} on every training "
                        "point, a constant that tells the next layer nothing, and its gradient is near zero. Try smaller "
                        "weights (a smaller learning rate or L2) or another seed.")))
    return out


def _constant_units(trace: Trace, snapshot: int) -> list[Finding]:
    """A recorded model's units that output one value on every training point: the dead units
    its outputs show, whatever comes before them (netwarp knows no activation of such a model)."""
    out = []
    layers = trace.layer_outputs(trace.X_train, snapshot)
    for k, name in enumerate(trace.layer_names, start=1):
        a = layers[k]
        for j in np.flatnonzero(np.all(a == a[0], axis=0)):
            out.append(Finding("dead", k, int(j), (
                f"layer {k} ({name}), unit {j} is dead: it outputs {float(a[0, j]):.3g} on every training point, so it "
                "tells the layers after it nothing about the input. A ReLU unit with weights of its own gets no gradient "
                "there and cannot come back (try a smaller learning rate, leaky_relu or another seed); a convolution's or "
                "pooling's unit may only see an image region that is constant (a border blank in every image).")))
    return out


def _gradients(trace: Trace, i: int) -> list[Finding]:
    g = gradient_flow(trace)
    out = []
    L = trace.arch.n_layers
    s = trace.snapshot(i)
    learning = (s.train_acc < 0.95) if trace.arch.task == "classification" else (s.train_loss > 0.1 * trace.snapshot(0).train_loss)
    if learning and g[i, -1] > 0 and g[i, 0] < VANISHING * g[i, -1]:
        out.append(Finding("vanishing", 1, None, (
            f"vanishing gradients: the weights into hidden layer 1 get {g[i, 0] / g[i, -1]:.1e} times the gradient of the "
            f"output layer's at step {s.step}, while the network still has much to learn; the early layers barely move. "
            "Try relu, fewer layers, or a larger learning rate.")))
    worst = int(np.argmax(g.max(axis=0)))
    if trace.status == "diverged" or g.max() > EXPLODING:
        out.append(Finding("exploding", worst + 1 if worst < L - 1 else L, None, (
            f"exploding gradients: the gradient of W{worst} reached {g.max():.3g}" +
            (" and training diverged" if trace.status == "diverged" else "") +
            ". Try a smaller learning rate.")))
    return out


def _oscillating(trace: Trace) -> list[Finding]:
    loss = trace.metrics[:, 0]
    late = loss[len(loss) // 2 :]
    if len(late) < 8:
        return []
    best = np.minimum.accumulate(late)
    # rises of more than half again above the best loss so far, in the second half of training
    jumps = int(np.sum((late[1:] > 1.5 * best[:-1] + 1e-3) & (late[1:] > late[:-1])))
    if jumps >= 3:
        return [Finding("oscillating", None, None, (
            f"the training loss jumps back up {jumps} times in the second half of training (to {late.max():.3g} "
            f"after reaching {late.min():.3g}): the learning rate{_lr(trace)} overshoots. "
            "Try a smaller learning rate."))]
    return []


def _lr(trace: Trace) -> str:
    """`` 0.5`` when the run recorded its learning rate, else nothing (a recorded model's loop keeps its own)."""
    lr = (trace.config or {}).get("lr")
    return f" {lr}" if lr is not None else ""


def collapse(trace: Trace, snapshot: int = -1) -> Finding | None:
    """A ``"collapsed"`` finding when the training loss at ``snapshot`` has risen back more
    than half the way from its best earlier snapshot to chance level (:meth:`Trace.collapsed`), else None."""
    fell = trace.collapsed(snapshot, COLLAPSE)
    if fell is None:
        return None
    loss, chance = trace.metrics[:, 0], trace.chance_loss()
    b, s = trace.snapshot(fell[0]), trace.snapshot(fell[1])
    if trace.arch.task == "classification":
        what = f"collapsed after step {b.step} ({b.test_acc:.1%} test) to {s.test_acc:.1%} at step {s.step}"
        unit = f"ln {trace.n_classes} = {chance:.3f}"
    else:
        what = f"collapsed after step {b.step} (test error {b.test_loss:.4g}) to {s.test_loss:.4g} at step {s.step}"
        unit = f"{chance:.4g}, the error of predicting the mean"
    return Finding("collapsed", None, None, (
        f"{what}: the training loss climbed from {loss[fell[0]]:.3g} back to {loss[fell[1]]:.3g}, more than half the way "
        f"to chance level ({unit}). Training undid what it had learned; try a smaller learning rate, or keep the "
        f"weights of step {b.step}."))


def _overfitting(trace: Trace, i: int) -> list[Finding]:
    s = trace.snapshot(i)
    if trace.arch.task == "classification" and s.train_acc - s.test_acc > OVERFIT_GAP and s.train_acc > 0.9:
        return [Finding("overfitting", None, None, (
            f"overfitting: {s.train_acc:.0%} accuracy on the training points but {s.test_acc:.0%} on the test points; "
            "the network learned the training points' noise. Try L2, fewer units, or more data."))]
    if trace.arch.task == "regression" and s.test_loss > 3 * s.train_loss and s.test_loss - s.train_loss > 1e-3:
        return [Finding("overfitting", None, None, (
            f"overfitting: test error {s.test_loss:.4g} is over three times the training error {s.train_loss:.4g}. "
            "Try L2, fewer units, or more data."))]
    return []


def nothing_found(trace: Trace) -> str:
    """What an empty :func:`diagnose` means for ``trace``: the checks it ran, and for a model recorded by
    its layers' outputs the ones it could not (no weights, so no gradients or saturation)."""
    if trace.has_weights:
        return "no problem found: no dead or saturated unit, gradients flow, the loss settles, test follows train"
    return ("no problem found in the recorded layers: no dead unit, the loss settles, test follows train "
            "(gradients and saturation are not checked: the trace has the layers' outputs, not the weights)")


def diagnose(trace: Trace, snapshot: int = -1) -> list[Finding]:
    """What is wrong with the run at ``snapshot``, each finding naming its layer and unit.

    For a model recorded by its layers' outputs (``trace.has_weights`` False) only what
    its recorded outputs and metrics show: dead units (one value on every training
    point), oscillation, collapse and overfitting. Saturation needs the activation,
    vanishing and exploding gradients the weights, and "too narrow" the whole
    architecture, none of which such a trace holds: those are left out, not guessed.

    Returns
    -------
    list of Finding
        Empty for a healthy run.
    """
    _check(trace)
    i = trace.index(snapshot)
    if not trace.has_weights:
        collapsed = [f for f in [collapse(trace, i)] if f is not None]
        return _constant_units(trace, i) + _oscillating(trace) + collapsed + _overfitting(trace, i)
    note = topology_note(trace, i)
    # a run that separated its training points through a gap is not too narrow for them
    narrow = [Finding("too_narrow", None, None, note)] if note and easy_way_out(trace, i) is None else []
    collapsed = [f for f in [collapse(trace, i)] if f is not None]
    return _units(trace, i) + _gradients(trace, i) + _oscillating(trace) + collapsed + narrow + _overfitting(trace, i)
