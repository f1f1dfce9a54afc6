"""Reading a PyTorch model from what its forward pass actually does.

The model is run once on the data, in float64 on the CPU (its weights swapped for float64
CPU copies for that one call and put back: the model itself is neither copied, converted
nor moved) and in eval mode (restored afterwards), with a forward hook on every leaf module
recording the order of the calls. A module called twice is two layers with the same
weights; a shared activation instance is an activation wherever it is called; subclasses,
nested blocks and ``torch.compile``'s wrapper are read the same way. Each call's input
must be the previous call's output (or a function netwarp knows of it, e.g. a
``torch.relu`` in a ``forward``): anything else is a residual, a branch or a computation
netwarp cannot show, refused in one line naming the module by its dotted path.

Every reading is then checked: netwarp's own forward pass of what it read must give
the model's float64 outputs, or the reading raises. A picture of a network that is not
the user's cannot pass silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..activations import LEAKY_SLOPE
from ..errors import NetwarpError
from ..nn import Architecture, forward_columns
from .fold import LayerRecipe, recipes_theta

# torch module class name -> netwarp activation; their settings are checked in _module_activation
ACTIVATION_MODULES = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyReLU": "leaky_relu",
                      "Softplus": "softplus", "GELU": "gelu", "SiLU": "silu", "ELU": "elu"}
CHECK_ROWS = 2048  # the rows of X a reading is checked on (all of a netwarp-sized data set)
TAKES = ("Linear layers, the activations " + ", ".join(ACTIVATION_MODULES) +
         ", Dropout, BatchNorm1d, Identity, a leading Flatten and a final Softmax/LogSoftmax")


def torch_module():
    """``torch``, or a one-line error saying how to install it."""
    try:
        import torch
    except ImportError:
        raise NetwarpError("reading a PyTorch model needs torch: pip install 'netwarp[torch]'") from None
    return torch


@dataclass
class Reading:
    """What netwarp read of a model: plain data, and the modules to take weights from.

    Attributes
    ----------
    sizes : tuple of int
        Units per layer as the model computes them (one output for a single logit).
    activations : tuple of str
        One netwarp activation per hidden layer.
    recipes : list of LayerRecipe
        The weight layers in call order (a Linear called twice appears twice).
    notes : list of str
        What the data description should say (Dropout, BatchNorm, a dropped softmax).
    out : ndarray of shape (n, sizes[-1])
        The model's own float64 outputs on the checked rows (before a dropped softmax).
    """

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    recipes: list[LayerRecipe]
    notes: list[str] = field(default_factory=list)
    dropped: str = ""  # the final softmax module's description, when one was dropped
    out: np.ndarray | None = None

    def arch(self, task: str, binary: bool) -> Architecture:
        """netwarp's Architecture: a single logit becomes two outputs ``[0, z]``."""
        sizes = (*self.sizes[:-1], 2) if binary else self.sizes
        return Architecture(sizes, list(self.activations), task)

    def weights(self, binary: bool) -> list[tuple[np.ndarray, np.ndarray]]:
        """Every layer's float64 ``(W, b)``, BatchNorms folded in, read from the modules now."""
        return recipes_theta(self.recipes, binary)


def _label(path: str, m) -> str:
    return f"module {path} ({type(m).__name__})"


def _where(path: str, base) -> str:
    """The module whose own forward code ran around ``path``: its nearest ancestor that is not a
    plain container (a Sequential runs its children and nothing else)."""
    torch = torch_module()
    plain = (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict)
    parts = path.split(".") if path else []
    while parts:
        parts.pop()
        p = ".".join(parts)
        m = base.get_submodule(p) if p else base
        if p and type(m) not in plain:
            return f"module {p} ({type(m).__name__})"
    return f"the forward of the model ({type(base).__name__})"


def _functionals(torch) -> dict[str, Any]:
    F = torch.nn.functional
    return {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "gelu": F.gelu, "silu": F.silu,
            "elu": F.elu, "leaky_relu": lambda z: F.leaky_relu(z, LEAKY_SLOPE), "softplus": F.softplus}


def _same(a, b, torch, reshape: bool = False) -> bool:
    if a is b:
        return True
    if reshape and a.numel() == b.numel() and a.shape[:1] == b.shape[:1]:
        a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    return a.shape == b.shape and bool(torch.equal(a, b))


