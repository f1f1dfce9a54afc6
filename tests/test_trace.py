import numpy as np
import pytest

from netwarp import NetwarpError, Snapshot, Trace
from netwarp.nn import Architecture, accuracy, data_loss, forward, softmax


def test_snapshots_record_steps_and_metrics(blobs_trace):
    t = blobs_trace
    assert len(t) == 10 and t.status == "complete"
    snaps = t.snapshots
    assert all(isinstance(s, Snapshot) for s in snaps)
    assert [s.index for s in snaps] == list(range(10))
    assert [s.step for s in snaps] == list(t.steps) and snaps[0].step == 0 and snaps[-1].step == 60
    assert t.params.shape == (10, t.arch.n_params) and t.metrics.shape == (10, 4)
    # every stored metric is what the stored parameters give (the trainer sums
    # the training loss in another order than data_loss: equal to rounding)
    for s, theta in zip(snaps, t.params):
        out_tr = forward(t.arch, theta, t.X_train)[-1]
        out_te = forward(t.arch, theta, t.X_test)[-1]
        assert s.train_loss == pytest.approx(data_loss(t.arch, out_tr, t.y_train), rel=1e-12, abs=1e-15)
        assert s.test_loss == pytest.approx(data_loss(t.arch, out_te, t.y_test), rel=1e-12, abs=1e-15)
        assert s.train_acc == accuracy(t.arch, out_tr, t.y_train)
        assert s.test_acc == accuracy(t.arch, out_te, t.y_test)
    assert snaps[-1].train_loss < snaps[0].train_loss  # it learned
    assert t.snapshot() == snaps[-1] and t.snapshot(0) == snaps[0] and t.snapshot(-10) == snaps[0]
    assert t.snapshot(np.int64(3)) == snaps[3]


def test_weights_shapes_and_copies(blobs_trace):
    t = blobs_trace
    layers = t.weights(3)
    assert [(W.shape, b.shape) for W, b in layers] == [((2, 4), (4,)), ((4, 2), (2,))]  # W is (n_in, n_out)
    np.testing.assert_array_equal(np.concatenate([np.r_[W.ravel(), b] for W, b in layers]), t.params[3])
    layers[0][0][:] = 99.0  # a copy: editing it does not change the trace
    assert not (t.weights(3)[0][0] == 99.0).any()
    theta = t.theta()
    theta[:] = 0.0
    assert t.theta().any()


def test_layer_outputs_predict_and_proba(blobs_trace):
    t = blobs_trace
    X = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    outs = t.layer_outputs(X, snapshot=5)
    assert [o.shape for o in outs] == [(30, 2), (30, 4), (30, 2)]
    (W0, b0), (W1, b1) = t.weights(5)
    h = np.tanh(X @ W0 + b0)
    np.testing.assert_allclose(outs[1], h, atol=1e-14)
    np.testing.assert_allclose(outs[2], h @ W1 + b1, atol=1e-13)
    np.testing.assert_array_equal(t.predict(X, 5), outs[-1].argmax(axis=1))
    p = t.predict_proba(X, 5)
    np.testing.assert_allclose(p, softmax(outs[-1]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    acts, zs = t.forward_stages(X, 5)
    np.testing.assert_allclose(zs[0], X @ W0 + b0)
    np.testing.assert_array_equal(acts[1], outs[1])
    # the final snapshot fits the training data as well as its recorded accuracy says
    assert np.mean(t.predict(t.X_train) == t.y_train) == t.snapshot().train_acc


def test_hand_edited_parameters(blobs_trace):
    t = blobs_trace
    theta = t.theta()
    theta[:] = 0.0
    (W, b), (W1, b1) = t.arch.unflatten(theta)
    b1[:] = [0.0, 1.0]  # every point goes to class 1
    X = np.random.default_rng(1).normal(size=(5, 2))
    assert (t.predict(X, theta=theta) == 1).all()
    assert (t.layer_outputs(X, theta=theta)[1] == 0).all()
    np.testing.assert_array_equal(t.theta(), t.params[-1])  # the stored snapshot is unaffected
    assert not (t.predict(t.X_train) == 1).all()


def test_regression_trace(square_trace):
    t = square_trace
    assert t.n_classes == 0 and t.arch.task == "regression"
    assert np.isnan(t.metrics[:, 2:]).all()  # no accuracy for regression
    x = np.linspace(-1, 1, 7)
    pred = t.predict(x)  # 1D X is fine for a 1-input network
    assert pred.shape == (7,) and pred.dtype == np.float64
    np.testing.assert_array_equal(pred, t.predict(x[:, None]))


def test_summary(blobs_trace, square_trace):
    text = blobs_trace.summary()
    assert "2-4-2 tanh (classification, 22 parameters)" in text
    assert "blobs(n=80, seed=0)" in text and "60 train / 20 test" in text
    assert "snapshots 10 (steps 0..60)" in text and "accuracy" in text
    assert f"{blobs_trace.snapshot().train_loss:.4f}" in text
    text = square_trace.summary()
    assert "1-5-1 relu (regression" in text and "accuracy" not in text and "arrays" in text


def test_record_refuses_non_finite_parameters_and_losses(bad):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [10.0, 0.0]])
    y = np.array([0, 1, 0, 1])
    t = Trace(Architecture((2, 2)), X, y, X, y)
    bad("this trace has no snapshots yet", t.weights)
    theta = np.zeros(6)
    assert t.record(0, theta).step == 0
    for v in (np.nan, np.inf):
        theta[2] = v
        assert t.record(1, theta) is None
    theta[2] = 0.0
    theta[0] = 1e308  # finite parameters, but the logit of the last point overflows
    with np.errstate(over="ignore", invalid="ignore"):
        assert t.record(2, theta) is None
    assert len(t) == 1 and list(t.steps) == [0] and np.isfinite(t.metrics).all()


