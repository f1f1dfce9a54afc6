import warnings

import numpy as np
import pytest

import netwarp as nw
from netwarp import Trainer, TrainingDiverged, make_dataset, snapshot_steps, train
from netwarp.train import MAX_UNITS

ARRAYS = ("X_train", "y_train", "X_test", "y_test", "steps", "params", "metrics")


@pytest.fixture(scope="module")
def moons():
    return make_dataset("moons", n=200, seed=0)


def weight_norm(trace, ord=2):
    return sum(np.abs(W).sum() if ord == 1 else (W**2).sum() for W, _ in trace.weights())


# -- reproducibility -------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{}, dict(batch_size=32, optimizer="momentum", lr=0.1, l1=1e-3)])
def test_same_seed_same_trace_bit_for_bit(moons, kwargs):
    a = train(*moons, steps=150, seed=4, **kwargs)
    b = train(*moons, steps=150, seed=4, **kwargs)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.arch == b.arch and a.config == b.config and a.data == b.data and a.status == b.status
    c = train(*moons, steps=150, seed=5, **kwargs)
    assert not np.array_equal(a.params[0], c.params[0])  # another initialisation
    assert not np.array_equal(a.X_train, c.X_train)  # and another split
    assert not np.array_equal(a.params[-1], c.params[-1])


def test_the_config_records_the_run(moons):
    t = train(*moons, hidden=[5], steps=20, lr=0.1, optimizer="sgd", seed=3, l2=0.01, batch_size=16)
    assert t.config == dict(lr=0.1, optimizer="sgd", batch_size=16, l1=0.0, l2=0.01, seed=3, steps=20)
    assert t.data == {"source": "arrays"}
    assert t.arch.sizes == (2, 5, 2) and t.arch.activation == "tanh"


# -- the known facts later pictures show ---------------------------------------------


def test_a_line_cannot_separate_circles_but_three_tanh_units_can():
    X, y = make_dataset("circles", seed=0)
    linear = train(X, y, hidden=[], seed=0).snapshot()
    assert linear.train_acc < 0.7 and linear.test_acc < 0.7
    three = train(X, y, hidden=[3], activation="tanh", seed=0).snapshot()
    assert three.train_acc >= 0.98 and three.test_acc >= 0.98


def test_2_8_8_2_separates_the_spiral_but_width_2_cannot():
    X, y = make_dataset("spiral", seed=0)
    wide = train(X, y, hidden=[8, 8], activation="tanh", seed=0).snapshot()
    assert wide.test_acc >= 0.97
    narrow = train(X, y, hidden=[2] * 7, activation="tanh", seed=0)
    assert narrow.arch.sizes == (2, 2, 2, 2, 2, 2, 2, 2, 2)
    assert narrow.snapshot().test_acc < 0.8 and narrow.metrics[:, 3].max() < 0.8


def count_kinks(trace, x):
    """Slope changes of the fitted curve on the grid ``x`` (a kink between two grid
    points shows as two adjacent second differences, so runs are counted once)."""
    p = trace.predict(x[:, None])
    slope = np.diff(p) / np.diff(x)
    changed = np.abs(np.diff(slope)) > 1e-6
    kinks = int(np.sum(changed[1:] & ~changed[:-1]) + changed[0])
    assert changed.sum() <= 2 * kinks, "the slope changes all along: not piecewise linear"
    return kinks


