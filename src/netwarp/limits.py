"""Resource bounds, checked before anything is allocated.

Each is a module constant so one place states it. The readers of files and
the trainer read ``limits.NAME`` when they check, so tests can lower a limit
(``monkeypatch.setattr(netwarp.limits, "SNAPSHOT_BYTES", ...)``); the settings
table copies the point, class and width limits into its ranges when imported.
"""

MAX_POINTS = 1_000_000  # data points in one run, whatever their source
MAX_CLASSES = 64  # one output unit per class up to the largest label
MAX_CSV_LINE = 1_000_000  # characters in one CSV line: /dev/zero or a binary file is refused, not read to the end
SNAPSHOT_BYTES = 2 * 1024**3  # recorded parameters of one run: thinner snapshots beyond this
TRACE_FILE_BYTES = 4 * 1024**3  # a trace file's declared uncompressed size
TRACE_META_BYTES = 1024**2  # its JSON metadata
MAX_UNITS = 4096  # units in one layer
MAX_RECORDED_UNITS = 2**20  # numbers in one recorded layer output of a model netwarp does not run (a conv map)
MAX_LAYERS = 1000  # weight layers in one network: deeper ones take minutes per picture
# optimiser steps, and any step a trace records: the largest whole number a float64
# (and so the browser's JSON) holds exactly
MAX_STEPS = 2**53
MAX_DATA_VALUE = 1e12  # size of any input or target value; beyond it float64 training overflows or loses all precision
MAX_PARAM_VALUE = 1e12  # size of any recorded weight or bias: past it the pictures' forward passes overflow float64


def size_text(n: float) -> str:
    """A byte count for a message: ``"512 bytes"``, ``"3.2 MB"``, ``"2.0 GB"``."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"
