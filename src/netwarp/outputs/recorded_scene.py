"""The training animation of a trace recorded by its layers' outputs: one recorded layer
along its classes' split over training, the training curves beside it.

There is no input plane and no weights, so where a weight trace shows the decision
field this shows the curves (loss, accuracy and the layer's probe accuracy, computed
from the recorded outputs) with a marker at the frame's step. The layer's view is
fitted once over the shown snapshots (:func:`netwarp.views.fit_separating_basis` with
``snapshots=``) and held for every frame, so motion on screen is motion of the data (the Grand Tour's
lesson); the panel's range is fixed over the run for the same reason.
"""

from __future__ import annotations

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.charts import plot_curves
from ..render.figure import figure_rgb, new_figure
from ..render.framing import leave_band
from ..render.palette import BACKGROUND, CLASS_COLORS, INK
from ..render.raster import Canvas
from ..render.scenes import BAND_RULE, draw_space, title_band
from ..trace import Trace
from ..views import units_phrase
from .layer_view import FlatView, check_projection, region_art, separated_view
from .recorded_figures import check_recorded_layer, layer_caption, recorded_name, view_share
from .scene_common import (
    DEFAULT_FRAMES,
    DEFAULT_SIZE,
    MAX_FRAMES,
    MAX_SIZE,
    MIN_SIZE,
    check_count,
    check_plane,
    even,
    font_size,
    point_radius,
)

BASIS_SNAPSHOTS = 8  # snapshots the steady view is fitted on: enough to span the run, one probe fit on their stack
PAD = 0.06  # the fixed range's margin around every frame's points, as a share of its span


class LayerTrack:
    """One recorded layer at the snapshots ``snaps``, seen through one view for all of them.

    Attributes
    ----------
    layer : int
    seps : list of Separation, one per snapshot (each frame's own probe, the shared basis)
    views : list of FlatView, what each frame draws (``points (n, 2)``, lines or regions)
    accuracy : ndarray of shape (len(snaps),), each frame's probe test accuracy (NaN for the logits)
    limits : (x0, x1, y0, y1), one range holding every frame's points
    """

    def __init__(self, trace: Trace, layer: int, snaps: np.ndarray, projection: str = "separating"):
        self.trace, self.layer, self.projection = trace, layer, check_projection(projection)
        # one probe over (up to BASIS_SNAPSHOTS of) the shown snapshots' stacked points: a view that serves
        # the whole run, not only its end, at the cost of one fit on the stack
        fit_on = snaps[np.unique(np.round(np.linspace(0, len(snaps) - 1, min(BASIS_SNAPSHOTS, len(snaps))))).astype(int)]
        basis = views.fit_separating_basis(trace, layer, snapshots=[int(s) for s in fit_on])
        self.seps = [views.separating_projection(trace, layer, int(s), basis=basis) for s in snaps]
        if projection == "pca":  # the main directions of every frame's points together: a still camera too
            H = [trace.layer_outputs(trace.X_train, int(s))[layer] for s in snaps]
            proj = views.fit_projection(H, dims=2)
            axes = (f"PC1 ({proj.explained:.0%} of variance with PC2)", "PC2")
            self.views = [FlatView(proj.apply(h), np.empty((0, 2, 2)), [], axes, "", "PCA view") for h in H]
        else:
            self.views = [separated_view(trace, s) for s in self.seps]
        self.accuracy = np.array([np.nan if s.accuracy is None else s.accuracy for s in self.seps])
        P = np.vstack([v.points for v in self.views])
        lo, hi = P.min(axis=0), P.max(axis=0)
        half = np.maximum((hi - lo) / 2, 1e-9) * (1 + 2 * PAD)
        c = (lo + hi) / 2
        # each axis its own span: the separating view's axes mean different things
        self.limits = (float(c[0] - half[0]), float(c[0] + half[0]), float(c[1] - half[1]), float(c[1] + half[1]))

    @property
    def title(self) -> str:
        """``"fc1: 16 units (separating view)"``."""
        how = "PCA view" if self.projection == "pca" else "separating view"
        return f"{recorded_name(self.trace, self.layer)}: {units_phrase(self.trace.arch.sizes[self.layer])} ({how})"

    def notes(self, i: int) -> list[str]:
        """Frame ``i``'s caption lines: the probe's measured accuracy, what it says, and what the view leaves out."""
        s = self.seps[i]
        lines = layer_caption(self.trace, s).replace(": ", ":\n", 1).split("\n")
        share = view_share(self.trace, s) if self.projection == "separating" else ""
        return lines + ([f"({share})"] if share else [])

    def panel(self, i: int, size: int, fs: int, band: int) -> Canvas:
        """Frame ``i`` as a square panel ``size`` pixels wide: title band, points, line or regions, and the
        caption in a band of its own at the bottom (nothing drawn under it)."""
        notes = self.notes(i)
        foot = int(fs * 1.4) * len(notes) + 6
        box = leave_band(self.limits, size - foot, band)
        x0, x1, y0, y1 = box
        box = (x0, x1, y0 - (y1 - y0) * foot / (size - foot), y1)  # the same scale carried down over the foot band
        c = Canvas(size, size, box)
        v = self.views[i]
        regions, segments = region_art(v, box, res=min(size, 200))
        draw_space(c, v.points, self.trace.y_train, None, None, point_radius(size), self.trace.n_classes,
                   separators=v.lines, regions=regions, segments=segments)
        if self.trace.n_classes > 3:  # many colours: each class's name at its centre says which cloud is which
            y = self.trace.y_train
            names = self.trace.class_names
            for k in np.unique(y):
                col, row = c.to_px(v.points[y == k].mean(axis=0))
                c.text((col, row), names[k], fs + 2, CLASS_COLORS[int(k) % len(CLASS_COLORS)], anchor="mm", halo=BACKGROUND)
        title_band(c, band)
        c.rect((0, size - foot, size, size), fill=BACKGROUND)
        c.rect((0, size - foot, size, size - foot), fill=BAND_RULE)
        c.text((6, 4), self.title, fs - 1)
        for j, note in enumerate(notes):
            c.text((6, size - int(fs * 1.4) * (len(notes) - j)), note, _fitting(note, size - 12, fs - 1), halo="#ffffff")
        return c


