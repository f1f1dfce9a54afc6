"""A sweep's data when every run trains on the same points: read once by the
client, fingerprinted for ``sweep.json`` and sent to the workers with the runs.

The user's CSV file (``csv``) or a dataset drawn with a fixed ``data_seed`` is
the same for every run. Otherwise each run draws its own points from its seed
and the settings, which ``sweep.json`` already records.
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..data import build_data


def fixed_data(shared: dict) -> tuple[np.ndarray, np.ndarray, str, dict] | None:
    """``(X, y, task, description)`` shared by every run, or None when each run draws its own.

    Parameters
    ----------
    shared : dict
        The sweep's shared settings (checked).

    Returns
    -------
    tuple of (ndarray of shape (n, d), ndarray of shape (n,), str, dict) or None
    """
    if shared.get("csv") is None and shared.get("data_seed") is None:
        return None
    return build_data(shared)


def data_hash(X: np.ndarray, y: np.ndarray) -> str:
    """The sha256 of the points ``X (n, d)`` and labels or targets ``y (n,)``, with their shapes and types."""
    h = hashlib.sha256()
    for a in (X, y):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape};".encode())
        h.update(a.data)
    return h.hexdigest()