def _module_activation(label: str, m) -> str:
    name = type(m).__name__
    if name == "LeakyReLU" and not math.isclose(m.negative_slope, LEAKY_SLOPE):
        raise NetwarpError(f"{label} has slope {m.negative_slope}; netwarp's leaky_relu has {LEAKY_SLOPE}")
    if name == "Softplus" and (m.beta != 1 or m.threshold != 20):
        raise NetwarpError(f"{label} has beta {m.beta} and threshold {m.threshold}; "
                           "netwarp's softplus is log(1 + e^z) (beta 1, threshold 20)")
    if name == "GELU" and m.approximate != "none":
        raise NetwarpError(f"{label} uses approximate={m.approximate!r}; netwarp's gelu is the exact one (approximate='none')")
    if name == "ELU" and m.alpha != 1:
        raise NetwarpError(f"{label} has alpha {m.alpha}; netwarp's elu has alpha 1")
    return ACTIVATION_MODULES[name]


def _check_weights(base, torch) -> None:
    from torch.nn.parameter import UninitializedBuffer, UninitializedParameter

    for path, m in base.named_modules():
        for t in [*m.parameters(recurse=False), *m.buffers(recurse=False)]:
            if isinstance(t, (UninitializedParameter, UninitializedBuffer)):
                raise NetwarpError(f"{_label(path, m)} has no weights yet (a lazy module takes its shape from its first "
                                   "call): run the model on one batch, e.g. model(X[:1]), before netwarp reads it")
    for p in base.parameters():
        if p.device.type == "meta":
            raise NetwarpError("the model's weights are on the meta device (shapes without values); "
                               "load or initialise them first")
        if p.is_complex():  # float64 would silently drop the imaginary part
            raise NetwarpError(f"the model's weights are complex ({p.dtype}); netwarp reads real-valued networks")


def unwrap(model):
    """The module to read: ``torch.compile``'s wrapper opened (its ``_orig_mod``), anything else as it is."""
    torch = torch_module()
    if type(model).__name__ == "OptimizedModule" and isinstance(getattr(model, "_orig_mod", None), torch.nn.Module):
        model = model._orig_mod
    if not isinstance(model, torch.nn.Module):
        raise NetwarpError(f"netwarp reads a torch.nn.Module, got {type(model).__name__}")
    return model


def run_recorded(base, X64) -> tuple[list[tuple[str, Any, Any, Any]], Any]:
    """Run ``base`` on ``X64`` in float64 and eval mode, with hooks on every leaf module.

    Returns ``[(path, module, input, output), ...]`` in call order and the model's output.
    Every module's training flag is restored, and the model keeps its own weights and device.
    """
    torch = torch_module()
    names: dict[int, str] = {}
    for path, m in base.named_modules(remove_duplicate=False):
        names.setdefault(id(m), path)
    calls: list[tuple[str, Any, Any, Any]] = []

    def hook(m, args, out):
        calls.append((names[id(m)], m, args[0] if args else None, out))

    plain = (torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict)  # an empty one computes nothing
    leaves = [m for m in base.modules() if next(m.children(), None) is None and type(m) not in plain]
    flags = [(m, m.training) for m in base.modules()]
    # every module's own weights swapped for float64 CPU copies for this one run and put back after
    # (torch.func.functional_call does not put back a module that appears twice in the model)
    saved = [(store, k, v) for m in base.modules() for store in (m._parameters, m._buffers)
             for k, v in store.items() if v is not None]
    handles = [m.register_forward_hook(hook) for m in leaves]
    try:
        for store, k, v in saved:
            store[k] = v.detach().to("cpu", torch.float64) if v.is_floating_point() else v.detach().to("cpu")
        base.eval()
        with torch.no_grad():
            out = base(X64)
    except NetwarpError:
        raise
    except Exception as e:  # the user's forward: what netwarp can say about why, else its own error in one line
        failed = e
    else:
        failed = None
    finally:
        for store, k, v in saved:
            store[k] = v
        for h in handles:
            h.remove()
        for m, was in flags:
            m.training = was
    if failed is not None:
        _explain(base, X64, failed)
    if not isinstance(out, torch.Tensor):
        raise NetwarpError(f"the model returns {type(out).__name__}, not one tensor of outputs")
    return calls, out


