"""What a worker does for one run of a sweep: make the data, train, measure.

Runs in a local worker process or on a Dask worker; it writes nothing, the
client that sent it writes the results.
"""

from __future__ import annotations

import time
import warnings

from ..data import build_data
from ..errors import TrainingDiverged
from ..trace import Trace
from ..train import train
from .grid import Run

TRAIN_KEYS = ("steps", "optimizer", "batch_size", "l1", "l2", "test_size", "snapshots", "record_every")


_DATA = None  # a local worker process's copy of the sweep's data, set once by use_data


def use_data(data: tuple | None) -> None:
    """Keep the data every run of the sweep shares in this worker process (a pool's initializer)."""
    global _DATA
    _DATA = data


def run_with_kept_data(shared: dict, run: Run, memory: float | None = None) -> tuple[dict, Trace]:
    """:func:`run_one` on the data :func:`use_data` kept."""
    return run_one(shared, run, _DATA, memory)


def run_one(shared: dict, run: Run, data: tuple | None = None, memory: float | None = None) -> tuple[dict, Trace]:
    """Train ``run`` with the ``shared`` settings; returns its results row and Trace.

    ``data`` is ``(X, y, task, description)`` when every run shares it, read once by the
    client (a worker of a cluster does not see the client's files); None: drawn here
    from the settings and the run's seed. ``memory``: the run's budget in MB (default:
    half the memory of the machine it runs on).
    """
    started = time.perf_counter()
    X, y, task, data = build_data({**shared, "seed": run.seed}) if data is None else data
    kw = {k: shared[k] for k in TRAIN_KEYS if k in shared}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDiverged)  # the row's status says so
        trace = train(X, y, list(run.hidden), run.activation, lr=run.lr, seed=run.seed, task=task, data=data, memory=memory,
                      **kw)
    last = trace.snapshot(-1)
    row = {
        "hidden": ",".join(map(str, run.hidden)),
        "width": run.width,
        "depth": run.depth,
        "activation": run.activation,
        "lr": run.lr,
        "seed": run.seed,
        "train_acc": last.train_acc,
        "test_acc": last.test_acc,
        "train_loss": last.train_loss,
        "test_loss": last.test_loss,
        "steps": last.step,
        "status": trace.status,
        "seconds": round(time.perf_counter() - started, 4),
    }
    return row, trace
