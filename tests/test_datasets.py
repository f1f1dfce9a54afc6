import numpy as np
import pytest

from netwarp import DATASETS, make_dataset

NAMES = list(DATASETS)
DIMS = {"digits": 64, "square": 1, "sine": 1, "abs": 1, "iris": 4, "wine": 13, "breast_cancer": 30}


def test_table_has_the_issue_datasets():
    assert set(NAMES) == {"blobs", "xor", "moons", "circles", "spiral", "checkerboard", "square", "sine", "abs", "digits",
                          "iris", "wine", "breast_cancer"}
    for name, d in DATASETS.items():
        assert d.name == name and d.description and d.task in ("classification", "regression")


@pytest.mark.parametrize("name", NAMES)
def test_shapes_dtypes_and_classes(name):
    d = DATASETS[name]
    X, y = make_dataset(name)
    assert X.shape == (d.n, DIMS.get(name, 2)) and X.dtype == np.float64 and X.flags.c_contiguous
    assert y.shape == (d.n,)
    assert np.isfinite(X).all() and np.isfinite(y).all()
    if d.task == "classification":
        assert y.dtype == np.int64
        k = {"digits": 10, "iris": 3, "wine": 3}.get(name, 2)
        np.testing.assert_array_equal(np.unique(y), np.arange(k))  # labels 0..k-1, all present
    else:
        assert y.dtype == np.float64
        assert -1 <= X.min() and X.max() <= 1 and (np.diff(X[:, 0]) >= 0).all()  # sorted x in [-1, 1]


@pytest.mark.parametrize("name", NAMES)
def test_reproducible_by_seed(name):
    n = 50
    X1, y1 = make_dataset(name, n=n, seed=5)
    X2, y2 = make_dataset(name, n=n, seed=5)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert X1.shape[0] == n
    X3, _ = make_dataset(name, n=n, seed=6)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", [n for n in NAMES if DATASETS[n].task == "classification" and DIMS.get(n, 2) == 2])
def test_plane_sets_fit_the_shared_plot_range(name):
    X, _ = make_dataset(name)
    assert np.abs(X).max() < 1.5  # "roughly [-1, 1]^2", so one grid suits them all


def test_spiral_arms_and_blobs_classes():
    X, y = make_dataset("spiral", n=300, arms=3)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    X, y = make_dataset("blobs", n=400, classes=4)
    np.testing.assert_array_equal(np.unique(y), [0, 1, 2, 3])
    # four separate centres: each class's mean is far from the others'
    means = np.array([X[y == c].mean(axis=0) for c in range(4)])
    dist = np.linalg.norm(means[:, None] - means[None], axis=2)
    assert dist[~np.eye(4, dtype=bool)].min() > 0.6


def test_spiral_arms_are_rotated_copies():
    X, y = make_dataset("spiral", n=400, noise=0.0)
    r = np.linalg.norm(X, axis=1)
    assert 0.04 < r.min() and r.max() <= 1.0 + 1e-12
    # an arm winds more than once around the origin: angle unwrapped along the radius
    arm = X[y == 0][np.argsort(r[y == 0])]
    turns = np.abs(np.unwrap(np.arctan2(arm[:, 1], arm[:, 0]))[-1] - np.arctan2(arm[0, 1], arm[0, 0])) / (2 * np.pi)
    assert turns > 1.0


def test_circles_has_a_gap():
    X, y = make_dataset("circles", n=2000, noise=0.0, seed=3)
    r = np.linalg.norm(X, axis=1)
    assert r[y == 0].max() <= 0.5
    assert r[y == 1].min() >= 0.7 and r[y == 1].max() <= 1.0


def test_xor_quadrants():
    X, y = make_dataset("xor", noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    assert np.abs(X).min() >= 0.05  # the gap off the axes


def test_blobs_are_linearly_separable():
    from sklearn.linear_model import LogisticRegression

    X, y = make_dataset("blobs")
    assert LogisticRegression(C=1e4).fit(X, y).score(X, y) == 1.0


def test_checkerboard_cells():
    X, y = make_dataset("checkerboard", noise=0.0)
    cells = np.floor(X * 2).astype(int)  # 4x4 cells of side 0.5
    np.testing.assert_array_equal(y, (cells.sum(axis=1)) % 2)


@pytest.mark.parametrize("name, fn", [("square", np.square), ("sine", lambda x: np.sin(np.pi * x)), ("abs", np.abs)])
def test_curves(name, fn):
    X, y = make_dataset(name, noise=0.0)
    np.testing.assert_allclose(y, fn(X[:, 0]), rtol=1e-15)
    Xn, yn = make_dataset(name, noise=0.1)
    np.testing.assert_array_equal(Xn, X)  # same x (same seed), noisy y
    assert 0.05 < np.std(yn - fn(Xn[:, 0])) < 0.2


def test_noise_moves_points():
    X0, _ = make_dataset("moons", noise=0.0)
    X1, _ = make_dataset("moons", noise=0.2)
    assert 0.1 < np.std(X1 - X0) < 0.3


def test_digits_come_from_scikit_learn():
    from sklearn.datasets import load_digits

    X, y = make_dataset("digits")
    d = load_digits()
    np.testing.assert_array_equal(X, d.data / 16.0)
    np.testing.assert_array_equal(y, d.target)
    assert X.shape[1] == 64 and X.min() == 0.0 and X.max() == 1.0
    Xs, ys = make_dataset("digits", n=100, seed=1)
    assert Xs.shape == (100, 64)
    # a subsample of real rows, in their original order
    rows = {r.tobytes(): t for r, t in zip(X, y)}
    assert all(rows[r.tobytes()] == t for r, t in zip(Xs, ys))


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("nope",), {}, "unknown dataset 'nope'; choose one of: blobs"),
        ((["spiral"],), {}, "unknown dataset"),
        (("spiral",), dict(n=3), "n must be a whole number of points from 4 to 1000000, got 3"),
        (("spiral",), dict(n=100.0), "n must be a whole number"),
        (("spiral",), dict(n="100"), "n must be a whole number"),
        (("spiral",), dict(n=True), "n must be a whole number"),
        (("spiral",), dict(noise=-0.1), "noise must be a finite number >= 0"),
        (("spiral",), dict(noise=float("nan")), "noise must be a finite number"),
        (("spiral",), dict(noise=float("inf")), "noise must be a finite number"),
        (("spiral",), dict(noise="lots"), "noise must be a finite number"),
        (("spiral",), dict(seed=-1), "seed must be a whole number from 0 to 4294967295"),
        (("spiral",), dict(seed=1.5), "seed must be a whole number"),
        (("spiral",), dict(classes=3), "dataset 'spiral' takes no option 'classes'; it takes \\['arms'\\]"),
        (("moons",), dict(arms=3), "dataset 'moons' takes no option 'arms'"),
        (("spiral",), dict(arms=1), "spiral needs a whole number of arms from 2 to 64, got 1"),
        (("spiral",), dict(arms=2.5), "spiral needs a whole number of arms"),
        (("spiral",), dict(arms="3"), "option arms must be a number"),
        (("spiral",), dict(arms=float("nan")), "option arms must be a number"),
        (("blobs",), dict(classes=1), "blobs needs a whole number of classes from 2 to 64"),
    ],
)
def test_bad_input(args, kwargs, match, bad):
    bad(match, make_dataset, *args, **kwargs)
