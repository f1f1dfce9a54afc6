"""The user's own data: checking arrays, reading CSV files, splitting train/test."""

from __future__ import annotations

import csv
import math
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from . import limits
from .errors import NetwarpError


def check_xy(X: ArrayLike, y: ArrayLike, task: str | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Validate and normalise a dataset.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples,)
        A 1D ``X`` is taken as one feature.
    y : array-like of shape (n_samples,)
        Integer class labels, or real targets for regression.
    task : {"classification", "regression"}, optional
        Inferred when omitted: integer-valued ``y`` is classification.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    y : ndarray of shape (n_samples,), int64 labels as given (0..63) or float64 targets
    task : str
    """
    try:
        X, y = np.asarray(X), np.asarray(y)
        for name, a in (("X", X), ("y", y)):
            if a.dtype.kind == "c":  # float64 conversion would silently drop the imaginary part
                raise NetwarpError(f"{name} has complex values; netwarp trains on real numbers")
        X = X.astype(np.float64)
    except (TypeError, ValueError) as e:
        raise NetwarpError(f"data must be numeric arrays ({str(e)[:80]})") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] < 1:
        raise NetwarpError(f"X must have shape (n_samples, n_features), got {X.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise NetwarpError(f"y must have shape (n_samples,), got {y.shape}")
    if len(X) != len(y):
        raise NetwarpError(f"X has {len(X)} rows but y has {len(y)}")
    if len(X) < 4:
        raise NetwarpError(f"need at least 4 points, got {len(X)}")
    if len(X) > limits.MAX_POINTS:
        raise NetwarpError(f"at most {limits.MAX_POINTS} points, got {len(X)}")
    bad = ~np.isfinite(X).all(axis=1)
    if bad.any():
        raise NetwarpError(f"X has NaN or infinite values (first in row {int(np.argmax(bad))})")
    _check_scale("X", X)
    if not np.issubdtype(y.dtype, np.number) and y.dtype != bool:
        raise NetwarpError(f"y must be numeric, got dtype {y.dtype}")
    y = y.astype(np.float64)
    if not np.isfinite(y).all():
        raise NetwarpError(f"y has NaN or infinite values (first in row {int(np.argmax(~np.isfinite(y)))})")
    _check_scale("y", y)
    integral = bool(np.all(y == np.round(y)))
    if task is None:
        task = "classification" if integral else "regression"
    if task == "classification":
        if not integral or y.min() < 0:
            raise NetwarpError("class labels must be whole numbers >= 0")
        if y.max() >= limits.MAX_CLASSES:
            raise NetwarpError(f"class labels must be whole numbers from 0 to {limits.MAX_CLASSES - 1}, got {y.max():g}")
        labels = y.astype(np.int64)
        if len(np.unique(labels)) < 2:
            raise NetwarpError(f"need at least 2 classes, got only class {labels[0]}")
        return X, labels, task
    if task == "regression":
        return X, y, task
    raise NetwarpError(f"unknown task {task!r}; choose one of: classification, regression")


def _check_scale(name: str, a: np.ndarray) -> None:
    # past this, squares and sums in the forward and backward passes overflow float64
    # (a flood of numpy warnings and a network that never trains), so say so instead
    top = float(np.abs(a).max()) if a.size else 0.0
    if top > limits.MAX_DATA_VALUE:
        raise NetwarpError(f"{name} has values as large as {top:.3g}; at most {limits.MAX_DATA_VALUE:g} in size: scale the data (e.g. to [-1, 1])")


def load_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Read ``x1,x2,...,label`` (classification) or ``x,y`` (regression) rows.

    A first row that is not numeric is taken as a header. Blank lines are
    skipped; a UTF-8 byte-order mark is ignored. Reading stops, with an error,
    at the first line past the limits (``netwarp.limits.MAX_POINTS`` rows,
    ``MAX_CSV_LINE`` characters a line), so a huge or endless file costs no
    more memory than the largest one accepted.

    Returns
    -------
    X : ndarray of shape (n_samples, n_columns - 1)
    y : ndarray of shape (n_samples,)
    task : str
        ``"regression"`` for two columns, ``"classification"`` for three or more.
    """
    path = Path(path)
    try:
        if not path.exists():
            raise NetwarpError(f"{path}: no such file")
        if not path.is_file():
            raise NetwarpError(f"{path}: cannot read as CSV ({'a folder' if path.is_dir() else 'not a regular file'})")
        with path.open(newline="", encoding="utf-8-sig") as fh:
            values, width = _read_rows(path, csv.reader(bounded_lines(path, fh)))
    except OSError as e:
        raise NetwarpError(f"{path}: cannot read ({e.strerror or e})") from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise NetwarpError(f"{path}: cannot read as CSV ({e})") from None
    task = "regression" if width == 2 else "classification"
    try:
        return check_xy(values[:, :-1], values[:, -1], task)
    except NetwarpError as e:
        raise NetwarpError(f"{path}: {e}") from None


