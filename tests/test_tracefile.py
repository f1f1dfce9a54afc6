import json
import zipfile

import numpy as np
import pytest

import netwarp
from netwarp import load_trace, tracefile

ARRAYS = ("X_train", "y_train", "X_test", "y_test", "steps", "params", "metrics")


def assert_same_trace(a, b):
    assert a.arch == b.arch
    for name in ARRAYS:
        u, v = getattr(a, name), getattr(b, name)
        assert u.dtype == v.dtype and u.shape == v.shape, name
        assert np.array_equal(u, v, equal_nan=True), name  # bit for bit (NaN accuracies for regression)
    assert a.config == b.config and a.data == b.data
    assert a.status == b.status and a.message == b.message
    assert len(a.snapshots) == len(b.snapshots)


@pytest.mark.parametrize("fixture", ["blobs_trace", "square_trace"])
def test_round_trip_is_exact(fixture, tmp_path, request):
    trace = request.getfixturevalue(fixture)
    path = tmp_path / "run.npz"
    trace.save(path)
    loaded = load_trace(path)
    assert_same_trace(trace, loaded)
    X = np.random.default_rng(0).uniform(-1, 1, (20, trace.arch.sizes[0]))
    np.testing.assert_array_equal(loaded.predict(X, 3), trace.predict(X, 3))
    # and again, from a str path: saving a loaded trace changes nothing
    loaded.save(str(tmp_path / "again.npz"))
    assert_same_trace(trace, load_trace(str(tmp_path / "again.npz")))


def test_file_is_plain_npz_with_json_metadata(blobs_trace, tmp_path):
    path = tmp_path / "run.npz"
    blobs_trace.save(path)
    with np.load(path, allow_pickle=False) as z:  # never pickle
        assert set(z.files) == {*ARRAYS, "meta"}
        meta = json.loads(bytes(z["meta"]).decode())
    assert meta["format"] == "netwarp-trace" and meta["version"] == tracefile.VERSION
    assert meta["arch"] == {"sizes": [2, 4, 2], "activations": ["tanh"], "activation": "tanh", "task": "classification"}
    assert meta["config"]["lr"] == 0.03 and meta["data"]["dataset"] == "blobs"


def test_diverged_and_numpy_typed_metadata_survive(tmp_path):
    X, y = netwarp.make_dataset("moons", n=60)
    with pytest.warns(netwarp.TrainingDiverged):
        trace = netwarp.train(X, y, lr=50, steps=20, seed=np.int64(2), batch_size=np.int64(16), data={"n": np.int64(60)})
    trace.save(tmp_path / "d.npz")
    loaded = load_trace(tmp_path / "d.npz")
    assert loaded.status == "diverged" and loaded.message == trace.message and "learning rate" in loaded.message
    assert loaded.config["seed"] == 2 and loaded.config["batch_size"] == 16 and loaded.data == {"n": 60}


def test_empty_trace_round_trips(tmp_path):
    X, y = netwarp.make_dataset("blobs", n=20)
    trace = netwarp.Trainer(X, y, hidden=[3]).trace
    trace.save(tmp_path / "empty.npz")
    loaded = load_trace(tmp_path / "empty.npz")
    assert len(loaded) == 0 and loaded.params.shape == (0, trace.arch.n_params)


# -- atomic saving --------------------------------------------------------------


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "run.npz")


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), OSError(28, "No space left on device")])
def test_failed_save_keeps_the_old_file(blobs_trace, square_trace, tmp_path, monkeypatch, error):
    path = tmp_path / "run.npz"
    blobs_trace.save(path)
    before = path.read_bytes()

    def broken_savez(fh, **arrays):
        fh.write(b"PK\x03\x04 half a file")  # a partial write, then the failure
        raise error

    monkeypatch.setattr(np, "savez", broken_savez)
    expected = netwarp.NetwarpError if isinstance(error, OSError) else RuntimeError
    with pytest.raises(expected) as info:
        square_trace.save(path)
    if expected is netwarp.NetwarpError:
        assert "No space left on device" in str(info.value) and "\n" not in str(info.value)
    assert path.read_bytes() == before  # the old trace is intact
    assert leftovers(tmp_path) == []  # and no temporary file was left behind
    monkeypatch.undo()
    assert_same_trace(load_trace(path), blobs_trace)


