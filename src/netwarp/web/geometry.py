"""Turn :mod:`netwarp.views` output into compact JSON-ready payloads.

Arrays travel as base64 of little-endian bytes (``float32`` for coordinates,
``uint8`` for fields) rather than JSON number lists: a 200x200 field is 40 kB
of labels instead of ~250 kB of text, and the browser wraps the bytes in a
typed array without parsing. Nothing here draws; it only packs the numbers
the views computed.
"""

from __future__ import annotations

import base64
from collections.abc import Hashable

import numpy as np

from .. import views
from ..trace import Trace
from ..views import Projector


def b64(a: np.ndarray, dtype: str = "<f4") -> str:
    """Base64 of ``a`` (ndarray of any shape) cast to ``dtype`` in C order."""
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def unb64(s: str, dtype: str = "<f4") -> np.ndarray:
    """The inverse of :func:`b64` (flat), for tests."""
    return np.frombuffer(base64.b64decode(s), dtype=dtype)


def field_payload(
    trace: Trace, theta: np.ndarray, resolution: int, cache: views.FieldCache | None = None
) -> tuple[dict, np.ndarray]:
    """The decision field at ``theta (n_params,)`` as class labels and confidence bytes.

    ``cache``, a :class:`~netwarp.views.FieldCache` for this trace and
    resolution, makes a hand edit rerun only the layers from the edited one.

    Returns
    -------
    payload : dict
        ``res``, ``bounds``, ``k``, ``labels`` (``R*R`` uint8, row 0 = lowest y)
        and ``conf`` (``R*R`` uint8: ``round(255 * max prob)``).
    labels : ndarray of shape (R, R)
        For counting and ghosts on the server side.
    """
    f = cache(theta) if cache is not None else views.decision_field(trace, resolution=resolution, theta=theta)
    conf = np.rint(f.confidence * 255)
    payload = {
        "res": resolution,
        "bounds": list(f.bounds),
        "k": int(f.probs.shape[2]),
        "labels": b64(f.labels, "u1"),
        "conf": b64(conf, "u1"),
    }
    return payload, f.labels


def curve_payload(trace: Trace, theta: np.ndarray) -> dict:
    """A 1D regression fit at ``theta (n_params,)`` and its per-unit contributions, ``xs``/``yhat`` ``(m,)``, ``units`` ``(m, h)``."""
    c = views.regression_curve(trace, samples=200, theta=theta)
    return {
        "xs": b64(c.xs),
        "yhat": b64(c.yhat),
        "units": b64(c.units),
        "h": int(c.units.shape[1]),
        "knots": c.knots.tolist(),
        "bounds": list(views.bounds(trace)),
    }


def points_payload(trace: Trace) -> dict:
    """Training and test inputs (``(n, d)`` float32) and labels/targets."""
    return {
        "d": int(trace.X_train.shape[1]),
        "train": b64(trace.X_train),
        "train_y": b64(trace.y_train),
        "test": b64(trace.X_test),
        "test_y": b64(trace.y_test),
        "n_train": len(trace.X_train),
        "n_test": len(trace.X_test),
    }


def space_payload(w: views.Warp, projector: Projector, key: Hashable, refit: bool = True) -> dict:
    """A warped (or morphing) space: points ``(n, dims)`` and grid polylines ``(lines, samples, dims)``."""
    pts, grid = projector.project(key, w.points, w.grid, refit)
    return {
        "width": int(w.points.shape[1]),
        "dims": int(pts.shape[1]),
        "points": b64(pts),
        "grid": b64(grid),
        "lines": int(grid.shape[0]),
        "samples": int(grid.shape[1]),
    }


def diagram_payload(trace: Trace, theta: np.ndarray) -> dict:
    """Node layout and every weight and bias at ``theta (n_params,)``.

    ``weights`` lists ``W_layer[i, j]`` for layer, then i, then j (the order
    of :func:`netwarp.views.diagram`'s edges); ``biases`` one per node
    (0 for inputs), in node order.
    """
    d = views.diagram(trace, theta=theta)
    return {
        "sizes": list(trace.arch.sizes),
        "xy": b64(d.nodes[:, 2:4]),
        "biases": b64(d.biases),
        "weights": b64(d.edges[:, 3]),
    }


