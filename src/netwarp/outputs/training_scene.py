"""The training animation: decision field and one layer's space, one frame per snapshot."""

from __future__ import annotations

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.camera import DEFAULT_AZIMUTH, DEFAULT_ELEVATION
from ..render.framing import leave_band, smooth_limits, smooth_radii
from ..render.plots import separator_segment
from ..render.raster import Canvas
from ..render.scenes import draw_field, draw_space, draw_space3d, title_band
from ..trace import Trace
from ..views import check_layer, default_layer, net_name
from .layer_view import (
    FlatView,
    check_projection,
    dead_note,
    flat_view,
    points_view,
    region_art,
    space_title,
    view_limits,
)
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


class TrainingScene:
    """Decision field and one layer's space side by side, one frame per (resampled) snapshot.

    Layers 2 wide are drawn as they are, 3 wide through a still 3D camera, wider
    through the separating view (default; its basis fitted once on the last
    snapshot, so the camera stays still and the dashed line is the network's
    boundary, or a probe's for an earlier layer) or ``projection="pca"``
    (:func:`netwarp.views.stable_projections`, no flicker between frames).
    """

    def __init__(
        self, trace: Trace, layer: int | None = None, frames: int | None = None, size: int | None = None, projection: str = "separating"
    ):
        check_plane(trace, "training")
        self.trace = trace
        self.layer = default_layer(trace) if layer is None else check_layer(trace, layer)
        self.projection = check_projection(projection)
        n = len(trace)
        if n == 0:
            raise NetwarpError("this trace has no snapshots yet")
        self.n_frames = check_count("frames", min(DEFAULT_FRAMES["training"], n) if frames is None else frames, 1, MAX_FRAMES)
        self.width = even(check_count("size", DEFAULT_SIZE["training"] if size is None else size, MIN_SIZE * 2, MAX_SIZE))
        self.snaps = np.rint(np.linspace(0, n - 1, self.n_frames)).astype(int)
        m = self.margin = max(4, self.width // 60)
        self.panel = (self.width - 3 * m) // 2
        self.header = int(font_size(self.width) * 2.6)
        self.height = even(self.header + self.panel + m + 4)
        self.res = int(min(240, self.panel))
        self.band = int(font_size(self.width) * 1.6)  # the space panel's title band: nothing drawn under the title
        self.d = trace.arch.sizes[self.layer]
        self.warps = [views.warp(trace, self.layer, int(s), lines=LINES, samples=SAMPLES) for s in self.snaps]
        self.views = self._flat_views() if self.d != 3 else []
        self.dead: list[str] = []
        self._input: Canvas | None = None  # a table's input panel, drawn once (the input never changes)
        if self.d == 3:
            self.limits = None
            r = [np.percentile(np.linalg.norm(w.points - w.points.mean(0), axis=1), 99) * 1.15 for w in self.warps]
            self.radii = smooth_radii(r, 5)
        else:
            self.dead = [dead_note(v.points) for v in self.views]
            self.limits = self._limits()

    def _limits(self) -> list[tuple[float, float, float, float]]:
        """Each frame's range: gliding between live frames; a dead frame (every point within a
        hair of the others) zooms to its own points and keeps its neighbours from zooming with it."""
        own = [view_limits(v) for v in self.views]
        if self.views[-1].how == "separating view":
            return own  # the axes mean different things: keep each axis's own span
        live = [i for i, note in enumerate(self.dead) if not note]
        if not live:
            return own
        filled = [own[i] if not self.dead[i] else own[min(live, key=lambda j: abs(j - i))] for i in range(len(own))]
        smooth = smooth_limits(filled, max(3, self.n_frames // 10))
        # the glide must never leave a frame's own points outside it
        return [own[i] if self.dead[i] else _square_around(smooth[i], own[i]) for i in range(len(own))]

    def _flat_views(self) -> list[FlatView]:
        t, layer = self.trace, self.layer
        if self.d <= 2 or self.projection == "separating":
            basis = views.fit_separating_basis(t, layer, int(self.snaps[-1])) if self.d > 3 else None
            return [flat_view(t, layer, int(s), w, self.projection, basis) for s, w in zip(self.snaps, self.warps)]
        # PCA: project points and grid together so both use each frame's one basis
        n = len(t.X_train)
        stacked = [np.vstack([w.points, w.grid.reshape(-1, self.d)]) for w in self.warps]
        proj = views.stable_projections(stacked, dims=2)
        shape = self.warps[0].grid.shape[:2]
        return [FlatView(p[:n], p[n:].reshape(*shape, 2), [], ("", ""), "", "PCA view") for p in proj]

    @property
    def space_title(self) -> str:
        how = self.views[-1].how if self.views else ""
        return space_title(self.trace, self.layer, how)

    def space_limits(self, i: int) -> tuple[float, float, float, float]:
        """The flat space panel's data range at frame ``i``: the view's limits below the title band."""
        return leave_band(self.limits[i], self.panel, self.band)

    def _input_panel(self) -> Canvas:
        """An input that is not a plane (a table): its training points along the classes' split, with a
        linear probe's line or regions; the input does not change over training, so one panel serves all."""
        if self._input is None:
            P, fs = self.panel, font_size(self.width)
            v = points_view(self.trace, 0, -1)
            box = leave_band(view_limits(v), P, self.band)
            c = Canvas(P, P, box)
            regions, segments = region_art(v, box, res=min(P, 200))
            draw_space(c, v.points, self.trace.y_train, None, None, point_radius(P), self.trace.n_classes,
                       separators=v.lines, regions=regions, segments=segments)
            title_band(c, self.band)
            c.text((6, 4), f"input: {self.trace.arch.sizes[0]} features (separating view)", fs - 1)
            if v.note:
                c.text((6, P - int(fs * 1.4)), v.note, _fitting(v.note, P - 12, fs - 1), halo="#ffffff")
            self._input = c
        return self._input

    def space_notes(self, i: int) -> list[str]:
        """The flat space panel's caption lines at frame ``i``: the dead-layer sentence (in two
        lines, to fit a panel), else what the dashed line is, only when a line crosses the panel."""
        if self.dead[i]:
            return self.dead[i].replace(": ", ":\n").split("\n")
        v, box = self.views[i], self.space_limits(i)
        if v.scores is not None:
            return [v.note]  # the regions always fill the panel
        drawn = any(separator_segment(w, c, box) is not None for w, c in v.lines)
        return [v.note] if drawn and v.note else []

    def panels(self, i: int) -> tuple[Canvas, Canvas]:
        """Frame ``i``'s two square panels, ``panel`` pixels wide: the decision field and the layer's space.

        The report's timeline shows them as they are (one image each per snapshot).
        """
        t, s, P = self.trace, int(self.snaps[i]), self.panel
        fs = font_size(self.width)
        if t.arch.sizes[0] == 2:
            field = views.decision_field(t, s, resolution=self.res)
            left = Canvas(P, P, field.bounds)
            draw_field(left, field.xs, field.ys, field.probs, t.X_train, t.y_train, point_radius(P))
            left.text((6, 4), "decision boundary", fs - 1, halo="#ffffff")
        else:
            left = self._input_panel()
        w = self.warps[i]
        band = self.band
        if self.d == 3:
            r = float(self.radii[i])
            right = Canvas(P, P, leave_band((-r, r, -r, r), P, band))
            draw_space3d(right, w.points, w.labels, w.grid, DEFAULT_AZIMUTH, DEFAULT_ELEVATION, w.points.mean(0), point_radius(P), t.n_classes)
        else:
            right = Canvas(P, P, self.space_limits(i))
            v = self.views[i]
            regions, segments = region_art(v, self.space_limits(i), res=min(P, 200))
            draw_space(right, v.points, w.labels, v.grid, None, point_radius(P), t.n_classes, separators=v.lines,
                       regions=regions, segments=segments)
            notes = self.space_notes(i)
            for j, note in enumerate(notes):
                right.text((6, P - int(fs * 1.4) * (len(notes) - j)), note, _fitting(note, P - 12, fs - 1), halo="#ffffff")
        title_band(right, band)
        right.text((6, 4), self.space_title, fs - 1)
        return left, right

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)`` (RGBA, alpha 255)."""
        t, s, m, P = self.trace, int(self.snaps[i]), self.margin, self.panel
        fs = font_size(self.width)
        out = Canvas(self.width, self.height)
        left, right = self.panels(i)
        out.paste(left, m, self.header)
        out.paste(right, 2 * m + P, self.header)
        snap = t.snapshot(s)
        out.text((m, 4), f"{net_name(t)} {t.arch.activation_text}{_on(t)}, step {snap.step}", fs + 2)
        out.text(
            (m, 4 + int(fs * 1.35)),
            f"test accuracy {snap.test_acc:.1%} (train {snap.train_acc:.1%})    "
            f"loss {snap.test_loss:.3f} test / {snap.train_loss:.3f} train",
            fs,
        )
        out.progress((i + 1) / self.n_frames)
        return out.rgba()


def _fitting(text: str, width: int, size: int) -> int:
    """A font size at most ``size`` at which ``text`` fits ``width`` pixels (about 0.56 em a character)."""
    return max(9, min(size, int(width / (0.56 * max(len(text), 1)))))


def _square_around(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The smallest square range ``(x0, x1, y0, y1)`` holding both ranges ``a`` and ``b``."""
    x0, x1, y0, y1 = min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])
    cx, cy, h = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0) / 2
    return cx - h, cx + h, cy - h, cy + h


def _on(trace: Trace) -> str:
    name = trace.data.get("dataset") if isinstance(trace.data, dict) else None
    return f" on {name}" if name else ""
