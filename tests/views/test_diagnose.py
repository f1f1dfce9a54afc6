"""Diagnostics name the layer and unit of what is wrong, and say nothing about a healthy run."""

import warnings

import numpy as np
import pytest

import netwarp as nw
from netwarp.views import diagnose


def _run(name, hidden, act, **kw):
    X, y = nw.make_dataset(name, seed=0)
    return nw.train(X, y, hidden, act, data={"dataset": name}, **kw)


@pytest.mark.parametrize("name, hidden, act", [("moons", [8], "tanh"), ("circles", [3], "tanh"), ("spiral", [8, 8], "tanh"),
                                               ("xor", [4], "tanh"), ("moons", [8], "sigmoid"), ("sine", [16], "tanh"),
                                               ("circles", [8, 8, 8], "tanh")])
def test_a_healthy_run_has_no_finding(name, hidden, act):
    t = _run(name, hidden, act, steps=2000)
    assert diagnose(t) == []


def test_a_unit_made_dead_by_a_very_negative_bias_is_named_by_layer_and_unit():
    t = _run("moons", [8, 8], "relu", steps=300, seed=3)
    before = {(f.layer, f.unit) for f in diagnose(t) if f.kind == "dead"}
    theta = t.theta().copy()
    _, sb = t.arch.slices()[1]
    theta[sb.start + 5] = -1e3  # hidden layer 2, unit 5
    t.record(301, theta)
    dead = [f for f in diagnose(t) if f.kind == "dead"]
    assert (2, 5) in {(f.layer, f.unit) for f in dead} - before
    msg = next(f.message for f in dead if (f.layer, f.unit) == (2, 5))
    assert msg.startswith("hidden layer 2, unit 5 is dead") and "Try" in msg


def test_saturation_oscillation_narrowness_and_overfitting_are_found():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hot = _run("spiral", [8, 8], "tanh", steps=2000, lr=0.5)
        wild = _run("spiral", [8, 8], "tanh", steps=2000, lr=3.0, optimizer="sgd")
    assert any(f.kind == "saturated" and f.layer in (1, 2) and f.unit is not None for f in diagnose(hot))
    assert any(f.kind == "oscillating" for f in diagnose(wild))
    narrow = _run("circles", [2], "tanh", steps=500)
    assert [f.kind for f in diagnose(narrow)] == ["too_narrow"]
    X, y = nw.make_dataset("moons", n=60, noise=0.4, seed=0)
    over = nw.train(X, y, [64, 64], steps=3000, test_size=0.5)
    (f,) = diagnose(over)
    s = over.snapshot()
    assert f.kind == "overfitting" and f"{s.train_acc:.0%} accuracy on the training points but {s.test_acc:.0%}" in f.message


def test_a_collapse_after_the_best_step_is_reported_with_its_numbers():
    # relu at lr 1.0 with momentum on xor: 98% test by step 10, then back to chance, status complete
    X, y = nw.make_dataset("xor", seed=0)
    t = nw.train(X, y, hidden=[8, 8], activation="relu", steps=3000, lr=1.0, optimizer="momentum", seed=0,
                 data={"dataset": "xor", "seed": 0})
    assert t.status == "complete"
    (f,) = [f for f in diagnose(t) if f.kind == "collapsed"]
    loss = t.metrics[:, 0]
    best = int(np.argmin(loss))
    b, s = t.snapshot(best), t.snapshot()
    assert loss[-1] - loss[best] > 0.5 * (np.log(2) - loss[best])  # the rule, on the run's numbers
    assert f.message.startswith(f"collapsed after step {b.step} ({b.test_acc:.1%} test) to {s.test_acc:.1%} at step {s.step}")
    assert f"collapsed after step {b.step}" in t.summary()  # netwarp train and netwarp info print it


def test_no_collapse_on_a_run_that_kept_its_best():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, hidden=[8], steps=1500, seed=0)
    assert "collapsed" not in [f.kind for f in diagnose(t)] and "collapsed" not in t.summary()
