"""The trace file format: ``.npz`` arrays plus JSON metadata, never pickle.

This module knows the bytes on disk and checks them; it does not know the
:class:`~netwarp.trace.Trace` class (which sits above it and calls
:func:`write_trace_file` / :func:`read_trace_file`), so the two import in one
direction only.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from .atomic import atomic_output
from .errors import NetwarpError
from .nn import Architecture

MAGIC = "netwarp-trace"
VERSION = 1
ARRAYS = ("X_train", "y_train", "X_test", "y_test", "steps", "params", "metrics")


def write_trace_file(path: str | Path, arch: Architecture, arrays: dict[str, np.ndarray], info: dict) -> None:
    """Write a trace's ``arrays`` (the names in :data:`ARRAYS`) and ``info`` (config, data,
    status, message) to ``path``; a crash mid-write leaves any old file intact."""
    path = Path(path)
    meta = {
        "format": MAGIC,
        "version": VERSION,
        "arch": {"sizes": list(arch.sizes), "activation": arch.activation, "task": arch.task},
        **info,
    }
    arrays = {name: arrays[name] for name in ARRAYS}
    try:
        text = json.dumps(meta, default=_plain, allow_nan=True)
    except (TypeError, ValueError) as e:
        raise NetwarpError(f"cannot write {path}: the trace's config/data cannot be stored as JSON ({e})") from None
    arrays["meta"] = np.frombuffer(text.encode(), dtype=np.uint8)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise NetwarpError(f"cannot write {path}: folder {directory} does not exist")
    with atomic_output(path) as tmp, open(tmp, "wb") as fh:  # a handle: np.savez would add ".npz" to a name
        np.savez(fh, **arrays)


def _plain(obj):
    """JSON fallback: numpy scalars (e.g. a seed of type np.int64) as Python numbers."""
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def read_trace_file(path: str | Path) -> tuple[Architecture, dict[str, np.ndarray], dict]:
    """Read and check a file written by :func:`write_trace_file`.

    Returns
    -------
    arch : Architecture
    arrays : dict of ndarray
        The names in :data:`ARRAYS`, shapes checked against ``arch``.
    info : dict
        ``config``, ``data``, ``status`` and ``message``.

    Raises
    ------
    NetwarpError
        The file is missing, not an ``.npz``, truncated, corrupt, from another
        program, or from a newer netwarp.
    """
    path = Path(path)
    if not path.is_file():
        raise NetwarpError(f"{path}: no such file")
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):  # a bare .npy array
            raise NetwarpError(f"{path}: not a netwarp trace (a single numpy array, not an .npz archive)")
        with loaded as z:
            if "meta" not in z.files:
                raise NetwarpError(f"{path}: not a netwarp trace (no metadata)")
            meta = json.loads(bytes(z["meta"]).decode())
            if not isinstance(meta, dict) or meta.get("format") != MAGIC:
                raise NetwarpError(f"{path}: not a netwarp trace")
            if meta.get("version") != VERSION:
                raise NetwarpError(f"{path}: trace format version {meta.get('version')!r}; this netwarp reads version {VERSION}")
            missing = [a for a in ARRAYS if a not in z.files]
            if missing:
                raise NetwarpError(f"{path}: corrupt trace (missing {', '.join(missing)})")
            arrays = {a: z[a] for a in ARRAYS}
    except NetwarpError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, KeyError, UnicodeDecodeError, zipfile.LargeZipFile) as e:
        raise NetwarpError(f"{path}: not a readable trace file (corrupt or truncated? {type(e).__name__})") from None
    try:
        arch = Architecture(**meta["arch"])
    except NetwarpError as e:
        raise NetwarpError(f"{path}: corrupt trace metadata ({e})") from None
    except (KeyError, TypeError, ValueError) as e:
        raise NetwarpError(f"{path}: corrupt trace metadata ({type(e).__name__}: {e})") from None
    for key in ("config", "data"):
        if not isinstance(meta.get(key, {}), dict):
            raise NetwarpError(f"{path}: corrupt trace metadata ({key} is not a mapping)")
    _check_shapes(path, arch, arrays)
    info = {"config": meta.get("config", {}), "data": meta.get("data", {}),
            "status": meta.get("status", "complete"), "message": meta.get("message", "")}
    return arch, arrays, info


def _check_shapes(path: Path, arch: Architecture, a: dict) -> None:
    for name in ("X_train", "X_test", "steps", "params", "metrics"):
        if a[name].ndim == 0:
            raise NetwarpError(f"{path}: corrupt trace ({name} is a scalar, expected an array)")
    k = len(a["steps"])
    expect = {
        "X_train": (len(a["X_train"]), arch.sizes[0]),
        "y_train": (len(a["X_train"]),),
        "X_test": (len(a["X_test"]), arch.sizes[0]),
        "y_test": (len(a["X_test"]),),
        "steps": (k,),
        "params": (k, arch.n_params),
        "metrics": (k, 4),
    }
    for name, shape in expect.items():
        if a[name].shape != shape:
            raise NetwarpError(f"{path}: corrupt trace ({name} has shape {a[name].shape}, expected {shape})")
    for name in ("X_train", "X_test", "params"):
        if a[name].dtype.kind != "f" or not np.isfinite(a[name]).all():
            raise NetwarpError(f"{path}: corrupt trace ({name} is not finite floats)")
    if arch.task == "classification":
        for name in ("y_train", "y_test"):
            y = a[name]
            if y.dtype.kind not in "iu" or (len(y) and (y.min() < 0 or y.max() >= arch.sizes[-1])):
                raise NetwarpError(f"{path}: corrupt trace ({name} is not class labels 0..{arch.sizes[-1] - 1})")
