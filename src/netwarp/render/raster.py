"""A fast raster canvas for animation frames: numpy pixels, Pillow lines and text.

Matplotlib rebuilds a whole scene graph per frame; an animation frame here is
three cheap passes over one ``uint8`` array: the decision field is a nearest-cell
lookup (so every pixel shows exactly the cell it lies in), the warped grid is a
few dozen Pillow polylines, and the points are stamped by numpy with
antialiased edges. The canvas knows nothing of networks: it takes arrays.

Coordinates: a canvas shows the data rectangle ``bounds = (x0, x1, y0, y1)``
over its whole ``width x height`` pixels, y pointing up. :meth:`Canvas.to_px`
gives the (fractional) pixel position of a data point; the pixel that contains
it is ``floor`` of that.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image, ImageDraw, ImageFont

from .palette import BACKGROUND, INK, hex_to_rgb

Color = str | tuple[int, int, int]
_SUPERSAMPLE = 2  # lines are drawn at 2x and box-downsampled: antialiased at a measured ~10% of a frame's cost
_DOUBLE = [min(255, 2 * v) for v in range(256)]
_FAR = 1e5  # Pillow's line code works in C ints; keep far-off vertices finite and small


def _rgb(color: Color) -> tuple[int, int, int]:
    return hex_to_rgb(color) if isinstance(color, str) else tuple(int(c) for c in color)


def _pack(rgb: np.ndarray) -> np.ndarray:
    """uint8-valued ``(..., 3)`` colours to opaque little-endian RGBA words ``(...,)``."""
    rgb = np.asarray(rgb).astype(np.uint32)
    return rgb[..., 0] | (rgb[..., 1] << 8) | (rgb[..., 2] << 16) | np.uint32(0xFF000000)


def _wrap(px: np.ndarray) -> Image.Image:
    """A Pillow image over the same memory as ``px`` (shape (h, w, 4)), when Pillow allows.

    Pillow shares an RGBA buffer instead of copying it but marks the image
    read-only; clearing that flag lets ImageDraw draw straight into the numpy
    array, so switching between numpy and Pillow costs nothing. Where this does
    not work (checked once, below) the canvas converts instead.
    """
    h, w = px.shape[:2]
    img = Image.frombuffer("RGBA", (w, h), px, "raw", "RGBA", 0, 1)
    img.readonly = 0
    return img


def _check_shared() -> bool:
    px = np.zeros((2, 2, 4), dtype=np.uint8)
    try:
        ImageDraw.Draw(_wrap(px)).point((1, 1), fill=(7, 8, 9))
    except Exception:  # any failure: fall back to copying
        return False
    return bool(px[1, 1, 0] == 7)


_SHARED = _check_shared()


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at ``size`` px, from matplotlib's bundled fonts (nothing to download)."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # a trimmed matplotlib install: Pillow's own scalable default
        return ImageFont.load_default(size)


@lru_cache(maxsize=16)
def _disc(radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel offsets ``(dy, dx)`` covered by a disc and each one's coverage in (0, 1]."""
    r = int(np.ceil(radius + 1))
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    # distance from the pixel centre to the disc centre, which sits at a pixel centre
    cover = np.clip(radius + 0.5 - np.hypot(dx, dy), 0.0, 1.0)
    keep = cover > 0
    return dy[keep], dx[keep], cover[keep]


