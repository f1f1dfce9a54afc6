"""The trace file format: ``.npz`` arrays plus JSON metadata, never pickle.

This module knows the bytes on disk and checks them; it does not know the
:class:`~netwarp.trace.Trace` class (which sits above it and calls
:func:`write_trace_file` / :func:`read_trace_file`), so the two import in one
direction only.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

from . import limits
from .atomic import atomic_output
from .errors import NetwarpError
from .nn import Architecture

MAGIC = "netwarp-trace"
# version 2 stores one activation per hidden layer ("activations"); version 1 files (one
# "activation" for all) still load. A network with one activation writes both keys.
# Version 3 adds a model recorded by its layers' outputs (arch.recorded): its meta lists the
# layers' names, and out_train_<i>/out_test_<i> hold output i (1 .. len(sizes) - 1, logits last)
# of every snapshot as float32 (k, n, sizes[i]); other files are as in version 2.
VERSION = 3
READS = (1, 2, 3)
ARRAYS = ("X_train", "y_train", "X_test", "y_test", "steps", "params", "metrics")


def output_names(arch: Architecture) -> list[str]:
    """The extra arrays of a recorded model's file (none for a network netwarp runs)."""
    if not arch.recorded:
        return []
    return [f"out_{split}_{i}" for i in range(1, len(arch.sizes)) for split in ("train", "test")]


def stack_outputs(reps: list, sizes: tuple[int, ...], n_train: int, n_test: int) -> dict[str, np.ndarray]:
    """Per-snapshot ``(train, test)`` output lists as the file's ``out_<split>_<i>`` arrays of shape ``(k, n, sizes[i])``."""
    out = {}
    for i in range(1, len(sizes)):
        for j, (split, n) in enumerate((("train", n_train), ("test", n_test))):
            out[f"out_{split}_{i}"] = (np.stack([r[j][i - 1] for r in reps]) if reps
                                       else np.zeros((0, n, sizes[i]), dtype=np.float32))
    return out


def unstack_outputs(a: dict[str, np.ndarray], sizes: tuple[int, ...]) -> list:
    """The inverse of :func:`stack_outputs`: one ``(train, test)`` pair of lists per snapshot."""
    k = len(a["steps"])
    return [tuple([a[f"out_{split}_{i}"][s] for i in range(1, len(sizes))] for split in ("train", "test"))
            for s in range(k)]


def write_trace_file(path: str | Path, arch: Architecture, arrays: dict[str, np.ndarray], info: dict) -> None:
    """Write a trace's ``arrays`` (the names in :data:`ARRAYS`) and ``info`` (config, data,
    status, message) to ``path``; a crash mid-write leaves any old file intact."""
    path = Path(path)
    meta = {
        "format": MAGIC,
        "version": VERSION,
        "arch": _arch_meta(arch),
        **info,
    }
    arrays = {name: arrays[name] for name in (*ARRAYS, *output_names(arch))}
    problem = contents_problem(arch, arrays) or _layers_problem(arch, meta)  # what load would refuse is never written
    if problem:
        raise NetwarpError(f"cannot write {path}: the trace could not be read back ({problem})")
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


def _arch_meta(arch: Architecture) -> dict:
    meta = {"sizes": list(arch.sizes), "activations": list(arch.activations), "task": arch.task}
    if arch.uniform:  # also the one name: a linear model keeps the name it was given
        meta["activation"] = arch.activation
    return meta