def neurons_payload(trace: Trace, theta: np.ndarray, resolution: int) -> dict:
    """Each unit's value over the input plane at ``theta (n_params,)``, one ``(R, R)`` uint8 map per unit.

    A unit's map is scaled by its own largest ``|value|`` (sent as ``scale``)
    so 128 is zero; per-unit scaling keeps small units readable.
    """
    maps, scales = [], []
    for layer in views.neuron_fields(trace, resolution=resolution, theta=theta):
        s = np.maximum(np.abs(layer).max(axis=(0, 1)), 1e-12)  # (width,)
        q = np.rint(128 + 127 * layer / s).transpose(2, 0, 1)  # (width, R, R)
        maps.append(b64(q, "u1"))
        scales.append(s.tolist())
    return {"res": resolution, "maps": maps, "scales": scales}


def curves_payload(trace: Trace) -> dict:
    """Loss and accuracy per recorded snapshot, rounded (they are only drawn)."""
    c = views.training_curves(trace)
    return {k: v.tolist() if k == "steps" else _or_minus_one(v) for k, v in c.items()}


def _or_minus_one(v: np.ndarray) -> list:
    """``v (k,)`` rounded to 5 decimals, every non-finite value as -1: the page's "no value here"
    (a regression's accuracy; a crafted trace's inf loss), which the curves skip."""
    v = np.asarray(v, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        r = np.round(v, 5)  # rounding multiplies by 1e5: a huge finite loss stays as it is
    return np.where(np.isfinite(r), r, np.where(np.isfinite(v), v, -1.0)).tolist()


def separated_payload(basis: views.SeparatingBasis, points: np.ndarray, grid: np.ndarray, separation: dict | None = None) -> dict:
    """A wide layer seen through a separating ``basis``: points ``(n, D)`` and grid ``(lines, samples, D)``
    projected to 2D, and the :func:`separation_info` to draw over them (None: no line yet)."""
    p, g = basis.apply(points), basis.apply(grid)
    return {
        "width": int(points.shape[1]),
        "dims": 2,
        "points": b64(p),
        "grid": b64(g),
        "lines": int(g.shape[0]),
        "samples": int(g.shape[1]),
        "separation": separation,
    }


def separation_info(sep: views.Separation) -> dict:
    """The separating line(s) of ``sep`` in its view, each ``[w0, w1, c]``: the page draws
    ``P @ w + c = 0`` with class ``pairs[i][1]`` on the positive side; ``source`` is
    ``"network"`` (the output layer's own boundary) or ``"probe"`` (with its test ``accuracy``);
    ``exact`` whether the line is the classifier's boundary itself (its normal lies in the view).

    For 3+ classes the page draws ``regions`` (each ``[class, [x0, y0, x1, y1, ...]]``, a convex
    polygon where that class scores highest) and ``segments`` (each ``[x1, y1, x2, y2, i, j]``,
    where classes ``i`` and ``j`` tie for the highest) when the view holds them exactly, in a box reaching well past the points so
    any zoom of the panel stays covered; not the pairs' whole lines, which cut through a third class."""
    out = {
        "lines": [[float(w[0]), float(w[1]), float(c)] for w, c in sep.lines],
        "pairs": [list(p) for p in sep.pairs],
        "source": sep.source,
        "accuracy": None if sep.accuracy is None else round(sep.accuracy, 4),
        "exact": bool(sep.exact),
    }
    if sep.line is None and sep.exact:
        lo, hi = sep.points.min(axis=0), sep.points.max(axis=0)
        pad = 4.0 * max(float(np.max(hi - lo)), 1e-6)
        box = (float(lo[0] - pad), float(hi[0] + pad), float(lo[1] - pad), float(hi[1] + pad))
        out["regions"] = [[int(c), np.round(poly, 6).ravel().tolist()] for c, poly in sep.regions(box)]
        out["segments"] = [[*np.round(seg, 6).ravel().tolist(), int(i), int(j)] for (i, j), seg in sep.boundaries(box)]
    return out


def plane_payload(sep: views.Separation) -> dict | None:
    """A 3-wide layer's separating plane ``h @ w + c = 0`` as ``{"w": [3 floats], "c": float}`` (None without one)."""
    if sep.plane is None:
        return None
    w, c = sep.plane
    return {"w": [float(v) for v in w], "c": float(c), "source": sep.source,
            "accuracy": None if sep.accuracy is None else round(sep.accuracy, 4)}
