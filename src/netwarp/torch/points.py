"""The points a PyTorch model is recorded on: the training set and an optional test set, as numpy
rows (images flattened), each checked once for :mod:`.recorder` and :mod:`.layers` alike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..errors import NetwarpError
from ..userdata import check_xy


def as_rows(a: ArrayLike, name: str) -> tuple[np.ndarray, tuple[int, ...]]:
    """``a`` as numpy with one row per point (images flattened, as Flatten does), and the shape of one
    point as the model takes it."""
    if getattr(getattr(a, "device", None), "type", None) == "meta":
        raise NetwarpError(f"{name} is on the meta device (a shape without values); give the tensor with its data")
    if hasattr(a, "detach"):  # a torch tensor, wherever it lives
        a = a.detach().to("cpu").numpy()
    a = np.asarray(a)
    return (a.reshape(len(a), -1) if a.ndim > 2 else a), a.shape[1:]


@dataclass
class Sets:
    """The checked points: ``X (n, d)``, ``y (n,)``, ``X_test (m, d')``, ``y_test (m,)``, the task, one
    training point's and one test point's shape as the model takes them, and whether a test set was
    given (without one the training points stand in for it, the same arrays)."""

    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str
    shape: tuple[int, ...]
    test_shape: tuple[int, ...]
    given: bool


def read_sets(X: ArrayLike, y: ArrayLike, X_test: ArrayLike | None, y_test: ArrayLike | None) -> Sets:
    """The training and test points checked (``check_xy``), or a one-line error."""
    (X, shape), (y, _) = as_rows(X, "X"), as_rows(y, "y")
    X, y, task = check_xy(X, y, None)
    if (X_test is None) != (y_test is None):
        raise NetwarpError("give the test set as both X_test and y_test, or neither")
    if X_test is None:
        return Sets(X, y, X, y, task, shape, shape, False)
    (X_test, test_shape), (y_test, _) = as_rows(X_test, "X_test"), as_rows(y_test, "y_test")
    X_test, y_test, _ = check_xy(X_test, y_test, task)
    return Sets(X, y, X_test, y_test, task, shape, test_shape, True)


def described(data: dict, sets: Sets) -> dict:
    """``data`` saying, where every view shows it, that the training points stand in for a test set
    none was given for (so "test accuracy" is not taken for held-out)."""
    if sets.given:
        return data
    return {**data, "source": f"{data['source']}, no test set (the training points stand in)",
            "test": "the training points (no test set was given)"}