def test_relu_1_3_1_fits_square_with_a_few_linear_pieces():
    X, y = make_dataset("square", seed=0)
    t = train(X, y, hidden=[3], activation="relu", seed=0)
    assert t.arch.sizes == (1, 3, 1)
    assert t.snapshot().test_loss < 0.01  # MSE
    x = np.linspace(-1, 1, 20001)
    kinks = count_kinks(t, x)
    assert 1 <= kinks <= 3  # 2 to 4 linear pieces: piecewise linear, not a parabola
    # the kinks are exactly the hinges -b/w of units that matter, inside [-1, 1]
    (W, b), (V, _) = t.weights()
    hinges = [-b[j] / W[0, j] for j in range(3) if W[0, j] != 0 and V[j, 0] != 0 and -1 < -b[j] / W[0, j] < 1]
    assert kinks == len(hinges)
    # between hinges the curve is a straight line: a line fit per piece is exact
    edges = np.r_[-1.0, np.sort(hinges), 1.0]
    for lo, hi in zip(edges[:-1], edges[1:]):
        xs = np.linspace(lo + 1e-6, hi - 1e-6, 50)
        p = t.predict(xs)
        np.testing.assert_allclose(p, np.polyval(np.polyfit(xs, p, 1), xs), atol=1e-9)
    # and the pieces track x^2: every piece is close to the parabola
    assert np.max(np.abs(t.predict(x) - x**2)) < 0.25


# -- the snapshot schedule -------------------------------------------------------


@pytest.mark.parametrize("steps, k", [(3000, 100), (1000, 50), (200, 100), (50, 100), (10, 3), (1, 100), (7, 2)])
def test_snapshot_schedule(steps, k):
    s = snapshot_steps(steps, k)
    assert s[0] == 0 and s[-1] == steps
    assert (np.diff(s) > 0).all() and s.dtype.kind == "i"
    assert len(s) == min(k, steps + 1)


def test_snapshot_schedule_is_dense_early():
    s = snapshot_steps(3000)
    assert len(s) == 100
    early, late = np.sum(s <= 300), np.sum(s >= 1500)
    assert early > 2 * late
    gaps = np.diff(s)
    assert gaps[:10].max() <= 2 and gaps[-1] > 100  # consecutive steps at first, wide gaps later


def test_record_every():
    np.testing.assert_array_equal(snapshot_steps(1000, every=250), [0, 250, 500, 750, 1000])
    np.testing.assert_array_equal(snapshot_steps(10, every=4), [0, 4, 8, 10])  # the last step is always kept


def test_train_records_on_the_plan(moons):
    t = train(*moons, steps=300, snapshots=20)
    np.testing.assert_array_equal(t.steps, snapshot_steps(300, 20))
    t = train(*moons, steps=300, record_every=100)
    np.testing.assert_array_equal(t.steps, [0, 100, 200, 300])


@pytest.mark.parametrize("kwargs, match", [(dict(snapshots=1), "snapshots must be"), (dict(snapshots="10"), "snapshots must be"), (dict(every=0), "record-every must be"), (dict(every=2.5), "record-every must be")])
def test_snapshot_schedule_bad_input(kwargs, match, bad):
    bad(match, snapshot_steps, 100, **kwargs)


# -- divergence and stopping ---------------------------------------------------------


def test_a_huge_learning_rate_diverges_cleanly():
    X, y = make_dataset("spiral", seed=0)
    with pytest.warns(TrainingDiverged, match="training diverged at step 1 .*learning rate 50") as record:
        t = train(X, y, lr=50, seed=0)
    assert len(record) == 1
    assert t.status == "diverged" and "try a smaller learning rate" in t.message
    assert len(t) >= 1 and t.steps[-1] < 3000
    assert np.isfinite(t.metrics).all() and np.isfinite(t.params).all()
    assert str(record[0].message) == t.message


def test_divergence_keeps_every_snapshot_up_to_the_last_good_one():
    X, y = make_dataset("square", seed=0)
    with pytest.warns(TrainingDiverged):
        t = train(X, y, hidden=[8], optimizer="sgd", lr=1.0, seed=0)
    plan = snapshot_steps(3000)
    assert t.status == "diverged" and len(t) >= 2
    np.testing.assert_array_equal(t.steps, plan[: len(t)])  # a prefix of the plan, none skipped
    assert np.isfinite(t.metrics[:, :2]).all() and np.isfinite(t.params).all()
    assert f"kept {len(t)} snapshot(s) up to step {t.steps[-1]}" in t.message


