"""Animations of a Trace: training over time, the layer morph, a 3D space turning.

Each kind is a *scene*: it computes all geometry from ``netwarp.views`` up
front (one forward pass per snapshot) and draws frame ``i`` on the fast raster
canvas of ``netwarp.render``. :func:`animate` checks every argument before any
work and writes the file atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import views
from .errors import NetwarpError, whole_number
from .render.camera import project
from .render.encode import write_animation
from .render.output import check_output
from .render.palette import INK
from .render.plots import robust_limits
from .render.raster import Canvas
from .render.scenes import draw_field, draw_space, draw_space3d
from .trace import Trace
from .views import check_layer

KINDS = ("training", "morph", "rotate")
DEFAULT_FRAMES = {"training": 60, "morph": 48, "rotate": 48}
DEFAULT_SIZE = {"training": 640, "morph": 400, "rotate": 400}
MAX_FRAMES, MIN_SIZE, MAX_SIZE = 2000, 96, 4096
MAX_FPS = 100
MAX_PIXELS = 400_000_000  # all frames together: ~1.6 GB as RGBA
ELEVATION = np.radians(22.0)
STILL_AZIMUTH = np.radians(-50.0)  # the 3D view used when the camera does not turn
LINES, SAMPLES = 21, 50  # grid density that stays legible at a few hundred pixels


# -- argument checks -------------------------------------------------------------
def default_layer(trace: Trace) -> int:
    """The last hidden layer (where the classes should be separable by a line), or the output."""
    L = trace.arch.n_layers
    return L - 1 if L > 1 else L


def three_wide(trace: Trace) -> list[int]:
    """The layers (0..n_layers) that are exactly 3 units wide."""
    return [i for i, s in enumerate(trace.arch.sizes) if s == 3]


def _check_count(name: str, v, lo: int, hi: int) -> int:
    return whole_number(name, v, lo, hi)


def _check_plane(trace: Trace, what: str) -> None:
    if trace.arch.task != "classification" or trace.arch.sizes[0] != 2:
        kind = "regression" if trace.arch.task != "classification" else f"{trace.arch.sizes[0]}-input classifier"
        raise NetwarpError(f"{what} animations need a classifier with 2 inputs; this trace is a {kind}")


# -- shared helpers ---------------------------------------------------------------
def smooth_limits(limits: list[tuple[float, float, float, float]], window: int) -> list[tuple[float, float, float, float]]:
    """Moving average of square plot ranges (centre, and half-width on a log scale),
    so the camera glides instead of jumping from frame to frame."""
    L = np.asarray(limits, dtype=np.float64)
    cx, cy = (L[:, 0] + L[:, 1]) / 2, (L[:, 2] + L[:, 3]) / 2
    logh = np.log(np.maximum((L[:, 1] - L[:, 0]) / 2, 1e-9))
    w = max(1, min(int(window), len(L)))
    kern = np.ones(w) / w

    def sm(v: np.ndarray) -> np.ndarray:
        return np.convolve(np.pad(v, (w // 2, w - 1 - w // 2), mode="edge"), kern, mode="valid")

    cx, cy, h = sm(cx), sm(cy), np.exp(sm(logh))
    return [(a - r, a + r, b - r, b + r) for a, b, r in zip(cx, cy, h)]


def _even(v: float) -> int:
    return max(2, int(round(v / 2)) * 2)


def _pad_to(P: np.ndarray, d: int) -> np.ndarray:
    if P.shape[-1] >= d:
        return P
    return np.concatenate([P, np.zeros((*P.shape[:-1], d - P.shape[-1]))], axis=-1)


def _align_to(A: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The rotation/reflection ``(2, 2)`` taking centred ``A (n, 2)`` closest to ``target`` (orthogonal Procrustes)."""
    U, _, Vt = np.linalg.svd((A - A.mean(0)).T @ (target - target.mean(0)))
    return U @ Vt


