"""Names of layers, units and networks, written once for every picture, caption, flag and page.

Layer indices follow :mod:`netwarp.views`: ``0`` is the input, ``1..L-1`` the
hidden layers, ``L`` (``trace.arch.n_layers``) the output logits. The browser
mirrors :func:`layer_name` in ``web/static/layers.js`` (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..trace import Trace

# one layer naming convention: long names for titles and captions, short ones for
# chips, axis labels and tight spaces
INPUT, OUTPUT, HIDDEN = ("input", "in"), ("output logits", "out"), ("hidden layer ", "h")


def layer_name(layer: int, n_layers: int, short: bool = False) -> str:
    """The name of ``layer`` (0..n_layers): "input", "hidden layer 2", "output logits",
    or with ``short`` "in", "h2", "out"."""
    k = int(short)
    if layer == 0:
        return INPUT[k]
    if layer == n_layers:
        return OUTPUT[k]
    return f"{HIDDEN[k]}{layer}"


def layer_names(n_layers: int, short: bool = False) -> list[str]:
    """Every layer's name, index = layer (0..n_layers)."""
    return [layer_name(i, n_layers, short) for i in range(n_layers + 1)]


def unit_names(layer: int, n_layers: int, width: int, dims: int | None = None) -> tuple[str, ...]:
    """Axis names for the units of ``layer``: "x1, x2" (input), "h1, h2, ..." (hidden),
    "out1, out2" (output); padded with "" up to ``dims`` (zero-padded axes get no name)."""
    prefix = "x" if layer == 0 else "out" if layer == n_layers else "h"
    n = width if dims is None else dims
    return tuple(f"{prefix}{j + 1}" if j < width else "" for j in range(n))


def units_phrase(width: int) -> str:
    """"1 unit", "3 units"."""
    return f"{width} unit{'s' if width != 1 else ''}"


def net_name(sizes: Sequence[int] | Trace) -> str:
    """The network's shape, e.g. "2-8-8-2" (from ``sizes`` or a Trace)."""
    if isinstance(sizes, Trace):
        sizes = sizes.arch.sizes
    return "-".join(map(str, sizes))


def default_layer(trace: Trace) -> int:
    """The layer shown when none is asked for: the last hidden layer (where the
    classes should be separable by a line), or the output when there is none."""
    L = trace.arch.n_layers
    return L - 1 if L > 1 else L


def three_wide(trace: Trace) -> list[int]:
    """The layers (0..n_layers) that are exactly 3 units wide."""
    return [i for i, s in enumerate(trace.arch.sizes) if s == 3]


def t_labels(steps: int) -> list[str]:
    """The names of the ``steps`` points of a straight path ``(1 - t) a + t b``, by ``t``: "0", "0.125", ..., "1"
    (three significant digits: exact for eighths, so the figures and the page never round differently)."""
    return [f"{v:.3g}" for v in np.linspace(0.0, 1.0, int(steps))]


def with_article(n: int) -> str:
    """``n`` after "a" or "an" as it is read aloud: "a 7", "an 8", "an 11", "an 18", "an 80", "a 100"."""
    n = int(n)
    lead = abs(n)
    while lead >= 1000:  # 11 000 is read "eleven thousand": the leading group decides
        lead //= 1000
    vowel = lead in (8, 11, 18) or 80 <= lead <= 89 or 800 <= lead <= 899
    return f"{'an' if vowel else 'a'} {n}"
