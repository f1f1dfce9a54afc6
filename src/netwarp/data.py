"""The points a run trains on: a named dataset, or a run's data settings.

:func:`make_dataset` draws one of :data:`netwarp.DATASETS`; :func:`build_data`
turns a run's settings (CLI or playground) into the points, the task and the
description kept in the Trace. Every value is checked against
:data:`netwarp.settings.SETTINGS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from . import tables
from .datasets import DATASETS
from .settings import check, check_options, dataset_options, default, setting
from .tables import BUNDLED


def make_dataset(
    name: str, n: int | None = None, noise: float | None = None, seed: int = 0, **options: float
) -> tuple[np.ndarray, np.ndarray]:
    """Generate a dataset from :data:`DATASETS`.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.
    n : int, optional
        Number of points (the dataset's default if omitted; for ``digits``, a subsample).
    noise : float, optional
        Standard deviation of Gaussian noise added to the points (regression: to ``y``).
    seed : int
        Seed of the ``numpy.random.Generator`` that draws the points.
    **options
        The dataset's own settings: ``arms`` for ``spiral``, ``classes`` for ``blobs``.

    Returns
    -------
    X : ndarray of shape (n, d)
        ``d`` is 2 for the plane, 1 for curves, 64 for digits.
    y : ndarray of shape (n,)
        Integer labels 0..k-1 (classification) or float targets (regression).
    """
    d = DATASETS[check("dataset", name)]
    n = d.n if n is None else check("n", n)
    noise = d.noise if noise is None else check("noise", noise)
    seed = check("data_seed", seed)
    options = check_options(name, options)
    rng = np.random.default_rng(seed)
    X, y = d.make(n, noise, rng, **options)
    return np.ascontiguousarray(X, dtype=np.float64), (y.astype(np.int64) if d.task == "classification" else y.astype(np.float64))


def build_data(settings: Mapping[str, object]) -> tuple[np.ndarray, np.ndarray, str, dict]:
    """The data of a run, from its settings (names of :data:`~netwarp.settings.SETTINGS`).

    Parameters
    ----------
    settings : mapping
        ``csv`` (a path: the user's own data) or ``dataset`` with ``n``,
        ``noise``, ``data_seed`` (``seed`` when absent) and the dataset's own
        options; missing ones take their defaults.

    Returns
    -------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
    task : {"classification", "regression"}
    description : dict
        Where the data came from, kept in the Trace (``{"source": "csv:name"}``
        or the dataset, n, noise, seed and options).
    """
    csv = settings.get("csv")
    if csv is not None:
        return csv_data(Path(csv), settings.get("label"), settings.get("task"))
    name = settings.get("dataset", default("dataset"))
    seed = settings.get("data_seed")
    follows = setting("data_seed").follows
    seed = settings.get(follows, default(follows)) if seed is None else seed
    known = dataset_options(name) if name in DATASETS else []
    opts = {k: settings[k] for k in known if settings.get(k) is not None}
    X, y = make_dataset(name, n=settings.get("n"), noise=settings.get("noise"), seed=seed, **opts)
    noise = settings.get("noise")
    description = {"dataset": name, "n": len(X), "noise": DATASETS[name].noise if noise is None else noise, "seed": seed, **opts}
    if name in BUNDLED:
        description.update(tables.description(tables.bundled(name)))
    return X, y, DATASETS[name].task, description


def csv_data(path: Path, label: str | None = None, task: str | None = None) -> tuple[np.ndarray, np.ndarray, str, dict]:
    """A CSV with a header naming its columns is a table (:func:`netwarp.tables.read_table`); headerless
    rows ``x1,x2,label`` or ``x,y`` are read as before (:func:`netwarp.userdata.load_csv`)."""
    from .userdata import has_header, load_csv

    source = {"source": f"csv:{path.name}"}
    if label is not None or task is not None or has_header(path):
        t = tables.read_table(path, label, task)
        return t.X, t.y, t.task, {**source, **tables.description(t)}
    X, y, found = load_csv(path)
    return X, y, found, source