def test_non_finite_loss_between_snapshots():
    X, y = make_dataset("square", seed=0)
    with pytest.warns(TrainingDiverged, match="loss became (inf|nan)"):
        t = train(X, y, hidden=[8], optimizer="sgd", lr=50, record_every=1000, steps=2000)
    assert list(t.steps) == [0] and np.isfinite(t.params).all() and np.isfinite(t.metrics[:, :2]).all()


def test_callback_watches_and_can_stop(moons):
    seen = []

    def watch(trace):
        seen.append((len(trace), trace.snapshot().step))
        return len(trace) < 5

    t = train(*moons, steps=500, snapshots=50, callback=watch)
    assert t.status == "stopped" and "stopped by the callback" in t.message
    assert len(t) == 5 and seen == [(i + 1, int(s)) for i, s in enumerate(t.steps)]
    full = train(*moons, steps=500, snapshots=50, callback=lambda trace: None)  # None keeps going
    assert full.status == "complete" and len(full) == 50
    np.testing.assert_array_equal(full.params[:5], t.params)


def test_trainer_can_be_driven_step_by_step(moons):
    """The live playground's form: advance a few steps, record, repeat."""
    tr = Trainer(*moons, hidden=[6], seed=1)
    assert len(tr.trace) == 0 and tr.step_count == 0
    tr.record()
    for _ in range(4):
        assert tr.step(25) is True
        tr.record()
    assert tr.step_count == 100 and list(tr.trace.steps) == [0, 25, 50, 75, 100]
    # the same as train() recording at those steps
    t = train(*moons, hidden=[6], seed=1, steps=100, record_every=25)
    np.testing.assert_array_equal(tr.trace.params, t.params)
    # a hand-edited start
    theta = tr.trace.theta(0)
    theta[-2:] = [5.0, -5.0]
    edited = Trainer(*moons, hidden=[6], seed=1, theta=theta)
    edited.record()
    np.testing.assert_array_equal(edited.trace.theta(), theta)


def test_trainer_rejects_parameters_of_the_wrong_shape(moons, bad):
    bad("expected .* parameters", Trainer, *moons, hidden=[6], theta=np.zeros(5))


# -- what the knobs do -------------------------------------------------------------


@pytest.mark.parametrize("optimizer, lr", [("sgd", 0.5), ("momentum", 0.1), ("adam", 0.03)])
def test_every_optimizer_reduces_the_loss(moons, optimizer, lr):
    t = train(*moons, optimizer=optimizer, lr=lr, steps=1000, seed=0)
    assert t.config["optimizer"] == optimizer
    assert t.metrics[-1, 0] < 0.05 * t.metrics[0, 0]
    assert t.snapshot().test_acc >= 0.95


def test_mini_batches(moons):
    t = train(*moons, batch_size=32, steps=800, seed=0)
    assert t.snapshot().test_acc >= 0.95
    full = train(*moons, steps=800, seed=0)
    assert not np.array_equal(t.params[-1], full.params[-1])  # really a different path
    whole = train(*moons, batch_size=10_000, steps=800, seed=0)  # a batch bigger than the data is the full batch
    np.testing.assert_array_equal(whole.params, full.params)


def test_regularisation_shrinks_weights(moons):
    plain = train(*moons, steps=1000, seed=0)
    l2 = train(*moons, steps=1000, seed=0, l2=0.01)
    l1 = train(*moons, steps=1000, seed=0, l1=0.003)
    assert weight_norm(l2) < 0.5 * weight_norm(plain)
    assert weight_norm(l1, ord=1) < 0.5 * weight_norm(plain, ord=1)
    assert l2.snapshot().train_loss > plain.snapshot().train_loss  # they trade fit for small weights


