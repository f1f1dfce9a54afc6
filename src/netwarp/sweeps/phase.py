"""The phase diagram's numbers: per activation, the median test accuracy over
seeds on the width x depth grid, and its spread."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Phase:
    """One activation's grid of runs.

    Attributes
    ----------
    activation : str
    widths : ndarray of shape (W,)
    depths : ndarray of shape (D,)
    median, low, high : ndarray of shape (D, W)
        Median, minimum and maximum test accuracy over the cell's runs (NaN: no run).
    count : ndarray of shape (D, W)
        How many runs (seeds, learning rates) the cell holds.
    runs : dict
        ``(depth, width) -> list of rows`` of the cell.
    """

    activation: str
    widths: np.ndarray
    depths: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    count: np.ndarray
    runs: dict


def phases(rows: list[dict]) -> list[Phase]:
    """One :class:`Phase` per activation found in ``rows`` (``results.csv`` rows, numbers as numbers)."""
    out = []
    for act in sorted({r["activation"] for r in rows}):
        mine = [r for r in rows if r["activation"] == act]
        widths = np.array(sorted({int(r["width"]) for r in mine}))
        depths = np.array(sorted({int(r["depth"]) for r in mine}))
        shape = (len(depths), len(widths))
        med, lo, hi = (np.full(shape, np.nan) for _ in range(3))
        count = np.zeros(shape, dtype=int)
        cells: dict = {}
        for r in mine:
            cells.setdefault((int(r["depth"]), int(r["width"])), []).append(r)
        for (d, w), rs in cells.items():
            i, j = int(np.searchsorted(depths, d)), int(np.searchsorted(widths, w))
            acc = np.array([r["test_acc"] for r in rs], dtype=float)
            med[i, j], lo[i, j], hi[i, j], count[i, j] = np.median(acc), acc.min(), acc.max(), len(acc)
        out.append(Phase(act, widths, depths, med, lo, hi, count, cells))
    return out
