"""Tables: data with many named features, from scikit-learn's bundled copies or a user's CSV.

A table has a header naming its columns, any number of numeric feature columns and a
label column (the last, or one named), whose values may be text (kept as class
names) or numbers. Three or more features are standardised for training (mean 0,
scale 1 per column; one or two stay in their own units, which the line and plane
views draw); the mean and scale are kept with the names in the trace's data
description (:func:`description`) so that views and code can speak in the table's units.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import limits
from .errors import NetwarpError
from .userdata import bounded_lines

#: scikit-learn's bundled tables (no download): name -> loader function name in sklearn.datasets
BUNDLED = {"iris": "load_iris", "wine": "load_wine", "breast_cancer": "load_breast_cancer"}
MAX_CLASS_NAME = 40  # characters of a text label kept as a class name


@dataclass(frozen=True)
class Table:
    """Standardised features and labels with their names.

    Attributes
    ----------
    X : ndarray of shape (n, d), standardised columns
    y : ndarray of shape (n,), int64 class indices or float64 targets
    task : {"classification", "regression"}
    feature_names : list of str, length d
    class_names : list of str (classification: one per class, in index order), or []
    mean, scale : ndarray of shape (d,)
        The table's units: a row ``x`` of the table is ``X = (x - mean) / scale``.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    feature_names: list[str]
    class_names: list[str]
    mean: np.ndarray
    scale: np.ndarray


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(X - mean) / scale`` per column of ``X (n, d)``, with ``mean (d,)`` and ``scale (d,)``
    (a constant column keeps scale 1 rather than dividing by zero)."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return (X - mean) / scale, mean, scale


def bundled(name: str) -> Table:
    """One of scikit-learn's bundled tables (:data:`BUNDLED`), standardised, with its names."""
    import sklearn.datasets

    d = getattr(sklearn.datasets, BUNDLED[name])()
    X, mean, scale = standardise(np.asarray(d.data, dtype=np.float64))
    return Table(X, np.asarray(d.target, dtype=np.int64), "classification", [str(f) for f in d.feature_names],
                 [str(c) for c in d.target_names], mean, scale)


@functools.lru_cache(maxsize=len(BUNDLED))
def bundled_names(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A bundled table's ``(feature names, class names)``, for a run that kept only the table's name
    (``nw.train(X, y, data={"dataset": "wine"})`` after ``nw.make_dataset("wine")``)."""
    t = bundled(name)
    return tuple(t.feature_names), tuple(t.class_names)


def description(table: Table) -> dict:
    """What a trace keeps of a table besides its points: names, class names and units (JSON-ready)."""
    return {"features": table.feature_names, "classes": table.class_names,
            "mean": [float(v) for v in table.mean], "scale": [float(v) for v in table.scale]}


def read_table(path: str | Path, label: str | None = None, task: str | None = None) -> Table:
    """Read a CSV with a header row: numeric feature columns and a label column.

    Parameters
    ----------
    path : str or Path
    label : str, optional
        The label column's header; the last column by default.
    task : {"classification", "regression"}, optional
        Regression needs a numeric label; by default numeric labels that are all
        whole numbers are classes, text labels always are.

    Returns
    -------
    Table
        Each bad cell is a one-line error naming its line and column.
    """
    path = Path(path)
    header, rows = _rows(path)
    if label is None:
        at = len(header) - 1
    elif label in header:
        at = header.index(label)
    else:
        raise NetwarpError(f"{path}: no column called {label!r}; the columns are {', '.join(header)[:200]}")
    if len(header) < 2:
        raise NetwarpError(f"{path}: need a label column and at least one feature column, got {len(header)} column(s)")
    if len(header) - 1 > limits.MAX_UNITS:
        raise NetwarpError(f"{path}: {len(header) - 1} feature columns; at most {limits.MAX_UNITS}")
    names = [h for j, h in enumerate(header) if j != at]
    X = np.empty((len(rows), len(names)))
    for i, (line, row) in enumerate(rows):
        k = 0
        for j, cell in enumerate(row):
            if j == at:
                continue
            X[i, k] = _number(path, line, j, header, cell)
            k += 1
    if task is None and len(names) == 1:
        task = "regression"  # x,y: a curve, as headerless files have always been read
    y, classes, task = _labels(path, [(line, row[at]) for line, row in rows], header[at], task)
    if len(X) < 4:
        raise NetwarpError(f"{path}: need at least 4 rows of data, got {len(X)}")
    if len(names) < 3:  # a line or a plane is drawn in its own units
        return Table(X, y, task, names, classes, np.zeros(len(names)), np.ones(len(names)))
    Xs, mean, scale = standardise(X)
    return Table(Xs, y, task, names, classes, mean, scale)


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        if not path.is_file():
            raise NetwarpError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(bounded_lines(path, fh))  # the same line bounds as every CSV
            header, rows = None, []
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if header is None:
                    header = [c.strip() or f"column {j + 1}" for j, c in enumerate(row)]
                    continue
                if len(row) != len(header):
                    raise NetwarpError(f"{path}: line {reader.line_num} has {len(row)} columns, the header has {len(header)}")
                if len(rows) >= limits.MAX_POINTS:
                    raise NetwarpError(f"{path}: more than {limits.MAX_POINTS} rows; at most {limits.MAX_POINTS} points")
                rows.append((reader.line_num, row))
    except OSError as e:
        raise NetwarpError(f"{path}: cannot read ({e.strerror or e})") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise NetwarpError(f"{path}: cannot read as CSV ({e})") from None
    if header is None or not rows:
        raise NetwarpError(f"{path}: no data rows under a header")
    return header, rows


def _number(path: Path, line: int, j: int, header: list[str], cell: str) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise NetwarpError(f"{path}: line {line}, column {j + 1} ({header[j]!r:.40}): {cell.strip()!r:.40} is not a number") from None
    if not np.isfinite(v) or abs(v) > 1e12:
        raise NetwarpError(f"{path}: line {line}, column {j + 1} ({header[j]!r:.40}): {cell.strip()!r:.40} is not a usable finite number")
    return v


def _labels(path: Path, cells: list[tuple[int, str]], name: str, task: str | None) -> tuple[np.ndarray, list[str], str]:
    """The label column as class indices (text or whole numbers) or targets (regression)."""
    texts = [c.strip() for _, c in cells]
    try:
        values = np.array([float(t) for t in texts])
        numeric = bool(np.all(np.isfinite(values)))
    except ValueError:
        numeric = False
    if task == "regression":
        if not numeric:
            bad = next((line, t) for (line, _), t in zip(cells, texts) if not _is_number(t))
            raise NetwarpError(f"{path}: line {bad[0]}, label column {name!r}: {bad[1]!r:.40} is not a number (--task regression)")
        return values, [], "regression"
    if numeric and task is None and not np.all(values == np.round(values)):
        return values, [], "regression"
    if numeric:
        order = np.unique(values)
        names = [f"{v:g}" for v in order]
        y = np.searchsorted(order, values)
    else:
        names = sorted(set(texts))
        y = np.array([names.index(t) for t in texts])
        names = [n[:MAX_CLASS_NAME] or "(blank)" for n in names]
    if len(names) < 2:
        raise NetwarpError(f"{path}: the label column {name!r} has one class ({names[0]!r}); need at least 2")
    if len(names) > limits.MAX_CLASSES:
        raise NetwarpError(f"{path}: the label column {name!r} has {len(names)} classes; at most {limits.MAX_CLASSES}")
    return y.astype(np.int64), names, "classification"


def _is_number(t: str) -> bool:
    try:
        return bool(np.isfinite(float(t)))
    except ValueError:
        return False
