"""Output paths: check them before any work, write them atomically.

A file netwarp writes appears whole or not at all: everything is written to a
temporary file in the same folder (so ``os.replace`` is an atomic rename) and
moved into place only when complete; on any error the temporary file is removed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NetwarpError

KINDS = {
    ".png": "image",
    ".svg": "image",
    ".gif": "animation",
    ".mp4": "animation",
    ".html": "report",
    ".htm": "report",
}


def check_output(path, kind: str) -> Path:
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
        Unknown extension (naming the ones that work), a missing or read-only
        folder, or a path that is a folder.
    """
    path = Path(path)
    ext = path.suffix.lower()
    allowed = [e for e, k in KINDS.items() if k == kind and e != ".htm"]
    if KINDS.get(ext) != kind:
        shown = f"'{ext}'" if ext else "no extension"
        raise NetwarpError(f"cannot write {path}: {shown} is not a known {kind} format; use {' or '.join(allowed)}")
    if path.is_dir():
        raise NetwarpError(f"cannot write {path}: it is a folder")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise NetwarpError(f"cannot write {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NetwarpError(f"cannot write {path}: folder {folder} is not writable")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` on success.

    The temporary name keeps the extension, so tools that pick a format by it
    (ffmpeg, matplotlib) still do.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=f".part{path.suffix}")
    except OSError as e:
        raise NetwarpError(f"cannot write {path}: {e.strerror or e}") from None
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise NetwarpError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
