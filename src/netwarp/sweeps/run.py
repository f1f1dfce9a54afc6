"""``netwarp.sweep``: train a grid of networks and keep every finished run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import NetwarpError
from .budget import check_sweep_memory
from .data import data_hash, fixed_data
from .engine import default_workers, engine
from .grid import Grid, make_grid
from .scheduler import probe
from .store import SweepFolder, row_key
from .worker import run_one

ASK_ABOVE = 1000  # runs; a larger grid is timed on a first run and needs yes=True


@dataclass
class SweepResult:
    """What a sweep left in its folder.

    Attributes
    ----------
    folder : Path
    rows : list of dict
        Every finished run of the folder (this grid's and earlier ones'), one dict per ``results.csv`` row.
    ran, skipped : int
        Runs trained now, and runs found already done.
    """

    folder: Path
    rows: list
    ran: int
    skipped: int

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows a sweep as its phase diagram."""
        from ..display import card

        return card("sweep", "png", self)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def sweep(
    out: str | Path,
    widths=(1, 2, 3, 4),
    depths=(1, 2, 3),
    activations=("tanh",),
    lrs=None,
    seeds=5,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    yes: bool = False,
    progress: bool = False,
    memory: float | None = None,
    **settings,
) -> SweepResult:
    """Train every network of a grid on one dataset and write each as it finishes.

    Parameters
    ----------
    out : str or Path
        The sweep's folder: ``results.csv``, ``sweep.json`` and ``runs/*.npz``.
        Running the same sweep again skips the runs already there; a grid with
        other axes but the same shared settings adds its runs to the folder; a
        folder made with other shared settings is refused.
    widths, depths : sequence of int
        Every run has ``depth`` hidden layers of ``width`` units.
    activations : sequence of str
    lrs : sequence of float, optional
        Learning rates (default: ``settings["lr"]`` or its default).
    seeds : int or sequence of int
        A count (seeds 0..n-1) or the seeds.
    workers : int, optional
        Local worker processes (default: one per core; 1 trains in this process).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask distributed scheduler to train on instead.
    yes : bool
        Needed for a grid of more than 1000 runs (else its time, measured on
        one run, is reported in the refusal).
    progress : bool
        A progress bar with the time left.
    memory : float, optional
        Megabytes the sweep may use here, and each run on a cluster's worker
        (default: half the machine's memory). The largest network times the runs
        trained at once is estimated and a sweep that would pass it refused.
    **settings
        The other run settings, shared by every run: ``dataset``, ``steps``,
        ``optimizer``, ``n``, ``noise``, ``data_seed``, ...

    Returns
    -------
    SweepResult
    """
    grid = make_grid(widths, depths, activations, lrs, seeds, **settings)
    folder = SweepFolder(out)
    data = fixed_data(grid.shared)  # read once here, checked before anything is written
    digest = None if data is None else data_hash(data[0], data[1])
    merging = folder.check(grid, digest)
    rows = folder.rows() if merging else []
    done = {row_key(r) for r in rows}
    todo = [r for r in grid.runs() if (",".join(map(str, r.hidden)), r.activation, r.lr, r.seed) not in done]
    n_workers = default_workers() if workers is None else workers
    if scheduler:
        probe(scheduler)  # unreachable: one line now, before anything is written
    at_once = 1 if scheduler or n_workers <= 1 else min(n_workers, len(todo))
    check_sweep_memory(grid, todo, data, at_once, memory)
    if len(todo) > ASK_ABOVE and not yes:
        _refuse_large(grid, todo, n_workers, data, memory)
    folder.start(grid, digest, rows)
    bar = _bar(len(todo)) if progress else None
    ran = 0
    try:
        for _run, row, trace in engine(grid.shared, todo, workers, scheduler, data, memory):
            folder.add(row, trace, rows)
            ran += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(test_acc=f"{row['test_acc']:.3f}", refresh=False)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        raise SweepInterrupted(SweepResult(folder.folder, rows, ran, len(todo) - ran)) from None
    if bar is not None:
        bar.close()
    return SweepResult(folder.folder, rows, ran, len(grid.runs()) - len(todo))


def _refuse_large(grid: Grid, todo: list, workers: int, data: tuple | None, memory: float | None) -> None:
    started = time.perf_counter()
    run_one(grid.shared, todo[0], data, memory)  # in memory: nothing is written for a refused grid
    each = time.perf_counter() - started
    raise NetwarpError(
        f"{len(todo):,} runs would take about {_duration(each * len(todo) / workers)} on {workers} worker(s) here "
        f"(one run took {each:.2f} s); pass --yes (yes=True) to run them, or make the grid smaller"
    )


def _bar(total: int):
    from tqdm.auto import tqdm

    # the bar's own estimate of the time left, from the runs finished so far
    return tqdm(total=total, unit="run", desc="sweep", leave=False, disable=None)


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a sweep; ``result`` says what was kept (only complete rows)."""

    def __init__(self, result: SweepResult):
        super().__init__(f"interrupted; {len(result.rows)} finished run(s) are kept in {result.folder}")
        self.result = result


def load_sweep(folder: str | Path) -> SweepResult:
    """The finished runs of a sweep folder."""
    f = SweepFolder(folder)
    if f.read_shared() is None:
        raise NetwarpError(f"{folder} holds no sweep (no sweep.json); make one with netwarp sweep")
    rows = f.rows()
    return SweepResult(f.folder, rows, 0, len(rows))
