"""Writing files atomically.

A file netwarp writes appears whole or not at all: everything is written to a
temporary file in the same folder (so ``os.replace`` is an atomic rename) and
moved into place only when complete; on any error the temporary file is removed
and any older file of that name is left as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
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


_NOT_REGULAR = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a block device"))


def target(path: str | Path) -> Path:
    """The file writing ``path`` replaces: ``path``, or, for a symbolic link to a regular
    file, the file it points to (so the link keeps working).

    Raises
    ------
    NetwarpError
        ``path`` exists and is not a regular file (a FIFO, a socket, a device, a
        folder): replacing it would destroy it, and opening a FIFO hangs the writer.
    """
    path = Path(path)
    try:
        st = os.stat(path)  # follows links; never opens the file, so a FIFO cannot block here
    except FileNotFoundError:  # nothing there yet (or a dangling link, which is replaced)
        return path
    except OSError as e:
        raise NetwarpError(f"cannot write {path}: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = next((f"it is {kind}, not" for test, kind in _NOT_REGULAR if test(st.st_mode)), "it is not")
        raise NetwarpError(f"cannot write {path}: {kind} a regular file")
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def check_writable(path: str | Path) -> Path:
    """Check, by really writing a scratch file beside it, that ``path`` can be written.

    Done before long work, so a run or a render is not computed only to find
    that its file cannot be saved (a read-only or missing folder, a full disk,
    a name too long for the file system).

    Raises
    ------
    NetwarpError
        One line naming ``path`` and the reason.
    """
    shown = Path(path)
    path = target(path)
    try:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise NetwarpError(f"cannot write {shown}: folder {folder} does not exist")
        if len(os.fsencode(path.name)) + len(".part") + 16 > os.pathconf(folder, "PC_NAME_MAX"):
            raise NetwarpError(f"cannot write {shown}: the file name is too long ({len(path.name)} characters)")
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".netwarp-check-") as fh:
            fh.write(b"netwarp")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as e:
        raise NetwarpError(f"cannot write {shown}: {e.strerror or e}") from None
    return shown


def beside(path: str | Path, tag: str) -> Path:
    """A name next to ``path`` that is free: ``run.npz`` -> ``run.interrupted.npz``, then
    ``run.interrupted-2.npz``, ... (``tag`` = ``"interrupted"``).

    For a partial result that must not replace a complete one already at ``path``.
    """
    path = Path(path)
    for i in range(1, 10_000):
        candidate = path.with_name(f"{path.stem}.{tag}{'' if i == 1 else f'-{i}'}{path.suffix}")
        if not os.path.lexists(candidate):
            return candidate
    raise NetwarpError(f"cannot write beside {path}: 9,999 {tag} files are already there")


def write_or_rescue(path: str | Path, write: Callable[[Path], None]) -> tuple[Path, str | None]:
    """``write(path)``; if that fails, ``write`` to a rescue file in the temporary folder instead.

    For results that took long to compute (a training run): a full disk or a
    folder that became read-only must not lose them.

    Returns
    -------
    written : Path
        Where the result is.
    problem : str or None
        None when ``path`` was written, else one line saying why not and where the result went.

    Raises
    ------
    NetwarpError
        Neither ``path`` nor the rescue file could be written.
    """
    path = Path(path)
    try:
        write(path)
        return path, None
    except NetwarpError as first:
        rescue = Path(tempfile.gettempdir()) / f"netwarp-rescued-{os.getpid()}-{path.name[-100:]}"
        try:
            write(rescue)
        except NetwarpError as second:
            raise NetwarpError(f"{first}; it could not be kept anywhere else either ({second})") from None
        return rescue, f"{first}; kept it in {rescue} instead"


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` on success.

    The temporary name keeps the extension, so tools that pick a format by it
    (ffmpeg, matplotlib) still do. Only a regular file (or a link to one, which
    is followed) is replaced: anything else at ``path`` is refused, before
    the work and again just before the rename.
    """
    shown = Path(path)
    path = target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=f".part{path.suffix}")
    except OSError as e:
        raise NetwarpError(f"cannot write {shown}: {e.strerror or e}") from None
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:  # on disk before the rename, so a crash cannot leave it empty
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the usual permissions
        target(shown)  # still nothing but a regular file there (a FIFO may have been made meanwhile)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise NetwarpError(f"cannot write {shown}: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
