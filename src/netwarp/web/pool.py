"""The playground's compute pool, sized together with numpy's BLAS threads.

Every tab's training slices and frames run in one pool of threads. Each of
those threads may start a matrix product, and each product runs on numpy's BLAS
threads, so pool threads x BLAS threads is how many threads want a core at
once; beyond the cores, a product waits for a thread that lost its core and
the whole slice stalls (measured: two BLAS threads under a two-thread pool on 2
cores trained digits 64-8x64-10 at a tenth of one thread's speed). And two pool
threads gain little for netwarp's networks: their many small numpy calls hold
the GIL, and two threads passing it back and forth starve the one that trains
(:mod:`.turns`). So the pool has one thread, the tabs take fair turns at it,
and each product may use up to all the cores' BLAS threads: one for all but the
largest networks, whose steps time one against more (:mod:`netwarp.threads`).
``netwarp serve --threads N`` (or ``NETWARP_THREADS=N``) fixes the BLAS threads.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .. import threads

_executor: ThreadPoolExecutor | None = None
_shape: tuple[int, int] | None = None  # (pool threads, BLAS threads) of the pool now


def configure(blas: int | None = None) -> tuple[int, int]:
    """Size the pool and the BLAS threads so their product never exceeds the cores.

    Parameters
    ----------
    blas : int, optional
        BLAS threads per product (``netwarp serve --threads``); default
        ``NETWARP_THREADS``, else chosen per network, at most the cores.

    Returns
    -------
    (pool threads, most BLAS threads a product may use)
    """
    global _executor, _shape
    if blas is not None:
        threads.set_threads(blas)
    workers = 1
    most = threads.fixed() or max(1, threads.cores() // workers)
    threads.set_cap(most)
    threads.apply(threads.fixed() or 1)  # process-wide: frames and views; a training slice sets its own
    shape = (workers, most)
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="netwarp-compute")
    _shape = shape
    return shape


def threads_in_pool() -> int:
    """Calls the pool runs at once."""
    return executor()._max_workers


def executor() -> ThreadPoolExecutor:
    """The pool (configured with the defaults on first use)."""
    if _executor is None:
        configure()
    return _executor


def describe() -> str:
    """``"1 compute thread x up to 2 BLAS threads on 2 cores"``, for the server's start line."""
    if _shape is None:
        configure()
    p, b = _shape
    how = "" if threads.fixed() else "up to "
    return f"{p} compute thread{'s' if p > 1 else ''} x {how}{b} BLAS thread{'s' if b > 1 else ''} on {threads.cores()} cores"