def test_tasks_classes_and_explicit_test_sets():
    X, y = make_dataset("spiral", n=300, arms=3)
    t = train(X, y, steps=5)
    assert t.arch.sizes[-1] == 3 and t.n_classes == 3
    X, y = make_dataset("sine", n=100)
    t = train(X, y, steps=5)
    assert t.arch.task == "regression" and t.arch.sizes == (1, 8, 8, 1)
    X, y = make_dataset("blobs", n=40)
    t = train(X, y.astype(float), steps=5, task="regression")
    assert t.arch.task == "regression"
    Xt, yt = make_dataset("blobs", n=12, seed=9)
    t = train(X, y, steps=5, X_test=Xt, y_test=yt)
    assert len(t.X_train) == 40 and np.array_equal(t.X_test, Xt)
    t = train(X, y, steps=5, test_size=0.5)
    assert len(t.X_train) == len(t.X_test) == 20
    np.testing.assert_array_equal(np.bincount(t.y_test), [10, 10])  # stratified


def test_progress_bar_is_quiet_off_a_terminal(moons, capsys):
    t = train(*moons, steps=50, progress=True)
    assert t.status == "complete" and len(t) == 51  # every step of 50, plus step 0
    assert capsys.readouterr().err == ""  # no bar drawn into logs


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(hidden="8,8"), "hidden must be a list of layer widths, got the string"),
        (dict(hidden=8), "hidden must be a list of layer widths, got 8"),
        (dict(hidden=[8, 0]), "hidden layer widths must be whole numbers from 1 to"),
        (dict(hidden=[-3]), "hidden layer widths"),
        (dict(hidden=[2.5]), "hidden layer widths"),
        (dict(hidden=[True]), "hidden layer widths"),
        (dict(hidden=[MAX_UNITS + 1]), "hidden layer widths"),
        (dict(activation="swish"), "unknown activation 'swish'; choose one of: identity"),
        (dict(optimizer="rmsprop"), "unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adam"),
        (dict(optimizer=None), "unknown optimizer"),
        (dict(lr=0), "learning rate must be a finite number > 0"),
        (dict(lr=-0.1), "learning rate must be"),
        (dict(lr=float("nan")), "learning rate must be"),
        (dict(lr=float("inf")), "learning rate must be"),
        (dict(lr="0.1"), "learning rate must be"),
        (dict(lr=True), "learning rate must be"),
        (dict(l1=-1.0), "l1 must be a finite number from 0 to 1000"),
        (dict(l2=float("nan")), "l2 must be a finite number from 0 to 1000"),
        (dict(steps=0), "steps must be a whole number from 1 to"),
        (dict(steps=-5), "steps must be"),
        (dict(steps=10.0), "steps must be"),
        (dict(steps=None), "steps must be"),
        (dict(batch_size=0), "batch size must be a whole number >= 1"),
        (dict(batch_size=3.5), "batch size must be"),
        (dict(batch_size=True), "batch size must be"),
        (dict(seed=-1), "seed must be a whole number from 0 to 4294967295"),
        (dict(seed=0.5), "seed must be"),
        (dict(seed="0"), "seed must be"),
        (dict(task="ranking"), "unknown task"),
        (dict(test_size=0.0), "test_size must be between 0 and 1"),
        (dict(test_size=1.0), "test_size must be between 0 and 1"),
        (dict(snapshots=1), "snapshots must be a whole number from 2 to 100000"),
        (dict(record_every=0), "record-every must be"),
        (dict(X_test=np.zeros((5, 3)), y_test=[0, 1, 0, 1, 0]), "X_test has 3 features but X has 2"),
        (dict(X_test=np.zeros((5, 2)), y_test=[0, 1, 0, 1]), "X has 5 rows but y has 4"),
    ],
)
def test_train_bad_input(moons, kwargs, match, bad):
    bad(match, train, *moons, **{"steps": 5, **kwargs})


