"""What the user's loss adds to plain cross-entropy, said in one sentence.

A trace's losses are netwarp's own: plain mean cross-entropy (or mean squared
error for a regression) of the recorded network. A model trained with label
smoothing, class weights or another loss went down a different loss, so the
curves are not the numbers the loop printed; :func:`loss_note` says how, for
the trace's data description (``"trained with label smoothing 0.1; the losses
shown are plain cross-entropy"``).

The criterion is read, never called: its options are attributes of the module
(``nn.CrossEntropyLoss(label_smoothing=0.1)``) or keywords of a
``functools.partial`` of the functional form.
"""

from __future__ import annotations

import functools
import math

from ..errors import NetwarpError

# the losses whose plain form is what netwarp computes, by task: module class or function name
PLAIN = {
    "classification": {"CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss", "BCELoss", "cross_entropy", "nll_loss",
                       "binary_cross_entropy_with_logits", "binary_cross_entropy"},
    "regression": {"MSELoss", "mse_loss"},
}
SHOWN = {"classification": "cross-entropy", "regression": "mean squared error"}
MAX_WEIGHTS = 10  # class weights listed in full up to this many


def loss_note(loss_fn: object, task: str) -> str | None:
    """One sentence saying how ``loss_fn`` differs from the loss the trace shows, or None when it does not.

    Parameters
    ----------
    loss_fn : torch.nn.Module or callable or None
        The criterion the model was trained with, e.g. ``nn.CrossEntropyLoss(label_smoothing=0.1)``,
        ``functools.partial(F.cross_entropy, weight=w)``, or a loss class of your own.
    task : {"classification", "regression"}
        The trace's task: its losses are cross-entropy or mean squared error.

    Returns
    -------
    str or None
        ``"trained with label smoothing 0.1 and class weights (1, 3); the losses shown are plain
        cross-entropy"``; a loss netwarp does not know is named by its class (``"trained with
        FocalLoss; ..."``). None for None or a plain loss of the task.

    Raises
    ------
    NetwarpError
        ``loss_fn`` is not a loss (not callable).
    """
    if loss_fn is None:
        return None
    if not callable(loss_fn):
        raise NetwarpError(f"loss_fn must be the loss you train with (e.g. nn.CrossEntropyLoss(label_smoothing=0.1)), "
                           f"got {type(loss_fn).__name__} {str(loss_fn)[:40]!r}")
    name, opts = _read(loss_fn)
    if name not in PLAIN.get(task, ()):
        what = [name]
    else:
        what = _options(opts)
    if not what:
        return None
    said = " and ".join(what) if len(what) < 3 else ", ".join(what[:-1]) + " and " + what[-1]
    return f"trained with {said}; the losses shown are plain {SHOWN.get(task, 'cross-entropy')}"


def _read(loss_fn) -> tuple[str, dict]:
    """The loss's name (its class, or its function's) and its options."""
    if isinstance(loss_fn, functools.partial):
        return getattr(loss_fn.func, "__name__", type(loss_fn.func).__name__), dict(loss_fn.keywords)
    if hasattr(loss_fn, "forward") and hasattr(loss_fn, "reduction"):  # a torch loss module: its options are attributes
        keys = ("label_smoothing", "weight", "pos_weight", "reduction", "ignore_index")
        return type(loss_fn).__name__, {k: getattr(loss_fn, k) for k in keys if hasattr(loss_fn, k)}
    if hasattr(loss_fn, "forward") or not hasattr(loss_fn, "__name__"):  # a module or callable object of your own
        return type(loss_fn).__name__, {}
    return loss_fn.__name__, {}


def _options(opts: dict) -> list[str]:
    out = []
    ls = opts.get("label_smoothing") or 0.0
    if ls:
        out.append(f"label smoothing {float(ls):g}")
    if opts.get("weight") is not None:
        out.append(f"class weights ({_values(opts['weight'])})")
    if opts.get("pos_weight") is not None:
        out.append(f"positive-class weight {_values(opts['pos_weight'])}")
    ignore = opts.get("ignore_index", -100)
    if isinstance(ignore, int) and ignore >= 0:
        out.append(f"label {ignore} ignored")
    if opts.get("reduction", "mean") != "mean":
        out.append(f"reduction {opts['reduction']!r} (netwarp shows the mean)")
    return out


def _values(w) -> str:
    """A weight tensor (or list) as ``1, 3`` (the first ones and a count when long)."""
    if hasattr(w, "detach"):
        w = w.detach().to("cpu").reshape(-1).tolist()
    elif isinstance(w, (int, float)):
        w = [w]
    vals = [float(v) for v in w]
    shown = ", ".join("nan" if math.isnan(v) else f"{v:.3g}" for v in vals[:MAX_WEIGHTS])
    return shown if len(vals) <= MAX_WEIGHTS else f"{shown}, … ({len(vals)} in all)"
