"""Fair turns at the compute pool: the tab that has computed least lately goes next.

Every tab's work (a training slice, a message, a frame) runs in the compute
pool (:mod:`.pool`). First come, first served was unfair both ways: a tab
training the largest network queued a 20 ms slice in front of every hand
edit, and, worse, two calls running at once in two threads fight for the GIL:
each of the training tab's hundreds of small numpy calls per step gives the
GIL up and then waits up to the interpreter's switch interval (5 ms) for the
other tab's Python-heavy frame building to hand it back, so the training tab
measured 140 steps/s alone and 0 while a second tab edited.

So calls take turns (:class:`Turns`), as many at once as the pool has threads
(one by default), and when several tabs wait, the one with the least compute
time over the last seconds (:data:`MEMORY`), measured when the slot frees, goes
first, unless a tab has been passed over for longer than :data:`PATIENCE`: then it
goes next, so a training tab keeps a share however fast another edits. A tab that edits uses
a few milliseconds a turn and so always comes next, waiting at most one
slice of the other's; a tab that trains takes every turn the others leave,
which is most of them.

An edit takes two calls (the message, then the frame that answers it), and
the tab asks for the second only after the first returns, by which time a
waiting tab would already have the slot. So when the tab that just finished has
used less than every waiting tab, its slot is kept for it for :data:`GRACE`
(anticipation, as disk schedulers do for a reader about to read on): the
frame follows its message at once, instead of after another training slice.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from . import pool

MEMORY = 2.0  # seconds: compute time used longer ago than this counts less and less (exponential decay)
GRACE = 0.003  # seconds a finished light tab's slot waits for its next call before it is handed on
PATIENCE = 0.04  # seconds a waiting tab may be passed over for lighter ones; then it goes next (no tab starves)
T = TypeVar("T")
tab: ContextVar[object] = ContextVar("netwarp_tab", default=None)  # whose calls these are (set by live.run)


class _Nobody:
    """The owner of calls made outside a tab (kept weakly like the tabs)."""


_NOBODY = _Nobody()


class Turns:
    """A fair queue in front of the compute pool (used from the event loop's thread only)."""

    def __init__(self) -> None:
        self.running = 0
        # (arrival, tab, turn): ranked when a slot frees, by each tab's use *then* (a rank taken on
        # arrival goes stale: a training tab queued at its busiest would wait behind an editor forever)
        self._waiting: list[tuple[int, object, asyncio.Future, float]] = []
        self._seq = itertools.count()
        self._used: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tab -> (decayed seconds, when)
        self._held: object = None  # the tab a slot is kept for (GRACE), or None
        self._hold_timer: asyncio.TimerHandle | None = None

    def used(self, key: object) -> float:
        """Compute seconds ``key``'s calls used lately (decayed over :data:`MEMORY`)."""
        s, when = self._used.get(key, (0.0, 0.0))
        return s * math.exp(-(time.monotonic() - when) / MEMORY)

    async def run(self, key: object, fn: Callable[..., T], *args) -> T:
        """Run ``fn(*args)`` in the pool when ``key``'s turn comes."""
        loop = asyncio.get_running_loop()
        if self._held is not None and self._held is key:
            self._unhold()  # its kept slot, still counted as running
        elif self.running < pool.threads_in_pool() and not self._waiting:
            self.running += 1
        else:
            turn = loop.create_future()
            self._waiting.append((next(self._seq), key, turn, time.monotonic()))
            try:
                await turn  # the slot is handed over already counted
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._next()  # granted, but the tab went away: pass the slot on
                raise
        t0 = time.perf_counter()
        job = loop.run_in_executor(pool.executor(), fn, *args)
        # the slot is free when the call ends in its thread, even if the tab stops waiting for it
        job.add_done_callback(lambda _: self._done(key, time.perf_counter() - t0))
        return await asyncio.shield(job)

    def _done(self, key: object, seconds: float) -> None:
        self._used[key] = (self.used(key) + seconds, time.monotonic())
        if (self._held is None and self._waiting and not self._overdue()
                and self.used(key) < min(self.used(w[1]) for w in self._waiting)):
            # the lighter tab will likely call again at once (an edit's frame): keep its slot a moment
            self._held = key
            self._hold_timer = asyncio.get_running_loop().call_later(GRACE, self._release_held)
            return
        self._next()

    def _overdue(self) -> list[int]:
        """Indices of the waiting calls that have waited longer than :data:`PATIENCE`, earliest first."""
        now = time.monotonic()
        return [j for j, w in enumerate(self._waiting) if now - w[3] > PATIENCE]

    def _unhold(self) -> None:
        self._held = None
        if self._hold_timer is not None:
            self._hold_timer.cancel()
            self._hold_timer = None

    def _release_held(self) -> None:
        self._hold_timer = None
        self._held = None
        self._next()

    def _next(self) -> None:
        self.running -= 1
        while self._waiting and self.running < pool.threads_in_pool():
            # a tab passed over for PATIENCE goes first; else the one that has used least lately, measured
            # now (the earliest among equals)
            late = self._overdue()
            i = late[0] if late else min(range(len(self._waiting)),
                                         key=lambda j: (self.used(self._waiting[j][1]), self._waiting[j][0]))
            _, _, turn, _ = self._waiting.pop(i)
            if not turn.done():
                self.running += 1
                turn.set_result(None)


_TURNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # one queue per event loop (a test's server has its own)


async def compute(fn: Callable[..., T], *args) -> T:
    """Run ``fn(*args)`` in the pool on the current tab's turn (:data:`tab`)."""
    loop = asyncio.get_running_loop()
    turns = _TURNS.get(loop)
    if turns is None:
        turns = _TURNS[loop] = Turns()
    key = tab.get()
    return await turns.run(_NOBODY if key is None else key, fn, *args)
