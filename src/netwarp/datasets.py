"""Datasets a person can look at, as a name table.

:func:`netwarp.data.make_dataset` draws them, after checking its arguments
against :data:`netwarp.settings.SETTINGS`.

Every 2D set lies roughly in ``[-1, 1]^2`` so the same grid and plot ranges
suit them all; 1D sets have ``x`` in ``[-1, 1]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# How the classes of a 2D dataset lie, which decides what a network needs to split them
# (views.topology_note explains it; for a user's own data views infers it from the points).
SEPARABLE = "separable"  # a straight line splits the classes
TANGLED = "tangled"  # no straight line does, but nothing encloses anything
NESTED = "nested"  # one class lies inside a ring of another
INTERTWINED = "intertwined"  # the classes wind around each other
TOPOLOGIES = (SEPARABLE, TANGLED, NESTED, INTERTWINED)


@dataclass(frozen=True)
class Dataset:
    name: str
    make: Callable[..., tuple[np.ndarray, np.ndarray]]
    task: str
    n: int  # default number of points
    noise: float  # default noise
    description: str
    topology: str | None = None  # one of TOPOLOGIES for 2D classification data
    hidden: tuple[int, ...] | None = None  # the playground's network for it when none is chosen (None: the table's)


def _blobs(n, noise, rng, classes=2):
    # centres evenly on a circle: linearly separable for small noise
    ang = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = 0.6 * np.c_[np.cos(ang), np.sin(ang)]
    y = np.arange(n) % classes
    return centres[y] + rng.normal(0, 0.15 + noise, (n, 2)), y


def _xor(n, noise, rng):
    X = rng.uniform(-1, 1, (n, 2))
    X += np.sign(X) * 0.05  # a small gap off the axes so the quadrants are clear
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int)
    return X + rng.normal(0, noise, X.shape), y


def _moons(n, noise, rng):
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    X = np.where(
        y[:, None] == 0,
        np.c_[np.cos(t), np.sin(t)],
        np.c_[1 - np.cos(t), 0.5 - np.sin(t)],
    )
    X = (X - [0.5, 0.25]) * 0.8
    return X + rng.normal(0, noise, X.shape), y


def _circles(n, noise, rng):
    # class 0: disk of radius 0.5; class 1: ring 0.7..1.0 — a clear gap between
    y = np.arange(n) % 2
    r = np.where(y == 0, 0.5 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0.7, 1.0, n))
    t = rng.uniform(0, 2 * np.pi, n)
    X = np.c_[r * np.cos(t), r * np.sin(t)]
    return X + rng.normal(0, noise, X.shape), y


SPIRAL_TURNS = 1.25  # turns per arm: enough that a line, or a width-2 net, fails


def _spiral(n, noise, rng, arms=2):
    y = np.arange(n) % arms
    s = rng.uniform(0, 1, n)  # position along the arm
    r = 0.05 + 0.95 * s
    t = 2 * np.pi * (SPIRAL_TURNS * s + y / arms)
    X = np.c_[r * np.cos(t), r * np.sin(t)]
    return X + rng.normal(0, noise, X.shape), y


def _checkerboard(n, noise, rng):
    X = rng.uniform(-1, 1, (n, 2))
    y = ((np.floor(X[:, 0] * 2) + np.floor(X[:, 1] * 2)) % 2).astype(int)
    return X + rng.normal(0, noise, X.shape), y


def _curve(fn):
    def make(n, noise, rng):
        x = np.sort(rng.uniform(-1, 1, n))
        return x[:, None], fn(x) + rng.normal(0, noise, n)

    return make


def _digits(n, noise, rng):
    from sklearn.datasets import load_digits

    d = load_digits()
    X, y = d.data / 16.0, d.target.astype(int)
    if n is not None and n < len(X):
        keep = np.sort(rng.choice(len(X), n, replace=False))
        X, y = X[keep], y[keep]
    return X + rng.normal(0, noise, X.shape) if noise else X, y


def _table(name):
    # scikit-learn's bundled copy, standardised (netwarp.tables keeps the names and units)
    def make(n, noise, rng):
        from .tables import bundled

        t = bundled(name)
        X, y = t.X, t.y
        if n is not None and n < len(X):
            keep = np.sort(rng.choice(len(X), n, replace=False))
            X, y = X[keep], y[keep]
        return X + rng.normal(0, noise, X.shape) if noise else X, y

    return make


#: The built-in datasets, by name (``"spiral"``, ``"circles"``, ``"digits"``, ...): each a :class:`Dataset` saying how its classes lie.
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset("blobs", _blobs, "classification", 400, 0.0, "Gaussian blobs a line can separate (classes=k for more)", SEPARABLE),
        Dataset("xor", _xor, "classification", 400, 0.0, "four quadrants, opposite ones alike: no line separates them", TANGLED),
        Dataset("moons", _moons, "classification", 400, 0.05, "two interleaved half-circles", TANGLED),
        Dataset("circles", _circles, "classification", 400, 0.0, "a disk of one class inside a ring of the other", NESTED),
        Dataset("spiral", _spiral, "classification", 600, 0.0, "intertwined spiral arms (arms=k, default 2)", INTERTWINED),
        Dataset("checkerboard", _checkerboard, "classification", 800, 0.0, "a 4x4 checkerboard", TANGLED),
        Dataset("square", _curve(np.square), "regression", 200, 0.0, "y = x^2 on [-1, 1]"),
        Dataset("sine", _curve(lambda x: np.sin(np.pi * x)), "regression", 200, 0.0, "y = sin(pi x) on [-1, 1]"),
        Dataset("abs", _curve(np.abs), "regression", 200, 0.0, "y = |x| on [-1, 1]"),
        Dataset("digits", _digits, "classification", 1797, 0.0, "scikit-learn's 8x8 handwritten digits (64 inputs, 10 classes)",
                hidden=(32, 16)),
        Dataset("iris", _table("iris"), "classification", 150, 0.0, "scikit-learn's iris flowers (4 measurements, 3 species), standardised"),
        Dataset("wine", _table("wine"), "classification", 178, 0.0, "scikit-learn's wines (13 chemical measurements, 3 cultivars), standardised"),
        Dataset("breast_cancer", _table("breast_cancer"), "classification", 569, 0.0,
                "scikit-learn's breast cancer biopsies (30 cell measurements, malignant or benign), standardised"),
    ]
}
