"""The rotate animation: a 3-wide layer turning about the vertical (see :mod:`netwarp.render.camera`)."""

from __future__ import annotations

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.camera import DEFAULT_ELEVATION, project
from ..render.palette import INK
from ..render.raster import Canvas
from ..render.scenes import draw_space3d, title_band
from ..trace import Trace
from ..views import check_layer, layer_name, net_name, separator, three_wide, unit_names
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


class RotateScene:
    """A 3-wide layer turning about a vertical axis (orthographic, depth-sorted points).

    For the last hidden layer of a two-class network the vertical axis is the
    normal of the output's separating plane, so the plane lies flat and the
    classes sit one above the other as the space turns; otherwise it is the
    layer's third unit. ``basis`` maps the layer's coordinates to the scene's
    (an exact rotation, so distances are kept).
    """

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None, size: int | None = None):
        check_plane(trace, "rotate")
        wide = three_wide(trace)
        shape = net_name(trace)
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
        self.n_frames = check_count("frames", DEFAULT_FRAMES["rotate"] if frames is None else frames, 1, MAX_FRAMES)
        self.width = self.height = even(check_count("size", DEFAULT_SIZE["rotate"] if size is None else size, MIN_SIZE, MAX_SIZE))
        self.warp = views.warp(trace, self.layer, self.snapshot, lines=LINES, samples=SAMPLES)
        self.basis = self._basis()
        self.points = self.warp.points @ self.basis
        self.grid = self.warp.grid @ self.basis
        self.center = self.points.mean(axis=0)
        self.azimuths = np.linspace(0.0, 2 * np.pi, self.n_frames, endpoint=False)
        self.elevation = DEFAULT_ELEVATION
        sep = separator(trace, self.layer, self.snapshot)
        # with the normal as the vertical axis, the plane w.h + c = 0 is z = -c / |w|
        self.plane_height = None if np.allclose(self.basis, np.eye(3)) else -sep[1] / float(np.linalg.norm(sep[0]))
        r = float(np.percentile(np.linalg.norm(self.points - self.center, axis=1), 99.5)) * 1.2
        self.square_r = 0.8 * r  # half-side of the drawn plane's square
        self.axis_length = 2 * r / 3  # the axis arrows: a third of the view a sphere of radius r would need
        fs = font_size(self.width * 1.6)
        self.band = int(fs * 2.5)  # title and subtitle
        self.foot = int(fs * 1.2)  # the step label
        # frame what is on screen over the whole turn (points, grid, plane), not a
        # sphere around the centre: the layer's shape is often a flat bowl, which
        # a sphere would leave floating in the top of the frame
        self.bounds, self.height = self._frame(self._on_screen(r))

    def _frame(self, S: np.ndarray) -> tuple[tuple[float, float, float, float], int]:
        """Bounds and frame height fitting screen positions ``S (m, 2)`` at one scale below the band.

        The frame is as wide as asked and only as tall as the drawing needs (at
        least half its width): a wide flat shape gets a wide frame, not a square
        with an empty third.
        """
        W, band, foot = self.width, self.band, self.foot
        lo, hi = S.min(axis=0), S.max(axis=0)
        c, span = (lo + hi) / 2, np.maximum(hi - lo, 1e-9) * 1.08
        scale = min(W / span[0], (W - band - foot) / span[1])  # pixels per screen unit
        H = even(max(W // 2, band + foot + span[1] * scale))
        x0, x1 = c[0] - W / scale / 2, c[0] + W / scale / 2
        y0 = c[1] - (H - band + foot) / scale / 2  # centred in the rows between band and foot
        return (float(x0), float(x1), float(y0), float(y0 + H / scale)), H

    def _on_screen(self, r: float) -> np.ndarray:
        """Screen positions ``(m, 2)`` of everything drawn, over every frame's azimuth."""
        g = self.grid.reshape(-1, 3)
        # grid lines a layer flings far out (ReLU) are cut at the frame rather than shrinking the data
        stuff = [self.points, g[np.linalg.norm(g - self.center, axis=1) < 1.5 * r]]
        if self.plane_height is not None:
            s = self.square_r
            sq = np.array([[-s, -s], [s, -s], [s, s], [-s, s]]) + self.center[:2]
            stuff.append(np.c_[sq, np.full(4, self.plane_height)])
        stuff.append(self.center + np.eye(3) * self.axis_length * 1.15)  # the axis arrows' labels
        allp = np.vstack(stuff)
        return np.vstack([project(allp, float(a), self.elevation, self.center)[0] for a in self.azimuths])

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
        fs = font_size(W * 1.6)
        H = self.height
        c = Canvas(W, H, self.bounds)
        up = "normal of the separating plane" if not np.allclose(self.basis, np.eye(3)) else "unit 3"
        names = ("", "", "up") if up != "unit 3" else unit_names(self.layer, t.arch.n_layers, 3)
        az = float(self.azimuths[i])
        if self.plane_height is not None:
            # the output's separating plane, flat at its height: a square outline around the data
            r = self.square_r
            sq = np.array([[-r, -r], [r, -r], [r, r], [-r, r], [-r, -r]]) + self.center[:2]
            edge = np.c_[sq, np.full(5, self.plane_height)]
            c.lines(project(edge, az, self.elevation, self.center)[0][None], INK, 1)
        draw_space3d(c, self.points, t.y_train, self.grid, az, self.elevation, self.center, point_radius(W), t.n_classes, axis_names=names,
                     axis_length=self.axis_length)
        title_band(c, self.band)
        c.text((8, 6), f"{layer_name(self.layer, t.arch.n_layers)}: 3 units, turning", fs)
        sub = f"up: {up}" + (" (square)" if self.plane_height is not None else "")
        c.text((8, 6 + int(fs * 1.3)), sub, int(fs * 0.75), "#666666")
        c.text((W - 8, H - 8), f"step {t.snapshot(self.snapshot).step}", int(fs * 0.8), "#666666", anchor="rb", halo="#ffffff")
        c.progress((i + 1) / self.n_frames)
        return c.rgba()
