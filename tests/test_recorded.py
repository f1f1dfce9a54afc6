"""A Trace of a model recorded by its layers' outputs: storage, file round trip, refusals."""

import numpy as np
import pytest

from netwarp.errors import NetwarpError
from netwarp.nn import Architecture
from netwarp.trace import Trace, load_trace
from netwarp.tracefile import VERSION


def _trace(snapshots=3, seed=0):
    rng = np.random.default_rng(seed)
    Xtr, Xte = rng.normal(size=(30, 4)), rng.normal(size=(10, 4))
    ytr, yte = rng.integers(0, 3, 30), rng.integers(0, 3, 10)
    t = Trace(Architecture((4, 7, 5, 3), "recorded"), Xtr, ytr, Xte, yte, layer_names=("conv", "fc1"))
    outs = []
    for s in range(snapshots):
        tr = [rng.normal(size=(30, w)) for w in (7, 5, 3)]
        te = [rng.normal(size=(10, w)) for w in (7, 5, 3)]
        t.record_outputs(10 * s, tr, te)
        outs.append((tr, te))
    return t, outs


def test_outputs_are_stored_and_read_back_as_given():
    t, outs = _trace()
    assert not t.has_weights and t.arch.n_params == 0 and t.params.shape == (3, 0)
    got = t.layer_outputs(t.X_train, 1)
    assert np.array_equal(got[0], t.X_train)
    for a, b in zip(got[1:], outs[1][0]):
        assert np.array_equal(a, b.astype(np.float32))
    assert np.array_equal(t.layer_outputs(t.X_test.copy(), 2)[3], outs[2][1][2].astype(np.float32))


def test_metrics_are_the_logits_cross_entropy_and_accuracy():
    t, outs = _trace()
    z = outs[2][0][2]
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    s = t.snapshot(2)
    assert s.train_loss == pytest.approx(-np.log(p[np.arange(30), t.y_train]).mean())
    assert s.train_acc == pytest.approx((z.argmax(1) == t.y_train).mean())
    assert np.array_equal(t.predict(t.X_test, 0), outs[0][1][2].astype(np.float32).argmax(1))


def test_views_that_need_weights_refuse_in_one_line():
    t, _ = _trace()
    for call in (t.theta, t.weights, lambda: t.forward_stages(t.X_train), lambda: t.layer_outputs(t.X_train[:5]),
                 lambda: t.layer_outputs(t.X_train, theta=np.zeros(0)), lambda: t.record(50, np.zeros(0))):
        with pytest.raises(NetwarpError) as e:
            call()
        assert "\n" not in str(e.value) and ("weights" in str(e.value))


def test_file_round_trip_keeps_names_outputs_and_metrics(tmp_path):
    t, _ = _trace()
    t.status = "complete"
    t.save(tmp_path / "r.npz")
    u = load_trace(tmp_path / "r.npz")
    assert u.layer_names == ("conv", "fc1") and u.arch.recorded and u.status == "complete"
    assert np.array_equal(u.metrics, t.metrics) and np.array_equal(u.steps, t.steps)
    for s in range(3):
        for X in (t.X_train, t.X_test):
            for a, b in zip(u.layer_outputs(X, s), t.layer_outputs(X, s)):
                assert np.array_equal(a, b)
    meta = np.load(tmp_path / "r.npz")["meta"].tobytes().decode()
    assert f'"version": {VERSION}' in meta


def test_keep_copy_and_drop_last_keep_outputs_in_step():
    t, outs = _trace(4)
    c = t.copy()
    t.keep([0, 3])
    assert list(t.steps) == [0, 30]
    assert np.array_equal(t.layer_outputs(t.X_train, 1)[1], outs[3][0][0].astype(np.float32))
    c.drop_last()
    assert len(c) == 3 and np.array_equal(c.layer_outputs(c.X_train, -1)[2], outs[2][0][1].astype(np.float32))


def test_a_damaged_recorded_file_is_refused_in_one_line(tmp_path):
    t, _ = _trace()
    t.save(tmp_path / "r.npz")
    with np.load(tmp_path / "r.npz") as z:
        arrays = {k: z[k] for k in z.files if k != "out_test_2"}
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(NetwarpError, match="missing out_test_2"):
        load_trace(tmp_path / "bad.npz")


def test_the_summary_names_the_recorded_layers():
    t, _ = _trace()
    assert "recorded layers conv (7), fc1 (5), logits (3)" in t.summary()