def _explain(base, X64, e: Exception) -> None:
    """Raise one line saying why the model did not run on X: a module netwarp cannot show, a first
    Linear that does not take X's columns, two Linears that do not fit, or the model's own error."""
    torch = torch_module()
    leaves = [(p, m) for p, m in base.named_modules() if next(m.children(), None) is None]
    for path, m in leaves:  # a convolution on points fails before netwarp sees it: name it
        _classify(path, m, None, False)
    linears = [(p, m) for p, m in leaves if type(m) is torch.nn.Linear]
    cols = X64.reshape(len(X64), -1).shape[1]
    if linears and linears[0][1].in_features != cols:
        raise NetwarpError(f"the model takes {linears[0][1].in_features} inputs but X has {cols} columns")
    for (p, a), (q, b) in zip(linears, linears[1:]):
        if a.out_features != b.in_features:
            raise NetwarpError(f"a Linear of {a.out_features} outputs ({_label(p, a)}) feeds one of "
                               f"{b.in_features} inputs ({_label(q, b)})")
    text = " ".join(str(e).split())[:160]
    raise NetwarpError(f"running the model on X in float64 on the CPU failed: {type(e).__name__}: {text}") from None


def read(model, X64) -> Reading:
    """Read ``model`` from one float64 run on ``X64`` (its input as the model takes it) and check it.

    Raises
    ------
    NetwarpError
        One line naming what netwarp cannot show, by the module's dotted path, or saying
        that the reading does not reproduce the model's outputs.
    """
    torch = torch_module()
    base = unwrap(model)
    _check_weights(base, torch)
    calls, out = run_recorded(base, X64)
    functionals = _functionals(torch)
    ops: list[tuple[str, str, Any, str]] = []  # (kind, where, module, activation name or softmax described)
    prev, prev_path = X64, ""
    for i, (path, m, inp, res) in enumerate(calls):
        label = _label(path, m)
        if inp is None or not _same(inp, prev, torch, reshape=(i == 0)):
            found = next((n for n, f in functionals.items() if inp is not None and i > 0 and inp.shape == prev.shape
                          and torch.allclose(inp, f(prev), rtol=1e-12, atol=1e-12)), None)
            if found is None:
                where = _where(prev_path if i else path, base)
                raise NetwarpError(f"{where} computes something between its layers that netwarp cannot show (a "
                                   f"residual, a branch or an operation it does not know) before {label}; netwarp "
                                   "reads a chain of layers")
            ops.append(("act", f"a {found} in {_where(prev_path, base)}", None, found))
        ops.append(_classify(path, m, inp, any(op[0] == "linear" for op in ops)))
        prev, prev_path = res, path
    if not calls:
        raise NetwarpError("the model has no Linear layer")
    if not _same(out, prev, torch):
        F = torch.nn.functional
        last = next((n for n, f in (("softmax", F.softmax), ("log_softmax", F.log_softmax))
                     if out.shape == prev.shape and torch.allclose(out, f(prev, dim=-1), rtol=1e-12, atol=1e-12)), None)
        if last is None:
            raise NetwarpError(f"{_where(prev_path, base)} changes the output of {_label(prev_path, calls[-1][1])} "
                               "before returning it; netwarp's output layer is the last Linear's logits")
        ops.append(("softmax", f"a {last} in {_where(prev_path, base)}", None, f"a {last}"))
    reading = _layers(ops)
    # compared with the logits a dropped softmax was given: a module's input, or the last output before a function
    logits = calls[-1][2] if reading.dropped and ops[-1][2] is not None else prev if reading.dropped else out
    reading.out = logits.reshape(len(logits), -1).numpy()
    return reading


def _classify(path: str, m, inp, after_linear: bool) -> tuple[str, str, Any, str]:
    torch = torch_module()
    nn, label, name = torch.nn, _label(path, m), type(m).__name__
    kind = type(m)
    if kind is nn.Linear:
        return ("linear", label, m, "")
    if kind is nn.BatchNorm1d:
        if m.running_mean is None or not m.track_running_stats:
            raise NetwarpError(f"{label} keeps no running statistics (track_running_stats=False): its output "
                               "depends on the batch, so netwarp cannot fold it into a layer")
        if inp is not None and inp.dim() != 2:
            raise NetwarpError(f"{label} normalises channels of a {inp.dim()}-d input; netwarp folds BatchNorm1d on (n, features)")
        return ("bn", label, m, "")
    if kind is nn.Dropout:
        return ("drop", label, m, "")
    if kind is nn.Identity:
        return ("skip", label, m, "")
    if kind is nn.Flatten:
        if after_linear or (m.start_dim, m.end_dim) != (1, -1):
            raise NetwarpError(f"{label} flattens dims {m.start_dim}..{m.end_dim}" + (" after a Linear" if after_linear else "")
                               + "; netwarp reads a leading Flatten of everything but the batch (start_dim=1, end_dim=-1)")
        return ("skip", label, m, "")
    if name in ACTIVATION_MODULES and kind is getattr(nn, name):  # a subclass may change forward: not taken on its name
        return ("act", label, m, _module_activation(label, m))
    if kind in (nn.Softmax, nn.LogSoftmax):
        if m.dim not in (-1, 1, None):
            raise NetwarpError(f"{label} normalises dim {m.dim}; netwarp's logits are one row per point")
        return ("softmax", label, m, name)
    raise NetwarpError(f"{label} is not something netwarp can show: it reads {TAKES}")


