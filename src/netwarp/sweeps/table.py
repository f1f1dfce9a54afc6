"""Reading a sweep folder's files back, strictly: ``results.csv`` rows and
``sweep.json``. A damaged file is refused in one line naming the file, the row
and the column, instead of a traceback later in a figure or a rerun."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path, PurePosixPath

from ..activations import ACTIVATIONS
from ..errors import NetwarpError
from ..limits import MAX_UNITS
from ..settings import check_settings

COLUMNS = ["hidden", "width", "depth", "activation", "lr", "seed", "train_acc", "test_acc", "train_loss",
           "test_loss", "steps", "status", "seconds", "trace"]
META_BYTES = 1024**2  # sweep.json holds a few settings; more is not one
MAX_DEPTH = 64  # the grid's deepest network (make_grid's depths)
SEED_HI = 2**32 - 1


def _int(text: str, lo: int, hi: int | None = None) -> int:
    v = int(text)  # "1.5", "abc", "" raise ValueError
    if v < lo or (hi is not None and v > hi):
        raise ValueError(f"outside {lo}..{hi}" if hi is not None else f"below {lo}")
    return v


def _float(text: str) -> float:
    return float(text)  # "nan" is a diverged run's metric, and kept


def _positive(text: str) -> float:
    v = float(text)
    if not math.isfinite(v) or v <= 0:
        raise ValueError("not a positive finite number")
    return v


def _hidden(text: str) -> str:
    widths = [_int(w, 1, MAX_UNITS) for w in text.split(",")]
    if not 1 <= len(widths) <= MAX_DEPTH:
        raise ValueError(f"1 to {MAX_DEPTH} layers")
    return ",".join(map(str, widths))


def _activation(text: str) -> str:
    if text not in ACTIVATIONS:
        raise ValueError("not an activation")
    return text


def _trace(text: str) -> str:
    p = PurePosixPath(text)
    if len(p.parts) != 2 or p.parts[0] != "runs" or p.suffix != ".npz" or p.name.startswith("."):
        raise ValueError("not a runs/<name>.npz path inside the folder")
    return text


# each column's reader: a value written by the sweep, or ValueError
PARSE = {"hidden": _hidden, "width": lambda t: _int(t, 1, MAX_UNITS), "depth": lambda t: _int(t, 1, MAX_DEPTH),
         "activation": _activation, "lr": _positive, "seed": lambda t: _int(t, 0, SEED_HI), "train_acc": _float,
         "test_acc": _float, "train_loss": _float, "test_loss": _float, "steps": lambda t: _int(t, 0),
         "status": str, "seconds": _float, "trace": _trace}


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """The rows of a sweep's ``results.csv``, each with its line number, values checked and typed.

    Returns
    -------
    list of (int, dict)
        The line of the row in the file (the header is line 1) and the row:
        ``hidden`` as ``"w,w"``, ``width``, ``depth``, ``seed``, ``steps`` ints,
        ``lr`` and the metrics floats, ``activation``, ``status``, ``trace`` str.

    Raises
    ------
    NetwarpError
        One line naming the file, the row (its line) and the column.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise NetwarpError(f"{path}: row {line}: not text (byte {e.start} is 0x{e.object[e.start]:02x}); "
                           f"the sweep's table is damaged: move it away to run the sweep again") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise NetwarpError(f"{path}: row 1 (the header): no {missing[0]!r} column; the sweep's table is damaged")
        at = {c: header.index(c) for c in COLUMNS}
        out = []
        for cells in reader:
            if not cells:
                continue
            line = reader.line_num
            row = {}
            for c, j in at.items():
                if j >= len(cells):
                    raise NetwarpError(f"{path}: row {line}: column {c!r} is missing ({len(cells)} of {len(header)} cells)")
                try:
                    row[c] = PARSE[c](cells[j])
                except ValueError as e:
                    why = f" ({e})" if str(e).startswith(("outside", "below", "not ", "1 to")) else ""
                    raise NetwarpError(f"{path}: row {line}: column {c!r}: {cells[j][:40]!r} is not a valid {c}{why}") from None
            if row["hidden"].count(",") + 1 != row["depth"] or int(row["hidden"].split(",")[0]) != row["width"]:
                raise NetwarpError(f"{path}: row {line}: columns 'width' and 'depth' ({row['width']}, {row['depth']}) "
                                   f"do not match 'hidden' ({row['hidden']})")
            out.append((line, row))
    except csv.Error as e:
        raise NetwarpError(f"{path}: row {reader.line_num}: {e}; the sweep's table is damaged") from None
    return out


def read_meta(path: Path) -> dict:
    """The contents of a sweep's ``sweep.json``: ``shared`` (the checked settings) and ``data``.

    Raises
    ------
    NetwarpError
        One line naming the file and the key.
    """
    size = path.stat().st_size
    if size > META_BYTES:
        raise NetwarpError(f"{path}: {size} bytes is not a sweep's settings file; use another folder")
    try:
        meta = json.loads(path.read_bytes())
    except RecursionError:
        raise NetwarpError(f"{path}: nested too deeply to be a sweep's settings file; use another folder") from None
    except ValueError as e:  # JSON or UTF-8
        raise NetwarpError(f"{path}: not a sweep's settings file ({str(e)[:60]}); use another folder") from None
    if not isinstance(meta, dict) or "shared" not in meta:
        raise NetwarpError(f"{path}: not a sweep's settings file (no 'shared' settings); use another folder")
    shared = meta["shared"]
    if not isinstance(shared, dict):
        raise NetwarpError(f"{path}: key 'shared' must be a mapping of settings, got {type(shared).__name__}")
    for k, v in shared.items():
        if not isinstance(v, (str, int, float, bool, type(None))):
            raise NetwarpError(f"{path}: key 'shared', setting {k!r} must be a single value, got {type(v).__name__}")
    try:
        check_settings({k: v for k, v in shared.items() if k != "csv"})
    except NetwarpError as e:
        raise NetwarpError(f"{path}: key 'shared': {e}") from None
    data = meta.get("data")
    if data is not None and (not isinstance(data, dict) or not isinstance(data.get("sha256", ""), str)):
        raise NetwarpError(f"{path}: key 'data' must be a mapping with the data's 'sha256'")
    return meta
