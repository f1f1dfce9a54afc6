"""The morph animation: the input plane flowing to a layer, stage by stage."""

from __future__ import annotations

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.camera import DEFAULT_AZIMUTH, DEFAULT_ELEVATION
from ..render.framing import leave_band, robust_limits, smooth_limits, smooth_radii
from ..render.raster import Canvas
from ..render.scenes import draw_space, draw_space3d, title_band
from ..trace import Trace
from ..views import check_layer, procrustes_rotation, separator, unit_names
from .scene_common import (
    DEFAULT_FRAMES,
    DEFAULT_SIZE,
    LINES,
    MAX_FRAMES,
    MAX_SIZE,
    MIN_SIZE,
    SAMPLES,
    check_count,
    check_plane,
    even,
    font_size,
    point_radius,
)


class MorphScene:
    """Space flowing from the input to ``layer``: linear map, bias shift, activation, layer by layer.

    Drawn as it is when every layer on the way is at most 2 wide, with a 3D
    camera up to 3 wide, and through per-frame PCA views carried smoothly from
    frame to frame (:func:`netwarp.views.stable_projections`) when wider, turned
    so the first frame is the input exactly.
    """

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None, size: int | None = None):
        check_plane(trace, "morph")
        self.trace = trace
        self.layer = trace.arch.n_layers if layer is None else check_layer(trace, layer)
        if self.layer == 0:
            raise NetwarpError("a morph needs a target layer >= 1 (layer 0 is the input itself)")
        self.snapshot = trace.index(snapshot)
        self.n_frames = check_count("frames", DEFAULT_FRAMES["morph"] if frames is None else frames, 2, MAX_FRAMES)
        self.width = self.height = even(check_count("size", DEFAULT_SIZE["morph"] if size is None else size, MIN_SIZE, MAX_SIZE))
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
            # the frame held fixed: the input plane (first frame) when there is one; else the last
            # frame, turned to the layer's separating view, where the classes come apart along x
            i, X0 = (0, trace.X_train) if trace.arch.sizes[0] == 2 else (-1, self._separated())
            P0 = proj[i][:n]
            turn = procrustes_rotation(P0 - P0.mean(axis=0), X0 - X0.mean(axis=0))
            shift = X0.mean(axis=0) - P0.mean(axis=0) @ turn
            self.pts = [p[:n] @ turn + shift for p in proj]
            self.grids = [(p[n:] @ turn + shift).reshape(*shape, 2) for p in proj]
        if self.dims == 3:
            # label the axes by what they are in the target layer; zero-padded ones get no label
            self.axis_names = unit_names(self.layer, trace.arch.n_layers, trace.arch.sizes[self.layer], dims=3)
            # the input frame is the plane itself: its axes are x1, x2 (no third)
            self.input_names = (*unit_names(0, trace.arch.n_layers, 2), "")
            # one camera for the whole morph, aimed where the layer view aims (the
            # layer's own centre), so the last frame is the layer view, not a shifted one
            self.center = self.pts[-1].mean(axis=0)
            # the arrows start at the layer's low corner, not its centre, where they would run through the data
            self.axis_origin = self.pts[-1].min(axis=0)
            r = [np.percentile(np.linalg.norm(p - self.center, axis=1), 99) * 1.2 for p in self.pts]
            self.radii = smooth_radii(r, max(3, self.n_frames // 8))
        else:
            # frame the grid too (cut only where a layer flings it far out), so it is not cut at the frame edge
            lim = [robust_limits(np.vstack([p, _near(g.reshape(-1, 2), p)]), q=0.0) for p, g in zip(self.pts, self.grids)]
            self.limits = smooth_limits(lim, max(3, self.n_frames // 8))
        self.n = n

    def _separated(self) -> np.ndarray:
        """The target layer's training points in its separating view, ``(n, 2)``."""
        if self.trace.arch.sizes[self.layer] == 3:  # its own 3 coordinates are not a 2D view: PCA keeps all it can
            return views.fit_projection(self.states[-1].points, dims=2).apply(self.states[-1].points)
        return views.separating_projection(self.trace, self.layer, self.snapshot).points

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)``."""
        t, W = self.trace, self.width
        fs = font_size(W * 1.6)
        band = int(fs * 1.6)
        if self.dims == 3:
            r = float(self.radii[i])
            c = Canvas(W, W, leave_band((-r, r, -r, r), W, band))
            draw_space3d(c, self.pts[i], t.y_train, self.grids[i], DEFAULT_AZIMUTH, DEFAULT_ELEVATION, self.center, point_radius(W), t.n_classes,
                         axis_names=self.input_names if i == 0 else self.axis_names, axis_origin=self.axis_origin)
        else:
            c = Canvas(W, W, leave_band(self.limits[i], W, band))
            sep = separator(t, self.layer, self.snapshot) if i == self.n_frames - 1 and self.morph.D == 2 else None
            draw_space(c, self.pts[i], t.y_train, self.grids[i], sep, point_radius(W), t.n_classes)
        stage = "input" if i == 0 else self.morph.stage(float(self.ts[i]))
        title_band(c, band)
        c.text((8, 6), stage, fs)
        step = t.snapshot(self.snapshot).step
        proj = "" if self.morph.D <= 3 else f", {self.morph.D}-D shown by PCA" + (
            "" if t.arch.sizes[0] == 2 else " turned to the classes' split at the end")
        c.text((W - 8, W - 8), f"step {step}{proj}", int(fs * 0.8), "#666666", anchor="rb", halo="#ffffff")
        c.progress((i + 1) / self.n_frames)
        return c.rgba()


def _near(G: np.ndarray, P: np.ndarray, reach: float = 1.5) -> np.ndarray:
    """The rows of ``G (m, 2)`` within ``reach`` times the points' spread of the points' centre ``P (n, 2)``."""
    c = P.mean(axis=0)
    r = float(np.max(np.linalg.norm(P - c, axis=1))) or 1.0
    return G[np.linalg.norm(G - c, axis=1) <= reach * r]
