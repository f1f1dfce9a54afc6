"""A layer's space flattened to 2D for a picture or a frame: the separating view by
default (the classes' split on the first axis, the line drawn), PCA on request.

Shared by the static layer picture and the training animation so both say the
same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import views
from ..errors import NetwarpError
from ..render.framing import robust_limits
from ..trace import Trace
from ..views import layer_name, unit_names
from ..views.separation import class_boundaries, class_of

PROJECTIONS = ("separating", "pca")  # how a layer wider than 3 is flattened to 2D
DEAD = 1e-3  # every point within this fraction of the space's scale: the layer tells the next one (almost) nothing


def check_projection(projection: str) -> str:
    """``projection`` if it is one of :data:`PROJECTIONS`, else a one-line error."""
    if projection not in PROJECTIONS:
        raise NetwarpError(f"unknown projection {projection!r}; choose one of: {', '.join(PROJECTIONS)}")
    return projection


@dataclass(frozen=True)
class FlatView:
    """What a 2D panel of a layer draws.

    points : ndarray of shape (n, 2); grid : ndarray of shape (m, s, 2);
    lines : list of (w (2,), c), the dashed separating line (two classes) ``p @ w + c = 0``;
    axis_names : the two axis labels; note : a short line saying what the line or the
    regions are (and the probe's accuracy), or ""; how : "" / "separating view" / "PCA view";
    scores : for 3+ classes, the classifier's scores on the view's plane ``P @ A + a0``
    (``A (2, k)``, ``a0 (k,)``), whose regions are drawn instead of lines (:func:`region_art`).
    """

    points: np.ndarray
    grid: np.ndarray
    lines: list
    axis_names: tuple[str, str]
    note: str
    how: str
    scores: tuple[np.ndarray, np.ndarray] | None = None


REGION_TINT = 0.3  # how strongly a class region is tinted: a pale field, weaker than a decision field's


def region_art(view: FlatView, limits: tuple[float, float, float, float], res: int = 160) -> tuple:
    """What a panel of ``view`` (3+ classes) draws within ``limits``: the regions as a pale field
    ``(xs (res,), ys (res,), probs (res, res, k))`` and the real boundaries, segments ``(2, 2)``
    where two classes tie for the highest score (:func:`netwarp.views.separation.class_boundaries`).
    Returns ``(field, segments)``; ``(None, [])`` for a view without regions."""
    if view.scores is None:
        return None, []
    A, a0 = view.scores
    x0, x1, y0, y1 = limits
    xs, ys = np.linspace(x0, x1, res), np.linspace(y0, y1, res)
    P = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    k = A.shape[1]
    probs = np.full((res * res, k), (1 - REGION_TINT) / k)
    probs[np.arange(len(P)), class_of(A, a0, P)] += REGION_TINT
    return (xs, ys, probs.reshape(res, res, k)), [seg for _, seg in class_boundaries(A, a0, limits)]


def separates(trace: Trace) -> bool:
    """Whether a separating view exists: a classifier (the line needs classes)."""
    return trace.arch.task == "classification"


def flat_view(
    trace: Trace,
    layer: int,
    snapshot: int,
    warp: views.Warp,
    projection: str = "separating",
    basis: views.SeparatingBasis | views.Projection | None = None,
) -> FlatView:
    """The 2D view of ``warp`` (``views.warp(trace, layer, snapshot)``, 1 or 2 or >3 units).

    ``basis`` holds the camera still across frames: a ``SeparatingBasis`` for the
    separating view, a ``Projection`` for PCA (fit either once per animation).
    """
    L = trace.arch.n_layers
    d = warp.points.shape[1]
    if d == 1:
        P = np.c_[warp.points, np.zeros(len(warp.points))]
        G = np.concatenate([warp.grid, np.zeros((*warp.grid.shape[:2], 1))], axis=2)
        return FlatView(P, G, [], (unit_names(layer, L, 1)[0], ""), "", "")
    if projection == "pca" or not separates(trace):
        if d == 2:
            sep = views.separator(trace, layer, snapshot)
            return FlatView(warp.points, warp.grid, [sep] if sep else [], tuple(unit_names(layer, L, 2)), _line_note(None, sep is not None), "")
        proj = basis if isinstance(basis, views.Projection) else views.fit_projection(warp.points, dims=2)
        return FlatView(proj.apply(warp.points), proj.apply(warp.grid), [], (f"PC1 ({proj.explained:.0%} of variance with PC2)", "PC2"), "", "PCA view")
    s = views.separating_projection(trace, layer, snapshot, basis=basis if isinstance(basis, views.SeparatingBasis) else None)
    return separated_view(trace, s, s.basis.apply(warp.grid))


def separated_view(trace: Trace, s: views.Separation, grid: np.ndarray | None = None) -> FlatView:
    """The flat view of a :class:`~netwarp.views.Separation` (``grid (m, s, 2)`` already in its
    coordinates; none for an input that is not a plane): its line, or its class regions."""
    L, d = trace.arch.n_layers, trace.arch.sizes[s.layer]
    grid = np.empty((0, 2, 2)) if grid is None else grid
    if d == 2 and s.basis.axes.shape[0] == 2 and np.allclose(s.basis.axes, np.eye(2)):
        names = tuple(unit_names(s.layer, L, 2))
    elif trace.n_classes == 2:
        who = "the probe's" if s.source == "probe" else "the output layer's"
        names = (f"along {who} split", "most remaining variance")
    else:
        names = ("discriminant direction 1", "discriminant direction 2")
    how = "" if d == 2 else "separating view"
    if s.line is not None:
        return FlatView(s.points, grid, [s.line], names, _line_note(s.accuracy, True), how)
    # 3+ classes: regions meeting along the real boundaries, not every pair's whole line; only
    # where the view holds them exactly (every class difference in its plane: always for three),
    # since a slice through many classes' regions would colour points by what they are not
    if not s.exact:
        return FlatView(s.points, grid, [], names, "", how)
    who = "the network's" if s.accuracy is None else f"a linear probe's (test accuracy {s.accuracy:.1%})"
    return FlatView(s.points, grid, [], names, f"shaded: {who} class regions", how, s.scores())


def points_view(trace: Trace, layer: int, snapshot: int, basis: views.SeparatingBasis | None = None) -> FlatView:
    """A layer of a classifier whose input is not a plane (a table, any number of features): its
    training points along the classes' split (:func:`netwarp.views.separating_projection`), no grid."""
    return separated_view(trace, views.separating_projection(trace, layer, snapshot, basis=basis))


def dead_note(points: np.ndarray) -> str:
    """``"all 450 points within 1e-6: this layer is dead"`` when every point of ``points (n, d)``
    lies within :data:`DEAD` of the space's scale (its largest coordinate, at least 1), else ``""``.

    A panel zoomed to fit such points would show noise as if it were shape, and one
    framed like its neighbours would show nothing: it zooms in and says this instead.
    """
    P = np.asarray(points, dtype=np.float64)
    if not len(P) or not np.all(np.isfinite(P)):
        return ""
    extent = float(np.max(np.ptp(P, axis=0)))
    if extent > DEAD * max(1.0, float(np.abs(P).max())):
        return ""
    return f"all {len(P)} points within {f'{extent:.0e}'.replace('e-0', 'e-').replace('e+0', 'e+')}: this layer is dead"


def _line_note(accuracy: float | None, has_line: bool) -> str:
    if not has_line:
        return ""
    if accuracy is None:
        return "dashed: the network's decision line"
    return f"dashed: linear probe, test accuracy {accuracy:.1%}"


def space_title(trace: Trace, layer: int, how: str) -> str:
    """``"hidden layer 2: 8 units (separating view)"``."""
    from ..views import units_phrase

    d = trace.arch.sizes[layer]
    how = " (3D)" if d == 3 else f" ({how})" if how else ""
    return f"{layer_name(layer, trace.arch.n_layers)}: {units_phrase(d)}{how}"


def view_limits(view: FlatView) -> tuple[float, float, float, float]:
    """The panel's range ``(x0, x1, y0, y1)`` around every point (none clipped).

    Square for a layer's own coordinates and PCA (shapes undistorted); each axis
    fitted on its own for the separating view, whose axes mean different things
    and whose split direction can be narrow (a probe's), so the line's two sides show.
    """
    if view.how != "separating view":
        return robust_limits(view.points, q=0.0)
    lo, hi = view.points.min(axis=0), view.points.max(axis=0)
    half = np.maximum((hi - lo) / 2, 1e-9) * 1.12
    c = (lo + hi) / 2
    return float(c[0] - half[0]), float(c[0] + half[0]), float(c[1] - half[1]), float(c[1] + half[1])
