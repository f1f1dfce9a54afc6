"""Writing frames to GIF (Pillow) and MP4 (the ffmpeg that imageio-ffmpeg ships).

Frames are consumed one at a time from an iterator, so rendering happens inside
the progress bar and an MP4 never holds more than one frame in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import NetwarpError
from .output import atomic_output, check_output

HOLD_LAST_MS = 1200  # linger on the final frame so the result can be seen


def write_animation(
    path: str | Path,
    frames: Iterable[np.ndarray],
    n_frames: int,
    fps: float = 12.0,
    progress: bool = True,
    desc: str = "rendering",
    reserve: np.ndarray | None = None,
) -> Path:
    """Encode ``frames`` to ``path`` (``.gif`` or ``.mp4``), atomically.

    Parameters
    ----------
    path : str or Path
        Output file; the extension picks the format.
    frames : iterable of ndarray of shape (h, w, 3) or (h, w, 4), uint8
        All the same size; an alpha channel is ignored.
    n_frames : int
        How many frames the iterable yields (for the progress bar and the GIF timing).
    fps : float
    progress : bool
        Show a progress bar (only when stderr is a terminal).
    desc : str
        The progress bar's label.
    reserve : ndarray of shape (m, 3), uint8, optional
        Colours a GIF's palette must hold exactly (e.g. a decision field's ramp,
        :func:`~netwarp.render.palette.field_ramp`, so it shows no bands); m <= 192.

    Returns
    -------
    Path
    """
    path = check_output(path, "animation")
    from tqdm.auto import tqdm

    bar = tqdm(total=n_frames, desc=desc, unit="frame", leave=False, disable=None if progress else True)
    try:
        with atomic_output(path) as tmp:
            if path.suffix.lower() == ".gif":
                _write_gif(tmp, frames, n_frames, fps, bar, reserve)
            else:
                _write_mp4(tmp, frames, fps, bar)
    finally:
        bar.close()
    return path


def _rgb(frame: np.ndarray) -> np.ndarray:
    frame = np.asarray(frame)
    if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
        raise NetwarpError(f"frames must be uint8 arrays of shape (h, w, 3); got {frame.dtype} {frame.shape}")
    return np.ascontiguousarray(frame[..., :3])


def _write_gif(tmp: Path, frames: Iterable[np.ndarray], n_frames: int, fps: float, bar, reserve: np.ndarray | None = None) -> None:
    rgb_frames: list[np.ndarray] = []
    for f in frames:
        rgb_frames.append(_rgb(f))
        bar.update(1)
    if not rgb_frames:
        raise NetwarpError("no frames to write")
    palette = shared_palette(rgb_frames, reserve=reserve)
    images = [Image.fromarray(f).quantize(palette=palette, dither=Image.Dither.NONE) for f in rgb_frames]
    step = int(round(1000 / fps))
    durations = [step] * (len(images) - 1) + [max(step, HOLD_LAST_MS)]
    images[0].save(
        tmp, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0, disposal=1
    )


def shared_palette(frames: list[np.ndarray], colors: int = 256, reserve: np.ndarray | None = None) -> Image.Image:
    """One adaptive palette for a whole sequence of RGB frames (a ``P``-mode image to quantize with).

    Fitted on a few frames spread through the sequence: colours stay put from
    frame to frame, and mapping to a fixed palette (without dithering, which
    would shimmer) is several times faster than quantizing every frame on its own.
    ``reserve (m, 3)`` colours are put in exactly and the rest fitted to the frames:
    an adaptive palette alone spends few entries on a field's pale gradient, which
    then shows bands.
    """
    picks = sorted({0, len(frames) // 3, 2 * len(frames) // 3, len(frames) - 1})
    sample = Image.fromarray(np.concatenate([_rgb(frames[i]) for i in picks], axis=0))
    if reserve is None or not len(reserve):
        return sample.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    reserve = np.asarray(reserve, dtype=np.uint8).reshape(-1, 3)[: colors - 64]
    fitted = sample.quantize(colors - len(reserve), method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    rest = np.asarray(fitted.getpalette()[: 3 * (colors - len(reserve))], dtype=np.uint8).reshape(-1, 3)
    table = np.concatenate([reserve, rest])
    out = Image.new("P", (1, 1))
    out.putpalette(np.pad(table, ((0, 256 - len(table)), (0, 0))).ravel().tolist())
    return out


def png_bytes(frame: np.ndarray, palette: Image.Image | None = None) -> bytes:
    """``frame (h, w, 3 or 4) uint8`` as PNG bytes; mapped to ``palette`` (no dithering) when given, ~3x smaller."""
    import io

    image = Image.fromarray(_rgb(frame))
    if palette is not None:
        image = image.quantize(palette=palette, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=9)
    return buf.getvalue()


def _write_mp4(tmp: Path, frames: Iterable[np.ndarray], fps: float, bar) -> None:
    import imageio_ffmpeg

    writer = None
    try:
        for f in frames:
            f = _rgb(f)
            h, w = f.shape[:2]
            # yuv420p (what every player decodes) needs even sides: pad with the edge
            if h % 2 or w % 2:
                f = np.pad(f, ((0, h % 2), (0, w % 2), (0, 0)), mode="edge")
            if writer is None:
                writer = imageio_ffmpeg.write_frames(
                    str(tmp),
                    (f.shape[1], f.shape[0]),
                    fps=fps,
                    codec="libx264",
                    pix_fmt_out="yuv420p",
                    macro_block_size=1,
                    quality=7,
                    ffmpeg_log_level="error",
                    output_params=["-movflags", "+faststart"],
                )
                writer.send(None)  # start ffmpeg
            writer.send(f)
            bar.update(1)
        if writer is None:
            raise NetwarpError("no frames to write")
    finally:
        if writer is not None:
            writer.close()