def test_save_into_a_missing_folder(blobs_trace, tmp_path, bad):
    bad("folder .* does not exist", blobs_trace.save, tmp_path / "nope" / "run.npz")
    assert list(tmp_path.iterdir()) == []


def test_save_rejects_metadata_json_cannot_hold(blobs_trace, tmp_path, bad):
    trace = netwarp.Trace(blobs_trace.arch, blobs_trace.X_train, blobs_trace.y_train, blobs_trace.X_test, blobs_trace.y_test, data={"f": object()})
    bad("cannot be stored as JSON", trace.save, tmp_path / "run.npz")
    assert list(tmp_path.iterdir()) == []


# -- loading bad files -----------------------------------------------------------


@pytest.fixture
def saved(blobs_trace, tmp_path):
    path = tmp_path / "good.npz"
    blobs_trace.save(path)
    return path


def resave(src, dst, edit):
    """Copy a trace file with its arrays (and JSON ``meta``, as a dict) changed by ``edit``."""
    with np.load(src, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    edit(arrays, meta)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(dst, **arrays)
    return dst


def test_load_missing(tmp_path, bad):
    bad("no such file", load_trace, tmp_path / "missing.npz")
    bad("no such file", load_trace, tmp_path)  # a folder is not a trace file


def test_load_truncated(saved, tmp_path, bad):
    data = saved.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30, 0):
        half = tmp_path / f"cut{cut}.npz"
        half.write_bytes(data[:cut])
        msg = bad("not a readable trace file|not a netwarp trace|corrupt", load_trace, half)
        assert str(half) in msg


def test_load_corrupt(saved, tmp_path, bad):
    rng = np.random.default_rng(0)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(rng.integers(0, 256, 5000, dtype=np.uint8).tobytes())
    bad("not a readable trace file", load_trace, junk)
    # random bytes inside a real file: the zip's checksums catch it
    data = bytearray(saved.read_bytes())
    data[200:260] = rng.integers(0, 256, 60, dtype=np.uint8).tobytes()
    flipped = tmp_path / "flipped.npz"
    flipped.write_bytes(bytes(data))
    bad("not a readable trace file|corrupt", load_trace, flipped)


def test_load_foreign_files(tmp_path, bad):
    np.savez(tmp_path / "other.npz", a=np.arange(3), b=np.zeros((2, 2)))
    bad("not a netwarp trace \\(no metadata\\)", load_trace, tmp_path / "other.npz")
    np.save(tmp_path / "array.npy", np.arange(5))
    bad("not a netwarp trace", load_trace, tmp_path / "array.npy")
    (tmp_path / "trace.json").write_text(json.dumps({"format": "netwarp-trace", "version": 1}))
    bad("not a readable trace file", load_trace, tmp_path / "trace.json")
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as zf:
        zf.writestr("cat.jpg", b"\xff\xd8\xff" + bytes(100))
        zf.writestr("notes.txt", "hello")
    bad("not a netwarp trace", load_trace, tmp_path / "photos.zip")
    meta = np.frombuffer(json.dumps({"format": "something-else", "version": 1}).encode(), dtype=np.uint8)
    np.savez(tmp_path / "else.npz", meta=meta)
    bad("not a netwarp trace", load_trace, tmp_path / "else.npz")
    np.savez(tmp_path / "nojson.npz", meta=np.frombuffer(b"\x00\xff{{", dtype=np.uint8))
    bad("not a readable trace file", load_trace, tmp_path / "nojson.npz")


