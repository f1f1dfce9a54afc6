"""The network itself, drawn from plain arrays: LEGO blocks, algebra and code side by
side; weights and gradients over training; the diagram with a legend."""

from __future__ import annotations

import numpy as np

from .charts import plain_log_labels
from .palette import CLASS_COLORS, INK, MUTED, weight_rgb

SYMBOL_COLORS = ["#0877bd", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]


#: Orange and blue mean classes in the fields and layer pictures; in the network's own pictures they
#: mean a weight's sign (TensorFlow Playground's convention, kept so the playground's diagram reads
#: the same), so every such picture says so in its legend.
SIGN_NOTE = "orange/blue here: a weight's sign, not a class"


def weight_sign_handles(zero: bool = False) -> list:
    """Legend entries "weight > 0" (blue) and "weight < 0" (orange), and "weight ≈ 0" with ``zero``."""
    from matplotlib.patches import Patch

    def swatch(w: float, label: str) -> Patch:
        return Patch(facecolor=weight_rgb(np.array([w]), 1.0)[0] / 255, edgecolor=INK, linewidth=0.5, label=label)

    return [swatch(1.0, "weight > 0"), swatch(-1.0, "weight < 0")] + ([swatch(0.0, "weight ≈ 0")] if zero else [])


def weight_legend(fig, note: str = SIGN_NOTE, zero: bool = True) -> None:
    """The weight colours' legend under the figure's panels, with ``note`` as its title."""
    fig.legend(handles=weight_sign_handles(zero), loc="outside lower center", ncol=3, fontsize=11, frameon=False,
               title=note, title_fontsize=11)


def symbol_color(k: int) -> str:
    """The colour of layer ``k``'s weights in every panel, so a block, its symbol and its code token match."""
    return SYMBOL_COLORS[k % len(SYMBOL_COLORS)]


def plot_blocks(ax, blocks: list[dict], weights: list[np.ndarray], title: str) -> None:
    """Draw the LEGO view to scale: layers as strips of cells, weight matrices as grids coloured by weight.

    Parameters
    ----------
    blocks : list of dict
        ``id``, ``kind`` ("layer", "weights", "bias"), ``shape``, ``label``, in forward order.
    weights : list of ndarray
        ``W_k`` of shape ``(n_in, n_out)``, coloured cell by cell (orange < 0 < blue).
    """
    from matplotlib.patches import Rectangle

    cell, y = 1.0, 0.0
    widest = max(b["shape"][-1] for b in blocks)
    for b in blocks:
        k = int(b["id"][1:])
        rows, cols = (1, b["shape"][1]) if b["kind"] == "layer" else (b["shape"] if b["kind"] == "weights" else (1, b["shape"][0]))
        colour = INK if b["kind"] == "layer" else symbol_color(k)
        rgb = weight_rgb(weights[k]) / 255.0 if b["kind"] == "weights" else None
        for r in range(rows):
            for c in range(cols):
                face = rgb[r, c] if rgb is not None else ("#ffffff" if b["kind"] == "layer" else "#f3f3f3")
                ax.add_patch(Rectangle((c * cell, -(y + r + 1) * cell), cell, cell, facecolor=face, edgecolor=colour, linewidth=0.8))
        ax.text(widest * cell + 0.6, -(y + rows / 2) * cell, b["label"], va="center", fontsize=12, color=colour,
                fontweight="bold" if b["kind"] != "bias" else "normal", family="monospace")
        y += rows + (0.9 if b["kind"] != "bias" else 1.6)
    ax.set_xlim(-0.5, widest * cell + 7)
    ax.set_ylim(-(y + 0.5), 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=13)


def plot_listing(ax, lines: list[str], title: str, symbols: int, fontsize: float = 11) -> None:
    """Monospaced lines, top down, with each ``W_k``/``b_k`` in its layer's colour (``symbols`` weight layers).

    A coloured token is drawn as its own line of text, padded with spaces to its column: in a
    monospaced font it lands exactly over its place in the line, with no measuring.
    """
    import re

    ax.axis("off")
    ax.set_title(title, fontsize=13)
    token = re.compile(r"\b([Wb])(\d+)\b")
    line_h = fontsize * 1.8 / (ax.get_position().height * ax.figure.get_figheight() * 72)
    for i, line in enumerate(lines):
        y = 0.97 - i * line_h
        plain = token.sub(lambda m: " " * len(m.group(0)), line)
        ax.text(0, y, plain, fontsize=fontsize, family="monospace", color=INK, va="top", transform=ax.transAxes)
        for m in token.finditer(line):
            k = int(m.group(2))
            ax.text(0, y, " " * m.start() + m.group(0), fontsize=fontsize, family="monospace", va="top",
                    color=symbol_color(k) if k < symbols else INK, transform=ax.transAxes)


def plot_weight_series(ax, steps: np.ndarray, W: np.ndarray, title: str, lines_up_to: int = 64) -> None:
    """Every weight of a layer over training (a line each), or its spread as bands when there are many.

    Parameters
    ----------
    steps : ndarray of shape (n_snapshots,)
    W : ndarray of shape (n_snapshots, n_weights)
    """
    x = np.maximum(steps, 0.5)
    if W.shape[1] <= lines_up_to:
        colors = weight_rgb(W[-1]) / 255.0
        for j in range(W.shape[1]):
            ax.plot(x, W[:, j], color=colors[j], linewidth=1.1)
        ax.legend(handles=weight_sign_handles(), fontsize=9, loc="best", title="at the end", title_fontsize=9)
    else:
        q = np.percentile(W, [5, 25, 50, 75, 95], axis=1)
        ax.fill_between(x, q[0], q[4], color=MUTED, alpha=0.3, label="5–95%")
        ax.fill_between(x, q[1], q[3], color=MUTED, alpha=0.6, label="25–75%")
        ax.plot(x, q[2], color=INK, linewidth=1.2, label="median")
        ax.legend(fontsize=9, loc="upper left")
    ax.set_xscale("log")
    ax.axhline(0, color=MUTED, linewidth=0.6)
    ax.set_xlabel("step (log)")
    ax.set_ylabel("weight")
    ax.set_title(title, fontsize=12)