def _plain(obj):
    """JSON fallback: numpy scalars (e.g. a seed of type np.int64) as Python numbers."""
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def read_trace_file(path: str | Path) -> tuple[Architecture, dict[str, np.ndarray], dict]:
    """Read and check a file written by :func:`write_trace_file`.

    Sizes are checked from the archive's directory and the arrays' headers
    before any array is read, so a small file that would expand to gigabytes
    is refused without expanding it.

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
        The file is missing, not an ``.npz``, truncated, corrupt, too large,
        from another program, or from a newer netwarp.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise NetwarpError(f"a trace file path must be a string or a path, got {type(path).__name__}")
    path = Path(path)
    try:
        if not path.is_file():
            raise NetwarpError(f"{path}: no such file")
        with zipfile.ZipFile(path) as zf:
            headers = _headers(path, zf)
            meta = _meta(path, zf, headers)
            arch = _arch(path, meta)
            _check_sizes(path, arch, headers)
            _check_headers(path, arch, headers)  # every shape and type, before any array is read
            arrays = {name: _read(zf, name) for name in (*ARRAYS, *output_names(arch))}
    except NetwarpError:
        raise
    except zipfile.BadZipFile:
        if path.is_file() and path.read_bytes()[:6] == b"\x93NUMPY":
            raise NetwarpError(f"{path}: not a netwarp trace (a single numpy array, not an .npz archive)") from None
        raise NetwarpError(f"{path}: not a readable trace file (not a zip archive: corrupt or truncated?)") from None
    except OSError as e:
        raise NetwarpError(f"{path}: cannot read ({e.strerror or type(e).__name__})") from None
    except Exception as e:  # a damaged file can fail deep in zipfile, zlib or numpy's header parser
        raise NetwarpError(f"{path}: not a readable trace file (corrupt or truncated? {type(e).__name__})") from None
    _check_shapes(path, arch, arrays)
    info = {"config": meta.get("config", {}), "data": meta.get("data", {}),
            "status": meta.get("status", "complete"), "message": meta.get("message", "")}
    if arch.recorded:
        info["layers"] = meta["layers"]
    return arch, arrays, info


def _headers(path: Path, zf: zipfile.ZipFile) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """Shape and dtype of every ``.npy`` member, from the archive directory and array headers alone.

    A member whose declared size in the archive cannot hold the array its
    header declares is refused here: reading it would allocate the whole array
    first and fail only at the end of the data."""
    infos = zf.infolist()
    if sum(i.file_size for i in infos) > limits.TRACE_FILE_BYTES:
        raise NetwarpError(f"{path}: too large: its arrays would take {limits.size_text(sum(i.file_size for i in infos))}; "
                           f"at most {limits.size_text(limits.TRACE_FILE_BYTES)}")
    out = {}
    for info in infos:
        if not info.filename.endswith(".npy"):
            continue
        if info.flag_bits & 0x1:
            raise NetwarpError(f"{path}: not a readable trace file ({info.filename} is encrypted)")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NetwarpError(f"{path}: not a readable trace file ({info.filename} uses compression method {info.compress_type})")
        with zf.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fh)
            start = fh.tell()
        nbytes = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if not dtype.hasobject and info.file_size - start < nbytes:
            raise NetwarpError(f"{path}: corrupt trace ({info.filename} holds {info.file_size - start} bytes of data; "
                               f"its header declares {nbytes})")
        out[info.filename[:-4]] = (shape, dtype)
    return out


def _meta(path: Path, zf: zipfile.ZipFile, headers: dict) -> dict:
    if "meta" not in headers:
        raise NetwarpError(f"{path}: not a netwarp trace (no metadata)")
    shape, dtype = headers["meta"]
    if len(shape) != 1 or dtype != np.uint8 or shape[0] > limits.TRACE_META_BYTES:
        raise NetwarpError(f"{path}: not a netwarp trace (its metadata is not a short text)")
    try:
        meta = json.loads(bytes(_read(zf, "meta")).decode())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise NetwarpError(f"{path}: not a readable trace file (its metadata is not JSON)") from None
    if not isinstance(meta, dict) or meta.get("format") != MAGIC:
        raise NetwarpError(f"{path}: not a netwarp trace")
    if meta.get("version") not in READS:
        raise NetwarpError(f"{path}: trace format version {meta.get('version')!r:.40}; this netwarp reads versions "
                           f"{READS[0]} to {READS[-1]}")
    missing = [a for a in ARRAYS if a not in headers]
    if missing:
        raise NetwarpError(f"{path}: corrupt trace (missing {', '.join(missing)})")
    for key in ("config", "data"):
        if not isinstance(meta.get(key, {}), dict):
            raise NetwarpError(f"{path}: corrupt trace metadata ({key} is not a mapping)")
    for key in ("status", "message"):
        if not isinstance(meta.get(key, ""), str):
            raise NetwarpError(f"{path}: corrupt trace metadata ({key} is not text)")
    return meta


def _arch(path: Path, meta: dict) -> Architecture:
    try:
        a = meta["arch"]
        if not isinstance(a, dict):
            raise TypeError("arch is not a mapping")
        names = a.get("activations")
        if names is None:  # version 1: one name for every hidden layer
            names = a.get("activation", "tanh")
        elif not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise TypeError("activations is not a list of names")
        elif not names and "activation" in a:  # a linear model: the name it was given
            names = a["activation"]
        arch = Architecture(a["sizes"], names, a.get("task", "classification"))
        problem = _layers_problem(arch, meta)
        if problem:
            raise NetwarpError(problem)
        if "activation" in a and Architecture(arch.sizes, a["activation"], arch.task).activations != arch.activations:
            raise NetwarpError(f"activation {a['activation']!r:.40} disagrees with activations {list(arch.activations)}")
        return arch
    except NetwarpError as e:
        raise NetwarpError(f"{path}: corrupt trace metadata ({e})") from None
    except (KeyError, TypeError, ValueError, OverflowError) as e:
        raise NetwarpError(f"{path}: corrupt trace metadata ({type(e).__name__}: {str(e)[:80]})") from None


def _layers_problem(arch: Architecture, meta: dict) -> str | None:
    """What is wrong with a recorded model's list of layer names, or None."""
    if not arch.recorded:
        return None
    names = meta.get("layers")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or len(names) != len(arch.sizes) - 2:
        return f"a recorded model needs one layer name per recorded layer ({len(arch.sizes) - 2})"
    return None


