"""The Recorder's schedule and its ending (issue 21 item 4): every=K records the multiples of K,
and ``with Recorder(...) as rec:`` records the last step seen, also when the loop raises."""

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder  # noqa: E402

nn = torch.nn


@pytest.fixture()
def setup():
    X, y = nw.make_dataset("moons", n=120, seed=0)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 6), nn.Tanh(), nn.Linear(6, 2))
    return model, X, y, torch.optim.Adam(model.parameters(), lr=0.03)


def step(model, opt, X, y):
    loss = nn.functional.cross_entropy(model(torch.tensor(X, dtype=torch.float32)), torch.as_tensor(y))
    opt.zero_grad()
    loss.backward()
    opt.step()


def test_every_k_records_the_multiples_of_k_when_called_after_each_step(setup):
    model, X, y, opt = setup
    rec = Recorder(model, X, y, every=50)
    for s in range(1, 201):  # Lightning/Keras style: record(step) after the step
        step(model, opt, X, y)
        rec.record(s)
    assert list(rec.trace.steps) == [50, 100, 150, 200]
    every = Recorder(model, X, y, every=7)
    assert [s for s in (3, 7, 9, 13, 14, 30, 35) if every.record(s) is not None] == [7, 14, 35]  # 30 is no multiple


def test_the_block_records_the_last_step_seen_with_the_model_then(setup):
    model, X, y, opt = setup
    with Recorder(model, X, y, every=50) as rec:
        for s in range(1, 131):
            step(model, opt, X, y)
            rec.record(s)
    t = rec.trace
    assert list(t.steps) == [50, 100, 130] and t.status == "complete"
    with torch.no_grad():
        out = model(torch.tensor(X, dtype=torch.float32)).double().numpy()
    np.testing.assert_allclose(t.layer_outputs(X, -1)[-1], out, atol=1e-5)
    # a block that ends on a recorded step records nothing twice
    with Recorder(model, X, y, every=10) as again:
        for s in range(0, 21):
            again.record(s)
    assert list(again.trace.steps) == [0, 10, 20]


def test_an_exception_in_the_loop_still_records_the_last_step_and_says_so(setup):
    model, X, y, opt = setup
    with pytest.raises(ZeroDivisionError):
        with Recorder(model, X, y, every=100) as rec:
            for s in range(1, 1000):
                step(model, opt, X, y)
                rec.record(s)
                if s == 142:
                    raise ZeroDivisionError("division by zero")
    t = rec.trace
    assert list(t.steps) == [100, 142]
    assert t.status == "stopped" and t.message == ("the training loop raised ZeroDivisionError after step 142; "
                                                   "the trace ends at its last step seen")
    with pytest.raises(KeyboardInterrupt):
        with Recorder(model, X, y) as rec:
            raise KeyboardInterrupt
    assert len(rec.trace) == 0 and rec.trace.message == "the training loop was interrupted before its first step"


def test_a_recording_failure_at_the_end_does_not_hide_the_loops_own_error(setup):
    model, X, y, opt = setup
    with pytest.raises(RuntimeError, match="the loop's own"):
        with Recorder(model, X, y, every=100) as rec:
            rec.record(0)
            rec.record(5)
            with torch.no_grad():
                model[0].weight[0, 0] = float("nan")
            raise RuntimeError("the loop's own")
    assert rec.trace.status == "diverged" and list(rec.trace.steps) == [0]
    # without an exception of the loop's, the failure is the error
    with pytest.raises(NetwarpError, match="non-finite at step 3"):
        with Recorder(model, X, y, every=100) as rec:
            rec.record(3)