def curves_panel(trace: Trace, width: int, height: int, tracks: list[LayerTrack], steps: np.ndarray) -> tuple[np.ndarray, list[float], tuple[int, int]]:
    """The training curves with each track's probe accuracy over ``steps``, drawn once.

    Returns the RGB pixels ``(height, width, 3)``, each step's x in pixels, and the plot
    area's top and bottom rows (where a frame's step marker is drawn).
    """
    fig, (ax,) = new_figure(width, height)
    plot_curves(ax, **views.training_curves(trace), title="training, from the recorded logits")
    twin = [a for a in fig.axes if a is not ax and a.bbox.bounds == ax.bbox.bounds]
    acc_ax = twin[0] if twin else ax
    for k, t in enumerate(tracks):
        if np.isfinite(t.accuracy).any():
            acc_ax.plot(np.maximum(steps, 0), t.accuracy, color=CLASS_COLORS[(2 + k) % len(CLASS_COLORS)], lw=1.6, ls=":",
                        marker="o", ms=3, label=f"{recorded_name(trace, t.layer)} probe (test)")
    handles = [h for a in (ax, acc_ax) for h in a.get_legend_handles_labels()[0]]
    labels = [lab for a in (ax, acc_ax) for lab in a.get_legend_handles_labels()[1]]
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    acc_ax.legend(handles, labels, fontsize=9, loc="center right")
    rgb = figure_rgb(fig)  # draws the figure, so the transforms below are final
    H = fig.bbox.height
    xs = [float(ax.transData.transform((max(float(s), 0.0), 1.0))[0]) for s in steps]
    box = ax.get_window_extent()
    return rgb, xs, (int(H - box.y1), int(H - box.y0))


def _fitting(text: str, width: int, size: int) -> int:
    """A font size at most ``size`` at which ``text`` fits ``width`` pixels (about 0.56 em a character)."""
    return max(9, min(size, int(width / (0.56 * max(len(text), 1)))))


class RecordedTrainingScene:
    """``netwarp animate --kind training`` on a recorded trace: ``layer`` (default: the last
    recorded one) along its classes' split over training beside the curves, one frame per
    (resampled) snapshot."""

    def __init__(self, trace: Trace, layer: int | None = None, frames: int | None = None, size: int | None = None,
                 projection: str = "separating"):
        check_plane(trace, "training")
        n = len(trace)
        if n == 0:
            raise NetwarpError("this trace has no snapshots yet")
        self.trace = trace
        self.layer = check_recorded_layer(trace, layer)
        check_projection(projection)
        self.n_frames = check_count("frames", min(DEFAULT_FRAMES["training"], n) if frames is None else frames, 1, MAX_FRAMES)
        self.width = even(check_count("size", DEFAULT_SIZE["training"] if size is None else size, MIN_SIZE * 2, MAX_SIZE))
        self.snaps = np.rint(np.linspace(0, n - 1, self.n_frames)).astype(int)
        m = self.margin = max(4, self.width // 60)
        self.panel = (self.width - 3 * m) // 2
        self.fs = font_size(self.width)
        self.header = int(self.fs * 2.6)
        self.height = even(self.header + self.panel + m + 4)
        self.band = int(self.fs * 1.6)
        # each snapshot is fitted once, however many frames repeat it
        uniq, self._where = np.unique(self.snaps, return_inverse=True)
        self.track = LayerTrack(trace, self.layer, uniq, projection)
        steps = trace.steps[uniq]
        self._curves, self._xs, self._rows = curves_panel(trace, self.panel, self.panel, [self.track], steps)

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as a uint8 array of shape ``(height, width, 4)`` (RGBA, alpha 255)."""
        t, m, P, fs = self.trace, self.margin, self.panel, self.fs
        j = int(self._where[i])
        snap = t.snapshot(int(self.snaps[i]))
        out = Canvas(self.width, self.height)
        out.paste(self.track.panel(j, P, fs, self.band), m, self.header)
        right = Canvas(P, P)
        right.rgba()[..., :3] = self._curves
        x = self._xs[j]
        right.rect((x - 1, self._rows[0], x + 1, self._rows[1]), fill=INK)  # the step shown
        out.paste(right, 2 * m + P, self.header)
        out.text((m, 4), f"{t.data_description}, recorded layers {', '.join(t.layer_names)}, step {snap.step}", fs + 2)
        out.text((m, 4 + int(fs * 1.35)), f"test accuracy {snap.test_acc:.1%} (train {snap.train_acc:.1%})    "
                 f"loss {snap.test_loss:.3f} test / {snap.train_loss:.3f} train", fs)
        out.progress((i + 1) / self.n_frames)
        return out.rgba()