def test_train_bad_data(bad):
    bad("X has 4 rows but y has 3", train, np.zeros((4, 2)), [0, 1, 0])
    bad("X has NaN", train, [[0, 0], [1, np.nan], [2, 2], [3, 3]], [0, 1, 0, 1])
    bad("need at least 2 classes", train, np.random.default_rng(0).normal(size=(10, 2)), np.zeros(10, int))


def test_numpy_scalars_are_accepted(moons):
    t = train(*moons, hidden=np.array([4]), steps=np.int64(5), lr=np.float32(0.05), seed=np.int64(1), l2=np.float64(0.001))
    assert t.status == "complete" and t.config["lr"] == pytest.approx(0.05) and type(t.config["lr"]) is float


def test_no_warnings_on_a_normal_run(moons):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any numpy overflow or divergence warning fails the test
        t = train(*moons, steps=50, activation="softplus", l1=1e-3)
    assert t.status == "complete" and t.message == ""


def test_gradient_computed_ahead_by_record_is_not_reused_after_an_edit():
    # record() runs the next step's gradient pass early; editing the
    # parameters in between (the playground's weight sliders) must not reuse it
    X, y = nw.make_dataset("moons", n=120, seed=3)
    a = nw.Trainer(X, y, hidden=[5], seed=3)
    a.step(4)
    a.record()
    a.theta[0] += 0.5
    a.step(1)
    # the same run without record(): identical only if a used the edited gradient
    fresh = nw.Trainer(X, y, hidden=[5], seed=3)
    fresh.step(4)
    fresh.theta[0] += 0.5
    fresh.step(1)
    np.testing.assert_array_equal(a.theta, fresh.theta)


def test_snapshot_train_metrics_match_with_and_without_the_shortcut():
    X, y = nw.make_dataset("moons", n=120, seed=4)
    full = nw.train(X, y, hidden=[5], steps=30, seed=4, snapshots=5)
    for s, theta in zip(full.snapshots, full.params):
        out = nw.forward(full.arch, theta, full.X_train)[-1]
        assert s.train_loss == pytest.approx(nw.nn.data_loss(full.arch, out, full.y_train), rel=1e-12)
        assert s.train_acc == nw.nn.accuracy(full.arch, out, full.y_train)
    mini = nw.train(X, y, hidden=[5], steps=30, seed=4, snapshots=5, batch_size=16)
    for s, theta in zip(mini.snapshots, mini.params):
        out = nw.forward(mini.arch, theta, mini.X_train)[-1]
        assert s.train_loss == pytest.approx(nw.nn.data_loss(mini.arch, out, mini.y_train), rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(X_test=np.zeros((6, 2))), "X_test was given without y_test: give the test set as both, or neither"),
        (dict(y_test=[0, 1, 0, 1]), "y_test was given without X_test"),
        (dict(X_test=np.zeros((6, 2)), y_test=[0] * 6), "the test set \\(X_test, y_test\\): need at least 2 classes"),
        (dict(X_test=np.zeros((6, 2)), y_test=[0, 1]), "the test set \\(X_test, y_test\\): X has 6 rows but y has 2"),
        (dict(X_test=np.zeros((6, 1)), y_test=[0, 1] * 3), "the test set: X_test has 1 features but X has 2"),
        (dict(lr=__import__("fractions").Fraction(1, 10**400)), "learning rate must be a finite number > 0"),
        (dict(lr=10**400), "learning rate must be a finite number > 0, got 1000000"),
        (dict(l2=1e300), "l2 must be a finite number from 0 to 1000, got 1e\\+300"),
        (dict(seed=2**32), "seed must be a whole number from 0 to 4294967295, got 4294967296"),
    ],
)
def test_python_api_messages_name_what_is_wrong(kwargs, match, bad):
    X, y = make_dataset("blobs", n=40)
    bad(match, train, X, y, steps=2, **kwargs)


def test_a_fraction_is_a_learning_rate():
    from fractions import Fraction

    X, y = make_dataset("blobs", n=40)
    assert train(X, y, steps=2, lr=Fraction(1, 100)).config["lr"] == 0.01
