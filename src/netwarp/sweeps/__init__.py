"""Sweeps: many networks of a grid on one dataset, on one machine or a Dask cluster.

``netwarp.sweep`` trains the grid and writes each finished run at once;
``netwarp.train_many`` trains one network per seed. The phase diagram and the
sweep's report are drawn by :mod:`netwarp.outputs.phase`.
"""

from ..many import train_many
from .grid import Grid, Run, make_grid
from .run import SweepInterrupted, SweepResult, load_sweep, sweep

__all__ = ["Grid", "Run", "SweepInterrupted", "SweepResult", "load_sweep", "make_grid", "sweep", "train_many"]