@pytest.mark.parametrize("snapshot", [10, -11, 1.5, "0", None, True])
def test_snapshot_out_of_range(blobs_trace, snapshot, bad):
    msg = bad("snapshot .* is out of range; this trace has 10 snapshots", blobs_trace.weights, snapshot)
    assert "0..9" in msg


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros((3, 3)), "X must have shape \\(n, 2\\), got \\(3, 3\\)"),
        (np.zeros(2), "X must have shape \\(n, 2\\), got \\(2,\\)"),
        (np.zeros((2, 2, 2)), "X must have shape"),
        ([[0.0, np.nan]], "X has NaN or infinite values"),
        ([[np.inf, 0.0]], "X has NaN or infinite values"),
        ([["a", "b"]], "X must be a numeric array"),
    ],
)
def test_bad_inputs_for_every_reader(blobs_trace, X, match, bad):
    for method in (blobs_trace.predict, blobs_trace.predict_proba, blobs_trace.layer_outputs, blobs_trace.forward_stages):
        bad(match, method, X)


def test_predict_proba_needs_a_classifier(square_trace, bad):
    bad("predict_proba needs a classifier", square_trace.predict_proba, [[0.0]])


def test_from_arrays_copy_and_drop_last_are_the_public_way_in(blobs_trace):
    t = blobs_trace
    again = Trace.from_arrays(t.arch, t.X_train, t.y_train, t.X_test, t.y_test, t.steps, t.params, t.metrics, config=t.config, data=t.data, status=t.status)
    assert np.array_equal(again.params, t.params) and np.array_equal(again.metrics, t.metrics, equal_nan=True)
    assert again.snapshots == t.snapshots
    frozen = t.copy()
    frozen.drop_last()
    assert len(frozen) == len(t) - 1 and len(t) == 10  # the original keeps every snapshot
    assert frozen.snapshot(-1) == t.snapshot(-2)
    with pytest.raises(NetwarpError, match="one row per snapshot"):
        Trace.from_arrays(t.arch, t.X_train, t.y_train, t.X_test, t.y_test, t.steps[:3], t.params, t.metrics)
    empty = Trace(t.arch, t.X_train, t.y_train, t.X_test, t.y_test)
    with pytest.raises(NetwarpError, match="no snapshots to drop"):
        empty.drop_last()


def test_data_description_names_the_source(blobs_trace):
    t = blobs_trace.copy()
    t.data = {"dataset": "spiral", "n": 600, "seed": 0}
    assert t.data_description == "spiral(n=600, seed=0)"
    t.data = {"source": "csv:my.csv"}
    assert t.data_description == "csv:my.csv"
    t.data = {}
    assert t.data_description == "arrays"


def test_theta_given_as_a_list_is_checked_and_used(blobs_trace, bad):
    t = blobs_trace
    X = t.X_test[:3]
    as_list = t.theta(-1).tolist()
    assert np.array_equal(t.layer_outputs(X, theta=as_list)[-1], t.layer_outputs(X)[-1])
    bad(r"theta must have shape \(\d+,\) for this network, got \(3,\)", t.layer_outputs, X, theta=[1, 2, 3])
    bad("theta must be a numeric array", t.predict, X, theta=["a"] * t.arch.n_params)
    bad("theta has NaN", t.forward_stages, X, theta=[np.nan] * t.arch.n_params)


def test_copy_while_another_thread_records_and_thins_is_consistent(blobs_trace):
    import threading

    t = blobs_trace
    live = Trace(t.arch, t.X_train, t.y_train, t.X_test, t.y_test)
    stop = threading.Event()

    def record():
        for i in range(600):
            live.record(i, np.full(t.arch.n_params, float(i)) * 1e-3)
            if len(live) >= 50:
                live.keep(np.r_[np.arange(0, len(live) - 1, 2), len(live) - 1])
        stop.set()

    worker = threading.Thread(target=record)
    worker.start()
    copies = 0
    while not stop.is_set() or copies == 0:
        c = live.copy()
        copies += 1
        if len(c):  # every copied snapshot's parameters belong to its step
            assert np.allclose(c.params[:, 0] * 1e3, c.steps) and np.all(np.diff(c.steps) > 0)
    worker.join()
