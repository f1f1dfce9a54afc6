"""Damaged and hostile trace files: each gives one line, none expands or tracebacks."""

import io
import json
import struct
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netwarp import NetwarpError, cli, limits, load_trace
from netwarp.trace import Trace


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory, request):
    blobs = request.getfixturevalue("blobs_trace")
    path = tmp_path_factory.mktemp("good") / "run.npz"
    blobs.save(path)
    return path.read_bytes()


def _arrays(raw: bytes) -> dict:
    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _write(path, arrays, compressed=False):
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def _with_meta(arrays, edit):
    meta = json.loads(bytes(arrays["meta"]).decode())
    edit(meta)
    return {**arrays, "meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}


def test_a_zip_bomb_is_refused_from_its_headers_before_expanding(good_bytes, tmp_path, monkeypatch, bad):
    a = _arrays(good_bytes)
    n = 5000  # stands in for 50M: the limit is lowered below it
    a = {**a, "X_train": np.zeros((n, 2)), "y_train": np.zeros(n, np.int64)}
    path = _write(tmp_path / "bomb.npz", a, compressed=True)
    assert path.stat().st_size < 20_000  # zeros compress ~1000x
    monkeypatch.setattr(limits, "MAX_POINTS", 1000)
    read = []
    real = np.lib.format.read_array
    monkeypatch.setattr(np.lib.format, "read_array", lambda fh, **k: read.append(fh.name) or real(fh, **k))
    msg = bad(r"too large: 5\d+ points; at most 1000", load_trace, path)
    assert str(path) in msg and read == ["meta.npy"]  # only the short metadata was read, no array expanded


def test_declared_total_size_is_checked_first(good_bytes, tmp_path, monkeypatch, bad):
    path = tmp_path / "run.npz"
    path.write_bytes(good_bytes)
    monkeypatch.setattr(limits, "TRACE_FILE_BYTES", 1000)
    bad("too large: its arrays would take", load_trace, path)


def test_snapshot_bytes_are_checked_from_the_header(good_bytes, tmp_path, monkeypatch, bad):
    path = tmp_path / "run.npz"
    path.write_bytes(good_bytes)
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 100)
    bad("too large: its snapshots would take more than", load_trace, path)


def _patch_member(raw: bytes, member: str, method: int | None = None, flags: int | None = None) -> bytes:
    """Rewrite one member's compression method or flag bits in both its local and central headers."""
    data = bytearray(raw)
    name = member.encode()
    for sig, off_flags, off_method, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        i = data.find(sig)
        while i >= 0:
            if data[i + name_at : i + name_at + len(name)] == name:
                if flags is not None:
                    struct.pack_into("<H", data, i + off_flags, flags)
                if method is not None:
                    struct.pack_into("<H", data, i + off_method, method)
            i = data.find(sig, i + 4)
    return bytes(data)


@pytest.mark.parametrize(
    ("patch", "match"),
    [
        ({"method": 9}, "uses compression method 9"),  # deflate64
        ({"method": 99}, "uses compression method 99"),
        ({"flags": 1}, "is encrypted"),
    ],
)
def test_unsupported_zip_members_are_one_line(good_bytes, tmp_path, patch, match, bad):
    path = tmp_path / "odd.npz"
    path.write_bytes(_patch_member(good_bytes, "params.npy", **patch))
    bad(match, load_trace, path)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda a: a.update(meta=np.array(10**12)), "metadata is not a short text"),
        (lambda a: a.update(meta=np.frombuffer(("[" * 100_000 + "]" * 100_000).encode(), np.uint8)), "metadata is not JSON"),
        (lambda a: a.update(steps=np.array([0.0, np.nan] + [1.0] * (len(a["steps"]) - 2))), "steps has type float64"),
        (lambda a: a.update(metrics=a["metrics"].astype(str)), "metrics has type <U"),
        (lambda a: a.update(metrics=a["metrics"].astype(complex)), "metrics has type complex128"),
        (lambda a: a.update(X_train=a["X_train"][:0], y_train=a["y_train"][:0]), "X_train has no points"),
        (lambda a: a.update(X_test=a["X_test"][:0], y_test=a["y_test"][:0]), "X_test has no points"),
        (lambda a: a.update(steps=a["steps"][::-1].copy()), "steps are not increasing"),
    ],
)
def test_damaged_arrays_are_one_line(good_bytes, tmp_path, edit, match, bad):
    a = _arrays(good_bytes)
    edit(a)
    with _no_warnings():
        bad(match, load_trace, _write(tmp_path / "damaged.npz", a))


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda m: m.update(status=7), "status is not text"),
        (lambda m: m.update(message=["x"]), "message is not text"),
        (lambda m: m["arch"].update(sizes=[2, 10**12, 2]), "corrupt trace metadata"),
    ],
)
def test_damaged_metadata_is_one_line(good_bytes, tmp_path, edit, match, bad):
    bad(match, load_trace, _write(tmp_path / "damaged.npz", _with_meta(_arrays(good_bytes), edit)))


