"""Derived constants of a trace's data that several views reuse (the plot
range, the data stacked with an input grid), cached by the views that compute them.

A Trace's data arrays are never modified after it is made, so a value computed
from them stays valid for the trace's life; the cache holds the trace weakly and
is emptied with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

from ..trace import Trace

T = TypeVar("T")
MAX_ENTRIES = 64  # per trace: many different grids asked for should not be hoarded

_cache: weakref.WeakKeyDictionary[Trace, dict] = weakref.WeakKeyDictionary()


def cached(trace: Trace, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered for ``trace`` under ``key``."""
    entries = _cache.setdefault(trace, {})
    if key not in entries:
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
        entries[key] = compute()
    return entries[key]


def peek(trace: Trace, key: Hashable) -> object | None:
    """What :func:`cached` holds for ``trace`` under ``key``, or None without computing it."""
    return _cache.get(trace, {}).get(key)
