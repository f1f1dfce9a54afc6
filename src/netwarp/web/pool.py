"""The playground's compute pool, sized together with numpy's BLAS threads.

Every tab's training slices and frames run in one pool of threads. Each of
those threads may start a matrix product, and each product runs on numpy's BLAS
threads, so pool threads x BLAS threads is how many threads want a core at
once; beyond the cores, a product waits for a thread that lost its core and
the whole slice stalls (measured: two BLAS threads under a two-thread pool on 2
cores trained digits 64-8x64-10 at a tenth of one thread's speed). So
:func:`configure` keeps the product within the cores: by default one BLAS thread
and one pool thread per core; ``netwarp serve --threads N`` (or
``NETWARP_THREADS=N``) gives each product ``N`` BLAS threads and the pool
``cores // N`` threads.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .. import threads

_executor: ThreadPoolExecutor | None = None
_shape: tuple[int, int] | None = None  # (pool threads, BLAS threads) of the pool now


def configure(blas: int | None = None) -> tuple[int, int]:
    """Size the pool and set the BLAS threads so their product never exceeds the cores.

    Parameters
    ----------
    blas : int, optional
        BLAS threads per product (``netwarp serve --threads``); default
        ``NETWARP_THREADS``, else 1.

    Returns
    -------
    (pool threads, BLAS threads)
    """
    global _executor, _shape
    if blas is not None:
        threads.set_threads(blas)
    n = threads.fixed() or 1
    shape = (max(1, threads.cores() // n), n)
    threads.set_cap(n)
    threads.apply(n)  # process-wide: frames and views run on these threads too, not only training
    if shape != _shape:
        old, _executor, _shape = _executor, ThreadPoolExecutor(max_workers=shape[0], thread_name_prefix="netwarp-compute"), shape
        if old is not None:
            old.shutdown(wait=False)  # calls already queued there still run
    return shape


def executor() -> ThreadPoolExecutor:
    """The pool (configured with the defaults on first use)."""
    if _executor is None:
        configure()
    return _executor


def describe() -> str:
    """``"2 pool threads x 1 BLAS thread"`` for the server's start line."""
    if _shape is None:
        configure()
    p, b = _shape
    return f"{p} compute thread{'s' if p > 1 else ''} x {b} BLAS thread{'s' if b > 1 else ''} on {threads.cores()} cores"
