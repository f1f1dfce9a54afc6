"""Colours shared by every renderer and by the web playground.

The look is TensorFlow Playground's: orange and blue classes, a pale background
tinted by the predicted class (stronger where the network is more sure), and an
orange-white-blue diverging scale for weights. Everything here is plain lists
and numpy, so :func:`palette_json` can be sent to the browser as it is.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.colors import LinearSegmentedColormap

# class colours: the Playground's orange and blue first, then Tableau-like hues
# distinct enough for 10 digit classes
CLASS_COLORS: list[str] = [
    "#f59322",
    "#0877bd",
    "#2ca02c",
    "#9467bd",
    "#d62728",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]
BACKGROUND = "#ffffff"
INK = "#222222"  # text and outlines
GRID_LINE = "#4a4a4a"  # warped grid lines
MUTED = "#9a9a9a"
# how strongly the field is tinted by its class: FIELD_TINT[0] even at a 50/50
# boundary (so every pixel shows its argmax class), up to FIELD_TINT[1] when sure
FIELD_TINT: tuple[float, float] = (0.14, 0.62)
# weights: negative orange, zero pale grey, positive blue (stops at -1, 0, 1)
WEIGHT_STOPS: list[tuple[float, str]] = [(-1.0, "#f59322"), (0.0, "#e8eaeb"), (1.0, "#0877bd")]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` to an ``(r, g, b)`` tuple of ints in 0..255."""
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def class_rgb(k: int) -> np.ndarray:
    """Class colours for ``k`` classes, uint8 array of shape ``(k, 3)`` (cycled past 10)."""
    return np.array([hex_to_rgb(CLASS_COLORS[i % len(CLASS_COLORS)]) for i in range(k)], dtype=np.uint8)


def field_rgb(probs: np.ndarray) -> np.ndarray:
    """The background colour of a decision field.

    Each cell gets its argmax class colour mixed into white, by
    ``FIELD_TINT[0]`` at chance level up to ``FIELD_TINT[1]`` at certainty.
    Because even an unsure cell keeps a faint tint of its class, the decision
    boundary shows as a crisp colour edge and the class of every pixel can be
    read back from its colour (see :func:`rgb_class`).

    Parameters
    ----------
    probs : ndarray of shape (R, C, k)
        Class probabilities, summing to 1 along the last axis (``k >= 2``).

    Returns
    -------
    ndarray of shape (R, C, 3), uint8
    """
    words = field_words(probs)
    return np.ascontiguousarray(words.view(np.uint8).reshape(*words.shape, 4)[..., :3])


def field_words(probs: np.ndarray) -> np.ndarray:
    """:func:`field_rgb` packed as opaque little-endian RGBA words (what the raster canvas stores).

    Parameters
    ----------
    probs : ndarray of shape (R, C, k)

    Returns
    -------
    ndarray of shape (R, C), dtype ``<u4`` (byte 0 red, 1 green, 2 blue, 3 alpha = 255)
    """
    probs = np.asarray(probs)
    k = probs.shape[-1]
    if k == 2:
        # two classes: the label is the sign of p1 - p0 and the confidence |p1 - p0|
        d = probs[..., 1] - probs[..., 0]
        label = (d > 0).astype(np.intp)
        level = np.abs(d, out=d)
        level *= 255.0
    else:
        # argmax and max by a loop over the classes: numpy's reductions along a
        # short last axis are several times slower; strict ">" keeps the first
        # maximum, as argmax does
        best = probs[..., 0].copy()
        label = np.zeros(best.shape, dtype=np.intp)
        for j in range(1, k):
            better = probs[..., j] > best
            np.copyto(best, probs[..., j], where=better)
            label[better] = j
        level = (best - 1.0 / k) * (255.0 * k / (k - 1))
    # confidence in 1/255 steps, looked up in a (class, level) table of packed colours
    level = np.clip(np.rint(level, out=level), 0, 255).astype(np.intp)
    label *= 256
    label += level
    return _field_table(k).take(label)