def separator(trace: Trace, layer: int, snapshot: int) -> tuple[np.ndarray, float] | None:
    """The two-class decision boundary as a hyperplane ``w . h + c = 0`` in ``layer``'s space.

    Exists for the last hidden layer (the output layer is affine in it) and the
    output logits (``logit1 = logit0``); None otherwise or for more than 2 classes.

    Returns
    -------
    (w, c) : (ndarray of shape (sizes[layer],), float), or None
    """
    L = trace.arch.n_layers
    if trace.n_classes != 2:
        return None
    if layer == L:
        return np.array([-1.0, 1.0]), 0.0
    if layer == L - 1:
        W, b = trace.weights(snapshot)[-1]
        return W[:, 1] - W[:, 0], float(b[1] - b[0])
    return None


def _radius(panel: int) -> float:
    return float(np.clip(panel / 130, 1.6, 4.0))


def _font(width: int) -> int:
    return int(np.clip(width / 40, 10, 22))


# -- training ---------------------------------------------------------------------
class TrainingScene:
    """Decision field and one layer's space side by side, one frame per (resampled) snapshot.

    Layers 2 wide are drawn as they are, 3 wide through a still 3D camera, wider
    through :func:`netwarp.views.stable_projections` (no flicker between frames).
    """

    def __init__(self, trace: Trace, layer: int | None = None, frames: int | None = None, size: int | None = None):
        _check_plane(trace, "training")
        self.trace = trace
        self.layer = default_layer(trace) if layer is None else check_layer(trace, layer)
        n = len(trace)
        if n == 0:
            raise NetwarpError("this trace has no snapshots yet")
        self.n_frames = _check_count("frames", min(DEFAULT_FRAMES["training"], n) if frames is None else frames, 1, MAX_FRAMES)
        self.width = _even(_check_count("size", DEFAULT_SIZE["training"] if size is None else size, MIN_SIZE * 2, MAX_SIZE))
        self.snaps = np.rint(np.linspace(0, n - 1, self.n_frames)).astype(int)
        m = self.margin = max(4, self.width // 60)
        self.panel = (self.width - 3 * m) // 2
        self.header = int(_font(self.width) * 2.6)
        self.height = _even(self.header + self.panel + m + 4)
        self.res = int(min(200, self.panel))
        self.d = trace.arch.sizes[self.layer]
        self.warps = [views.warp(trace, self.layer, int(s), lines=LINES, samples=SAMPLES) for s in self.snaps]
        self.view_pts, self.view_grid = self._view_coords()
        if self.d == 3:
            self.limits = None
            r = [np.percentile(np.linalg.norm(p - p.mean(0), axis=1), 99) * 1.15 for p in self.view_pts]
            self.radii = np.exp(np.convolve(np.pad(np.log(np.maximum(r, 1e-9)), 2, mode="edge"), np.ones(5) / 5, "valid"))
        else:
            self.limits = smooth_limits([robust_limits(p) for p in self.view_pts], max(3, self.n_frames // 10))

    def _view_coords(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        n = len(self.trace.X_train)
        if self.d <= 3:
            return [_pad_to(w.points, 2) for w in self.warps], [_pad_to(w.grid, 2) for w in self.warps]
        # project points and grid together so both use each frame's one basis
        stacked = [np.vstack([w.points, w.grid.reshape(-1, self.d)]) for w in self.warps]
        proj = views.stable_projections(stacked, dims=2)
        shape = self.warps[0].grid.shape[:2]
        return [p[:n] for p in proj], [p[n:].reshape(*shape, 2) for p in proj]

    @property
    def space_title(self) -> str:
        L, d = self.trace.arch.n_layers, self.d
        name = "input" if self.layer == 0 else "output logits" if self.layer == L else f"hidden layer {self.layer}"
        how = "" if d <= 2 else " (3D)" if d == 3 else " (2D projection)"
        return f"{name}: {d} unit{'s' if d != 1 else ''}{how}"

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)`` (RGBA, alpha 255)."""
        t, s, m, P = self.trace, int(self.snaps[i]), self.margin, self.panel
        fs = _font(self.width)
        out = Canvas(self.width, self.height)
        field = views.decision_field(t, s, resolution=self.res)
        left = Canvas(P, P, field.bounds)
        draw_field(left, field.xs, field.ys, field.probs, t.X_train, t.y_train, _radius(P))
        left.text((6, 4), "decision boundary", fs - 1, halo="#ffffff")
        w = self.warps[i]
        if self.d == 3:
            r = float(self.radii[i])
            right = Canvas(P, P, (-r, r, -r, r))
            draw_space3d(right, w.points, w.labels, w.grid, STILL_AZIMUTH, ELEVATION, w.points.mean(0), _radius(P), t.n_classes)
        else:
            right = Canvas(P, P, self.limits[i])
            sep = separator(t, self.layer, s) if self.d == 2 else None
            draw_space(right, self.view_pts[i], w.labels, self.view_grid[i], sep, _radius(P), t.n_classes)
        right.text((6, 4), self.space_title, fs - 1, halo="#ffffff")
        out.paste(left, m, self.header)
        out.paste(right, 2 * m + P, self.header)
        snap = t.snapshot(s)
        out.text((m, 4), f"step {snap.step}", fs + 2)
        out.text(
            (m, 4 + int(fs * 1.35)),
            f"loss {snap.train_loss:.3f} train / {snap.test_loss:.3f} test    "
            f"accuracy {snap.train_acc:.1%} / {snap.test_acc:.1%}",
            fs,
        )
        out.progress((i + 1) / self.n_frames)
        return out.rgba()


# -- morph --------------------------------------------------------------------------
class MorphScene:
    """Space flowing from the input to ``layer``: linear map, bias shift, activation, layer by layer.

    Drawn as it is when every layer on the way is at most 2 wide, with a 3D
    camera up to 3 wide, and through per-frame PCA views carried smoothly from
    frame to frame (:func:`netwarp.views.stable_projections`) when wider, turned
    so the first frame is the input exactly.
    """

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None, size: int | None = None):
        _check_plane(trace, "morph")
        self.trace = trace
        self.layer = trace.arch.n_layers if layer is None else check_layer(trace, layer)
        if self.layer == 0:
            raise NetwarpError("a morph needs a target layer >= 1 (layer 0 is the input itself)")
        self.snapshot = trace.index(snapshot)
        self.n_frames = _check_count("frames", DEFAULT_FRAMES["morph"] if frames is None else frames, 2, MAX_FRAMES)
        self.width = self.height = _even(_check_count("size", DEFAULT_SIZE["morph"] if size is None else size, MIN_SIZE, MAX_SIZE))
        self.morph = views.Morph(trace, self.layer, self.snapshot, lines=LINES, samples=SAMPLES)
        self.ts = np.linspace(0.0, float(self.layer), self.n_frames)
        self.states = [self.morph.at(t) for t in self.ts]
        D = self.morph.D
        self.dims = 3 if D == 3 else 2
        n = len(trace.X_train)
        if D <= 3:
            self.pts = [s.points for s in self.states]
            self.grids = [s.grid for s in self.states]
        else:
            # wider than 3: each frame's own PCA view, carried from frame to frame
            # (views.stable_projections), so the input plane in the first frame is
            # shown undistorted and no later frame jumps or flips; then one turn
            # (orthogonal Procrustes) so the first frame matches the input exactly
            shape = self.states[0].grid.shape[:2]
            stacked = [np.vstack([s.points, s.grid.reshape(-1, D)]) for s in self.states]
            proj = views.stable_projections(stacked, dims=2)
            X0 = trace.X_train
            turn = _align_to(proj[0][:n], X0)
            shift = X0.mean(axis=0) - proj[0][:n].mean(axis=0) @ turn
            self.pts = [p[:n] @ turn + shift for p in proj]
            self.grids = [(p[n:] @ turn + shift).reshape(*shape, 2) for p in proj]
        if self.dims == 3:
            # label the axes by what they are in the target layer; zero-padded ones get no label
            width, prefix = trace.arch.sizes[self.layer], "out" if self.layer == trace.arch.n_layers else "h"
            self.axis_names = tuple(f"{prefix}{j + 1}" if j < width else "" for j in range(3))
            self.center = np.mean([p.mean(0) for p in self.pts], axis=0)
            r = [np.percentile(np.linalg.norm(p - self.center, axis=1), 99) * 1.2 for p in self.pts]
            w = max(3, self.n_frames // 8)
            self.radii = np.exp(np.convolve(np.pad(np.log(np.maximum(r, 1e-9)), (w // 2, w - 1 - w // 2), mode="edge"), np.ones(w) / w, "valid"))
        else:
            self.limits = smooth_limits([robust_limits(p) for p in self.pts], max(3, self.n_frames // 8))
        self.n = n

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)``."""
        t, W = self.trace, self.width
        fs = _font(W * 1.6)
        if self.dims == 3:
            r = float(self.radii[i])
            c = Canvas(W, W, (-r, r, -r, r))
            draw_space3d(c, self.pts[i], t.y_train, self.grids[i], STILL_AZIMUTH, ELEVATION, self.center, _radius(W), t.n_classes,
                         axis_names=self.axis_names)
        else:
            c = Canvas(W, W, self.limits[i])
            sep = separator(t, self.layer, self.snapshot) if i == self.n_frames - 1 and self.morph.D == 2 else None
            draw_space(c, self.pts[i], t.y_train, self.grids[i], sep, _radius(W), t.n_classes)
        stage = "input" if i == 0 else self.morph.stage(float(self.ts[i]))
        c.text((8, 6), stage, fs, halo="#ffffff")
        step = t.snapshot(self.snapshot).step
        proj = "" if self.morph.D <= 3 else f", {self.morph.D}-D shown by PCA"
        c.text((W - 8, W - 8), f"step {step}{proj}", int(fs * 0.8), "#666666", anchor="rb", halo="#ffffff")
        c.progress((i + 1) / self.n_frames)
        return c.rgba()


# -- rotate ---------------------------------------------------------------------------
class RotateScene:
    """A 3-wide layer turning about a vertical axis (orthographic, depth-sorted points).

    For the last hidden layer of a two-class network the vertical axis is the
    normal of the output's separating plane, so the plane lies flat and the
    classes sit one above the other as the space turns; otherwise it is the
    layer's third unit. ``basis`` maps the layer's coordinates to the scene's
    (an exact rotation, so distances are kept).
    """

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None, size: int | None = None):
        _check_plane(trace, "rotate")
        wide = three_wide(trace)
        shape = "-".join(map(str, trace.arch.sizes))
        where = f"3-wide layers of this {shape} network: {', '.join(map(str, wide))}" if wide else f"no layer of this {shape} network is 3 wide"
        if layer is None:
            hidden3 = [i for i in wide if 0 < i < trace.arch.n_layers]
            layer = hidden3[-1] if hidden3 else (wide[-1] if wide else None)
            if layer is None:
                raise NetwarpError(f"rotate needs a layer 3 units wide; {where}")
        self.layer = check_layer(trace, layer)
        if trace.arch.sizes[self.layer] != 3:
            raise NetwarpError(f"rotate needs a layer 3 units wide; layer {self.layer} has {trace.arch.sizes[self.layer]} ({where})")
        self.trace = trace
        self.snapshot = trace.index(snapshot)
        self.n_frames = _check_count("frames", DEFAULT_FRAMES["rotate"] if frames is None else frames, 1, MAX_FRAMES)
        self.width = self.height = _even(_check_count("size", DEFAULT_SIZE["rotate"] if size is None else size, MIN_SIZE, MAX_SIZE))
        self.warp = views.warp(trace, self.layer, self.snapshot, lines=LINES, samples=SAMPLES)
        self.basis = self._basis()
        self.points = self.warp.points @ self.basis
        self.grid = self.warp.grid @ self.basis
        self.center = self.points.mean(axis=0)
        self.azimuths = np.linspace(0.0, 2 * np.pi, self.n_frames, endpoint=False)
        self.elevation = ELEVATION
        r = float(np.percentile(np.linalg.norm(self.points - self.center, axis=1), 99.5)) * 1.2
        self.bounds = (-r, r, -r, r)
        sep = separator(trace, self.layer, self.snapshot)
        # with the normal as the vertical axis, the plane w.h + c = 0 is z = -c / |w|
        self.plane_height = None if np.allclose(self.basis, np.eye(3)) else -sep[1] / float(np.linalg.norm(sep[0]))

    def _basis(self) -> np.ndarray:
        sep = separator(self.trace, self.layer, self.snapshot)
        if sep is None or not np.linalg.norm(sep[0]) > 1e-12:
            return np.eye(3)
        up = sep[0] / np.linalg.norm(sep[0])
        # complete `up` to a right-handed orthonormal basis; `up` becomes the vertical (third) axis
        a = np.eye(3)[int(np.argmin(np.abs(up)))]
        e1 = np.cross(up, a)
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(up, e1)
        return np.column_stack([e1, e2, up])

    def geometry(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Frame ``i``'s point positions on screen ``(n, 2)`` and depths ``(n,)``."""
        return project(self.points, float(self.azimuths[i]), self.elevation, self.center)

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)``."""
        t, W = self.trace, self.width
        fs = _font(W * 1.6)
        c = Canvas(W, W, self.bounds)
        up = "normal of the separating plane" if not np.allclose(self.basis, np.eye(3)) else "unit 3"
        names = ("", "", "up") if up != "unit 3" else ("h1", "h2", "h3")
        az = float(self.azimuths[i])
        if self.plane_height is not None:
            # the output's separating plane, flat at its height: a square outline around the data
            r = 0.8 * self.bounds[1]
            sq = np.array([[-r, -r], [r, -r], [r, r], [-r, r], [-r, -r]]) + self.center[:2]
            edge = np.c_[sq, np.full(5, self.plane_height)]
            c.lines(project(edge, az, self.elevation, self.center)[0][None], INK, 1)
        draw_space3d(c, self.points, t.y_train, self.grid, az, self.elevation, self.center, _radius(W), t.n_classes, axis_names=names)
        c.text((8, 6), f"layer {self.layer}: 3 units, turning", fs, halo="#ffffff")
        sub = f"up: {up}" + (" (square)" if self.plane_height is not None else "")
        c.text((8, 6 + int(fs * 1.3)), sub, int(fs * 0.75), "#666666", halo="#ffffff")
        c.text((W - 8, W - 8), f"step {t.snapshot(self.snapshot).step}", int(fs * 0.8), "#666666", anchor="rb", halo="#ffffff")
        c.progress((i + 1) / self.n_frames)
        return c.rgba()


SCENES = {"training": TrainingScene, "morph": MorphScene, "rotate": RotateScene}


def make_scene(
    trace: Trace, kind: str, frames: int | None = None, size: int | None = None, layer: int | None = None, snapshot: int = -1
) -> TrainingScene | MorphScene | RotateScene:
    """Build (and so check all arguments of) the scene for an animation ``kind``."""
    if kind not in SCENES:
        raise NetwarpError(f"unknown animation kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if kind == "training":
        if snapshot != -1:
            trace.index(snapshot)  # validated, but a training animation spans all snapshots
        return TrainingScene(trace, layer, frames, size)
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
) -> Path:
    """Write an animation of ``trace`` to ``path`` (``.gif`` or ``.mp4``).

    Parameters
    ----------
    trace : Trace
    path : str or Path
    kind : {"training", "morph", "rotate"}
        ``training``: decision field and ``layer``'s space over the snapshots
        (resampled to ``frames``); ``morph``: the input flowing to ``layer``
        at ``snapshot``; ``rotate``: a 3-wide ``layer`` turning.
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

    Returns
    -------
    Path
        The file written (nothing is left behind on error).
    """
    path = check_output(path, "animation")
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not 0 < fps <= MAX_FPS:
        raise NetwarpError(f"fps must be a number above 0 and at most {MAX_FPS}, got {fps!r}")
    scene = make_scene(trace, kind, frames, size, layer, snapshot)
    pixels = scene.n_frames * scene.width * scene.height
    if pixels > MAX_PIXELS:
        # a GIF keeps every frame in memory until it is written
        raise NetwarpError(
            f"{scene.n_frames} frames of {scene.width}x{scene.height} pixels is too much to hold "
            f"({pixels / 1e6:.0f} million pixels; at most {MAX_PIXELS / 1e6:.0f} million): use fewer --frames or a smaller --size"
        )
    gen = (scene.frame(i) for i in range(scene.n_frames))
    return write_animation(path, gen, scene.n_frames, fps, progress, desc=f"{kind} {Path(path).name}")
