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
from .table import COLUMNS, read_meta, read_rows


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
        self._stale = False  # the table holds rows rows() left out (duplicates, lost traces)

    def read_meta(self) -> dict | None:
        """The contents of ``sweep.json`` (``shared`` settings, ``data`` fingerprint), or None for a new folder."""
        if not self.meta.exists():
            return None
        return read_meta(self.meta)

    def read_shared(self) -> dict | None:
        """The shared settings this folder was made with, or None for a new folder."""
        meta = self.read_meta()
        return None if meta is None else meta["shared"]

    def check(self, grid: Grid, digest: str | None = None) -> bool:
        """True when the folder already holds runs of this sweep (to be merged with); refuses a different one.

        ``digest`` is the sha256 of the data every run shares (None: each run draws its own
        from the settings); a folder whose runs were trained on other data is refused.
        """
        meta = self.read_meta()
        if meta is None:
            if self.folder.exists() and any(self.folder.iterdir()):
                raise NetwarpError(f"{self.folder} holds other files and no sweep; use an empty or new folder")
            return False
        old = meta["shared"]
        new = json.loads(grid.shared_json())
        if old != new:
            diff = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            said = ", ".join(f"{k}={old.get(k)!r} there, {new.get(k)!r} now" for k in diff)
            raise NetwarpError(f"{self.folder} holds a sweep with other settings ({said}); "
                               f"use another folder, or the same settings to add runs to it")
        was = (meta.get("data") or {}).get("sha256")
        if digest is not None and was != digest:
            # refused, not started over: the folder's finished runs are kept
            source = f"the data in {old['csv']}" if old.get("csv") is not None else "the data"
            then = f"sha256 {was[:12]}… then" if isinstance(was, str) else "not recorded then"
            raise NetwarpError(f"{self.folder} holds a sweep trained on other data: {source} has changed "
                               f"({then}, {digest[:12]}… now); nothing was run: use another folder, "
                               f"or delete {self.folder} to start over")
        return True

    def start(self, grid: Grid, digest: str | None = None, rows: list[dict] | None = None) -> None:
        """Create the folder and its settings file (after the grid was accepted); write the
        table again without the duplicate or lost rows :meth:`rows` left out of ``rows``."""
        self.runs.mkdir(parents=True, exist_ok=True)
        check_writable(self.table)
        if not self.meta.exists():
            data = {"sha256": digest} if digest is not None else {"per_run": "drawn from each run's seed and the settings"}
            with atomic_output(self.meta) as tmp:
                tmp.write_text(json.dumps({"shared": json.loads(grid.shared_json()), "columns": COLUMNS, "data": data},
                                          indent=1))
        if rows is not None and self._stale:
            self._write(rows)

    def rows(self) -> list[dict]:
        """The finished runs: rows of the table whose Trace file exists, numbers as numbers."""
        if not self.table.exists():
            return []
        rows = read_rows(self.table)
        out: dict[tuple, dict] = {}
        for _line, row in rows:
            if not (self.folder / row["trace"]).is_file():
                continue
            out.pop(row_key(row), None)  # a run twice in the table: the later row is the one written last
            out[row_key(row)] = row
        self._stale = len(out) != len(rows)
        return list(out.values())

    def add(self, row: dict, trace: Trace, rows: list[dict]) -> dict:
        """Write a finished run: its Trace, then the table with its row; returns the row as written."""
        key = f"h{row['hidden'].replace(',', '-')}_{row['activation']}_lr{row['lr']:g}_s{row['seed']}"
        path = self.runs / f"{key}.npz"
        trace.save(path)  # atomic
        row = {**row, "trace": f"runs/{path.name}"}
        kept = [r for r in rows if row_key(r) != row_key(row)] + [row]
        self._write(kept)
        rows[:] = kept
        return row

    def _write(self, rows: list[dict]) -> None:
        """The table with ``rows``, atomically."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        with atomic_output(self.table) as tmp:
            tmp.write_text(buf.getvalue())
        self._stale = False
