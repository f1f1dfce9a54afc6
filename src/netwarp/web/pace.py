"""Slow motion: how many optimiser steps a paced run may take by now.

A class has to see the boundary bend and the grid fold, so the page can ask
for a run at ``speed`` steps per second (the ``speed`` setting). :class:`Pace`
counts the steps due since playing started on a clock it is given (so a test
can drive it by hand); the websocket loop waits until :meth:`Pace.wait` says
the next step is due instead of training flat out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

BACKLOG = 0.25  # seconds of steps a late loop may catch up on; more is dropped (no burst after a stall)


class Pace:
    """Steps due at ``speed`` steps per second.

    Parameters
    ----------
    clock : callable, optional
        Seconds, monotonic (default :func:`time.perf_counter`).
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter):
        self.clock = clock
        self.speed: int | None = None  # None: as fast as it goes
        self._t0 = 0.0
        self._taken = 0

    @property
    def paced(self) -> bool:
        return self.speed is not None

    def start(self, speed: int | None) -> None:
        """Count from now at ``speed`` steps per second (None: unpaced)."""
        self.speed, self._t0, self._taken = speed, self.clock(), 0

    def due(self) -> int:
        """Steps that may be taken now (a large number when unpaced)."""
        if self.speed is None:
            return 2**31
        n = math.floor((self.clock() - self._t0) * self.speed + 1e-9) - self._taken  # 1e-9: 0.1 s at 10/s is one step
        late = n - max(1, math.ceil(BACKLOG * self.speed))
        if late > 0:  # the loop was held up: forget the steps it missed rather than rush them
            self._taken += late
            n -= late
        return max(0, n)

    def took(self, k: int) -> None:
        """Record that ``k`` steps were taken."""
        self._taken += k

    def wait(self) -> float:
        """Seconds until the next step is due (0 when one is due now or unpaced)."""
        if self.speed is None:
            return 0.0
        return max(0.0, self._t0 + (self._taken + 1) / self.speed - self.clock())
