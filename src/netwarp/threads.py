"""How many BLAS threads netwarp's numerics use: chosen for the network, not inherited.

numpy's OpenBLAS starts one thread per core and spins them on every matrix
product. For netwarp's small networks that is a loss even on a quiet machine
(the threads cost more to wake than the product takes), and on a busy one it
is a collapse: a product waits for whichever of its threads lost its core to
another process. Measured on a 2-core machine at load 5 (``bench/load.py``),
one digits step of 64-8x64-10 (1347 x 64 x 64 products) ran 51 steps/s on
one thread and 8 steps/s on two; a 600-point 2-8-8-2 step never gains from a
second thread; only products of tens of millions of multiply-adds sometimes
gained (up to 1.8x) in the machine's quiet moments.

So a network whose largest product is below :data:`CROSSOVER` multiply-adds
runs on one thread. A larger one starts on one and now and then tries more
(:class:`ThreadChoice`), keeping whichever is faster per step right now: the
answer changes with the load, which no fixed table can know.

``NETWARP_THREADS=N`` in the environment, or :func:`set_threads` (``netwarp
serve --threads N``), fixes the number instead; :func:`set_cap` bounds it (the
playground: pool threads x BLAS threads never exceed the cores).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import NetwarpError

ENV = "NETWARP_THREADS"
CROSSOVER = 1 << 24  # multiply-adds in one product (about 17 M): below, a second thread never paid here
PROBE_STEPS = 2  # steps timed on the other thread count when trying it
PROBE_AFTER = 2.0  # seconds before the first try of another count; doubles after each try it loses
PROBE_MAX = 60.0

_fixed: int | None = None  # set_threads()
_cap: int | None = None  # set_cap()
_blas = None  # the BLAS libraries' controllers (threadpoolctl), found once


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def set_threads(n: int | None) -> None:
    """Fix netwarp's BLAS threads at ``n`` (None: choose again, or read ``NETWARP_THREADS``)."""
    global _fixed
    _fixed = None if n is None else _whole(n, "--threads")


def set_cap(n: int | None) -> None:
    """At most ``n`` BLAS threads per computation (None: the cores)."""
    global _cap
    _cap = None if n is None else max(1, int(n))


def fixed() -> int | None:
    """The number given by :func:`set_threads` or ``NETWARP_THREADS``, or None when netwarp chooses."""
    if _fixed is not None:
        return _fixed
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        return _whole(int(text), ENV)
    except ValueError:
        raise NetwarpError(f"{ENV} must be a whole number of threads from 1 to 256, got {text!r}") from None


def _whole(n: int, name: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 256:
        raise NetwarpError(f"{name} must be a whole number of threads from 1 to 256, got {n!r}")
    return n


def candidates(work: int) -> list[int]:
    """The BLAS thread counts worth trying for products of ``work`` multiply-adds, fewest first."""
    n = fixed()
    if n is not None:
        return [n]
    if work < CROSSOVER:
        return [1]
    top = min(cores(), _cap or cores())
    return [1] if top <= 1 else [1, top]


def product_work(sizes: tuple[int, ...] | list[int], rows: int) -> int:
    """Multiply-adds of the largest matrix product in a pass of ``rows`` points through layers ``sizes``."""
    return int(rows) * max((a * b for a, b in zip(sizes[:-1], sizes[1:])), default=0)


def _libs() -> list:
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController  # a scikit-learn dependency
        except ImportError:  # pragma: no cover - scikit-learn always brings it
            _blas = []
        else:
            _blas = ThreadpoolController().select(user_api="blas").lib_controllers
    return _blas


def current() -> int | None:
    """The BLAS threads numpy uses now (None when no BLAS library is found)."""
    libs = _libs()
    return libs[0].get_num_threads() if libs else None


@contextmanager
def blas_threads(n: int) -> Iterator[int]:
    """Run the block with ``n`` BLAS threads, then restore the number before it.

    Cheap (a few microseconds): meant to wrap every slice of training.
    """
    libs = _libs()
    before = [lib.get_num_threads() for lib in libs]
    for lib, b in zip(libs, before):
        if b != n:
            lib.set_num_threads(n)
    try:
        yield n
    finally:
        for lib, b in zip(libs, before):
            if b != n:
                lib.set_num_threads(b)


def apply(n: int) -> None:
    """Set numpy's BLAS threads to ``n`` for the whole process (the playground server at start)."""
    for lib in _libs():
        lib.set_num_threads(n)


class ThreadChoice:
    """The BLAS threads for one network's steps: one below :data:`CROSSOVER`, else the faster of those tried.

    Parameters
    ----------
    work : int
        Multiply-adds of the network's largest product (:func:`product_work`).
    """

    def __init__(self, work: int):
        self.work = int(work)
        self.options = candidates(self.work)
        self.threads = self.options[0]
        self.why = ("fixed by " + (ENV if _fixed is None else "--threads")) if fixed() is not None else (
            f"largest product {self.work / 1e6:.1f} M multiply-adds < {CROSSOVER / 1e6:.0f} M: one thread" if len(self.options) == 1
            else "timed: the faster of " + " and ".join(map(str, self.options)))
        self._speed: dict[int, float] = {}  # threads -> seconds per step, smoothed
        self._wait, self._next = PROBE_AFTER, time.monotonic() + PROBE_AFTER

    def plan(self, n: int) -> tuple[int, int]:
        """``(threads, steps)``: how many of ``n`` steps to run next, and on how many threads."""
        if len(self.options) == 1:
            return self.threads, n
        untried = [t for t in self.options if t not in self._speed]
        if self.threads in self._speed and (untried or time.monotonic() >= self._next):
            other = untried[0] if untried else next(t for t in self.options if t != self.threads)
            return other, min(n, PROBE_STEPS)
        return self.threads, n

    def observe(self, threads: int, seconds_per_step: float) -> None:
        """Record a timing; switch to the fastest count, and space out tries that lose."""
        if len(self.options) == 1:
            return
        old = self._speed.get(threads)
        self._speed[threads] = seconds_per_step if old is None else 0.5 * old + 0.5 * seconds_per_step
        if threads != self.threads:  # a try of another count
            best = min(self._speed, key=self._speed.get)
            if best == self.threads:
                self._wait = min(PROBE_MAX, self._wait * 2)
            else:
                self.threads, self._wait = best, PROBE_AFTER
            self._next = time.monotonic() + self._wait
