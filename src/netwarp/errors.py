"""The one exception type netwarp raises for bad input.

Every message is a single line that names the problem, so the CLI and the web
server can show it as it is, without a traceback.
"""


class NetwarpError(ValueError):
    """Bad input or a state netwarp cannot work with; ``str(err)`` is one line."""


class TrainingDiverged(RuntimeWarning):
    """Training stopped because the loss became NaN or infinite."""


def unknown_name(kind: str, name: object, table: dict) -> NetwarpError:
    """The error for a name missing from one of netwarp's name tables."""
    return NetwarpError(f"unknown {kind} {name!r}; choose one of: {', '.join(table)}")
