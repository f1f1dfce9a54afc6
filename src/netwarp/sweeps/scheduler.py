"""Reaching a Dask scheduler: one clear line within :data:`SCHEDULER_SECONDS` when it cannot be.

Before a ``distributed.Client`` is made, the address is asked for the
scheduler's identity over Dask's own protocol, in a thread with its own event
loop and one deadline. A ``Client`` that fails half-way keeps trying to close
itself for 10 s more and prints an "Exception ignored in Client.__del__"
traceback; a port that speaks another protocol makes Dask's reader fail with
anything up to MemoryError. Neither happens here.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from urllib.parse import urlsplit

from ..errors import NetwarpError

SCHEDULER_SECONDS = 5.0  # an unreachable scheduler is reported within seconds, not minutes


def _host_port(address: str) -> tuple[str, int]:
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        raise NetwarpError(f"--scheduler takes tcp://HOST:PORT, got {address!r:.80}")
    return parts.hostname, port


async def _identity(address: str, seconds: float) -> dict:
    from distributed.comm import connect as dask_connect

    comm = await dask_connect(address, timeout=seconds)
    try:
        await comm.write({"op": "identity", "n_workers": 0, "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def probe(address: str, seconds: float = SCHEDULER_SECONDS) -> None:
    """Check that a Dask scheduler answers at ``address`` (``tcp://HOST:PORT``), or raise one line.

    Raises
    ------
    NetwarpError
        The address is malformed, nothing listens there, the peer does not speak
        Dask's protocol or is not a scheduler, or no answer came within ``seconds``.
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise NetwarpError("--scheduler needs Dask distributed: pip install 'netwarp[dask]'") from None
    host, port = _host_port(address)
    said = f"cannot reach the Dask scheduler at {address}"
    try:  # a refused connection is known at once; Dask's own connect would retry it until its timeout
        socket.create_connection((host, port), timeout=seconds).close()
    except OSError as e:
        raise NetwarpError(f"{said}: {e.strerror or type(e).__name__}") from None
    answer: dict = {}

    def ask() -> None:  # its own thread and event loop: the caller may be inside one (Jupyter)
        try:
            answer["reply"] = asyncio.run(asyncio.wait_for(_identity(address, seconds), seconds))
        except BaseException as e:  # noqa: BLE001 - whatever a stranger's bytes make the reader raise
            answer["error"] = e

    thread = threading.Thread(target=ask, name="netwarp-scheduler-probe", daemon=True)
    thread.start()
    thread.join(seconds + 1)  # the loop's own deadline ends it sooner; a reader stuck beyond is left behind
    error, reply = answer.get("error"), answer.get("reply")
    if thread.is_alive() or isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        raise NetwarpError(f"{said} within {seconds:g} s: no answer") from None
    if error is not None:
        why = (str(error).splitlines() or [""])[0][:80] or type(error).__name__
        raise NetwarpError(f"{said}: it does not answer as a Dask scheduler ({why})") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise NetwarpError(f"{said}: something else answers there, not a Dask scheduler")


def connect(address: str):
    """A Dask client of the scheduler at ``address`` (``tcp://HOST:PORT``), or one clear line."""
    probe(address)
    from distributed import Client

    try:
        return Client(address, timeout=f"{SCHEDULER_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:  # gone between the probe and now
        why = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise NetwarpError(f"cannot reach the Dask scheduler at {address} within {SCHEDULER_SECONDS:g} s: {why}") from None