def field_ramp(k: int, levels: int) -> np.ndarray:
    """``levels`` evenly spaced field colours per class (``(k * levels, 3)`` uint8), from
    unsure to certain: reserved in a GIF palette so the field's gradient stays smooth."""
    words = _field_table(k).reshape(k, 256)[:, np.rint(np.linspace(0, 255, levels)).astype(np.intp)]
    return np.ascontiguousarray(words.ravel().view(np.uint8).reshape(-1, 4)[:, :3])


@lru_cache(maxsize=32)
def _field_table(k: int) -> np.ndarray:
    """``(k * 256,)`` packed colours: entry ``c * 256 + level`` is class ``c`` at confidence ``level / 255``."""
    white = np.array(hex_to_rgb(BACKGROUND), dtype=np.float64)
    colors = class_rgb(k).astype(np.float64)
    tint = FIELD_TINT[0] + (FIELD_TINT[1] - FIELD_TINT[0]) * np.linspace(0.0, 1.0, 256)
    rgb = np.clip(np.rint(white + (colors[:, None, :] - white) * tint[None, :, None]), 0, 255).astype(np.uint32)
    table = (rgb[..., 0] | (rgb[..., 1] << 8) | (rgb[..., 2] << 16) | np.uint32(0xFF000000)).astype("<u4").ravel()
    table.setflags(write=False)
    return table


def rgb_class(rgb: np.ndarray, k: int) -> np.ndarray:
    """Which class colour each tinted pixel leans towards (the inverse of :func:`field_rgb`).

    Parameters
    ----------
    rgb : ndarray of shape (..., 3)
    k : int
        Number of classes.

    Returns
    -------
    ndarray of shape (...,), int: the class whose direction from white best matches.
    """
    white = np.array(hex_to_rgb(BACKGROUND), dtype=np.float64)
    d = np.asarray(rgb, dtype=np.float64) - white
    c = class_rgb(k).astype(np.float64) - white
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    cos = (d @ c.T) / np.maximum(np.linalg.norm(d, axis=-1, keepdims=True), 1e-9)
    return cos.argmax(axis=-1)


def weight_rgb(w: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Diverging colours for weights: orange < 0 < blue.

    Parameters
    ----------
    w : ndarray of any shape
    scale : float, optional
        The magnitude drawn at full colour; ``max |w|`` when omitted.

    Returns
    -------
    ndarray of shape ``w.shape + (3,)``, uint8
    """
    w = np.asarray(w, dtype=np.float64)
    s = scale if scale is not None else float(np.abs(w).max(initial=0.0))
    t = np.clip(w / s, -1.0, 1.0) if s > 0 else np.zeros_like(w)
    xs = [x for x, _ in WEIGHT_STOPS]
    cols = np.array([hex_to_rgb(c) for _, c in WEIGHT_STOPS], dtype=np.float64)
    rgb = np.stack([np.interp(t, xs, cols[:, j]) for j in range(3)], axis=-1)
    return np.rint(rgb).astype(np.uint8)


def weight_cmap() -> LinearSegmentedColormap:
    """The weight scale as a matplotlib colormap (for static figures)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(
        "netwarp_weights", [((x + 1) / 2, c) for x, c in WEIGHT_STOPS]
    )


def palette_json() -> dict:
    """The palette as JSON-ready plain values, for the web playground."""
    return {
        "classes": list(CLASS_COLORS),
        "background": BACKGROUND,
        "ink": INK,
        "grid_line": GRID_LINE,
        "muted": MUTED,
        "field_tint": list(FIELD_TINT),
        "weight_stops": [[x, c] for x, c in WEIGHT_STOPS],
    }


def point_colors(labels: np.ndarray, k: int | None = None) -> np.ndarray:
    """Class colours for ``labels (n,)``, uint8 array of shape ``(n, 3)`` (``k`` classes, at least 2)."""
    labels = np.asarray(labels).astype(int)
    k = max(int(labels.max(initial=1)) + 1, 2) if k is None else k
    return class_rgb(k)[labels]