def _check_sizes(path: Path, arch: Architecture, headers: dict) -> None:
    """Refuse arrays larger than netwarp would ever write, before reading them."""
    missing = [n for n in output_names(arch) if n not in headers]
    if missing:
        raise NetwarpError(f"{path}: corrupt trace (missing {', '.join(missing)})")
    total = sum(int(np.prod(headers[n][0], dtype=np.float64)) * headers[n][1].itemsize
                for n in (*ARRAYS, *output_names(arch)))
    if total > limits.TRACE_FILE_BYTES:
        raise NetwarpError(f"{path}: too large: its arrays would take {limits.size_text(total)}; "
                           f"at most {limits.size_text(limits.TRACE_FILE_BYTES)}")
    points = sum(headers[n][0][0] if headers[n][0] else 0 for n in ("X_train", "X_test"))
    if points > limits.MAX_POINTS:
        raise NetwarpError(f"{path}: too large: {points} points; at most {limits.MAX_POINTS}")
    shape, _ = headers["params"]
    if int(np.prod(shape, dtype=np.float64)) * 8 > limits.SNAPSHOT_BYTES:
        raise NetwarpError(f"{path}: too large: its snapshots would take more than {limits.size_text(limits.SNAPSHOT_BYTES)}")
    for name, kinds in (("steps", "iu"), ("metrics", "f"), ("params", "f"), ("X_train", "f"), ("X_test", "f"),
                        ("y_train", "iuf"), ("y_test", "iuf")):
        if headers[name][1].kind not in kinds:
            raise NetwarpError(f"{path}: corrupt trace ({name} has type {headers[name][1]})")


def _check_headers(path: Path, arch: Architecture, headers: dict) -> None:
    """Every array's shape, from its header, against the metadata and the other arrays.

    A small file whose ``params`` header claims millions of rows is refused
    here, naming the mismatch, instead of being expanded and then refused.
    """
    problem = shape_problem(arch, {name: tuple(headers[name][0]) for name in (*ARRAYS, *output_names(arch))})
    if problem:
        raise NetwarpError(f"{path}: corrupt trace ({problem})")


def _read(zf: zipfile.ZipFile, name: str) -> np.ndarray:
    with zf.open(name + ".npy") as fh:
        return np.lib.format.read_array(fh, allow_pickle=False)


def _check_shapes(path: Path, arch: Architecture, a: dict) -> None:
    problem = contents_problem(arch, a)
    if problem:
        raise NetwarpError(f"{path}: corrupt trace ({problem})")


