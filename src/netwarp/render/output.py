"""Output paths: check them before any work; :func:`atomic_output` writes them."""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_output, check_writable
from ..errors import NetwarpError

__all__ = ["EXTENSIONS", "atomic_output", "check_output"]

EXTENSIONS = {  # file extension -> the kind of output it is
    ".png": "image",
    ".svg": "image",
    ".gif": "animation",
    ".mp4": "animation",
    ".html": "report",
    ".htm": "report",
}


def check_output(path: str | Path, kind: str) -> Path:
    """Check that ``path`` has an extension of ``kind`` and a writable folder.

    Parameters
    ----------
    path : str or Path
    kind : {"image", "animation", "report"}

    Returns
    -------
    Path

    Raises
    ------
    NetwarpError
        Unknown extension (naming the ones that work), or a path that cannot
        be written (see :func:`netwarp.atomic.check_writable`).
    """
    path = Path(path)
    ext = path.suffix.lower()
    allowed = [e for e, k in EXTENSIONS.items() if k == kind and e != ".htm"]
    if EXTENSIONS.get(ext) != kind:
        shown = f"'{ext}'" if ext else "no extension"
        raise NetwarpError(f"cannot write {path}: {shown} is not a known {kind} format; use {' or '.join(allowed)}")
    return check_writable(path)
