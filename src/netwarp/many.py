"""Many networks of one shape, one per seed: the unit of work of a sweep.

A vectorised pass over stacked weights was built and measured first
(``bench/bench_train_many.py``: 64 networks 2-8-8-2 on 450 spiral points,
1000 steps): 0.98x the speed of one :func:`netwarp.train` after another, its
training steps alone against whole recorded runs. The
single-network trainer is bound by arithmetic, not by numpy's per-call
overhead (52 us a step, most of it exp and elementwise passes over arrays that
fit in cache), and the stacked arrays no longer fit in cache; batching also let
chaotic runs drift away from their one-at-a-time twins. So each network is
trained by :func:`netwarp.train` itself (bit-identical Traces), and a sweep
gets its speed from running networks in parallel processes or on a cluster.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .errors import NetwarpError, TrainingInterrupted
from .settings import check
from .trace import Trace
from .train import train


def _per_network(name: str, value, n: int) -> list:
    """A setting given once for all networks or once per network, as a list of ``n``."""
    values = list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value] * n
    if len(values) != n:
        raise NetwarpError(f"{name} has {len(values)} values for {n} seeds: give one value, or one per seed")
    return [check(name, v) for v in values]


def train_many(
    X: ArrayLike,
    y: ArrayLike,
    hidden: Sequence[int] = (8, 8),
    seeds: Sequence[int] = (0,),
    *,
    lr: float | Sequence[float] = 0.03,
    l1: float | Sequence[float] = 0.0,
    l2: float | Sequence[float] = 0.0,
    **settings,
) -> list[Trace]:
    """Train one network per seed with the same settings; one Trace each, equal to
    ``netwarp.train(X, y, hidden, seed=seed, ...)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    hidden : list of int
    seeds : sequence of int
        One network per seed (each seeds its split, initialisation and batches).
    lr, l1, l2 : float or sequence of float
        One value for every network, or one per seed.
    **settings
        Any other keyword of :func:`netwarp.train` (``activation``, ``steps``,
        ``optimizer``, ``batch_size``, ``snapshots``, ...).

    Returns
    -------
    list of Trace
        In the order of ``seeds``.

    Raises
    ------
    TrainingInterrupted
        On Ctrl-C; its ``traces`` attribute holds the finished Traces and the interrupted one.
    """
    seeds = list(seeds) if isinstance(seeds, (list, tuple, range, np.ndarray)) else [seeds]
    if not seeds:
        raise NetwarpError("train_many needs at least one seed")
    seeds = [check("seed", s) for s in seeds]
    lrs, l1s, l2s = (_per_network(k, v, len(seeds)) for k, v in (("lr", lr), ("l1", l1), ("l2", l2)))
    if "seed" in settings:
        raise NetwarpError("train_many takes seeds=[...], not seed=")
    traces: list[Trace] = []
    for seed, a, b, c in zip(seeds, lrs, l1s, l2s):
        try:
            traces.append(train(X, y, hidden, seed=seed, lr=a, l1=b, l2=c, **settings))
        except TrainingInterrupted as e:
            e.traces = [*traces, e.trace]
            raise
    return traces
