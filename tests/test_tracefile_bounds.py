"""One set of bounds for a trace, checked before training, before saving and at load: netwarp
never writes a file it then refuses, and crafted extremes are one line in every command."""

import json

import numpy as np
import pytest

from netwarp import NetwarpError, cli, limits, load_trace
from netwarp.nn import Architecture
from netwarp.trace import Trace


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_csv_wider_than_a_layer_is_refused_before_training(tmp_path, capsys):
    rng = np.random.default_rng(0)
    rows = [",".join(f"{v:.3f}" for v in rng.random(4097)) + f",{i % 2}" for i in range(12)]
    (tmp_path / "wide.csv").write_text("\n".join(rows) + "\n")
    code, _, err = run(capsys, "train", "--csv", tmp_path / "wide.csv", "--steps", "3", "-q", "-o", tmp_path / "w.npz")
    assert code == 2 and err.splitlines() == ["netwarp: error: a layer wider than 4096 units (the input has 4097)"]
    assert not (tmp_path / "w.npz").exists()


def test_the_layer_bounds_are_one_check_for_every_network():
    with pytest.raises(NetwarpError, match=r"a layer wider than 4096 units \(hidden layer 1 has 4097\)"):
        Architecture((2, 4097, 2))
    with pytest.raises(NetwarpError, match=r"more than 1000 layers of weights \(it has 20000\)"):
        Architecture((2, *[1] * 19999, 2))
    assert Architecture((4096, *[2] * 999, 64)).n_layers == 1000


def test_from_torch_refuses_a_step_it_could_not_save(tmp_path):
    torch = pytest.importorskip("torch")
    from netwarp.torch import from_torch

    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.arange(20) % 2
    for step in (-1, 2**70, 1.5, "3"):
        with pytest.raises(NetwarpError, match=f"step must be a whole number from 0 to {limits.MAX_STEPS}"):
            from_torch(model, X, y, step=step)
    from_torch(model, X, y, step=limits.MAX_STEPS).save(tmp_path / "t.npz")
    assert load_trace(tmp_path / "t.npz").steps.tolist() == [limits.MAX_STEPS]


def test_recording_refuses_a_step_that_does_not_come_after_the_last(blobs_trace):
    t = Trace(blobs_trace.arch, blobs_trace.X_train, blobs_trace.y_train, blobs_trace.X_test, blobs_trace.y_test)
    t.record(5, blobs_trace.theta())
    for step in (5, 4):
        with pytest.raises(NetwarpError, match="does not come after the last recorded step, 5"):
            t.record(step, blobs_trace.theta())
    assert len(t) == 1


def test_parameters_past_the_bound_end_a_run_as_diverged(blobs_trace):
    t = Trace(blobs_trace.arch, blobs_trace.X_train, blobs_trace.y_train, blobs_trace.X_test, blobs_trace.y_test)
    theta = blobs_trace.theta().copy()
    theta[0] = 2 * limits.MAX_PARAM_VALUE
    assert t.record(0, theta) is None and len(t) == 0


# -- what save refuses, load refuses too, with the same reason ------------------------


def _arrays(trace):
    return {n: getattr(trace, n).copy() for n in ("X_train", "y_train", "X_test", "y_test", "steps", "params", "metrics")}


CRAFTED = {
    "params 1e300": (lambda a: a["params"].fill(1e300), "params has values as large as 1e+300; at most 1e+12"),
    "params 1e308": (lambda a: a["params"].__setitem__((-1, 0), 1e308), "params has values as large as 1e+308; at most 1e+12"),
    "X 1e300": (lambda a: a["X_train"].__setitem__((0, 0), 1e300), "X_train has values as large as 1e+300; at most 1e+12"),
    "steps 2**64-1": (lambda a: a.update(steps=np.append(a["steps"][:-1].astype(np.uint64), np.uint64(2**64 - 1))),
                      "steps are not increasing whole numbers from 0 to 9007199254740992"),
    "steps decreasing": (lambda a: a.update(steps=a["steps"][::-1].copy()), "steps are not increasing whole numbers"),
    "steps -1": (lambda a: a["steps"].__setitem__(0, -1), "steps are not increasing whole numbers"),
}