def test_load_newer_version(blobs_trace, tmp_path, monkeypatch, bad):
    path = tmp_path / "future.npz"
    monkeypatch.setattr(tracefile, "VERSION", tracefile.VERSION + 1)
    blobs_trace.save(path)
    monkeypatch.undo()
    msg = bad("trace format version 4; this netwarp reads versions 1 to 3", load_trace, path)
    assert str(path) in msg


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda a, m: a.pop("params"), "missing params"),
        (lambda a, m: a.update(params=a["params"][:, :-1]), "params has shape"),
        (lambda a, m: a.update(steps=a["steps"][:-1]), "has shape"),
        (lambda a, m: a.update(X_test=a["X_test"][:, :1]), "X_test has shape"),
        (lambda a, m: a.update(steps=np.int64(3)), "steps is a scalar"),
        (lambda a, m: a["params"].__setitem__((0, 0), np.nan), "params is not finite floats"),
        (lambda a, m: a.update(y_train=a["y_train"] + 5), "y_train is not class labels 0..1"),
        (lambda a, m: a.update(y_test=a["y_test"] + 0.5), "y_test is not class labels"),
        (lambda a, m: m["arch"].update(sizes=[2, 4, 3]), "has shape"),
        (lambda a, m: m["arch"].update(sizes=["two", 4, 2]), "corrupt trace metadata"),
        (lambda a, m: m["arch"].update(activation="swish"), "corrupt trace metadata \\(unknown activation"),
        (lambda a, m: m.pop("arch"), "corrupt trace metadata"),
        (lambda a, m: m.update(config=[1, 2]), "config is not a mapping"),
        (lambda a, m: m.update(version="1"), "trace format version '1'"),
    ],
)
def test_load_damaged_traces(saved, tmp_path, edit, match, bad):
    path = resave(saved, tmp_path / "damaged.npz", edit)
    msg = bad(match, load_trace, path)
    assert msg.startswith(str(path))


# -- one activation per hidden layer, and files written before it ---------------------------

DATA = __import__("pathlib").Path(__file__).parent / "data"


def test_mixed_activations_round_trip(tmp_path):
    X, y = netwarp.make_dataset("moons", n=60)
    trace = netwarp.train(X, y, [5, 4, 3], ["tanh", "relu", "gelu"], steps=20, snapshots=3)
    trace.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:
        arch = json.loads(bytes(z["meta"]).decode())["arch"]
    assert arch["activations"] == ["tanh", "relu", "gelu"] and "activation" not in arch
    loaded = load_trace(tmp_path / "m.npz")
    assert_same_trace(trace, loaded)
    assert loaded.arch.activations == ("tanh", "relu", "gelu")


@pytest.mark.parametrize("name, sizes, acts, given", [
    ("trace_v1_relu.npz", (2, 5, 4, 2), ("relu", "relu"), "relu"),
    ("trace_v1_linear_sigmoid.npz", (2, 2), (), "sigmoid"),
])
def test_version_1_files_written_by_the_old_code_still_load(name, sizes, acts, given, tmp_path):
    # these files were written by netwarp before per-layer activations (version 1, one "activation")
    trace = load_trace(DATA / name)
    assert trace.arch.sizes == sizes and trace.arch.activations == acts and trace.arch.activation == given
    # the same numbers come out of today's forward pass as the old code recorded
    fresh = netwarp.Trace(trace.arch, trace.X_train, trace.y_train, trace.X_test, trace.y_test)
    for step, theta in zip(trace.steps, trace.params):
        fresh.record(int(step), theta)
    np.testing.assert_allclose(fresh.metrics, trace.metrics, rtol=1e-12)
    trace.save(tmp_path / "again.npz")  # and it is written again as version 2
    assert_same_trace(trace, load_trace(tmp_path / "again.npz"))


@pytest.mark.parametrize("arch, what", [
    ({"sizes": [2, 4, 2], "activations": "tanh", "task": "classification"}, "activations is not a list"),
    ({"sizes": [2, 4, 4, 2], "activations": ["tanh"] * 3, "task": "classification"}, "3 activations"),
    ({"sizes": [2, 4, 2], "activations": ["nope"], "task": "classification"}, "unknown activation"),
])
def test_bad_activation_lists_in_a_file(blobs_trace, tmp_path, bad, arch, what):
    path = tmp_path / "bad.npz"
    blobs_trace.save(path)
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["arch"] = arch
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    msg = bad("corrupt trace metadata", load_trace, path)
    assert what in msg
