"""Hostile or careless data: bounded reading, no silent truncation, no warning floods."""

import warnings

import numpy as np
import pytest

from netwarp import check_xy, limits, load_csv, train


def test_a_headerless_csv_with_a_byte_order_mark_keeps_its_first_row(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,0\n0.7,0.8,1\n")
    X, y, _ = load_csv(path)
    assert len(X) == 4 and X[0].tolist() == [0.1, 0.2]


def test_an_endless_file_is_refused_without_reading_it(bad):
    bad("cannot read as CSV \\(not a regular file\\)", load_csv, "/dev/zero")


def test_a_line_without_end_is_refused_at_the_line_limit(tmp_path, monkeypatch, bad):
    monkeypatch.setattr(limits, "MAX_CSV_LINE", 1000)
    path = tmp_path / "blob.csv"
    path.write_bytes(b"\x00" * 50_000)
    bad("a line is longer than 1000 characters; is this a CSV file\\?", load_csv, path)


def test_reading_stops_at_the_row_limit(tmp_path, monkeypatch, bad):
    monkeypatch.setattr(limits, "MAX_POINTS", 100)
    path = tmp_path / "big.csv"
    path.write_text("".join(f"{i},{i},{i % 2}\n" for i in range(1000)) + "not,a,number\n")
    # the bad last line is never reached: reading stopped at row 101
    bad("more than 100 rows; at most 100 points", load_csv, path)


@pytest.mark.parametrize("which", ["X", "y"])
def test_complex_data_is_refused_not_truncated(which, bad):
    X, y = np.ones((10, 2)), np.arange(10) % 2
    if which == "X":
        X = X + 1j
    else:
        y = y + 0j
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bad(f"{which} has complex values", check_xy, X, y)


def test_enormous_values_are_one_line_not_a_warning_flood(bad):
    X, y = np.random.default_rng(0).uniform(-1, 1, (50, 2)), np.arange(50) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bad("X has values as large as 9.95e\\+307; at most 1e\\+12", train, X * 1e308, y, steps=5)
        bad("y has values as large as", check_xy, X, np.linspace(0, 1e300, 50), "regression")
