"""Where a sweep's runs are trained: this process, local worker processes, or a Dask
distributed cluster. Every engine yields ``(run, row, trace)`` as runs finish;
only the caller writes files."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..errors import NetwarpError
from .grid import Run
from .scheduler import connect
from .worker import run_one, run_with_kept_data, use_data


def default_workers() -> int:
    """Local worker processes by default: one per core."""
    return max(1, os.cpu_count() or 1)


def in_process(shared: dict, runs: list[Run], data: tuple | None = None, memory: float | None = None) -> Iterator[tuple]:
    for run in runs:
        yield (run, *run_one(shared, run, data, memory))


def local_processes(shared: dict, runs: list[Run], workers: int, data: tuple | None = None,
                    memory: float | None = None) -> Iterator[tuple]:
    # fork where there is one: spawn and forkserver run the user's script again in every worker,
    # which breaks a plain script without an `if __name__ == "__main__":` guard
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # the shared data goes to each worker process once, not with every run
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=use_data, initargs=(data,))
    try:
        futures = {pool.submit(run_with_kept_data, shared, run, memory): run for run in runs}
        for fut in as_completed(futures):
            yield (futures[fut], *fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def dask_cluster(shared: dict, runs: list[Run], address: str, data: tuple | None = None,
                 memory: float | None = None) -> Iterator[tuple]:
    """Runs on a Dask cluster; a lost worker's runs are trained again elsewhere by Dask.

    The shared ``data`` (read by this client: the workers need not see its files) is
    sent once to every worker, so losing one loses no copy the others need.
    """
    from distributed import as_completed as dask_completed

    client = connect(address)
    try:
        with client.as_current():  # as_completed looks for "the" client
            sent = None if data is None else client.scatter([data], broadcast=True, hash=False)[0]
            futures = {client.submit(run_one, shared, run, sent, memory, pure=False, retries=3,
                                     key=f"netwarp-{run.key}-{os.getpid()}"): run
                       for run in runs}
            for fut in dask_completed(list(futures)):
                yield (futures[fut], *fut.result())
    finally:
        client.close()


def engine(shared: dict, runs: list[Run], workers: int | None = None, scheduler: str | None = None,
           data: tuple | None = None, memory: float | None = None) -> Iterator[tuple]:
    """The runs trained where asked: on ``scheduler`` if given, else on ``workers`` local processes (1: this one).

    ``data`` is ``(X, y, task, description)`` when every run trains on the same points (read
    once, here), else None and each run draws its own. ``memory``: each run's budget in MB.
    """
    if scheduler:
        return dask_cluster(shared, runs, scheduler, data, memory)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise NetwarpError(f"workers must be at least 1, got {workers}")
    if workers == 1 or len(runs) <= 1:
        return in_process(shared, runs, data, memory)
    return local_processes(shared, runs, min(workers, len(runs)), data, memory)