def _craft(trace, path, edit=None, sizes=None):
    """Write ``trace``'s arrays, changed by ``edit``, as a file netwarp's own writer would refuse to write."""
    a = _arrays(trace)
    if edit:
        edit(a)
    meta = {"format": "netwarp-trace", "version": 1,
            "arch": {"sizes": sizes or list(trace.arch.sizes), "activation": trace.arch.activation, "task": trace.arch.task},
            "config": {}, "data": {}, "status": "complete", "message": ""}
    if sizes:
        n = sum((x + 1) * y for x, y in zip(sizes[:-1], sizes[1:]))
        a["params"] = np.full((len(a["steps"]), n), 0.5)
    np.savez(path, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **a)
    return path


@pytest.mark.parametrize("case", list(CRAFTED))
def test_save_refuses_what_load_refuses(case, blobs_trace, tmp_path):
    edit, reason = CRAFTED[case]
    a = _arrays(blobs_trace)
    edit(a)
    with pytest.raises(NetwarpError) as saving:
        bad = Trace.from_arrays(blobs_trace.arch, a["X_train"], a["y_train"], a["X_test"], a["y_test"],
                                a["steps"], a["params"], a["metrics"], status="complete")
        bad.save(tmp_path / "run.npz")
    if case.startswith("steps"):  # refused as the Trace is built, as a recorder's step is
        assert "step must be a whole number from 0 to 9007199254740992" in str(saving.value) or \
            str(saving.value) == "steps must be increasing"
    else:
        assert str(saving.value) == f"cannot write {tmp_path / 'run.npz'}: the trace could not be read back ({reason})"
    assert list(tmp_path.iterdir()) == []
    path = _craft(blobs_trace, tmp_path / "crafted.npz", edit)
    with pytest.raises(NetwarpError, match="corrupt trace") as loading:
        load_trace(path)
    assert reason in str(loading.value)


def test_save_checks_the_recorded_steps_too(blobs_trace, tmp_path):
    bad = blobs_trace.copy()
    bad._steps[-1] = bad._steps[0]  # only a bug could do this; the file is still refused
    with pytest.raises(NetwarpError, match="could not be read back .steps are not increasing"):
        bad.save(tmp_path / "run.npz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", [*CRAFTED, "20,000 layers"])
@pytest.mark.parametrize("command", ["info", "plot", "report", "animate", "code"])
def test_crafted_extremes_are_one_line_in_every_command(case, command, blobs_trace, tmp_path, capsys):
    if case == "20,000 layers":
        path, reason = _craft(blobs_trace, tmp_path / "c.npz", sizes=[2, *[1] * 19999, 3]), "more than 1000 layers"
    else:
        path, reason = _craft(blobs_trace, tmp_path / "c.npz", CRAFTED[case][0]), CRAFTED[case][1]
    out = {"plot": "a.png", "report": "a.html", "animate": "a.gif", "code": "a.py"}.get(command)
    code, _, err = run(capsys, command, path, *(["-o", tmp_path / out] if out else []))
    assert code == 2 and len(err.splitlines()) == 1 and reason in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]


def test_at_the_bounds_every_picture_is_drawn(blobs_trace, tmp_path, capsys):
    def extreme(a):
        a["params"][:] = np.sign(a["params"]) * limits.MAX_PARAM_VALUE
        a["X_train"][:] = np.sign(a["X_train"]) * limits.MAX_DATA_VALUE
        a["steps"][-1] = limits.MAX_STEPS

    path = _craft(blobs_trace, tmp_path / "edge.npz", extreme)
    for command, out in (("plot", "a.png"), ("report", "a.html")):
        code, _, err = run(capsys, command, path, "-o", tmp_path / out, *(["-q"] if command == "report" else []))
        assert code == 0 and (tmp_path / out).stat().st_size > 0, err
