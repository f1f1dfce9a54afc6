"""Static charts on matplotlib ``Axes``: 1D fits, probe accuracies, training curves.

Plain arrays in, the ``Axes`` drawn on out; a new figure when ``ax`` is omitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .palette import CLASS_COLORS, INK, MUTED
from .plots import _axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import ColorType


def plot_fit(
    ax: Axes | None = None,
    *,
    x: np.ndarray,
    y: np.ndarray,
    xs: np.ndarray,
    yhat: np.ndarray,
    knots: np.ndarray | None = None,
    title: str | None = None,
) -> Axes:
    """A 1D regression: the data and the fitted curve, kinks marked.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    x, y : ndarray of shape (n,)
        The data.
    xs, yhat : ndarray of shape (m,)
        The fit on a dense grid.
    knots : ndarray of shape (K,), optional
        x positions where the fit bends (ReLU kinks).
    title : str, optional
    """
    ax = _axes(ax)
    ax.scatter(x, y, s=10, color=MUTED, label="data", zorder=2)
    ax.plot(xs, yhat, color=CLASS_COLORS[1], lw=2.2, label="network", zorder=3)
    for k in [] if knots is None else knots:
        ax.axvline(k, color=INK, lw=0.7, ls=":", zorder=1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    _few_ticks(ax)
    ax.legend(fontsize=10, loc="best")
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def _few_ticks(ax: Axes) -> None:
    """At most ~5 ticks per axis, so tick labels never run together in a half-width panel."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6))


def plot_units(
    ax: Axes | None = None,
    *,
    xs: np.ndarray,
    units: np.ndarray,
    bias: float = 0.0,
    yhat: np.ndarray | None = None,
    knots: np.ndarray | None = None,
    title: str | None = None,
) -> Axes:
    """Each hidden unit's contribution to a 1D fit (for ReLU: the hinges that sum to it).

    Parameters
    ----------
    ax : matplotlib Axes, optional
    xs : ndarray of shape (m,)
    units : ndarray of shape (m, h)
        Unit ``j``'s term ``a_j(x) * W_out[j]``.
    bias : float
        The output bias (the fit is ``units.sum(1) + bias``).
    yhat : ndarray of shape (m,), optional
        The fit, drawn faintly for reference.
    knots : ndarray of shape (K,), optional
    title : str, optional
    """
    ax = _axes(ax)
    if yhat is not None:
        ax.plot(xs, yhat, color=MUTED, lw=3, alpha=0.6, label="sum + bias")
    for j in range(units.shape[1]):
        ax.plot(xs, units[:, j], lw=1.6, color=CLASS_COLORS[(j + 2) % len(CLASS_COLORS)], label=f"unit {j + 1}")
    ax.axhline(bias, color=INK, lw=0.8, ls="--", label=f"bias {bias:+.2f}")
    for k in [] if knots is None else knots:
        ax.axvline(k, color=INK, lw=0.7, ls=":")
    ax.set_xlabel("x")
    ax.set_ylabel("contribution")
    _few_ticks(ax)
    # below the axes: inside, a legend sits on some hinge whatever corner it picks
    ax.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def plot_probes(
    ax: Axes | None = None,
    *,
    accuracies: Sequence[float] | np.ndarray,
    names: Sequence[str] | None = None,
    chance: float | None = None,
    title: str | None = None,
    label: str | None = None,
    offset: float = 0.0,
    width: float = 0.8,
    color: ColorType | None = None,
) -> Axes:
    """Linear-probe accuracy per layer as bars, each labelled with its value.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    accuracies : sequence of float, length L+1
    names : sequence of str, optional
        Bar labels (default ``input, h1, ..., output``).
    chance : float, optional
        Draw a dotted line at chance level.
    title : str, optional
    label : str, optional
        Legend label (to compare several networks: call again with ``offset``).
    offset, width : float
        Bar offset and width in layer units.
    color : colour, optional
    """
    ax = _axes(ax)
    acc = np.asarray(accuracies, dtype=np.float64)
    n = len(acc)
    names = list(names) if names is not None else ["input"] + [f"h{i}" for i in range(1, n - 1)] + ["output"]
    pos = np.arange(n) + offset
    bars = ax.bar(pos, acc, width=width, color=color or CLASS_COLORS[1], label=label, edgecolor=INK, linewidth=0.5)
    for b, a in zip(bars, acc):
        ax.text(b.get_x() + b.get_width() / 2, a + 0.01, f"{a:.2f}", ha="center", va="bottom", fontsize=10)
    if chance is not None:
        ax.axhline(chance, color=INK, lw=0.8, ls=":", label="chance")
    ax.set_xticks(np.arange(n), names)
    # headroom above the bars (values reach 1.0 plus their labels) for the legend, so it never covers a bar
    ax.set_ylim(0, 1.32)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel("linear probe test accuracy")
    if label is not None or chance is not None:
        ax.legend(fontsize=10, loc="upper left", ncol=3, framealpha=0.9)
    if title:
        ax.set_title(title, fontsize=12)
    return ax


def plain_log_labels(axis) -> None:
    """Label a log-scaled matplotlib ``axis`` (``ax.yaxis``) with plain numbers (2.2, 0.05) instead of
    2.2 x 10^0 where they fit; which ticks get a label stays matplotlib's choice (minor ones only on
    a range of about a decade or less)."""
    from matplotlib.ticker import LogFormatterSciNotation  # matplotlib only once something is drawn

    class PlainLogLabels(LogFormatterSciNotation):
        def __call__(self, x, pos=None):
            text = super().__call__(x, pos)
            return f"{x:g}" if text and 1e-4 <= x < 1e5 else text

    axis.set_major_formatter(PlainLogLabels())
    axis.set_minor_formatter(PlainLogLabels(labelOnlyBase=False))


def plot_curves(
    ax: Axes | None = None,
    *,
    steps: np.ndarray,
    train_loss: np.ndarray,
    test_loss: np.ndarray,
    train_acc: np.ndarray | None = None,
    test_acc: np.ndarray | None = None,
    title: str | None = None,
) -> Axes:
    """Loss (log scale) over training, with accuracy on a second axis when given.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    steps : ndarray of shape (k,)
    train_loss, test_loss : ndarray of shape (k,)
    train_acc, test_acc : ndarray of shape (k,), optional
        Skipped when absent or all NaN (regression).
    title : str, optional
    """
    ax = _axes(ax)
    x = np.maximum(np.asarray(steps), 0)
    ax.plot(x, train_loss, color=INK, lw=1.5, label="train loss")
    ax.plot(x, test_loss, color=INK, lw=1.2, ls="--", label="test loss")
    ax.set_yscale("log")
    plain_log_labels(ax.yaxis)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    handles, labels = ax.get_legend_handles_labels()
    if train_acc is not None and np.isfinite(train_acc).any():
        ax2 = ax.twinx()
        ax2.plot(x, train_acc, color=CLASS_COLORS[1], lw=1.5, label="train accuracy")
        ax2.plot(x, test_acc, color=CLASS_COLORS[0], lw=1.2, ls="--", label="test accuracy")
        ax2.set_ylim(0, 1.02)
        ax2.set_ylabel("accuracy")
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.legend(handles, labels, fontsize=10, loc="center right")
    if title:
        ax.set_title(title, fontsize=12)
    return ax
