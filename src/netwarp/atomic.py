"""Writing files atomically.

A file netwarp writes appears whole or not at all: everything is written to a
temporary file in the same folder (so ``os.replace`` is an atomic rename) and
moved into place only when complete; on any error the temporary file is removed
and any older file of that name is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NetwarpError


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# read once at import: os.umask can only be read by setting it, which would race
# with threads writing files at the same moment
_UMASK = _read_umask()


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
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
        with open(tmp, "rb+") as fh:  # on disk before the rename, so a crash cannot leave it empty
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise NetwarpError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
