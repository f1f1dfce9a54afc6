"""What every animation scene shares: argument checks, frame sizes, fonts and point radii."""

from __future__ import annotations

import numpy as np

from ..errors import NetwarpError, whole_number
from ..trace import Trace

KINDS = ("training", "morph", "rotate", "weights", "path")  # the kinds of animation
DEFAULT_FRAMES = {"training": 60, "morph": 48, "rotate": 48}
DEFAULT_SIZE = {"training": 1280, "morph": 800, "rotate": 800}  # projector-sized: readable from the back of a classroom
MAX_FRAMES, MIN_SIZE, MAX_SIZE = 2000, 96, 4096
LINES, SAMPLES = 21, 50  # grid density that stays legible at a few hundred pixels


def check_count(name: str, v, lo: int, hi: int) -> int:
    """``v`` as a whole number from ``lo`` to ``hi``, or a one-line NetwarpError naming ``name``."""
    return whole_number(name, v, lo, hi)


def check_plane(trace: Trace, what: str) -> None:
    """Animations draw a classifier's spaces (the input plane, or any input along its classes' split),
    or a one-line error."""
    if trace.arch.task != "classification":
        raise NetwarpError(f"{what} animations need a classifier; this trace is a regression")


def even(v: float) -> int:
    """``v`` rounded to an even number of pixels (video encoders need even sizes), at least 2."""
    return max(2, int(round(v / 2)) * 2)


def point_radius(panel: int) -> float:
    """Point radius in pixels for a panel ``panel`` pixels wide."""
    return float(np.clip(panel / 130, 1.6, 4.0))


def font_size(width: int) -> int:
    """Caption font size in pixels for a frame ``width`` pixels wide."""
    return int(np.clip(width / 40, 10, 22))
