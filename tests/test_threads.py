"""BLAS threads are chosen by netwarp (one for small networks), honoured while it computes, and overridable."""

import numpy as np
import pytest

import netwarp as nw
from netwarp import threads
from netwarp.errors import NetwarpError

pytestmark = pytest.mark.skipif(threads.current() is None, reason="numpy has no BLAS library threadpoolctl can reach")


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    """No override from the environment or an earlier test (the playground's set-up caps the threads)."""
    monkeypatch.delenv(threads.ENV, raising=False)
    threads.set_threads(None)
    threads.set_cap(None)
    before = threads.current()
    yield
    threads.set_threads(None)
    threads.set_cap(None)
    threads.apply(before)


def seen_by_backprop(tr, n=3):
    """The BLAS thread counts in force while ``tr``'s gradient passes ran during ``tr.step(n)``."""
    seen, inner = [], tr.backprop

    def spy(*args):
        seen.append(threads.current())
        return inner(*args)

    tr.backprop = spy
    tr.step(n)
    tr.backprop = inner
    return seen


def test_a_small_network_steps_on_one_thread_and_the_callers_setting_comes_back():
    threads.apply(2)
    X, y = nw.make_dataset("digits")
    tr = nw.Trainer(X, y, hidden=[64] * 8, optimizer="sgd")  # digits 64-8x64-10: 1347 x 64 x 64 products
    assert tr.threads.options == [1] and "one thread" in tr.threads.why
    assert seen_by_backprop(tr) == [1, 1, 1]
    assert threads.current() == 2  # numpy's own setting restored after the steps


def test_the_environment_variable_fixes_the_number(monkeypatch):
    monkeypatch.setenv(threads.ENV, "2")
    X, y = nw.make_dataset("xor", n=80)
    tr = nw.Trainer(X, y, hidden=[4])
    assert tr.threads.options == [2] and threads.ENV in tr.threads.why
    assert seen_by_backprop(tr) == [2, 2, 2]


def test_set_threads_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(threads.ENV, "2")
    threads.set_threads(1)
    X, y = nw.make_dataset("xor", n=80)
    tr = nw.Trainer(X, y, hidden=[4])
    assert tr.threads.options == [1] and "--threads" in tr.threads.why
    assert seen_by_backprop(tr, 2) == [1, 1]


@pytest.mark.parametrize("text", ["0", "two", "-1", "1.5", "999"])
def test_a_bad_environment_variable_is_one_line(monkeypatch, text):
    monkeypatch.setenv(threads.ENV, text)
    X, y = nw.make_dataset("xor", n=80)
    with pytest.raises(NetwarpError, match=f"^{threads.ENV} must be a whole number of threads from 1 to 256, got") as e:
        nw.Trainer(X, y, hidden=[4])
    assert "\n" not in str(e.value)


def test_large_products_try_more_threads_only_within_the_cap(monkeypatch):
    monkeypatch.setattr(threads, "cores", lambda: 2)
    big = threads.CROSSOVER
    assert threads.candidates(big - 1) == [1]
    assert threads.candidates(big) == [1, 2]
    threads.set_cap(1)  # the playground: two pool threads on two cores leave one BLAS thread each
    assert threads.candidates(big) == [1]


def test_the_choice_keeps_the_faster_count_and_spaces_out_losing_tries(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(threads.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(threads, "cores", lambda: 2)
    c = threads.ThreadChoice(threads.CROSSOVER)
    assert c.plan(100) == (1, 100)  # starts on one thread
    c.observe(1, 0.010)
    assert c.plan(100) == (2, threads.PROBE_STEPS)  # then tries two, a few steps
    c.observe(2, 0.004)
    assert c.threads == 2 and c.plan(100) == (2, 100)  # two was faster: kept
    c.observe(2, 0.004)
    assert c.plan(100) == (2, 100)  # no new try before its time
    clock[0] += threads.PROBE_AFTER + 0.1
    assert c.plan(100) == (1, threads.PROBE_STEPS)  # the load may have changed: one is tried again
    c.observe(1, 0.050)
    assert c.threads == 2
    clock[0] += threads.PROBE_AFTER + 0.1
    assert c.plan(100) == (2, 100)  # it lost, so the next try waits twice as long
    clock[0] += threads.PROBE_AFTER
    assert c.plan(100)[0] == 1


def test_training_results_do_not_depend_on_the_thread_count(monkeypatch):
    X, y = nw.make_dataset("moons", n=200, seed=0)
    a = nw.train(X, y, hidden=[8], steps=50)
    monkeypatch.setenv(threads.ENV, "2")
    b = nw.train(X, y, hidden=[8], steps=50)
    np.testing.assert_allclose(a.params[-1], b.params[-1], rtol=1e-9, atol=1e-12)
