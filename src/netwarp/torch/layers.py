"""Record what named layers of any PyTorch model output: the representations of a model
netwarp does not run (a CNN, embeddings, a residual block).

Forward hooks on the modules named by dotted path (``"features.0"``, ``"fc1"``) take
their outputs, flattened per example, while the model runs in eval mode without
gradients on the run's fixed points; the model's own output is the logits. The
model keeps its weights, device, dtype and training mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import NetwarpError
from .points import described, read_sets
from .reading import torch_module, unwrap

BATCH = 2048  # rows per forward pass: a conv model's maps for every point at once could take gigabytes


def layer_paths(model, layers: Sequence[str]) -> list[str]:
    """``layers`` checked against the model's modules: a non-empty list of dotted paths it holds, each once."""
    if isinstance(layers, str) or not all(isinstance(n, str) for n in _listed(layers)):
        raise NetwarpError("layers must be a list of module names (dotted paths such as ['conv', 'fc1'])")
    names = list(layers)
    if not names:
        raise NetwarpError("layers is empty: name at least one module to record")
    repeated = [n for n in dict.fromkeys(names) if names.count(n) > 1]
    if repeated:
        raise NetwarpError(f"layers names {repeated[0]!r} twice")
    held = dict(unwrap(model).named_modules())
    for n in names:
        if n == "" or n not in held:
            some = [p for p in held if p][:12]
            raise NetwarpError(f"the model has no module {n!r}; its modules: {', '.join(some)}"
                               + (", ..." if len(held) > 13 else ""))
    return names


def _listed(layers) -> list:
    try:
        return list(layers)
    except TypeError:
        raise NetwarpError("layers must be a list of module names (dotted paths such as ['conv', 'fc1'])") from None


class LayerOutputs:
    """Runs a model on fixed inputs and returns its named layers' outputs and its logits.

    Parameters
    ----------
    model : torch.nn.Module
    layers : sequence of str
        Dotted module paths, in the order the trace lists them.
    """

    def __init__(self, model, layers: Sequence[str]):
        self.model = unwrap(model)
        self.names = layer_paths(self.model, layers)
        self._modules = [self.model.get_submodule(n) for n in self.names]
        self.n_outputs = 0  # the model's own number of outputs, known after a run

    def as_model_takes(self, X: np.ndarray, shape: tuple[int, ...]) -> Any:
        """``X (n, d)`` as a tensor of one point's ``shape``, in the model's float type and device
        (whole-number inputs such as token ids stay integers)."""
        torch = torch_module()
        p = next(self.model.parameters(), None)
        device = p.device if p is not None else torch.device("cpu")
        dtype = p.dtype if p is not None and p.dtype.is_floating_point else torch.float32
        t = torch.from_numpy(np.ascontiguousarray(X).reshape(len(X), *shape))
        return t.to(device=device, dtype=torch.long if t.dtype in (torch.int32, torch.int64) else dtype)

    def run(self, X) -> list[np.ndarray]:
        """Every named layer's output on ``X`` (a tensor as the model takes it), then the logits.

        Returns
        -------
        list of ndarray
            ``(n, width_i)`` float32 per named layer, then the logits ``(n, k)`` as float64
            (one output logit ``z`` is returned as ``[0, z]``).
        """
        torch = torch_module()
        parts: list[list[np.ndarray]] = [[] for _ in self._modules]
        logits = []
        calls = [0] * len(self._modules)

        def hook(i):
            def take(module, args, out):
                calls[i] += 1
                if not isinstance(out, torch.Tensor):
                    raise NetwarpError(f"{self.names[i]} outputs a {type(out).__name__}, not a tensor; record a module "
                                       "that outputs one tensor")
                parts[i].append(out.detach().reshape(out.shape[0], -1).to("cpu", torch.float32).numpy())
            return take

        handles = [m.register_forward_hook(hook(i)) for i, m in enumerate(self._modules)]
        modes = {m: m.training for m in self.model.modules()}
        try:
            self.model.eval()
            with torch.no_grad():
                for start in range(0, len(X), BATCH):
                    before = list(calls)
                    try:
                        out = self.model(X[start:start + BATCH])
                    except NetwarpError:
                        raise
                    except Exception as e:  # the user's forward: its own message, in one line
                        first = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
                        raise NetwarpError(f"the model's forward pass failed on the recorded points: "
                                           f"{type(e).__name__}: {first}") from None
                    for i, (a, b) in enumerate(zip(before, calls)):
                        if b - a != 1:
                            raise NetwarpError(f"{self.names[i]} ran {b - a} times in one forward pass; record a module "
                                               "that runs once" if b - a else
                                               f"{self.names[i]} did not run in the model's forward pass")
                    if not isinstance(out, torch.Tensor):
                        raise NetwarpError(f"the model returns a {type(out).__name__}, not a tensor of logits")
                    logits.append(out.detach().reshape(out.shape[0], -1).to("cpu", torch.float64).numpy())
        finally:
            for h in handles:
                h.remove()
            for m, mode in modes.items():
                m.train(mode)
        z = np.concatenate(logits)
        self.n_outputs = z.shape[1]
        if z.shape[1] == 1:
            z = np.hstack([np.zeros_like(z), z])
        return [np.concatenate(p) for p in parts] + [z]


def outputs_trace(model, X, y, X_test, y_test, layers: Sequence[str],
                  data: dict) -> tuple[Any, LayerOutputs, tuple[Any, Any], list[np.ndarray], list[np.ndarray]]:
    """A recorded-model Trace for ``model`` with its named ``layers``, and its first outputs.

    Returns the empty trace, the layer runner, the train and test inputs as the model
    takes them, and the outputs on them (as :meth:`LayerOutputs.run`), not yet recorded.
    """
    from ..nn import Architecture
    from ..trace import Trace

    sets = read_sets(X, y, X_test, y_test)
    X, y, X_test, y_test, shape = sets.X, sets.y, sets.X_test, sets.y_test, sets.shape
    if sets.task != "classification":
        raise NetwarpError("recording layers (layers=...) needs class labels 0..k-1 in y; y holds real values")
    if sets.test_shape != shape:
        raise NetwarpError(f"X_test's points have shape {sets.test_shape}, X's {shape}")
    runner = LayerOutputs(model, layers)
    inputs = (runner.as_model_takes(X, shape), runner.as_model_takes(X_test, shape))
    train = runner.run(inputs[0])
    test = runner.run(inputs[1]) if sets.given else train
    k = train[-1].shape[1]
    top = int(max(y.max(), y_test.max()))
    if top >= k:
        raise NetwarpError(f"the labels go up to {top} but the model has {runner.n_outputs} output(s) (one per class, "
                           "or one logit for two classes)")
    arch = Architecture((X.shape[1], *(a.shape[1] for a in train[:-1]), k), "recorded", sets.task)
    if len(shape) > 1:
        data = {**data, "input_shape": list(shape)}
    trace = Trace(arch, X, y, X_test, y_test, config={"source": "torch"}, data=described(data, sets),
                  layer_names=tuple(runner.names))
    return trace, runner, inputs, train, test
