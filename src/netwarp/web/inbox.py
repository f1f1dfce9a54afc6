"""A tab's incoming messages waiting for the session: bounded in count and in bytes.

The websocket reader takes every message off the socket at once (so a
``pause`` is seen while a ``step`` request trains), which left the waiting
messages unbounded: a page sending CSV uploads faster than they are built grew
the server by hundreds of megabytes. Beyond :data:`MAX_WAITING` messages or
:data:`MAX_WAITING_BYTES`, a new message is dropped and counted, and the tab
is told once per burst (:meth:`Inbox.drop_notice`); the next frame puts its
controls back to what the server has.
"""

from __future__ import annotations

import asyncio
import sys

from ..limits import size_text

MAX_WAITING = 256  # messages: a slider drag sends ~60 a second, each handled in well under a millisecond
MAX_WAITING_BYTES = 8 * 2**20  # five of the largest messages (a CSV upload, ~1.5 MB) at once


class Inbox(asyncio.Queue):
    """An ``asyncio.Queue`` of raw messages that drops what goes past its bounds.

    Parameters
    ----------
    max_messages : int, optional
        Messages that may wait at once (default :data:`MAX_WAITING`).
    max_bytes : int, optional
        Memory the waiting messages may take, as Python holds them (default :data:`MAX_WAITING_BYTES`).

    Attributes
    ----------
    dropped : int
        Messages dropped since the last :meth:`drop_notice`.
    """

    def __init__(self, max_messages: int | None = None, max_bytes: int | None = None):
        super().__init__()
        # the module's bounds read when made, so a test can lower them
        self.max_messages = MAX_WAITING if max_messages is None else max_messages
        self.max_bytes = MAX_WAITING_BYTES if max_bytes is None else max_bytes
        self.bytes = 0
        self.dropped = 0

    def put_nowait(self, item: object) -> None:
        """Queue ``item`` (a raw message, or the reader's end marker), unless a message would pass the bounds."""
        if isinstance(item, (str, bytes)):
            size = sys.getsizeof(item)
            if self.qsize() >= self.max_messages or self.bytes + size > self.max_bytes:
                self.dropped += 1
                return
            self.bytes += size
        super().put_nowait(item)  # asyncio.Queue.put ends here too

    def get_nowait(self) -> object:
        item = super().get_nowait()  # asyncio.Queue.get ends here too
        if isinstance(item, (str, bytes)):
            self.bytes -= sys.getsizeof(item)
        return item

    def drop_notice(self) -> dict | None:
        """The error message for the page when messages were dropped since the last call, else None."""
        if not self.dropped:
            return None
        n, self.dropped = self.dropped, 0
        return {"type": "error", "message": f"{n} message{'s' if n > 1 else ''} from this page dropped: it sent them faster "
                f"than the server could handle them (at most {self.max_messages} messages or "
                f"{size_text(self.max_bytes)} may wait); the page shows the server's state again"}
