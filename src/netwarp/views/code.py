"""The network as shapes, algebra and code (Grokking Deep Learning's "LEGO" view).

Everything is generated from the trace's architecture and weights, never
templated per network: the blocks (each layer a strip of its width, each weight
matrix a block ``n_in x n_out``), the forward pass in the algebra's notation
(``l1 = tanh(l0 W0 + b0)``), and runnable Python (numpy or ``torch.nn``) with
the weights embedded. A block, its symbol and its code token share one id
(``l1``, ``W0``, ``b0``), which is what the playground highlights across the three.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NetwarpError
from ..trace import Trace
from .naming import with_article
from .needs import need_weights

# numpy source of each activation, the same functions as netwarp.activations
NUMPY_ACTIVATIONS = {
    "identity": "def identity(z):\n    return z\n",
    "relu": "def relu(z):\n    return np.maximum(z, 0.0)\n",
    "leaky_relu": "def leaky_relu(z):\n    return np.where(z > 0, z, 0.01 * z)\n",
    "tanh": "def tanh(z):\n    return np.tanh(z)\n",
    "sigmoid": "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n",
    "softplus": "def softplus(z):\n    return np.logaddexp(0.0, z)\n",
    "sin": "def sin(z):\n    return np.sin(z)\n",
    "gelu": "def gelu(z):\n    from scipy.special import erf\n\n    return 0.5 * z * (1.0 + erf(z / np.sqrt(2.0)))\n",
    "silu": "def silu(z):\n    return z / (1.0 + np.exp(-z))\n",
    "elu": "def elu(z):\n    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))\n",
}
TORCH_MODULES = {"identity": "torch.nn.Identity()", "relu": "torch.nn.ReLU()", "leaky_relu": "torch.nn.LeakyReLU(0.01)",
                 "tanh": "torch.nn.Tanh()", "sigmoid": "torch.nn.Sigmoid()", "softplus": "torch.nn.Softplus()",
                 "gelu": "torch.nn.GELU()", "silu": "torch.nn.SiLU()", "elu": "torch.nn.ELU()"}
LANGS = ("numpy", "torch")


@dataclass(frozen=True)
class Block:
    """One piece of the LEGO view.

    Attributes
    ----------
    id : str
        ``"l0"``, ``"W0"``, ``"b0"``, ...: the symbol in the algebra and the name in the code.
    kind : {"layer", "weights", "bias"}
    shape : tuple of int
        ``(1, width)`` for a layer (one point, a row), ``(n_in, n_out)`` for weights, ``(n_out,)`` for a bias.
    label : str
        E.g. ``"W0: 2 × 8"``.
    """

    id: str
    kind: str
    shape: tuple
    label: str


def blocks(trace: Trace) -> list[Block]:
    """The LEGO view's blocks in forward order: ``l0, W0, b0, l1, W1, b1, ..., lL``."""
    need_weights(trace, "the LEGO blocks view")
    sizes, out = trace.arch.sizes, []
    for k, n in enumerate(sizes):
        out.append(Block(f"l{k}", "layer", (1, n), f"l{k}: 1 × {n}"))
        if k < len(sizes) - 1:
            out.append(Block(f"W{k}", "weights", (n, sizes[k + 1]), f"W{k}: {n} × {sizes[k + 1]}"))
            out.append(Block(f"b{k}", "bias", (sizes[k + 1],), f"b{k}: {sizes[k + 1]}"))
    return out


def algebra(trace: Trace) -> list[str]:
    """The forward pass in the seed's notation, one line per layer, then the whole network in one line.

    E.g. ``["l1 = tanh(l0 W0 + b0)", "l2 = l1 W1 + b1", "l2 = tanh(l0 W0 + b0) W1 + b1"]``.
    """
    need_weights(trace, "the forward pass's algebra")
    acts, L = trace.arch.activations, trace.arch.n_layers  # each hidden layer its own
    lines, whole = [], "l0"
    for k in range(L):
        affine = f"l{k} W{k} + b{k}"
        lines.append(f"l{k + 1} = {acts[k]}({affine})" if k < L - 1 else f"l{k + 1} = {affine}")
        inner = f"{whole} W{k} + b{k}"
        whole = f"{acts[k]}({inner})" if k < L - 1 else inner
    return [*lines, f"l{L} = {whole}"] if L > 1 else lines


def _array(values) -> str:
    # repr of Python floats is exact: the generated code holds the weights bit for bit
    return "np.array(" + repr(values.tolist()) + ")"