def shape_problem(arch: Architecture, shapes: dict[str, tuple[int, ...]]) -> str | None:
    """What is wrong with the arrays' ``shapes`` (from their headers, or the arrays) for ``arch``, or None.

    The shapes the metadata and the other arrays imply: ``X_train (n, sizes[0])``,
    ``y_train (n,)``, ``X_test (m, sizes[0])``, ``y_test (m,)``, ``steps (k,)``,
    ``params (k, n_params)``, ``metrics (k, 4)``, with ``n, m >= 1``.
    """
    for name in ("X_train", "X_test", "steps", "params", "metrics"):
        if not shapes[name]:
            return f"{name} is a scalar, expected an array"
    n, m, k = shapes["X_train"][0], shapes["X_test"][0], shapes["steps"][0]
    expect = {
        "X_train": (n, arch.sizes[0]),
        "y_train": (n,),
        "X_test": (m, arch.sizes[0]),
        "y_test": (m,),
        "steps": (k,),
        "params": (k, arch.n_params),
        "metrics": (k, 4),
    }
    for name, shape in expect.items():
        if tuple(shapes[name]) != shape:
            return f"{name} has shape {tuple(shapes[name])}, expected {shape}"
    for name in ("X_train", "X_test"):
        if not shapes[name][0]:
            return f"{name} has no points"
    for name in output_names(arch):
        i, n_split = int(name.rsplit("_", 1)[1]), (n if "_train_" in name else m)
        if tuple(shapes[name]) != (k, n_split, arch.sizes[i]):
            return f"{name} has shape {tuple(shapes[name])}, expected {(k, n_split, arch.sizes[i])}"
    return None


def contents_problem(arch: Architecture, a: dict[str, np.ndarray]) -> str | None:
    """What would make ``a`` (the arrays of :data:`ARRAYS`) a trace netwarp refuses, or None.

    The one check of a trace's arrays, run before writing one and after reading
    one, so netwarp never writes a file it then refuses to read.

    Parameters
    ----------
    arch : Architecture
    a : dict of ndarray
        ``X_train (n, sizes[0])``, ``y_train (n,)``, ``X_test (m, sizes[0])``,
        ``y_test (m,)``, ``steps (k,)``, ``params (k, n_params)``, ``metrics (k, 4)``.
    """
    a = {name: np.asarray(a[name]) for name in (*ARRAYS, *output_names(arch))}
    problem = shape_problem(arch, {name: a[name].shape for name in a})
    if problem:
        return problem
    k = len(a["steps"])
    if len(a["X_train"]) + len(a["X_test"]) > limits.MAX_POINTS:
        return f"{len(a['X_train']) + len(a['X_test'])} points; at most {limits.MAX_POINTS}"
    steps = a["steps"]
    if k and (steps.dtype.kind not in "iu" or steps.min() < 0 or steps.max() > limits.MAX_STEPS
              or np.any(np.diff(steps.astype(np.int64)) <= 0)):  # int64 once in range: a uint64 diff wraps
        return f"steps are not increasing whole numbers from 0 to {limits.MAX_STEPS}"
    bounds = [("X_train", limits.MAX_DATA_VALUE), ("X_test", limits.MAX_DATA_VALUE), ("params", limits.MAX_PARAM_VALUE),
              *((name, np.finfo(np.float32).max) for name in output_names(arch))]
    for name, bound in bounds:
        if a[name].dtype.kind != "f" or not np.isfinite(a[name]).all():
            return f"{name} is not finite floats"
        if a[name].size and np.abs(a[name]).max() > bound:
            return f"{name} has values as large as {np.abs(a[name]).max():.3g}; at most {bound:g}"
    if arch.task == "classification":
        for name in ("y_train", "y_test"):
            y = a[name]
            if y.dtype.kind not in "iu" or (len(y) and (y.min() < 0 or y.max() >= arch.sizes[-1])):
                return f"{name} is not class labels 0..{arch.sizes[-1] - 1}"
    else:
        for name in ("y_train", "y_test"):
            y = a[name]
            if y.dtype.kind not in "iuf" or not np.isfinite(y).all() or (y.size and np.abs(y).max() > limits.MAX_DATA_VALUE):
                return f"{name} is not finite targets of at most {limits.MAX_DATA_VALUE:g} in size"
    return None