def test_paths_that_are_not_paths(bad):
    bad("a trace file path must be a string or a path, got NoneType", load_trace, None)
    bad("a trace file path must be a string or a path, got int", load_trace, 3)


def test_info_escapes_control_characters_in_metadata(good_bytes, tmp_path, capsys):
    evil = _with_meta(_arrays(good_bytes), lambda m: m["data"].update(source="\x1b[31mred\x1b[0m", dataset="x\x07"))
    path = _write(tmp_path / "ansi.npz", evil)
    assert cli.main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b[31mred" in out


class _no_warnings:
    """Fail on any warning (e.g. numpy's ComplexWarning) raised inside the block."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_files_load_or_fail_in_one_line(good_bytes, tmp_path, data):
    raw = bytearray(good_bytes)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    path = tmp_path / "fuzz.npz"
    path.write_bytes(bytes(raw))
    try:
        trace = load_trace(path)
    except NetwarpError as e:
        assert "\n" not in str(e) and str(path) in str(e)
    else:
        assert isinstance(trace, Trace)


def test_header_fuzz_regression_tokenize_error(good_bytes, tmp_path, bad):
    # one changed byte in an array header once raised tokenize.TokenError from numpy's header parser
    raw = bytearray(good_bytes)
    at = raw.find(b"{'descr'")
    raw[at + 1] = ord("(")
    path = tmp_path / "header.npz"
    path.write_bytes(bytes(raw))
    bad("not a readable trace file", load_trace, path)


def _read_spy(monkeypatch) -> list:
    read = []
    real = np.lib.format.read_array
    monkeypatch.setattr(np.lib.format, "read_array", lambda fh, **k: read.append(fh.name) or real(fh, **k))
    return read


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        # a shape bomb: params says 2,000,000 snapshots (16 MB of zeros, a few kB compressed), steps says 7
        (lambda a: a.update(params=np.zeros((2_000_000, a["params"].shape[1]))), r"params has shape \(2000000, \d+\), expected \(\d+, \d+\)"),
        (lambda a: a.update(metrics=np.zeros((2_000_000, 4))), r"metrics has shape \(2000000, 4\), expected"),
        (lambda a: a.update(y_train=np.zeros(2_000_000, np.int64)), r"y_train has shape \(2000000,\), expected"),
        (lambda a: a.update(X_test=np.zeros((len(a["X_test"]), 3))), r"X_test has shape \(\d+, 3\), expected \(\d+, 2\)"),
        (lambda a: a.update(steps=np.array(3)), r"steps is a scalar, expected an array"),
        (lambda a: a.update(y_test=a["y_test"].astype(str)), r"y_test has type <U"),
    ],
)
def test_every_member_header_is_checked_against_the_metadata_before_any_array_is_read(good_bytes, tmp_path, monkeypatch, edit, match, bad):
    a = _arrays(good_bytes)
    edit(a)
    path = _write(tmp_path / "shape-bomb.npz", a, compressed=True)
    read = _read_spy(monkeypatch)
    bad(match, load_trace, path)
    assert read == ["meta.npy"]  # only the short metadata was read: no array was expanded


def test_a_member_shorter_than_its_header_declares_is_refused_before_reading(good_bytes, tmp_path, monkeypatch, bad):
    a = _arrays(good_bytes)
    k = len(a["steps"])
    buf = io.BytesIO()
    np.lib.format.write_array(buf, a["params"])
    raw = buf.getvalue()
    # the header says 1000x the snapshots, the data holds the real ones; steps and metrics agree with the header
    old = raw[: raw.index(b"\n") + 1]
    header = old.replace(f"({k}, ".encode(), f"({k * 1000}, ".encode())
    header = header[: len(old) - 1] + b"\n"  # the same length: the longer shape eats the padding spaces
    path = tmp_path / "short.npz"
    a = {**a, "steps": np.arange(k * 1000), "metrics": np.zeros((k * 1000, 4))}
    with zipfile.ZipFile(path, "w") as zf:
        for name, arr in a.items():
            if name != "params":
                b = io.BytesIO()
                np.lib.format.write_array(b, arr)
                zf.writestr(name + ".npy", b.getvalue())
        zf.writestr("params.npy", header + raw[raw.index(b"\n") + 1:])
    read = _read_spy(monkeypatch)
    bad(r"params.npy holds \d+ bytes of data; its header declares \d+", load_trace, path)
    assert read == []  # refused from the archive directory and the headers alone
