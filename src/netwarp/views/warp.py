"""The data and a grid of lines pushed through the network, layer by layer,
and the continuous morph from the input to any layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import NetwarpError, whole_number
from ..nn import Architecture
from ..trace import Trace
from .cache import cached
from .field import check_bounds, valid_bounds
from .naming import layer_name
from .needs import need_weights

MAX_LINES, MAX_SAMPLES = 200, 2000


@dataclass(frozen=True)
class Warp:
    """Points and grid lines in one layer's space (or part way along a morph).

    Attributes
    ----------
    points : ndarray of shape (n, d)
        The training data.
    labels : ndarray of shape (n,)
    grid : ndarray of shape (2 * lines, samples, d)
        Horizontal then vertical lines of the input grid, as polylines.
    layer : float
        The layer index, or the morph position ``t``.
    """

    points: np.ndarray
    labels: np.ndarray
    grid: np.ndarray
    layer: float

    def _repr_png_(self) -> bytes | None:
        """Jupyter shows this result as its picture (:func:`netwarp.outputs.view_cards.view_figure`)."""
        from ..display import card

        return card("warp", "png", self)


def input_grid(bounds: tuple[float, float, float, float], lines: int = 30, samples: int = 60) -> np.ndarray:
    """Polylines of a ``lines x lines`` grid over ``bounds``, shape ``(2 * lines, samples, 2)``."""
    lines, samples = whole_number("lines", lines, 2, MAX_LINES), whole_number("samples", samples, 2, MAX_SAMPLES)
    x0, x1, y0, y1 = valid_bounds(bounds)
    grid = np.empty((2 * lines, samples, 2))
    grid[:lines, :, 0] = np.linspace(x0, x1, samples)  # horizontal lines: x runs, y fixed
    grid[:lines, :, 1] = np.linspace(y0, y1, lines)[:, None]
    grid[lines:, :, 0] = np.linspace(x0, x1, lines)[:, None]  # vertical lines: x fixed, y runs
    grid[lines:, :, 1] = np.linspace(y0, y1, samples)
    return grid


def check_layer(trace: Trace, layer: int) -> int:
    """``layer`` as an int in ``0..n_layers``, or a one-line error naming the range."""
    L = trace.arch.n_layers
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer <= L:
        raise NetwarpError(f"layer {layer!r} is out of range; this network has layers 0 (input) to {L} (output)")
    return int(layer)


def _points_and_grid(trace: Trace, lines: int, samples: int, bounds) -> tuple[np.ndarray, np.ndarray, int]:
    d = trace.arch.sizes[0]
    if d != 2:  # no plane to draw a grid on (a line, a table, images): the points alone, an empty grid
        if bounds is not None:
            raise NetwarpError(f"bounds frame an input plane; this network has {d} input(s)")
        return trace.X_train, np.empty((0, whole_number("samples", samples, 2, MAX_SAMPLES), d)), len(trace.X_train)
    b = check_bounds(trace, bounds)

    def stack() -> tuple[np.ndarray, np.ndarray]:
        grid = input_grid(b, lines, samples)
        return np.vstack([trace.X_train, grid.reshape(-1, 2)]), grid

    X, grid = cached(trace, ("points+grid", b, lines, samples), stack)
    return X, grid, len(trace.X_train)


def warp(
    trace: Trace,
    layer: int,
    snapshot: int = -1,
    lines: int = 30,
    samples: int = 60,
    bounds: tuple[float, float, float, float] | None = None,
    theta: np.ndarray | None = None,
) -> Warp:
    """The training points and the input grid as they are at ``layer``.

    For an input that is not a plane (a table of many features) the grid is empty:
    ``grid`` has shape ``(0, samples, d)``. One forward pass for points and grid together; ``layer`` indexes
    ``trace.layer_outputs`` (0 input, ``n_layers`` output logits).
    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """
    need_weights(trace, "the warped grid")
    layer = check_layer(trace, layer)
    X, grid, n = _points_and_grid(trace, lines, samples, bounds)
    out = trace.layer_outputs(X, snapshot, theta)[layer]
    return Warp(out[:n], trace.y_train, out[n:].reshape(*grid.shape[:2], out.shape[1]), float(layer))


class Morph:
    """The continuous path from the input to ``layer``, for one snapshot.

    Each layer transition ``k -> k+1`` takes one unit of ``t`` in three equal
    stages: the linear map (``l_k -> l_k W_k``), the shift by the bias (``+ b_k``),
    then the activation (the identity on the output layer). Within a stage the
    positions move on straight lines.

    Width changes: every state is zero-padded to ``D = max(sizes[0..layer])``
    coordinates, so a 2 -> 8 map starts as the plane sitting in the first two
    of eight axes and moves continuously to the 8-D output; projecting it for
    the screen is the caller's job (:func:`~netwarp.views.stable_projections`
    for an animation, a :class:`~netwarp.views.Projector` for a live view).

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """

    def __init__(
        self,
        trace: Trace,
        layer: int,
        snapshot: int = -1,
        lines: int = 30,
        samples: int = 60,
        bounds: tuple[float, float, float, float] | None = None,
        theta: np.ndarray | None = None,
    ):
        need_weights(trace, "the morph")
        self.layer = check_layer(trace, layer)
        if self.layer == 0:
            raise NetwarpError("a morph needs a target layer >= 1 (layer 0 is the input itself)")
        X, grid, self.n = _points_and_grid(trace, lines, samples, bounds)
        self.grid_shape = grid.shape[:2]
        self.labels = trace.y_train
        self.sizes = trace.arch.sizes[: self.layer + 1]
        self.D = max(self.sizes)
        acts, zs = trace.forward_stages(X, snapshot, theta)
        layers = trace.arch.unflatten(trace.theta(snapshot) if theta is None else theta)
        pad = self._pad
        # the four key states of every transition k: a_k, a_k W, a_k W + b, f(a_k W + b)
        self.keys = [
            (pad(acts[k]), pad(acts[k] @ layers[k][0]), pad(zs[k]), pad(acts[k + 1])) for k in range(self.layer)
        ]
        self.arch = trace.arch

    def _pad(self, a: np.ndarray) -> np.ndarray:
        out = np.zeros((len(a), self.D))
        out[:, : a.shape[1]] = a
        return out

    def _split(self, t: float) -> tuple[int, int, float]:
        return _split(self.layer, t)

    def state(self, t: float) -> np.ndarray:
        """All positions (points then grid samples) at ``t``, shape ``(n + lines*samples*2, D)``."""
        k, stage, u = self._split(t)
        a, b = self.keys[k][stage], self.keys[k][stage + 1]
        return a + u * (b - a) if u else a.copy()

    def at(self, t: float) -> Warp:
        """The morph at position ``t`` in ``[0, layer]`` as a :class:`Warp` in ``D`` dims."""
        s = self.state(t)
        return Warp(s[: self.n], self.labels, s[self.n :].reshape(*self.grid_shape, self.D), float(t))

    def stage(self, t: float) -> str:
        """A caption for position ``t``, e.g. ``"hidden layer 1: linear map W0 (2x8)"``."""
        return _stage_caption(self.arch, self.layer, t)


def _split(layer: int, t: float) -> tuple[int, int, float]:
    """Position ``t`` on the morph to ``layer`` as (transition k, stage 0..2, fraction within the stage)."""
    if isinstance(t, bool) or not isinstance(t, (int, float, np.integer, np.floating)):
        raise NetwarpError(f"morph position t must be a number between 0 and {layer}, got {t!r}")
    if not np.isfinite(t) or not 0 <= t <= layer:
        raise NetwarpError(f"morph position t must be between 0 and {layer}, got {t!r}")
    k = min(int(np.floor(t)), layer - 1)
    s = (t - k) * 3
    stage = min(int(s), 2)
    return k, stage, s - stage


def _stage_caption(arch: Architecture, layer: int, t: float) -> str:
    k, stage, _ = _split(layer, t)
    if float(t) == layer:
        return layer_name(layer, arch.n_layers)
    a, b = arch.sizes[k], arch.sizes[k + 1]
    name = arch.activations[k] if k + 1 < arch.n_layers else "identity (output layer)"
    to = layer_name(k + 1, arch.n_layers)
    return [f"{to}: linear map W{k} ({a}x{b})", f"{to}: shift by bias b{k}", f"{to}: activation {name}"][stage]


def morph(
    trace: Trace,
    layer: int,
    t: float,
    snapshot: int = -1,
    lines: int = 30,
    samples: int = 60,
    bounds: tuple[float, float, float, float] | None = None,
    theta: np.ndarray | None = None,
) -> Warp:
    """The morph from the input to ``layer`` at position ``t`` (see :class:`Morph`).

    ``theta`` (shape ``(n_params,)``), if given, replaces the snapshot's parameters.
    """
    return Morph(trace, layer, snapshot, lines, samples, bounds, theta).at(t)


def morph_stage(trace: Trace, t: float, layer: int | None = None) -> str:
    """Caption of the morph stage at ``t`` (see :meth:`Morph.stage`), without a forward pass."""
    need_weights(trace, "the morph")
    layer = trace.arch.n_layers if layer is None else check_layer(trace, layer)
    if layer == 0:
        raise NetwarpError("a morph needs a target layer >= 1 (layer 0 is the input itself)")
    return _stage_caption(trace.arch, layer, t)

