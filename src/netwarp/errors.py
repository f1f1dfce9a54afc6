"""The one exception type netwarp raises for bad input.

Every message is a single line that names the problem, so the CLI and the web
server can show it as it is, without a traceback.
"""


class NetwarpError(ValueError):
    """Bad input or a state netwarp cannot work with; ``str(err)`` is one line."""


class TrainingDiverged(RuntimeWarning):
    """Training stopped because the loss became NaN or infinite."""


class SnapshotsThinned(UserWarning):
    """Fewer snapshots than asked for are recorded, to keep a large network's run within memory."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C (or, in the command line, SIGTERM) stopped training.

    Still a KeyboardInterrupt, so a loop of runs stops; ``trace`` holds every
    snapshot recorded before it (status ``"interrupted"``), so nothing is lost.
    """

    def __init__(self, trace: object):
        super().__init__(getattr(trace, "message", "training interrupted"))
        self.trace = trace


def whole_number(name: str, v: object, lo: int, hi: int | None = None) -> int:
    """``v`` as an int in ``lo..hi`` (no upper bound when ``hi`` is None), or a
    one-line error naming the range. Booleans and floats are refused, even 3.0."""
    import numpy as np

    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo or (hi is not None and v > hi):
        bound = f">= {lo}" if hi is None else f"from {lo} to {hi}"
        raise NetwarpError(f"{name} must be a whole number {bound}, got {v!r}")
    return int(v)


def unknown_name(kind: str, name: object, table: dict) -> NetwarpError:
    """The error for a name missing from one of netwarp's name tables."""
    return NetwarpError(f"unknown {kind} {name!r}; choose one of: {', '.join(table)}")
