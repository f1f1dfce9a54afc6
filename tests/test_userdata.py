import numpy as np
import pytest

from netwarp import check_xy, load_csv
from netwarp.userdata import split

# -- check_xy ---------------------------------------------------------------


def test_check_xy_normalises_and_infers_the_task():
    X, y, task = check_xy([[0, 1], [1, 0], [2, 2], [3, 1]], [0.0, 1.0, 1.0, 0.0])
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert y.dtype == np.int64 and task == "classification"
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    X, y, task = check_xy(np.linspace(0, 1, 5), np.linspace(0, 1, 5) ** 2)  # 1D X is one feature
    assert X.shape == (5, 1) and task == "regression" and y.dtype == np.float64
    X, y, task = check_xy(np.zeros((4, 3)), np.array([[1], [2], [3], [4]]), task="regression")  # column y
    assert y.shape == (4,) and task == "regression"
    _, y, _ = check_xy(np.zeros((4, 2)), np.array([True, False, True, False]))
    np.testing.assert_array_equal(y, [1, 0, 1, 0])


@pytest.mark.parametrize(
    "X, y, kwargs, match",
    [
        (np.zeros((4, 2)), np.zeros(5), {}, "X has 4 rows but y has 5"),
        (np.zeros((4, 2, 2)), np.arange(4) % 2, {}, "X must have shape \\(n_samples, n_features\\), got \\(4, 2, 2\\)"),
        (np.zeros((4, 0)), np.arange(4) % 2, {}, "X must have shape"),
        (np.zeros((4, 2)), np.zeros((4, 2)), {}, "y must have shape \\(n_samples,\\), got \\(4, 2\\)"),
        (np.zeros((3, 2)), [0, 1, 0], {}, "need at least 4 points, got 3"),
        (np.zeros((0, 2)), [], {}, "need at least 4 points, got 0"),
        ([[0, 0], [1, np.nan], [2, 2], [3, 3]], [0, 1, 0, 1], {}, "X has NaN or infinite values \\(first in row 1\\)"),
        ([[0, 0], [1, 1], [2, 2], [np.inf, 3]], [0, 1, 0, 1], {}, "X has NaN or infinite values \\(first in row 3\\)"),
        (np.zeros((4, 2)), [0, 1, np.nan, 1], {}, "y has NaN or infinite values \\(first in row 2\\)"),
        (np.zeros((4, 2)), [0, 1, -np.inf, 1], {}, "y has NaN or infinite values"),
        (np.zeros((4, 2)), [1, 1, 1, 1], {}, "need at least 2 classes, got only class 1"),
        (np.zeros((4, 2)), [0, 1, 0.5, 1], dict(task="classification"), "class labels must be whole numbers >= 0"),
        (np.zeros((4, 2)), [0, 1, -1, 1], {}, "class labels must be whole numbers >= 0"),
        (np.zeros((4, 2)), ["a", "b", "a", "b"], {}, "y must be numeric"),
        (np.zeros((4, 2)), [0, 1, None, 1], {}, "y must be numeric"),
        ([["a", "b"]] * 4, [0, 1, 0, 1], {}, "data must be numeric arrays"),
        ([[1, 2], [3], [4, 5], [6, 7]], [0, 1, 0, 1], {}, "data must be numeric arrays"),
        (np.zeros((4, 2)), [0, 1, 0, 1], dict(task="ranking"), "unknown task 'ranking'"),
        (np.zeros((4, 2)), [0, 1, 0, 10**9], {}, "class labels must be whole numbers from 0 to 63"),
    ],
)
def test_check_xy_bad_input(X, y, kwargs, match, bad):
    bad(match, check_xy, X, y, **kwargs)


# -- load_csv ----------------------------------------------------------------


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_csv_classification_with_header(tmp_path):
    path = write(tmp_path, "x1,x2,label\n0.1,0.2,0\n\n0.3,-0.4,1\n1e-1, 2 ,2\n-1,1,1\n")
    X, y, task = load_csv(path)
    assert task == "classification"
    np.testing.assert_array_equal(X, [[0.1, 0.2], [0.3, -0.4], [0.1, 2.0], [-1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 2, 1])


def test_load_csv_regression_without_header(tmp_path):
    path = write(tmp_path, "".join(f"{x},{x * x}\n" for x in np.linspace(-1, 1, 9)))
    X, y, task = load_csv(str(path))  # a str path works too
    assert task == "regression" and X.shape == (9, 1)
    np.testing.assert_allclose(y, X[:, 0] ** 2)


def test_load_csv_regression_with_whole_number_targets(tmp_path):
    # two columns are regression even if y happens to be integral
    X, y, task = load_csv(write(tmp_path, "x,y\n0,0\n1,1\n2,4\n3,9\n"))
    assert task == "regression" and y.dtype == np.float64


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "no data rows"),
        ("\n\n", "no data rows"),
        ("x1,x2,label\n", "no data rows"),
        ("1\n2\n3\n4\n", "need at least 2 columns"),
        ("0,0,0\n1,1,1\n2,2\n3,3,1\n", "line 3 has 2 columns, expected 3"),
        ("0,0,0\n1,1,1\n2,2,0,7\n3,3,1\n", "line 3 has 4 columns, expected 3"),
        ("x1,x2,label\n0,0,0\n1,abc,1\n2,2,0\n3,3,1\n", "line 3, column 2: 'abc' is not a number"),
        ("0,0,0\n1,1,1\n2,2,0\n3,3,\n", "line 4, column 3: '' is not a number"),
        ("0,0,0\n1,nan,1\n2,2,0\n3,3,1\n", "line 2, column 2: 'nan' is not a finite number"),
        ("0,0,0\n1,1,1\n2,2,0\n3,3,inf\n", "line 4, column 3: 'inf' is not a finite number"),
        ("0,0,1\n1,1,1\n2,2,1\n3,3,1\n", "need at least 2 classes"),
        ("0,0,0\n1,1,0.5\n2,2,0\n3,3,1\n", "class labels must be whole numbers"),
        ("0,0,0\n1,1,1\n2,2,0\n", "need at least 4 points, got 3"),
    ],
)
def test_load_csv_bad_files(tmp_path, text, match, bad):
    path = write(tmp_path, text)
    msg = bad(match, load_csv, path)
    assert msg.startswith(str(path))  # names the file


def test_load_csv_missing_or_unreadable(tmp_path, bad):
    bad("no such file", load_csv, tmp_path / "missing.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 50)
    bad("cannot read as CSV", load_csv, binary)
    bad("cannot read as CSV", load_csv, tmp_path)  # a folder


# -- split ---------------------------------------------------------------------


def test_split_is_seeded_and_stratified():
    X = np.arange(200, dtype=float)[:, None]
    y = (np.arange(200) % 4 == 0).astype(int)  # 50 of class 1
    a = split(X, y, 0.2, seed=3, stratify=True)
    b = split(X, y, 0.2, seed=3, stratify=True)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    X_tr, X_te, y_tr, y_te = a
    assert len(X_te) == 40 and y_te.sum() == 10  # class balance kept
    assert sorted(np.r_[X_tr[:, 0], X_te[:, 0]]) == list(range(200))  # a partition
    c = split(X, y, 0.2, seed=4, stratify=True)
    assert not np.array_equal(a[1], c[1])


def test_split_bad_sizes(bad):
    X, y = np.zeros((10, 2)), np.arange(10) % 2
    bad("test_size must be between 0 and 1", split, X, y, 0.0, 0, True)
    bad("test_size must be between 0 and 1", split, X, y, 1.5, 0, True)
    bad("cannot split 10 points", split, X, y, 0.01, 0, True)
