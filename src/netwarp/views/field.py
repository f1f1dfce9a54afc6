"""What the network outputs over the input plane (or line)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import NetwarpError, whole_number
from ..nn import argmax_columns, forward_columns, softmax_parts
from ..trace import Trace
from .cache import cached
from .needs import need_weights

MAX_RESOLUTION = 2000


def bounds(trace: Trace, margin: float = 0.15) -> tuple[float, float, float, float]:
    """Plot range ``(x0, x1, y0, y1)`` around all data, padded by ``margin`` of the span.

    For a 2D input this is the input plane; for a 1D input, ``x`` is the input
    and ``y`` the target range.
    """
    return cached(trace, ("bounds", margin), lambda: _bounds(trace, margin))


def _bounds(trace: Trace, margin: float) -> tuple[float, float, float, float]:
    X = np.vstack([trace.X_train, trace.X_test])
    if X.shape[1] == 2:
        lo, hi = X.min(axis=0), X.max(axis=0)
    elif X.shape[1] == 1:
        y = np.r_[trace.y_train, trace.y_test].astype(float)
        lo, hi = np.array([X.min(), y.min()]), np.array([X.max(), y.max()])
    else:
        raise NetwarpError(f"the input has {X.shape[1]} features; plane views need 1 or 2")
    pad = np.maximum(hi - lo, 1e-6) * margin
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


data_bounds = bounds  # for functions whose ``bounds`` argument shadows the function


def check_bounds(trace: Trace, given: Sequence[float] | None) -> tuple[float, float, float, float]:
    """``given`` as ``(x0, x1, y0, y1)`` with finite ``x0 < x1`` and ``y0 < y1``, or the data's bounds if None."""
    return data_bounds(trace) if given is None else valid_bounds(given)


def valid_bounds(given: Sequence[float]) -> tuple[float, float, float, float]:
    """``given`` as ``(x0, x1, y0, y1)`` floats, or a one-line error."""
    try:
        b = tuple(float(v) for v in given)
    except (TypeError, ValueError):
        raise NetwarpError(f"bounds must be 4 numbers (x0, x1, y0, y1), got {given!r}") from None
    if len(b) != 4 or not all(np.isfinite(b)) or not (b[0] < b[1] and b[2] < b[3]):
        raise NetwarpError(f"bounds must be 4 finite numbers (x0, x1, y0, y1) with x0 < x1 and y0 < y1, got {given!r}")
    return b


def _check_resolution(resolution: int) -> int:
    return whole_number("resolution", resolution, 2, MAX_RESOLUTION)


def _need_plane(trace: Trace, what: str) -> None:
    if trace.arch.sizes[0] != 2:
        raise NetwarpError(f"{what} needs a network with 2 inputs; this one has {trace.arch.sizes[0]}")