def has_header(path: str | Path) -> bool:
    """Whether the CSV at ``path`` starts (after blank lines) with a row whose first cell is not a number."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(bounded_lines(path, fh)):
                if any(c.strip() for c in row):
                    return not _numeric(row[0])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False  # load_csv says what is wrong, in its own words
    return False


def bounded_lines(path: Path, fh) -> Iterator[str]:
    """The lines of the open text file ``fh``, refusing in one line (naming ``path``) any longer
    than ``limits.MAX_CSV_LINE`` characters, so /dev/zero or a binary file is never read whole."""
    while line := fh.readline(limits.MAX_CSV_LINE + 1):
        if len(line) > limits.MAX_CSV_LINE:
            raise NetwarpError(f"{path}: a line is longer than {limits.MAX_CSV_LINE} characters; is this a CSV file?")
        yield line


def _read_rows(path: Path, reader) -> tuple[np.ndarray, int]:
    """Parse rows into floats as they are read; returns ``(values (n, width), width)``."""
    flat, width, rows, header_checked = array("d"), 0, 0, False
    for row in reader:
        if not any(c.strip() for c in row):
            continue
        if not header_checked:
            header_checked = True
            if not _numeric(row[0]):
                continue  # header
            width = len(row)
        if not width:
            width = len(row)
        line = reader.line_num
        if width < 2:
            raise NetwarpError(f"{path}: need at least 2 columns (x,y or x1,x2,label), got {width}")
        if len(row) != width:
            raise NetwarpError(f"{path}: line {line} has {len(row)} columns, expected {width}")
        if rows >= limits.MAX_POINTS:
            raise NetwarpError(f"{path}: more than {limits.MAX_POINTS} rows; at most {limits.MAX_POINTS} points")
        for j, cell in enumerate(row):
            if not _numeric(cell):
                raise NetwarpError(f"{path}: line {line}, column {j + 1}: {cell.strip()!r:.40} is not a number")
            v = float(cell)
            if not np.isfinite(v):
                raise NetwarpError(f"{path}: line {line}, column {j + 1}: {cell.strip()!r:.40} is not a finite number")
            flat.append(v)
        rows += 1
    if not rows:
        raise NetwarpError(f"{path}: no data rows")
    return np.frombuffer(flat, dtype=np.float64).reshape(rows, width).copy(), width


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def split(X: np.ndarray, y: np.ndarray, test_size: float, seed: int, stratify: bool) -> list[np.ndarray]:
    """A reproducible train/test split (stratified for classification).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    y : ndarray of shape (n,)
    test_size : float
        Fraction of the points held out, between 0 and 1.
    seed : int
    stratify : bool
        Keep the class proportions (int labels ``y``; skipped when a class has
        fewer than 2 points).

    Returns
    -------
    list of ndarray
        ``[X_train, X_test, y_train, y_test]``, of shapes ``(n_train, d)``,
        ``(n_test, d)``, ``(n_train,)`` and ``(n_test,)``.
    """
    if not 0 < test_size < 1:
        raise NetwarpError(f"test_size must be between 0 and 1, got {test_size}")
    n = len(X)
    n_test = math.ceil(test_size * n)
    n_train = n - n_test
    if n_train == 0:
        raise NetwarpError(f"cannot split {n} points with test_size={test_size}: no training point would be left")
    rng = np.random.RandomState(seed)
    if stratify and np.bincount(y).min() >= 2:
        classes = int(np.count_nonzero(np.bincount(y)))
        if min(n_train, n_test) < classes:
            raise NetwarpError(f"cannot split {n} points with test_size={test_size}: the "
                               f"{'training' if n_train < classes else 'test'} set would have "
                               f"{min(n_train, n_test)} points for {classes} classes")
        train, test = _stratified(y, n_train, n_test, rng)
    else:
        perm = rng.permutation(n)
        test, train = perm[:n_test], perm[n_test:]
    return [X[train], X[test], y[train], y[test]]


# The split is scikit-learn's ``train_test_split`` (ShuffleSplit / StratifiedShuffleSplit,
# 1.3 to 1.9) step for step, drawing the same numbers from the same RandomState, so runs
# saved before keep their split; importing sklearn.model_selection for it cost ~0.8 s
# and ~130 MB (tests/test_userdata_split.py checks the two agree).


def _stratified(y: np.ndarray, n_train: int, n_test: int, rng: np.random.RandomState) -> tuple[np.ndarray, np.ndarray]:
    _, y_idx, counts = np.unique(y, return_inverse=True, return_counts=True)
    by_class = np.split(np.argsort(y_idx, kind="stable"), np.cumsum(counts)[:-1])
    n_i = _approximate_mode(counts, n_train, rng)
    t_i = _approximate_mode(counts - n_i, n_test, rng)
    train: list[int] = []
    test: list[int] = []
    for i, members in enumerate(by_class):
        p = members.take(rng.permutation(counts[i]), mode="clip")
        train.extend(p[: n_i[i]])
        test.extend(p[n_i[i] : n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def _approximate_mode(counts: np.ndarray, draws: int, rng: np.random.RandomState) -> np.ndarray:
    """Points per class in a draw of ``draws``: the proportional share, floored, then the
    largest remainders topped up one each (ties broken at random)."""
    continuous = counts / counts.sum() * draws
    floored = np.floor(continuous)
    need = int(draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add = min(len(inds), need)
            floored[rng.choice(inds, size=add, replace=False)] += 1
            need -= add
            if need == 0:
                break
    return floored.astype(int)
