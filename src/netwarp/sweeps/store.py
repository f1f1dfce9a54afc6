"""A sweep's folder: ``sweep.json`` (the shared settings), ``results.csv`` (one row
per finished run) and ``runs/<key>.npz`` (each run's Trace).

Each run is written as soon as it finishes, the Trace first and then the table,
both atomically: an interrupted sweep leaves only complete rows, and running it
again skips them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..atomic import atomic_output, check_writable
from ..errors import NetwarpError
from ..trace import Trace
from .grid import Grid

COLUMNS = ["hidden", "width", "depth", "activation", "lr", "seed", "train_acc", "test_acc", "train_loss",
           "test_loss", "steps", "status", "seconds", "trace"]
NUMBERS = {"width": int, "depth": int, "lr": float, "seed": int, "train_acc": float, "test_acc": float,
           "train_loss": float, "test_loss": float, "steps": int, "seconds": float}


def row_key(row: dict) -> tuple:
    """What identifies a run in the table: its place on the grid."""
    return (row["hidden"], row["activation"], float(row["lr"]), int(row["seed"]))


class SweepFolder:
    """The files of one sweep; refuses a grid whose shared settings differ from the folder's."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.meta = self.folder / "sweep.json"
        self.table = self.folder / "results.csv"
        self.runs = self.folder / "runs"

    def read_shared(self) -> dict | None:
        """The shared settings this folder was made with, or None for a new folder."""
        if not self.meta.exists():
            return None
        try:
            return json.loads(self.meta.read_text())["shared"]
        except (ValueError, KeyError, TypeError, OSError):
            raise NetwarpError(f"{self.meta} is not a sweep's settings file; use another folder") from None

    def check(self, grid: Grid) -> bool:
        """True when the folder already holds runs of this sweep (to be merged with); refuses a different one."""
        old = self.read_shared()
        if old is None:
            if self.folder.exists() and any(self.folder.iterdir()):
                raise NetwarpError(f"{self.folder} holds other files and no sweep; use an empty or new folder")
            return False
        new = json.loads(grid.shared_json())
        if old != new:
            diff = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            said = ", ".join(f"{k}={old.get(k)!r} there, {new.get(k)!r} now" for k in diff)
            raise NetwarpError(f"{self.folder} holds a sweep with other settings ({said}); "
                               f"use another folder, or the same settings to add runs to it")
        return True

    def start(self, grid: Grid) -> None:
        """Create the folder and its settings file (after the grid was accepted)."""
        self.runs.mkdir(parents=True, exist_ok=True)
        check_writable(self.table)
        if not self.meta.exists():
            with atomic_output(self.meta) as tmp:
                tmp.write_text(json.dumps({"shared": json.loads(grid.shared_json()), "columns": COLUMNS}, indent=1))

    def rows(self) -> list[dict]:
        """The finished runs: rows of the table whose Trace file exists, numbers as numbers."""
        if not self.table.exists():
            return []
        with open(self.table, newline="") as fh:
            rows = list(csv.DictReader(fh))
        out = []
        for r in rows:
            if not (self.folder / r.get("trace", "")).is_file():
                continue
            out.append({k: NUMBERS[k](v) if k in NUMBERS and v != "" else v for k, v in r.items()})
        return out

    def add(self, row: dict, trace: Trace, rows: list[dict]) -> dict:
        """Write a finished run: its Trace, then the table with its row; returns the row as written."""
        key = f"h{row['hidden'].replace(',', '-')}_{row['activation']}_lr{row['lr']:g}_s{row['seed']}"
        path = self.runs / f"{key}.npz"
        trace.save(path)  # atomic
        row = {**row, "trace": f"runs/{path.name}"}
        kept = [r for r in rows if row_key(r) != row_key(row)] + [row]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        with atomic_output(self.table) as tmp:
            tmp.write_text(buf.getvalue())
        rows[:] = kept
        return row