def _layers(ops: list[tuple[str, str, Any, str]]) -> Reading:
    """Group the calls into weight layers: BatchNorms folded into a neighbouring Linear, an
    activation between two Linears (none: identity), Dropout and Identity as nothing."""
    recipes: list[LayerRecipe] = []
    acts: list[str] = []
    pending_bn: list = []  # BatchNorms on the next Linear's input
    act, act_where, state = None, "", "start"  # state: what the last op was: start, linear or act
    notes, dropped = [], ""
    for i, (kind, where, m, what) in enumerate(ops):
        if kind == "linear":
            if recipes:
                acts.append(act or "identity")
            recipes.append(LayerRecipe(m, pre=pending_bn))
            pending_bn, act, state = [], None, "linear"
        elif kind == "bn":
            if state == "linear":
                recipes[-1].post.append(m)
            else:
                pending_bn.append(m)
            if "BatchNorm1d folded into its Linear with its running statistics (exact in eval())" not in notes:
                notes.append("BatchNorm1d folded into its Linear with its running statistics (exact in eval())")
        elif kind == "act":
            if not recipes:
                raise NetwarpError(f"{where} comes before any Linear layer; netwarp's input layer has no activation")
            if act is not None:
                raise NetwarpError(f"{where} follows another activation ({act}); netwarp has one per layer")
            act, act_where, state = what, where, "act"
        elif kind == "drop":
            if "Dropout as in eval() (identity)" not in notes:
                notes.append("Dropout as in eval() (identity)")
        elif kind == "softmax":
            if i != len(ops) - 1 or state != "linear":
                raise NetwarpError(f"{where}: a softmax is taken only at the very end, on the last Linear's logits")
            dropped = where
    if not recipes:
        raise NetwarpError("the model has no Linear layer")
    if act is not None:
        raise NetwarpError(f"{act_where}: the model ends in an activation ({act}); "
                           "netwarp's output layer is the last Linear's logits")
    if pending_bn:
        raise NetwarpError("the model ends in a BatchNorm1d after an activation; netwarp's output layer is the last Linear's logits")
    sizes = (recipes[0].linear.in_features, *(r.linear.out_features for r in recipes))
    if dropped:
        notes.append(f"the final {ops[-1][3]} dropped (the logits before it are recorded)")
    return Reading(sizes, tuple(acts), recipes, notes, dropped)


def check(reading: Reading, arch: Architecture, layers: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray,
          binary: bool) -> None:
    """Raise unless netwarp's forward pass of ``layers`` on ``X (n, sizes[0])`` gives the model's own
    float64 outputs ``reading.out`` (to 1e-9 of their scale)."""
    outT = forward_columns(layers, np.ascontiguousarray(X.T), arch.fns)[0][-1]
    ours = (outT[1] - outT[0])[:, None] if binary else outT.T
    theirs = reading.out
    if ours.shape != theirs.shape:
        raise NetwarpError(f"netwarp read {ours.shape[1]} outputs but the model gives {theirs.shape[1]}")
    if not (np.all(np.isfinite(ours)) and np.all(np.isfinite(theirs))):
        return  # non-finite weights or outputs: the trace refuses to record them and says so
    gap = float(np.max(np.abs(ours - theirs))) if ours.size else 0.0
    if gap > 1e-9 * max(1.0, float(np.max(np.abs(theirs)))):
        raise NetwarpError(f"netwarp's reading of the model ({'-'.join(map(str, reading.sizes))} "
                           f"{','.join(reading.activations) or 'linear'}) does not give the model's outputs (they differ "
                           f"by up to {gap:.3g}): its forward does something between its layers that netwarp does not "
                           "see; netwarp reads a chain of layers")
