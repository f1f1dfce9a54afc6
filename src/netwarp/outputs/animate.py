"""Animations of a Trace: training over time, the layer morph, a 3D space turning.

Each kind is a *scene* (:mod:`.training_scene`, :mod:`.morph_scene`,
:mod:`.rotate_scene`): it computes all geometry from ``netwarp.views`` up
front (one forward pass per snapshot) and draws frame ``i`` on the fast raster
canvas of ``netwarp.render``. :func:`animate` checks every argument before any
work and writes the file atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import NetwarpError
from ..render.encode import write_animation
from ..render.output import check_output
from ..render.palette import field_ramp
from ..trace import Trace
from .morph_scene import MorphScene
from .path_scene import PathScene
from .recorded_figures import is_recorded
from .recorded_scene import RecordedTrainingScene
from .rotate_scene import RotateScene
from .scene_common import KINDS
from .training_scene import TrainingScene
from .weights_scene import WeightsScene

__all__ = ["KINDS", "MorphScene", "RotateScene", "TrainingScene", "animate", "make_scene"]

MAX_FPS = 100
MIN_FPS = 0.01  # a frame per 100 s; a GIF holds at most 655 s per frame
MAX_PIXELS = 400_000_000  # all frames together: ~1.6 GB as RGBA


SCENES = {"training": TrainingScene, "morph": MorphScene, "rotate": RotateScene, "weights": WeightsScene, "path": PathScene}


def make_scene(
    trace: Trace, kind: str, frames: int | None = None, size: int | None = None, layer: int | None = None, snapshot: int = -1,
    projection: str = "separating",
) -> TrainingScene | MorphScene | RotateScene:
    """Build (and so check all arguments of) the scene for an animation ``kind``."""
    if kind not in SCENES:
        raise NetwarpError(f"unknown animation kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if is_recorded(trace):  # layer outputs on the run's own points: the training animation only
        if kind != "training":
            raise NetwarpError(f"--kind {kind} needs the model's weights, and this trace holds the recorded outputs of "
                               f"{', '.join(trace.layer_names)} on its own points only; animate it with --kind training")
        if snapshot != -1:
            trace.index(snapshot)
        return RecordedTrainingScene(trace, layer, frames, size, projection)
    if kind == "training":
        if snapshot != -1:
            trace.index(snapshot)  # validated, but a training animation spans all snapshots
        return TrainingScene(trace, layer, frames, size, projection)
    return SCENES[kind](trace, layer, snapshot, frames, size)


def animate(
    trace: Trace,
    path: str | Path,
    kind: str = "training",
    frames: int | None = None,
    size: int | None = None,
    layer: int | None = None,
    snapshot: int = -1,
    fps: float = 12.0,
    progress: bool = True,
    projection: str = "separating",
) -> Path:
    """Write an animation of ``trace`` to ``path`` (``.gif`` or ``.mp4``).

    Parameters
    ----------
    trace : Trace
    path : str or Path
    kind : {"training", "morph", "rotate", "weights", "path"}
        ``training``: decision field and ``layer``'s space over the snapshots
        (resampled to ``frames``); ``morph``: the input flowing to ``layer``
        at ``snapshot``; ``rotate``: a 3-wide ``layer`` turning; ``weights``: the
        network diagram over training, every weight on one scale; ``path``: from one test
        digit to another in pixel space (an image network).
    frames : int, optional
        Number of frames (defaults: 60 or the snapshot count, 48, 48).
    size : int, optional
        Width in pixels (height follows the layout).
    layer : int, optional
        Layer index, 0 (input) to ``n_layers`` (output logits).
    snapshot : int
        Which snapshot (morph, rotate); negative counts from the end.
    fps : float
    progress : bool
    projection : {"separating", "pca"}
        How the training animation flattens a layer wider than 3 (default: along
        the classes' split, with the separating line drawn).

    Returns
    -------
    Path
        The file written (nothing is left behind on error).
    """
    path = check_output(path, "animation")
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not MIN_FPS <= fps <= MAX_FPS:
        raise NetwarpError(f"fps must be a number from {MIN_FPS} to {MAX_FPS}, got {str(fps)[:40]}")
    scene = make_scene(trace, kind, frames, size, layer, snapshot, projection)
    pixels = scene.n_frames * scene.width * scene.height
    if pixels > MAX_PIXELS:
        # a GIF keeps every frame in memory until it is written
        raise NetwarpError(
            f"{scene.n_frames} frames of {scene.width}x{scene.height} pixels is too much to hold "
            f"({pixels / 1e6:.0f} million pixels; at most {MAX_PIXELS / 1e6:.0f} million): use fewer --frames or a smaller --size"
        )
    gen = (scene.frame(i) for i in range(scene.n_frames))
    # the training animation's field is a smooth gradient: its colours go in the GIF palette exactly
    k = trace.n_classes
    reserve = field_ramp(k, max(8, 192 // k)) if kind == "training" else None
    return write_animation(path, gen, scene.n_frames, fps, progress, desc=f"{kind} {Path(path).name}", reserve=reserve)