def _units(trace: Trace) -> str:
    """For a standardised table, the code that speaks its units: ``FEATURES``, ``MEAN``, ``SCALE`` and
    ``standardise(rows)``, the table's rows in its own units to the network's input ``l0``; else ``""``."""
    data = trace.data if isinstance(trace.data, dict) else {}
    mean, scale = data.get("mean"), data.get("scale")
    d = trace.arch.sizes[0]
    if not (isinstance(mean, list) and isinstance(scale, list) and len(mean) == len(scale) == d):
        return ""
    if all(m == 0 for m in mean) and all(v == 1 for v in scale):
        return ""  # already in its own units
    return ("\n\n# The table's own units: the network reads each feature standardised, l0 = (row - MEAN) / SCALE\n"
            f"FEATURES = {trace.feature_names!r}\n"
            f"MEAN = np.array({[float(v) for v in mean]!r})\n"
            f"SCALE = np.array({[float(v) for v in scale]!r})\n\n\n"
            "def standardise(rows):\n"
            '    """Rows of the table in its own units (columns in FEATURES order) -> the network\'s input l0."""\n'
            "    return (np.asarray(rows, dtype=np.float64) - MEAN) / SCALE\n")


def forward_code(trace: Trace, snapshot: int = -1, lang: str = "numpy") -> str:
    """Self-contained Python source of the network's forward pass, the weights embedded.

    Executed on its own, the source defines ``forward(X)`` returning the output
    logits ``(n, k)`` (the regression's values ``(n, 1)``), and ``layers(X)``
    returning every layer, as :meth:`Trace.layer_outputs` does. For a standardised
    table it also defines ``FEATURES``, ``MEAN``, ``SCALE`` and ``standardise(rows)``,
    so ``forward(standardise(rows))`` takes rows in the table's own units.

    Parameters
    ----------
    trace : Trace
    snapshot : int
    lang : {"numpy", "torch"}
        ``"torch"`` builds the same network as a ``torch.nn.Sequential`` (float64).

    Returns
    -------
    str
    """
    need_weights(trace, "the forward code")
    if lang not in LANGS:
        raise NetwarpError(f"unknown language {lang!r} for the code; choose one of: {', '.join(LANGS)}")
    acts, sizes = trace.arch.activations, trace.arch.sizes
    step = trace.snapshot(snapshot).step
    weights = trace.weights(snapshot)
    net = with_article(sizes[0]) + "".join(f"-{n}" for n in sizes[1:])  # "an 8-4-2 ...", "a 2-8-2 ..."
    head = (f'"""The forward pass of {net} {trace.arch.activation_text} network ({trace.arch.task}) '
            f'at training step {step}, written by netwarp.\n\n' + "\n".join(algebra(trace)) + '\n"""\n\n')
    params = "".join(f"W{k} = {_array(W)}  # {W.shape[0]} x {W.shape[1]}\nb{k} = {_array(b)}  # {b.shape[0]}\n"
                     for k, (W, b) in enumerate(weights))
    units = _units(trace)
    if lang == "numpy":
        body = ["def layers(X):", '    """Every layer\'s values for the rows of X, input first, logits last."""',
                "    l0 = np.asarray(X, dtype=np.float64)"]
        for k in range(len(weights)):
            affine = f"l{k} @ W{k} + b{k}"
            body.append(f"    l{k + 1} = {acts[k]}({affine})" if k < len(weights) - 1 else f"    l{k + 1} = {affine}")
        body.append("    return [" + ", ".join(f"l{k}" for k in range(len(sizes))) + "]")
        functions = "".join(NUMPY_ACTIVATIONS[a] + "\n\n" for a in dict.fromkeys(acts))
        return (head + "import numpy as np\n\n" + params + "\n\n" + functions + "\n".join(body) +
                "\n\n\ndef forward(X):\n    return layers(X)[-1]\n" + units)
    missing = [a for a in acts if a not in TORCH_MODULES]
    if missing:
        raise NetwarpError(f"torch.nn has no module for the activation {missing[0]!r}; export this network as numpy code")
    mods = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(f"torch.nn.Linear({a}, {b})")
        if k < len(sizes) - 2:
            mods.append(TORCH_MODULES[acts[k]])
    loads = "".join(f"    model[{2 * k}].weight.copy_(torch.from_numpy(W{k}.T))\n"
                    f"    model[{2 * k}].bias.copy_(torch.from_numpy(b{k}))\n" for k in range(len(weights)))
    return (head + "import numpy as np\nimport torch\n\n" + params +
            "\nmodel = torch.nn.Sequential(\n" + "".join(f"    {m},\n" for m in mods) + ").double()\n"
            "with torch.no_grad():\n" + loads +
            "\n\ndef layers(X):\n"
            '    """Every layer\'s values for the rows of X, input first, logits last."""\n'
            "    out = [torch.as_tensor(np.asarray(X, dtype=np.float64))]\n"
            "    with torch.no_grad():\n"
            "        for i, module in enumerate(model):\n"
            "            h = module(out[-1])\n"
            "            # a Linear followed by an activation is one layer: keep the activation's output\n"
            "            if isinstance(module, torch.nn.Linear) and i + 1 < len(model):\n"
            "                out.append(model[i + 1](h))\n"
            "            elif isinstance(module, torch.nn.Linear):\n"
            "                out.append(h)\n"
            "    return [t.numpy() for t in out]\n"
            "\n\ndef forward(X):\n    return layers(X)[-1]\n" + units)
