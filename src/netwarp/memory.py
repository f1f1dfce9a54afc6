"""How much memory a run of :func:`netwarp.train` will need, from its settings,
checked against a budget before anything large is allocated.

The budget is ``memory`` (MB; ``--memory`` on the command line), by default
half of this machine's memory (or of the container's limit, when lower).
The estimate adds up what training holds at its peak (see :func:`training_parts`):
a size refused here would otherwise end, minutes in or at once, in a MemoryError.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from .errors import NetwarpError

FLOAT = 8  # bytes of a float64
# vectors of n_params the optimiser keeps besides theta (Adam: two moments and a scratch vector)
OPTIMIZER_VECTORS = {"sgd": 0, "momentum": 1, "adam": 3}
SNAPSHOT_OVERHEAD = 400  # bytes per recorded snapshot besides its parameters: step, metrics, list slots, plan
FALLBACK_MACHINE = 8 * 1024**3  # when the machine's memory cannot be read
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def machine_bytes() -> int:
    """This machine's memory in bytes, or its container's limit when lower."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        total = FALLBACK_MACHINE
    for path in CGROUP_LIMITS:
        try:
            total = min(total, int(Path(path).read_text().strip()))
        except (OSError, ValueError):  # no such limit ("max", or not in a container)
            pass
    return int(total)


def gib(n: float) -> str:
    """A byte count for a message: ``"22.9 GiB"``, ``"310.4 MiB"``, ``"12.0 kiB"``."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n / 1024:.1f} kiB"


def budget(memory: float | None = None) -> tuple[int, str]:
    """The budget in bytes and how a message says it.

    Parameters
    ----------
    memory : float, optional
        Megabytes (MiB) a run may use; default half this machine's memory.
    """
    if memory is None:
        b = machine_bytes() // 2
        return b, f"the budget is {gib(b)}, half this machine's memory (set it with --memory MB, or memory= in Python)"
    if isinstance(memory, bool) or not isinstance(memory, (int, float)) or not math.isfinite(memory) or memory <= 0:
        raise NetwarpError(f"memory must be a positive number of megabytes, got {memory!r}")
    b = int(memory * 1024**2)
    return b, f"the budget is {gib(b)} (--memory / memory=)"


def training_parts(sizes: Sequence[int], n_train: int, n_test: int, batch: int | None, optimizer: str,
                   recorded: int) -> dict[str, int]:
    """Bytes a training run holds at its peak, by kind.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, inputs first and outputs last.
    n_train, n_test : int
        Training and test points.
    batch : int, optional
        Mini-batch size (None: full batch).
    optimizer : str
    recorded : int
        Snapshots kept (after thinning to ``limits.SNAPSHOT_BYTES``).

    Returns
    -------
    dict
        ``data`` (the points, their splits and one-hot targets), ``parameters``
        (theta, gradient, optimiser state), ``activations`` (every layer's
        units x the points of a gradient pass or an evaluation) and
        ``snapshots`` (the recorded parameters, and their copy when saved).
    """
    d, k, n = sizes[0], sizes[-1], n_train + n_test
    n_params = sum((a + 1) * c for a, c in zip(sizes[:-1], sizes[1:]))
    units = sum(sizes[1:])
    widest = max(sizes[1:])
    b = n_train if batch is None or batch >= n_train else batch
    # a full-batch pass evaluates the training points itself; the evaluator then runs the test points,
    # with mini-batches it runs them all
    evaluated = n_test if batch is None or batch >= n_train else n
    kept = b * sum(s + 1 for s in sizes[:-1])  # the gradient pass's layer buffers, kept between steps
    passing = b * (units + 3 * widest)  # its affine outputs, the deltas and their temporaries
    evaluating = evaluated * 2 * units  # an evaluation's affine outputs and activations
    return {
        "data": FLOAT * (4 * n * d + 3 * n * k + 3 * n),
        "parameters": FLOAT * n_params * (3 + OPTIMIZER_VECTORS.get(optimizer, 3)) + n_params
                      + FLOAT * max(a * c for a, c in zip(sizes[:-1], sizes[1:])),
        "activations": FLOAT * (kept + max(passing, evaluating)),
        "snapshots": recorded * (2 * FLOAT * n_params + SNAPSHOT_OVERHEAD),
    }


def recording_parts(sizes: Sequence[int], n_train: int, n_test: int) -> dict[str, int]:
    """Bytes one snapshot of a given model takes to record and save (:func:`netwarp.torch.from_torch`), by kind.

    ``parameters``: each layer read as float64, the flat vector, the snapshot's
    copy and the saved stack; ``activations``: the evaluation of every point;
    ``data``: the points as float64 and their one-hot targets.
    """
    d, k, n = sizes[0], sizes[-1], n_train + n_test
    n_params = sum((a + 1) * c for a, c in zip(sizes[:-1], sizes[1:]))
    return {"data": FLOAT * (4 * n * d + 2 * n * k + 3 * n), "parameters": 4 * FLOAT * n_params,
            "activations": FLOAT * n * 2 * sum(sizes[1:])}


TRAINING_ADVICE = "use fewer or narrower layers, fewer points, mini-batches or fewer snapshots"


def check_fits(parts: dict[str, int], memory: float | None, what: str = "training this network",
               advice: str = TRAINING_ADVICE) -> int:
    """Refuse, in one line giving the estimate and its largest parts, what would not fit ``memory``.

    Returns
    -------
    int
        The estimate in bytes.
    """
    need = sum(parts.values())
    limit, said = budget(memory)
    if need > limit:
        big = ", ".join(f"{k} {gib(v)}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]) if v >= need / 10)
        raise NetwarpError(f"{what} would need about {gib(need)} of memory ({big}); {said}: {advice}")
    return need
