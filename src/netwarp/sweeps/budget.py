"""A sweep's memory, checked before any run: its largest network, times the runs
trained at once on this machine, against the budget (:mod:`netwarp.memory`)."""

from __future__ import annotations

import math

from .. import limits
from ..data import build_data
from ..memory import check_fits, training_parts
from ..settings import default
from ..train import snapshot_count
from .grid import Grid, Run


def check_sweep_memory(grid: Grid, todo: list[Run], data: tuple | None, at_once: int, memory: float | None) -> None:
    """Refuse, in one line with the estimate, a sweep whose runs would not fit ``memory`` (MB).

    Parameters
    ----------
    grid : Grid
    todo : list of Run
        The runs still to train.
    data : tuple or None
        ``(X, y, task, description)`` every run shares, or None (each draws its own:
        the first seed's points stand for all, their number and shape being the same).
    at_once : int
        Runs trained at the same time on this machine (1 on a cluster: each worker is checked by itself).
    memory : float, optional
        The budget in MB (default: half this machine's memory).
    """
    if not todo:
        return
    X, y, task, _ = data if data is not None else build_data({**grid.shared, "seed": todo[0].seed})
    n_test = math.ceil(len(X) * grid.shared.get("test_size", default("test_size")))  # as the split rounds
    outputs = int(y.max()) + 1 if task == "classification" else 1
    steps = grid.shared.get("steps", default("steps"))
    planned = snapshot_count(steps, grid.shared.get("snapshots", default("snapshots")), grid.shared.get("record_every"))

    def parts(hidden: tuple[int, ...]) -> dict[str, int]:
        sizes = (X.shape[1], *hidden, outputs)
        n_params = sum((a + 1) * c for a, c in zip(sizes[:-1], sizes[1:]))
        return training_parts(sizes, len(X) - n_test, n_test, grid.shared.get("batch_size"),
                              grid.shared.get("optimizer", default("optimizer")),
                              min(planned, limits.SNAPSHOT_BYTES // (8 * n_params)))

    largest = max({run.hidden for run in todo}, key=lambda h: sum(parts(h).values()))
    one = parts(largest)
    what = f"the sweep's largest network ({largest[0]} units x {len(largest)} layers)"
    if at_once > 1:
        one = {k: v * at_once for k, v in one.items()}
        what += f", {at_once} trained at once,"
    check_fits(one, memory, what, "make the grid smaller, or use fewer --workers (workers=)")
