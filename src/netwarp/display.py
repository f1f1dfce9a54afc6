"""Notebook display hooks: a :class:`~netwarp.Trace` (and a sweep's result) shows
itself inline in Jupyter through ``_repr_html_`` / ``_repr_png_``, which call here.

The cards are drawn by :mod:`netwarp.outputs.card`, which sits above the Trace;
it registers its drawing functions when first loaded, by name, so that the Trace
never imports the renderers it would otherwise depend on in a cycle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

_CARDS: dict[tuple[str, str], Callable] = {}
# the modules that register cards when loaded: a Trace's and a sweep's, the views' results'
_DRAWERS = ("netwarp.outputs.card", "netwarp.outputs.view_cards")


def register(kind: str, fmt: str, draw: Callable) -> None:
    """Make ``draw(obj)`` the ``fmt`` ("html" or "png") card of objects of ``kind``."""
    _CARDS[(kind, fmt)] = draw


def card(kind: str, fmt: str, obj):
    """The ``fmt`` card of ``obj``, or None where there is none (so Jupyter falls back to text)."""
    if (kind, fmt) not in _CARDS:
        for module in _DRAWERS:
            importlib.import_module(module)  # registers its cards
    draw = _CARDS.get((kind, fmt))
    return None if draw is None else draw(obj)