def _blend(src: np.ndarray, dst: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``src * a/256 + dst * (1 - a/256)`` on packed RGBA words, red and blue in one go
    (the classic two-channels-per-multiply trick; 8-bit channels cannot overflow 32 bits)."""
    na = np.uint32(256) - a
    rb = ((src & 0xFF00FF) * a + (dst & 0xFF00FF) * na) >> 8
    g = ((src & 0x00FF00) * a + (dst & 0x00FF00) * na) >> 8
    return (rb & 0xFF00FF) | (g & 0x00FF00) | np.uint32(0xFF000000)


@lru_cache(maxsize=16)
def _stamp(radius: float, outline_width: float, row_stride: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One point's writes: flat offsets, coverage, and whether each is outline.

    The outline is a ring (the outer disc minus the pixels the fill covers
    fully), written before the fill disc.
    """
    dy, dx, cov = _disc(radius)
    if outline_width <= 0:
        return (dy * row_stride + dx).astype(np.int32), cov.astype(np.float32), np.zeros(len(dy), bool)
    ody, odx, ocov = _disc(radius + outline_width)
    full = set(zip(dy[cov >= 1].tolist(), dx[cov >= 1].tolist()))
    keep = np.array([(a, b) not in full for a, b in zip(ody.tolist(), odx.tolist())])
    ody, odx, ocov = ody[keep], odx[keep], ocov[keep]
    off = np.concatenate([ody * row_stride + odx, dy * row_stride + dx]).astype(np.int32)
    cover = np.concatenate([ocov, cov]).astype(np.float32)
    ring = np.r_[np.ones(len(ody), bool), np.zeros(len(dy), bool)]
    return off, cover, ring


_LOCAL = threading.local()  # one scratch buffer per thread: exports may render in parallel


def _scratch(size: int, n_keys: int) -> tuple[np.ndarray, int]:
    """A reusable int64 "last write" buffer and the first key this call may use.

    Keys only grow from call to call, so entries left by earlier calls are
    always smaller than this call's and the buffer never needs clearing. The
    buffer is the calling thread's own.
    """
    store = _LOCAL.__dict__.setdefault("scratch", {})
    entry = store.get(size)
    if entry is None or entry[1] + n_keys >= 2**62:
        store.clear()  # one canvas size at a time is the common case
        entry = store[size] = [np.full(size, -1, dtype=np.int64), 0]
    base = entry[1]
    entry[1] += n_keys
    return entry[0], base


class Canvas:
    """An RGB image showing the data rectangle ``bounds``.

    Parameters
    ----------
    width, height : int
        Size in pixels.
    bounds : tuple of 4 floats, optional
        ``(x0, x1, y0, y1)`` in data units; defaults to the pixel rectangle itself.
    background : colour
    """

    def __init__(
        self,
        width: int,
        height: int,
        bounds: tuple[float, float, float, float] | None = None,
        background: Color = BACKGROUND,
    ):
        self.width, self.height = int(width), int(height)
        self.bounds = tuple(float(b) for b in bounds) if bounds is not None else (0.0, float(width), float(height), 0.0)
        # RGBA storage (alpha unused) so a pixel is one little-endian uint32:
        # numpy gathers and scatters whole pixels at once
        self._px = np.empty((self.height, self.width, 4), dtype=np.uint8)
        self._img: Image.Image | None = None  # Pillow's image of the same pixels
        self._words()[...] = _pack(np.array(_rgb(background)))

    # -- the two views of the pixels -------------------------------------------
    def _array(self) -> np.ndarray:
        if self._img is not None and not _SHARED:
            self._px = np.array(self._img)
            self._img = None
        return self._px

    def _draw(self) -> ImageDraw.ImageDraw:
        if self._img is None:
            self._img = _wrap(self._px) if _SHARED else Image.fromarray(self._px, "RGBA")
        return ImageDraw.Draw(self._img)

    def _words(self) -> np.ndarray:
        """The pixels as a ``(height, width)`` uint32 view (byte 0 red, 1 green, 2 blue)."""
        return self._array().view("<u4").reshape(self.height, self.width)

    def array(self) -> np.ndarray:
        """The pixels, uint8 array of shape ``(height, width, 3)`` (a fresh copy)."""
        return np.ascontiguousarray(self._array()[..., :3])

    def rgba(self) -> np.ndarray:
        """The live pixels, uint8 array of shape ``(height, width, 4)`` (alpha is 255; no copy)."""
        return self._array()

    def image(self) -> Image.Image:
        """The pixels as a Pillow RGB image (a copy)."""
        return Image.fromarray(self.array())

    # -- coordinates -------------------------------------------------------
    def to_px(self, P: ArrayLike) -> np.ndarray:
        """Data points ``P`` of shape ``(..., 2)`` to fractional pixel positions ``(..., 2)`` as (col, row)."""
        P = np.asarray(P, dtype=np.float64)
        x0, x1, y0, y1 = self.bounds
        col = (P[..., 0] - x0) * (self.width / (x1 - x0))
        row = (y1 - P[..., 1]) * (self.height / (y1 - y0))
        return np.stack([col, row], axis=-1)

    # -- drawing -------------------------------------------------------------
    def field(self, xs: np.ndarray, ys: np.ndarray, colors: np.ndarray) -> None:
        """Paint a field sampled on a grid, each pixel taking its nearest sample's colour.

        Parameters
        ----------
        xs : ndarray of shape (C,), ascending
        ys : ndarray of shape (R,), ascending
        colors : ndarray of shape (R, C, 3) uint8, or (R, C) packed words
            Row ``i`` is at ``ys[i]``, column ``j`` at ``xs[j]``. Packed words
            (as from :func:`~netwarp.render.palette.field_words`) skip a conversion.
        """
        px = self._words()
        colors = np.asarray(colors)
        words = colors if colors.ndim == 2 else _pack(colors)
        x0, x1, y0, y1 = self.bounds
        cx = x0 + (np.arange(self.width) + 0.5) * (x1 - x0) / self.width
        cy = y1 - (np.arange(self.height) + 0.5) * (y1 - y0) / self.height
        j = np.rint(np.interp(cx, xs, np.arange(len(xs)))).astype(np.intp)
        i = np.rint(np.interp(cy, ys, np.arange(len(ys)))).astype(np.intp)
        # pixels outside the sampled range keep the background
        inx = (cx >= xs[0] - 1e-12) & (cx <= xs[-1] + 1e-12)
        iny = (cy >= ys[0] - 1e-12) & (cy <= ys[-1] + 1e-12)
        rows, cols = np.flatnonzero(iny), np.flatnonzero(inx)
        if len(rows) and len(cols):
            # in-range pixels form one block; gather rows then columns (two cheap takes)
            r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
            px[r0:r1, c0:c1] = np.take(np.take(words, i[r0:r1], axis=0), j[c0:c1], axis=1)

    def lines(self, polylines: np.ndarray | Sequence[np.ndarray], color: Color = INK, width: int = 1, smooth: bool = True) -> None:
        """Draw polylines given in data units, antialiased unless ``smooth=False``.

        Antialiasing: the lines alone are drawn at twice the size on a coverage
        mask, which is box-downsampled and blended in with the line colour, so a
        slanted grid line is a soft edge instead of a staircase (points and the
        field are untouched, and the cost is one mask per call).

        Parameters
        ----------
        polylines : ndarray of shape (m, s, 2), or a list of ``(s_i, 2)`` arrays
        color : colour
        width : int
            Line width in pixels.
        smooth : bool
        """
        fill = _rgb(color)
        k = _SUPERSAMPLE if smooth else 1
        mask = Image.new("L", (self.width * k, self.height * k), 0) if smooth else None
        draw = ImageDraw.Draw(mask) if smooth else self._draw()
        ink = 255 if smooth else fill
        # a 1-px line stays 1 sub-pixel wide (Pillow's thin lines are several times
        # faster than its wide ones) and its coverage is doubled below
        wk = 1 if width <= 1 else int(round(width * k))
        if isinstance(polylines, np.ndarray) and polylines.ndim == 3 and np.isfinite(P := self.to_px(polylines)).all():
            # one array: convert all vertices at once, not line by line
            for line in np.clip(P * k, -_FAR, _FAR).reshape(len(P), -1).tolist():
                draw.line(line, fill=ink, width=wk)
        else:
            for line in polylines:
                p = self.to_px(line)
                p = np.clip(p[np.isfinite(p).all(axis=1)] * k, -_FAR, _FAR)
                if len(p) >= 2:
                    draw.line(p.ravel().tolist(), fill=ink, width=wk)
        if smooth:
            cover = mask.reduce(k)
            if width <= 1:
                cover = cover.point(_DOUBLE)
            self._draw()  # make sure the Pillow view of the pixels exists
            # blended in C: colour * cover + pixel * (1 - cover); pasting a solid image is
            # measured ~3x faster than pasting a bare colour through the same mask
            self._img.paste(Image.new("RGBA", cover.size, fill + (255,)), (0, 0), cover)

    def segment(self, a: ArrayLike, b: ArrayLike, color: Color = INK, width: int = 1) -> None:
        """One straight line from data point ``a`` to ``b`` (each of shape (2,))."""
        self.lines([np.array([a, b], dtype=np.float64)], color, width)

    def points(self, P: np.ndarray, colors: np.ndarray | Color, radius: float = 3.0, outline: Color | None = INK, outline_width: float = 1.0) -> None:
        """Stamp filled, outlined, antialiased discs; later points cover earlier ones.

        Parameters
        ----------
        P : ndarray of shape (n, 2)
            Data coordinates. Sort them far-to-near first for depth order.
        colors : ndarray of shape (n, 3) uint8, or one colour
        radius : float
            Fill radius in pixels.
        outline : colour or None
        outline_width : float
        """
        c = self.to_px(P)
        fill = np.asarray(_rgb(colors) if isinstance(colors, str) else colors, dtype=np.float32)
        fill = np.broadcast_to(fill, (len(c), 3))
        has_outline = outline is not None and outline_width > 0
        outer = radius + outline_width if has_outline else radius
        reach = int(np.ceil(outer + 1))  # how far a stamp reaches from its centre pixel
        pad = 2 * reach + 1
        with np.errstate(invalid="ignore"):
            f = np.floor(c)
            # a disc whose centre is more than `reach` pixels off the canvas cannot show
            ok = (f[:, 0] >= -reach - 1) & (f[:, 0] <= self.width + reach) & (f[:, 1] >= -reach - 1) & (f[:, 1] <= self.height + reach)
        if not ok.any():
            return
        centre = f[ok].astype(np.int32) + pad
        fill = fill[ok]
        n = len(centre)
        # stamp into a padded copy so discs overlapping the edge need no clipping
        W, H = self.width + 2 * pad, self.height + 2 * pad
        buf = np.empty((H, W), dtype="<u4")
        buf[pad:-pad, pad:-pad] = self._words()
        shapes = _stamp(radius, outline_width if has_outline else 0.0, W)
        off, cov, is_ring = shapes
        K = len(off)
        flat = ((centre[:, 1] * W + centre[:, 0])[:, None] + off[None, :]).ravel()
        # paint order is point by point, outline ring before fill; the last write
        # to a pixel wins, found explicitly (numpy leaves the order of repeated
        # fancy-index writes unspecified)
        top, base = _scratch(H * W, n * K)
        keys = np.arange(base, base + n * K, dtype=np.int64)
        np.maximum.at(top, flat, keys)
        win = np.flatnonzero(top[flat] == keys)
        pix = flat[win]
        pt, k = np.divmod(win, K)  # win indexes the writes, point by point
        out = _pack(fill)[pt]
        ring = is_ring[k]
        if has_outline:
            oc = _pack(np.array(_rgb(outline)))
            out[ring] = oc
        # only the antialiased rim needs blending; most stamped pixels are fully covered
        edge = np.flatnonzero(cov[k] < 1.0)
        if len(edge):
            a = np.rint(cov[k[edge]] * 256).astype(np.uint32)
            below = buf.ravel()[pix[edge]]
            if has_outline:
                below[~ring[edge]] = oc  # a fill's soft edge blends into its own outline
            out[edge] = _blend(out[edge], below, a)
        buf.ravel()[pix] = out
        self._words()[...] = buf[pad:-pad, pad:-pad]

    def rect(self, box: tuple[float, float, float, float], fill: Color | None = None, outline: Color | None = None, width: int = 1) -> None:
        """A rectangle in pixel coordinates ``(left, top, right, bottom)``."""
        self._draw().rectangle(box, fill=None if fill is None else _rgb(fill), outline=None if outline is None else _rgb(outline), width=width)

    def text(self, xy: tuple[float, float], text: str, size: int = 14, color: Color = INK, anchor: str = "la", halo: Color | None = None) -> None:
        """Text at pixel position ``xy`` (Pillow anchors, e.g. ``"la"`` left-top, ``"rs"`` right-baseline).

        ``halo`` draws a thin outline in that colour so text stays legible over a field.
        """
        kw = {}
        if halo is not None:
            kw = {"stroke_width": max(1, size // 8), "stroke_fill": _rgb(halo)}
        self._draw().text(xy, text, fill=_rgb(color), font=font(int(size)), anchor=anchor, **kw)

    def paste(self, other: Canvas, left: int, top: int) -> None:
        """Copy ``other``'s pixels with their top-left corner at pixel ``(left, top)``."""
        px = self._words()
        h = min(other.height, self.height - top)
        w = min(other.width, self.width - left)
        px[top : top + h, left : left + w] = other._words()[:h, :w]

    def progress(self, fraction: float, color: Color = "#9a9a9a", height: int = 3) -> None:
        """A thin bar along the bottom edge showing how far through the animation this frame is."""
        px = self._words()
        w = int(round(np.clip(fraction, 0.0, 1.0) * self.width))
        px[self.height - height :, :] = _pack(np.array((235, 235, 235)))
        px[self.height - height :, :w] = _pack(np.array(_rgb(color)))
