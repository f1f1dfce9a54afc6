"""Figures of the network itself: shapes, algebra and code side by side; weights and
gradients over training; the diagram with a legend and the diagnostics' units ringed."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from .. import views
from ..render.anatomy_plots import (
    SIGN_NOTE,
    plot_blocks,
    plot_gradient_flow,
    plot_listing,
    plot_network,
    plot_ridgelines,
    plot_weight_series,
    weight_legend,
)
from ..render.figure import new_figure
from ..trace import Trace

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _name(trace: Trace) -> str:
    return f"{views.net_name(trace)} {trace.arch.activation_text}"


def code_figure(trace: Trace, snapshot: int = -1, size: int = 1500) -> Figure:
    """The LEGO view: blocks to scale (weights coloured), the algebra, and the numpy code, side by side,
    each weight matrix in the same colour in all three."""
    blocks = [asdict(b) for b in views.blocks(trace)]
    weights = [W for W, _ in trace.weights(snapshot)]
    code = views.forward_code(trace, snapshot).split("def layers(X):")[1].splitlines()
    code = ["def layers(X):"] + [ln for ln in code if ln.strip() and '"""' not in ln]
    tall = sum(b["shape"][0] if b["kind"] == "weights" else 1 for b in blocks)
    height = max(420, min(1300, 26 * (tall + len(blocks)) + 80)) + 60  # + the legend
    fig, (a, b, c) = new_figure(size, height, ncols=3, width_ratios=[1.0, 1.0, 1.3])
    step = trace.snapshot(snapshot).step
    plot_blocks(a, blocks, weights, f"shapes: {_name(trace)}, step {step}")
    sizes = trace.arch.sizes
    shapes = [f"     (1×{a})(W{k}: {a}×{n}) + (b{k}: {n}) → 1×{n}" for k, (a, n) in enumerate(zip(sizes[:-1], sizes[1:]))]
    lines = [ln for pair in zip(views.algebra(trace), shapes) for ln in pair] + views.algebra(trace)[len(shapes):]
    plot_listing(b, lines, "algebra (a point is a row)", len(weights), fontsize=12)
    plot_listing(c, code, "numpy (views.forward_code)", len(weights), fontsize=10.5)
    weight_legend(fig, SIGN_NOTE + "; each W_k's cells relative to its largest |w|")
    return fig


def weights_figure(trace: Trace, size: int = 1300) -> Figure:
    """Per weight layer: every weight over training (or its spread) and the ridgeline of its histograms;
    the convergence sentence as the title."""
    L = trace.arch.n_layers
    fig, axes = new_figure(size, 300 * L + 60, ncols=2, nrows=L, width_ratios=[1.4, 1.0])
    conv = views.convergence(trace)
    for k in range(L):
        W = views.layer_params(trace, k)[:, : trace.arch.sizes[k] * trace.arch.sizes[k + 1]]
        n_in, n_out = trace.arch.sizes[k], trace.arch.sizes[k + 1]
        settled = conv.settled[k]
        when = f"settled by step {settled}" if settled is not None else "still moving"
        plot_weight_series(axes[2 * k], trace.steps, W, f"W{k} ({n_in} × {n_out}) over training: {when}")
        if settled is not None:
            axes[2 * k].axvline(max(settled, 0.5), color="#222222", linestyle="--", linewidth=1)
        counts, edges = views.weight_histograms(trace, k, bins=int(min(40, max(8, W.shape[1] // 2))))
        plot_ridgelines(axes[2 * k + 1], trace.steps, counts, edges, f"W{k}: histograms over training")
    fig.suptitle(conv.sentence, fontsize=13)
    return fig


def gradients_figure(trace: Trace, size: int = 900) -> Figure:
    """Per-layer gradient norms over training on a log scale, with the zero-gradient units counted."""
    g = views.gradient_flow(trace)
    dead = views.zero_gradient_fraction(trace)[-1]
    names = [f"W{k}" + (f" ({dead[k]:.0%} of its units get none)" if dead[k] > 0 else "") for k in range(g.shape[1])]
    fig, (ax,) = new_figure(size, int(size * 0.6))
    plot_gradient_flow(ax, trace.steps, g, names, f"gradient flow of {_name(trace)}: ||dLoss/dW_k|| per layer")
    return fig


def diagram_figure(trace: Trace, snapshot: int = -1, size: int = 1100, scale: dict | None = None,
                   diagnostics: bool = True) -> Figure:
    """The network diagram as a figure: lines for weights (width: |w| relative to the largest in its layer;
    colour: sign), units filled by their bias, layer labels in the algebra's notation, a legend, and
    every unit a diagnostic names ringed (``diagnostics=False``: none). ``scale``: per weight layer,
    the |w| drawn at full width."""
    d = views.diagram(trace, snapshot)
    findings = views.diagnose(trace, snapshot) if diagnostics else []
    ringed = [(f.layer, f.unit) for f in findings if f.layer is not None and f.unit is not None]
    L = trace.arch.n_layers
    labels = [f"l{k}: {'input' if k == 0 else ('logits' if k == L else f'hidden {k}')} ({n})" for k, n in enumerate(trace.arch.sizes)]
    fig, (ax,) = new_figure(size, int(size * 0.62))
    plot_network(ax, d.nodes, d.edges, d.biases, labels, f"{_name(trace)} at step {trace.snapshot(snapshot).step}", ringed, scale)
    return fig