def plane_grid(bounds_: tuple[float, float, float, float], resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``xs (R,)``, ``ys (R,)`` and the points ``(R*R, 2)`` in row-major order (row = y)."""
    x0, x1, y0, y1 = bounds_
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.c_[gx.ravel(), gy.ravel()]


@dataclass(frozen=True)
class Field:
    """Class probabilities over the input plane.

    ``probs[i, j]`` is at ``(xs[j], ys[i])``; ``ys`` ascends, so row 0 is the bottom.
    """

    xs: np.ndarray  # (R,)
    ys: np.ndarray  # (R,)
    probs: np.ndarray  # (R, R, k)
    labels: np.ndarray  # (R, R)
    bounds: tuple[float, float, float, float]
    confidence: np.ndarray  # (R, R): the winning class's probability

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows this result as its picture (:func:`netwarp.outputs.view_cards.view_figure`)."""
        from ..display import card

        return card("field", "png", self)


def decision_field(
    trace: Trace, snapshot: int = -1, resolution: int = 200, bounds: tuple[float, float, float, float] | None = None, theta: np.ndarray | None = None
) -> Field:
    """The classifier's probabilities on a ``resolution x resolution`` grid, in one forward pass.

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """
    return FieldCache(trace, resolution, bounds)(trace.theta(snapshot) if theta is None else theta)


class FieldCache:
    """Decision fields on one grid for a series of parameter vectors.

    It keeps every layer's values over the grid for the last parameters it
    saw; for new parameters it reruns the network only from the first layer
    whose weights differ, and in that layer only for the units whose incoming
    weights or bias changed. A hand-edited weight ``W_k[i, j]`` so costs one
    unit of layer ``k + 1`` and the layers after it, not the whole network
    (what makes the playground's weight slider redraw a 200x200 field fast).
    The tests check the result against a fresh forward pass.
    """

    def __init__(self, trace: Trace, resolution: int = 200, bounds: tuple[float, float, float, float] | None = None):
        need_weights(trace, "the decision field")
        if trace.arch.task != "classification":
            raise NetwarpError("decision_field needs a classifier; use regression_curve for a regression")
        _need_plane(trace, "a decision field")
        self.trace, self.resolution = trace, _check_resolution(resolution)
        self.bounds = check_bounds(trace, bounds)
        self.xs, self.ys, pts = plane_grid(self.bounds, self.resolution)
        self._acts = [np.ascontiguousarray(pts.T)]  # layer values over the grid, (units, R*R)
        self._zs: list[np.ndarray] = []  # affine outputs, (units, R*R)
        self._theta: np.ndarray | None = None
        self._field: Field | None = None

    def __call__(self, theta: np.ndarray) -> Field:
        """The field for ``theta`` of shape ``(n_params,)``."""
        arch = self.trace.arch
        theta = np.asarray(theta, dtype=np.float64)
        layers, fns = arch.unflatten(theta), arch.fns
        start = 0
        if self._theta is not None:
            start = next(
                (k for k, (sw, sb) in enumerate(arch.slices()) if not np.array_equal(theta[sw.start : sb.stop], self._theta[sw.start : sb.stop])),
                None,
            )
            if start is None:
                return self._field
            start = self._patch_units(start, layers, fns)
        tail, zs = forward_columns(layers[start:], self._acts[start], fns[start:])
        self._acts = self._acts[:start] + tail
        self._zs = self._zs[:start] + zs
        shifted, e, s = softmax_parts(self._acts[-1])
        e /= s
        r = self.resolution
        probs = np.ascontiguousarray(e.T).reshape(r, r, -1)
        self._theta = np.array(theta, dtype=np.float64)
        conf = e[0].copy()
        for row in e[1:]:
            np.maximum(conf, row, out=conf)
        self._field = Field(self.xs, self.ys, probs, argmax_columns(e).reshape(r, r), self.bounds, conf.reshape(r, r))
        return self._field

    def _patch_units(self, k: int, layers: list[tuple[np.ndarray, np.ndarray]], fns) -> int:
        """Recompute only the units of layer ``k + 1`` whose weights or bias changed;
        returns the layer to rerun in full from (``k`` if most units changed)."""
        sw, sb = self.trace.arch.slices()[k]
        W, b = layers[k]
        old = self._theta
        changed = (old[sw].reshape(W.shape) != W).any(axis=0) | (old[sb] != b)
        J = np.flatnonzero(changed)
        if len(J) * 2 > len(changed):
            return k
        z = self._zs[k]
        z[J] = W[:, J].T @ self._acts[k]
        z[J] += b[J][:, None]
        if k + 1 < len(layers):
            self._acts[k + 1][J] = fns[k](z[J])
        return k + 1


def neuron_fields(
    trace: Trace, snapshot: int = -1, resolution: int = 32, bounds: tuple[float, float, float, float] | None = None, theta: np.ndarray | None = None
) -> list[np.ndarray]:
    """Every unit's value over the input plane.

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.

    Returns
    -------
    list of ndarray
        Entry ``i`` is layer ``i + 1`` (hidden layers, then the output logits),
        shape ``(R, R, sizes[i + 1])``; ``[r, c]`` is at ``(xs[c], ys[r])`` of :func:`plane_grid`.
    """
    need_weights(trace, "the neuron-field view")
    _need_plane(trace, "neuron fields")
    r = _check_resolution(resolution)
    b = check_bounds(trace, bounds)
    _, _, pts = plane_grid(b, r)
    return [a.reshape(r, r, -1) for a in trace.layer_outputs(pts, snapshot, theta)[1:]]


@dataclass(frozen=True)
class Curve:
    """A 1D regression fit and its decomposition over the last hidden layer.

    ``yhat = units.sum(axis=1) + bias`` exactly.
    """

    xs: np.ndarray  # (m,)
    yhat: np.ndarray  # (m,)
    units: np.ndarray  # (m, h): a_j(x) * W_out[j, 0]
    bias: float
    knots: np.ndarray  # (K,) relu kink positions inside the range

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows this result as its picture (:func:`netwarp.outputs.view_cards.view_figure`)."""
        from ..display import card

        return card("curve", "png", self)


def regression_curve(trace: Trace, snapshot: int = -1, samples: int = 400, theta: np.ndarray | None = None) -> Curve:
    """The fitted curve of a 1-input, 1-output regression on a dense grid.

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """
    need_weights(trace, "the regression curve")
    if trace.arch.task != "regression" or trace.arch.sizes[0] != 1 or trace.arch.sizes[-1] != 1:
        raise NetwarpError("regression_curve needs a regression with 1 input and 1 output")
    m = _check_resolution(samples)
    x0, x1, _, _ = data_bounds(trace, margin=0.0)
    xs = np.linspace(x0, x1, m)
    theta = trace.theta(snapshot) if theta is None else theta
    acts = trace.layer_outputs(xs[:, None], snapshot, theta)
    W, b = trace.arch.unflatten(theta)[-1]
    units = acts[-2] * W[:, 0]
    knots = np.empty(0)
    if trace.arch.n_layers == 2 and trace.arch.activations[0] in ("relu", "leaky_relu"):
        W0, b0 = trace.arch.unflatten(theta)[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            k = -b0 / W0[0]
        knots = np.sort(k[np.isfinite(k) & (k > x0) & (k < x1)])
    return Curve(xs, acts[-1][:, 0], units, float(b[0]), knots)

