"""What the hidden units do together: which classes drive each unit (selectivity),
groups of units that fire together, what is lost when a group is silenced, and how
much noise each layer's weights can take before the predictions change."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..errors import NetwarpError
from ..trace import Trace
from .inputs import check_class
from .needs import need_weights


def _hidden(trace: Trace, layer: int) -> int:
    L = trace.arch.n_layers
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 1 <= layer < L:
        raise NetwarpError(f"layer {layer!r} is not a hidden layer; this network's hidden layers are 1..{L - 1}")
    return int(layer)


def _labels(trace: Trace, X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    X = trace.check_inputs(X)
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise NetwarpError(f"y must have one label per row of X: shape ({len(X)},), got {y.shape}")
    for c in np.unique(y):
        check_class(trace, int(c), "label")
    return X, y.astype(int)


def class_selectivity(trace: Trace, X: ArrayLike, y: ArrayLike, snapshot: int = -1) -> list[np.ndarray]:
    """Per hidden layer, each unit's mean activation over the points of each class.

    Returns
    -------
    list of ndarray
        Entry ``k - 1`` is hidden layer ``k``'s ``(width, n_classes)`` table (NaN for a class absent from ``y``).
    """
    X, y = _labels(trace, X, y)
    acts = trace.layer_outputs(X, snapshot)
    k = trace.n_classes
    out = []
    for a in acts[1:-1]:
        table = np.full((a.shape[1], k), np.nan)
        for c in range(k):
            if np.any(y == c):
                table[:, c] = a[y == c].mean(axis=0)
        out.append(table)
    return out


def neuron_groups(trace: Trace, layer: int, X: ArrayLike, snapshot: int = -1, n_groups: int | None = None) -> np.ndarray:
    """Groups of units of a hidden layer that fire together: agglomerative clustering (scikit-learn)
    of the units by the correlation of their activations over ``X``.

    Parameters
    ----------
    n_groups : int, optional
        Default: about the square root of the layer's width (at least 2).

    Returns
    -------
    ndarray of shape (width,)
        A group label per unit, 0.. in order of each group's first unit.
    """
    from sklearn.cluster import AgglomerativeClustering

    layer = _hidden(trace, layer)
    a = trace.layer_outputs(trace.check_inputs(X), snapshot)[layer]
    width = a.shape[1]
    if width < 2:
        return np.zeros(width, dtype=int)
    n = n_groups if n_groups is not None else max(2, int(round(np.sqrt(width))))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= width:
        raise NetwarpError(f"n_groups must be a whole number from 1 to the layer's {width} units, got {n!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(a.T)
    corr = np.nan_to_num(corr, nan=0.0)  # a unit constant over X correlates with nothing
    np.fill_diagonal(corr, 1.0)
    labels = AgglomerativeClustering(n_clusters=int(n), metric="precomputed", linkage="average").fit_predict(1.0 - corr)
    # renumber by first appearance, so group 0 holds unit 0
    order = {g: i for i, g in enumerate(dict.fromkeys(labels))}
    return np.array([order[g] for g in labels])


def lesion(trace: Trace, layer: int, units: ArrayLike, X: ArrayLike, y: ArrayLike, snapshot: int = -1) -> np.ndarray:
    """Per-class accuracy with the outputs of ``units`` of hidden ``layer`` set to zero.

    Returns
    -------
    ndarray of shape (n_classes,)
        NaN for a class absent from ``y``.
    """
    need_weights(trace, "a lesion")
    layer = _hidden(trace, layer)
    X, y = _labels(trace, X, y)
    units = np.atleast_1d(np.asarray(units, dtype=int))
    width = trace.arch.sizes[layer]
    if units.size and (units.min() < 0 or units.max() >= width):
        raise NetwarpError(f"units must be in 0..{width - 1} for hidden layer {layer}, got {units.tolist()}")
    fns = trace.arch.fns
    h = X
    for k, (W, b) in enumerate(trace.weights(snapshot)):
        h = h @ W + b
        if k < trace.arch.n_layers - 1:
            h = fns[k](h)
        if k + 1 == layer:
            h = h.copy()
            h[:, units] = 0.0
    pred = h.argmax(axis=1)
    return np.array([np.mean(pred[y == c] == c) if np.any(y == c) else np.nan for c in range(trace.n_classes)])


def robustness(trace: Trace, sigmas: ArrayLike, draws: int = 5, snapshot: int = -1, X: ArrayLike | None = None,
               seed: int = 0) -> np.ndarray:
    """The fraction of predictions unchanged when one weight layer gets relative noise.

    ``W_k`` becomes ``W_k + sigma * rms(W_k) * noise`` (noise standard normal, biases kept), one
    layer at a time, ``draws`` times per ``sigma``.

    Parameters
    ----------
    sigmas : array-like of shape (s,)
        Noise sizes relative to the layer's root-mean-square weight, each >= 0.
    X : array-like, optional
        The inputs (default: the trace's test points).

    Returns
    -------
    ndarray of shape (n_layers, s, draws)
    """
    need_weights(trace, "the robustness view")
    sigmas = np.atleast_1d(np.asarray(sigmas, dtype=float))
    if sigmas.ndim != 1 or not np.all(np.isfinite(sigmas)) or np.any(sigmas < 0):
        raise NetwarpError("sigmas must be a list of noise sizes, each 0 or more")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= 1000:
        raise NetwarpError(f"draws must be a whole number from 1 to 1000, got {draws!r}")
    X = trace.X_test if X is None else trace.check_inputs(X)
    theta = trace.theta(snapshot)
    base = trace.predict(X, theta=theta)
    rng = np.random.default_rng(seed)
    out = np.zeros((trace.arch.n_layers, len(sigmas), draws))
    for k, (sw, _) in enumerate(trace.arch.slices()):
        rms = float(np.sqrt(np.mean(theta[sw] ** 2)))
        for i, s in enumerate(sigmas):
            for d in range(draws):
                noisy = theta.copy()
                noisy[sw] += s * rms * rng.standard_normal(sw.stop - sw.start)
                out[k, i, d] = np.mean(trace.predict(X, theta=noisy) == base)
    return out


def order_by_class(table: np.ndarray) -> np.ndarray:
    """Units ordered by the class that drives them most, then by how strongly (a :func:`class_selectivity` table).

    Parameters
    ----------
    table : ndarray of shape (width, n_classes)

    Returns
    -------
    ndarray of shape (width,)
    """
    return np.lexsort((-np.nanmax(table, axis=1), np.nanargmax(table, axis=1)))


def from_above(trace: Trace, layer: int, X: ArrayLike, snapshot: int = -1) -> np.ndarray:
    """Layer ``layer``'s values of ``X`` on the layer's two main directions: one PCA fitted on
    snapshots spread over the run, so the view of one run stays put while training moves the points.

    Returns
    -------
    ndarray of shape (n, 2)
    """
    from .dynamics import spread_snapshots
    from .projection import fit_projection

    X = trace.check_inputs(X)
    proj = fit_projection([trace.layer_outputs(X, int(s))[layer] for s in spread_snapshots(trace, 8)], dims=2)
    return proj.apply(trace.layer_outputs(X, snapshot)[layer])
