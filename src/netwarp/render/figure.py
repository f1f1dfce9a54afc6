"""Matplotlib figures of an exact pixel size, saved atomically as PNG or SVG."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .output import atomic_output, check_output

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100


def use_offscreen_backend() -> None:
    """Switch matplotlib to Agg: the command line, gallery and benchmarks only ever draw off-screen."""
    import matplotlib

    matplotlib.use("Agg")


def new_figure(
    width_px: int,
    height_px: int,
    ncols: int = 1,
    nrows: int = 1,
    projections: list[str | None] | None = None,
    **gridspec: Any,
) -> tuple[Figure, list[Axes]]:
    """A figure of ``width_px x height_px`` pixels (at :data:`DPI`) with a grid of axes.

    Uses the off-screen Agg backend's figure class directly, so it works with
    no display and never touches pyplot's global state.

    Parameters
    ----------
    width_px, height_px : int
    ncols, nrows : int
    projections : list of str or None, optional
        Per axes, e.g. ``[None, "3d"]``.
    **gridspec
        Passed to ``Figure.add_gridspec`` (e.g. ``width_ratios``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : list of Axes, row by row
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(nrows, ncols, **gridspec)
    projections = projections or [None] * (nrows * ncols)
    axes = [fig.add_subplot(gs[i // ncols, i % ncols], projection=projections[i]) for i in range(nrows * ncols)]
    return fig, axes


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure encoded as ``"png"`` or ``"svg"``, at its exact pixel size."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=DPI)
    return buf.getvalue()


def figure_rgb(fig: Figure) -> np.ndarray:
    """The figure drawn at its pixel size, as an RGB array of shape ``(height, width, 3)`` (an animation frame)."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` (``.png`` or ``.svg``, by extension), atomically."""
    path = check_output(path, "image")
    data = figure_bytes(fig, path.suffix.lower().lstrip("."))
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return path
