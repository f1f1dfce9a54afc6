"""netwarp's train/test split is scikit-learn's, point for point, without importing sklearn.model_selection."""

import subprocess
import sys

import numpy as np
import pytest

from netwarp import make_dataset
from netwarp.userdata import split

model_selection = pytest.importorskip("sklearn.model_selection")


def cases():
    rng = np.random.default_rng(0)
    for n in (2, 3, 7, 10, 41, 100, 333, 1000):
        for k in (1, 2, 3, 5, 10):
            y = rng.integers(0, k, n)
            y[: min(n, k)] = np.arange(min(n, k))  # every label appears
            for test_size in (0.1, 0.25, 0.5, 0.77):
                for seed in (0, 1, 42):
                    yield n, y, test_size, seed
    y = np.r_[np.zeros(90, int), np.ones(7, int), np.full(3, 2)]  # unbalanced, ties in the remainders
    for test_size in (0.1, 0.2, 0.3, 0.33):
        for seed in range(5):
            yield len(y), y, test_size, seed


@pytest.mark.parametrize("stratify", [True, False])
def test_the_split_is_scikit_learns(stratify):
    compared = 0
    for n, y, test_size, seed in cases():
        X = np.arange(2 * n, dtype=float).reshape(n, 2)
        strat = y if stratify and np.bincount(y).min() >= 2 else None
        try:
            want = model_selection.train_test_split(X, y, test_size=test_size, random_state=seed, stratify=strat)
        except ValueError:
            with pytest.raises(ValueError, match="cannot split"):  # NetwarpError is a ValueError
                split(X, y, test_size, seed, stratify)
            continue
        got = split(X, y, test_size, seed, stratify)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a, b)
        compared += 1
    assert compared > 300


def test_the_digits_split_is_unchanged():
    X, y = make_dataset("digits")
    got = split(X, y, 0.25, 0, True)
    want = model_selection.train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)


def test_training_does_not_import_sklearn_model_selection():
    code = ("import sys, netwarp as nw; X, y = nw.make_dataset('moons', n=100); nw.train(X, y, steps=5); "
            "print('sklearn.model_selection' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