def plot_ridgelines(ax, steps: np.ndarray, counts: np.ndarray, edges: np.ndarray, title: str, rows: int = 12) -> None:
    """Histograms of a layer's weights at a few snapshots, stacked like TensorBoard's: oldest at the back."""
    idx = np.unique(np.round(np.linspace(0, len(steps) - 1, min(rows, len(steps)))).astype(int))
    centers = (edges[:-1] + edges[1:]) / 2
    top = max(counts[idx].max(), 1)
    for r, i in enumerate(idx[::-1]):
        base = r * 0.6
        h = counts[i] / top * 1.4
        ax.fill_between(centers, base, base + h, color=CLASS_COLORS[1], alpha=0.35 + 0.5 * (1 - r / len(idx)), zorder=len(idx) - r)
        ax.plot(centers, base + h, color=INK, linewidth=0.7, zorder=len(idx) - r)
        ax.text(edges[-1], base, f" step {int(steps[i])}", fontsize=8, va="bottom", color=MUTED)
    ax.set_yticks([])
    ax.set_xlabel("weight value")
    ax.set_title(title, fontsize=12)


def plot_gradient_flow(ax, steps: np.ndarray, norms: np.ndarray, names: list[str], title: str) -> None:
    """Per-layer gradient norms over training, log-log."""
    x = np.maximum(steps, 0.5)
    for k in range(norms.shape[1]):
        ax.plot(x, np.maximum(norms[:, k], 1e-16), color=symbol_color(k), linewidth=1.6, label=names[k])
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain_log_labels(ax.xaxis)
    plain_log_labels(ax.yaxis)
    ax.set_xlabel("step (log)")
    ax.set_ylabel("gradient norm (log)")
    ax.legend(fontsize=10)
    ax.set_title(title, fontsize=12)


def plot_network(ax, nodes: np.ndarray, edges: np.ndarray, biases: np.ndarray, layer_labels: list[str], title: str,
                 ringed: list[tuple[int, int]] = (), scale: dict | None = None) -> None:
    """The network diagram: weights as lines (width: |w| relative to its layer's largest; colour: sign), units
    as circles filled by their bias, ``ringed`` units (layer, unit) circled in red, and a legend for both.
    ``scale`` maps a weight layer to the |w| drawn at full width (default: that layer's largest here),
    so the frames of an animation share one scale."""
    from matplotlib.lines import Line2D

    pos = {(int(lay), int(u)): (x, 1 - y) for lay, u, x, y in nodes}
    for layer in np.unique(edges[:, 0]):
        e = edges[edges[:, 0] == layer]
        top = max(float(scale[int(layer)]) if scale else float(np.abs(e[:, 3]).max()), 1e-12)
        rgb = weight_rgb(e[:, 3], top) / 255.0
        for (lay, i, j, w), c in zip(e, rgb):
            (x0, y0), (x1, y1) = pos[(int(lay), int(i))], pos[(int(lay) + 1, int(j))]
            ax.plot([x0, x1], [y0, y1], color=c, linewidth=0.4 + 4.0 * min(abs(w) / top, 1.0), zorder=1, solid_capstyle="round")
    brgb = weight_rgb(biases) / 255.0
    for (lay, _u, x, y), c in zip(nodes, brgb):
        ax.scatter([x], [1 - y], s=260, color=c if lay > 0 else "#ffffff", edgecolor=INK, linewidth=1.0, zorder=2)
    for lay, u in ringed:
        if (lay, u) in pos:
            ax.scatter(*pos[(lay, u)], s=700, facecolor="none", edgecolor="#d62728", linewidth=2.5, zorder=3)
    n_layers = len(layer_labels)
    for k, label in enumerate(layer_labels):
        ax.text(k / max(n_layers - 1, 1), 1.08, label, ha="center", fontsize=11, family="monospace")
    handles = [Line2D([], [], color=weight_rgb(np.array([1.0]), 1.0)[0] / 255, linewidth=4.4, label="weight > 0, largest in its layer"),
               Line2D([], [], color=weight_rgb(np.array([0.5]), 1.0)[0] / 255, linewidth=2.4, label="weight > 0, half the largest"),
               Line2D([], [], color=weight_rgb(np.array([-1.0]), 1.0)[0] / 255, linewidth=4.4, label="weight < 0, largest in its layer"),
               Line2D([], [], marker="o", color="none", markerfacecolor="#e8eaeb", markeredgecolor=INK, markersize=11,
                      label="unit, filled by its bias (same colours)")]
    if ringed:
        handles.append(Line2D([], [], marker="o", color="none", markerfacecolor="none", markeredgecolor="#d62728",
                              markeredgewidth=2.5, markersize=15, label="a unit a diagnostic names"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=10, frameon=False,
              title=SIGN_NOTE, title_fontsize=10)
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(-0.05, 1.15)
    ax.axis("off")
    ax.set_title(title, fontsize=13)

