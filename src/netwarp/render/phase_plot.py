"""The phase diagram of a sweep drawn from plain arrays: a grid of cells coloured
by median accuracy, each labelled with its median and spread, and a bound line."""

from __future__ import annotations

import numpy as np


def plot_phase(ax, widths, depths, median, low, high, title: str, chance: float = 0.5,
               bound: tuple[int, str] | None = None) -> None:
    """Draw one activation's phase diagram on ``ax``.

    Parameters
    ----------
    widths : ndarray of shape (W,)
    depths : ndarray of shape (D,)
    median, low, high : ndarray of shape (D, W)
        Median and range of the cells' test accuracy (NaN: no run).
    chance : float
        The accuracy of guessing, the bottom of the colour scale.
    bound : (int, str), optional
        Widths up to this cannot succeed in principle: a line after that
        column, with the sentence.
    """
    from matplotlib.colors import LogNorm

    W, D = len(widths), len(depths)
    # coloured by the error on a log scale: 2% wrong must look different from none wrong, which a
    # linear accuracy scale hides; errors under FLOOR count as none (the test sets hold hundreds of points)
    floor = 0.005
    error = np.ma.masked_invalid(np.clip(1.0 - median, floor, None))
    top = max(1.0 - chance, 2 * floor)
    im = ax.imshow(error, origin="lower", cmap="RdYlGn_r", norm=LogNorm(vmin=floor, vmax=top), aspect="auto",
                   extent=(-0.5, W - 0.5, -0.5, D - 0.5))
    for i in range(D):
        for j in range(W):
            if np.isnan(median[i, j]):
                continue
            ax.text(j, i + 0.08, f"{median[i, j]:.0%}", ha="center", va="center", fontsize=15, fontweight="bold")
            ax.text(j, i - 0.22, f"{low[i, j]:.0%}–{high[i, j]:.0%}", ha="center", va="center", fontsize=10)
    ax.set_xticks(range(W), [str(w) for w in widths])
    ax.set_yticks(range(D), [str(d) for d in depths])
    ax.set_xlabel("width: units in every hidden layer", fontsize=12)
    ax.set_ylabel("depth: hidden layers", fontsize=12)
    ax.set_title(title, fontsize=13)
    if bound is not None:
        at = np.searchsorted(widths, bound[0], side="right") - 0.5
        if -0.5 < at < W - 0.5:
            ax.axvline(at, color="black", linewidth=3, linestyle="--")
            ax.text(at - 0.06, (D - 1) / 2, "topology bound", rotation=90, ha="right", va="center", fontsize=11,
                    bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 2})
            ax.set_title(f"{title}\ndashed line: {bound[1]}", fontsize=13)
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.05, pad=0.02)
    ticks = [t for t in (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5) if t <= top]
    cbar.set_ticks(ticks, labels=[f"{1 - t:.1%}".replace(".0%", "%") if t > floor else "≥99.5%" for t in ticks])
    cbar.set_label("median test accuracy over seeds (log scale of the error)")
