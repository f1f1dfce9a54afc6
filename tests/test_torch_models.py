"""Which PyTorch models netwarp reads and how the Recorder behaves past the plain loop:
nested Sequentials, a leading Flatten, models it must refuse (each in one line naming the
module), a model on a device without values, a model changed mid-loop, weights gone NaN,
memory bounds, and the saved trace opened by `netwarp report`, `netwarp plot` and the playground."""

import warnings

import numpy as np
import pytest

import netwarp as nw
from netwarp import limits
from netwarp.errors import NetwarpError, SnapshotsThinned

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder, from_torch  # noqa: E402

FLOAT32 = 2e-5  # the tolerance the tutorial states: float32 weights read into float64


def _hooked(model, X):
    """Torch's own output of every activation and of the last Linear, in order (forward hooks)."""
    leaves = [m for m in model.modules() if not isinstance(m, torch.nn.Sequential)]
    outs = {}
    hooks = [m.register_forward_hook(lambda m, i, o: outs.__setitem__(m, o.detach().double().numpy())) for m in leaves]
    try:
        with torch.no_grad():
            model(torch.as_tensor(X, dtype=torch.float32))
    finally:
        for h in hooks:
            h.remove()
    keep = [m for m in leaves if not isinstance(m, (torch.nn.Linear, torch.nn.Flatten))] + [leaves[-1]]
    return [outs[m] for m in keep]


def test_nested_sequentials_are_read_in_order_and_agree_with_torch():
    X, y = nw.make_dataset("circles", seed=0)
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.ReLU()),
        torch.nn.Sequential(torch.nn.Linear(5, 3), torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Linear(3, 2))),
    )
    t = from_torch(model, X, y)
    assert t.arch.sizes == (2, 5, 3, 2) and t.arch.activation == "relu"
    theirs = _hooked(model, X)
    ours = t.layer_outputs(X)[1:]
    assert len(ours) == len(theirs) == 3
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, atol=FLOAT32, rtol=FLOAT32)


class _Residual(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(4, 4)

    def forward(self, x):
        return x + self.inner(x)


class _MyReLU(torch.nn.ReLU):  # a subclass may change forward: not taken on its name
    pass


def _seq(*mods):
    return torch.nn.Sequential(*mods)


L, T, R = torch.nn.Linear, torch.nn.Tanh, torch.nn.ReLU


@pytest.mark.parametrize("model, message", [
    (_seq(torch.nn.Flatten(), L(2, 4), T(), torch.nn.Conv1d(1, 1, 1)), r"^module 3 \(Conv1d\) is not something netwarp can show"),
    (_seq(L(2, 4), T(), _Residual(), L(4, 2)), r"^module 2 \(_Residual\) computes something between its layers that netwarp "
                                               r"cannot show \(a residual, a branch or an operation it does not know\) "
                                               r"before module 3 \(Linear\)"),
    (_seq(_seq(L(2, 4), T()), _seq(R(), L(4, 2))), r"^module 1\.0 \(ReLU\) follows another activation \(tanh\)"),
    (_seq(L(2, 4), _MyReLU(), L(4, 2)), r"^module 1 \(_MyReLU\) is not something"),
    (_seq(L(2, 4), torch.nn.Softplus(beta=2), L(4, 2)), r"^module 1 \(Softplus\) has beta 2"),
    (_seq(L(2, 4), T(), R(), L(4, 2)), r"^module 2 \(ReLU\) follows another activation"),
    (_seq(T(), L(2, 2)), r"^module 0 \(Tanh\) comes before any Linear"),
    (_seq(L(2, 4), T(), L(4, 2), T()), r"^module 3 \(Tanh\): the model ends in an activation \(tanh\)"),
    (_seq(torch.nn.Flatten(0), L(2, 2)), r"^module 0 \(Flatten\) flattens dims 0\.\.-1"),
    (_seq(L(2, 4), L(3, 2)), r"a Linear of 4 outputs \(module 0 \(Linear\)\) feeds one of 3 inputs \(module 1"),
    (_seq(), "the model has no Linear layer"),
    (_Residual(), "the model takes 4 inputs but X has 2 columns"),
])
def test_a_model_netwarp_cannot_express_is_refused_in_one_line_naming_the_module(model, message):
    X, y = nw.make_dataset("moons", n=40, seed=0)
    for make in (lambda: from_torch(model, X, y), lambda: Recorder(model, X, y)):
        with pytest.raises(NetwarpError, match=message) as err:
            make()
        assert "\n" not in str(err.value)


def test_a_model_without_values_is_refused_and_a_model_on_another_device_is_read_as_a_cpu_copy():
    X, y = nw.make_dataset("moons", n=40, seed=0)
    with torch.device("meta"):
        ghost = _seq(L(2, 4), T(), L(4, 2))
    with pytest.raises(NetwarpError, match="on the meta device"):
        from_torch(ghost, X, y)
    # what a GPU model goes through: weights copied to the CPU as float64, the model left where it is
    model = _seq(L(2, 4), T(), L(4, 2)).to(torch.float16)
    t = from_torch(model, torch.as_tensor(X), torch.as_tensor(y))
    assert next(model.parameters()).dtype == torch.float16
    np.testing.assert_array_equal(t.weights()[0][0], model[0].weight.detach().double().numpy().T)


def test_widths_and_labels_that_do_not_fit_the_model_are_refused():
    X, y = nw.make_dataset("blobs", classes=3, n=60, seed=0)
    cases = [
        ((_seq(L(3, 4), T(), L(4, 3)), X, y), "the model takes 3 inputs but X has 2 columns"),
        ((_seq(L(2, 4), T(), L(4, 3)), X, y, X[:, :1], y), "the test set|the model takes 2 inputs but X_test has 1"),
        ((_seq(L(2, 4), T(), L(4, 2)), X, y), "the labels go up to 2 but the model has 2 outputs"),
        ((_seq(L(2, 4), T(), L(4, 3)), X, y + 0.5), "y holds real values .* the model has 3 outputs"),
        ((_seq(L(2, 4), T(), L(4, 3)), X, y, X), "give the test set as both X_test and y_test"),
    ]
    for args, message in cases:
        with pytest.raises(NetwarpError, match=message):
            Recorder(*args)


def _loop(model, X, y, steps, rec, lr=0.03):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    Xt, yt = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    for step in range(steps):
        rec.record(step)
        loss = torch.nn.functional.cross_entropy(model(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    rec.record(steps, force=True)


def test_a_long_loop_recorded_often_is_thinned_within_the_memory_bound(monkeypatch):
    X, y = nw.make_dataset("moons", n=100, seed=0)
    torch.manual_seed(0)
    model = _seq(L(2, 4), T(), L(4, 2))
    n_params = 2 * 4 + 4 + 4 * 2 + 2
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 8 * n_params * 12)
    rec = Recorder(model, X, y, every=1)
    with pytest.warns(SnapshotsThinned, match="record half as often"):
        _loop(model, X, y, 200, rec)
    t = rec.trace
    assert 2 <= len(t) <= 12 and t.steps[0] == 0 and t.steps[-1] == 200
    assert np.all(np.diff(t.steps) > 0)
    # the snapshots kept are the weights of their steps: the last one is the model now
    np.testing.assert_allclose(t.layer_outputs(X)[-1], _hooked(model, X)[-1], atol=FLOAT32, rtol=FLOAT32)


def test_a_model_too_big_for_two_snapshots_is_refused_before_recording(monkeypatch):
    X, y = nw.make_dataset("moons", n=40, seed=0)
    monkeypatch.setattr(limits, "SNAPSHOT_BYTES", 100)
    with pytest.raises(NetwarpError, match="per snapshot; at most 100 bytes"):
        Recorder(_seq(L(2, 4), T(), L(4, 2)), X, y)


def test_a_model_changed_mid_loop_or_gone_nan_stops_recording_and_keeps_what_was_recorded():
    X, y = nw.make_dataset("moons", n=100, seed=0)
    model = _seq(L(2, 4), T(), L(4, 2))
    rec = Recorder(model, X, y, every=5)
    for s in range(12):
        rec.record(s)
    kept = rec.trace.params.copy()
    model[2] = L(4, 3)
    with pytest.raises(NetwarpError, match=r"^the model changed from 2-4-2 tanh to 2-4-3 tanh at step 15; the trace keeps 3"):
        rec.record(15)
    assert rec.trace.status == "stopped" and len(rec.trace) == 3
    np.testing.assert_array_equal(rec.trace.params, kept)

    model = _seq(L(2, 4), T(), L(4, 2))
    rec = Recorder(model, X, y, every=5)
    rec.record(0)
    with torch.no_grad():
        model[0].weight[0, 0] = float("nan")
    with pytest.raises(NetwarpError, match="non-finite at step 5; the trace keeps 1 snapshot"):
        rec.record(5)
    assert rec.trace.status == "diverged" and len(rec.trace) == 1


def test_bad_recorder_arguments_are_one_line_errors():
    X, y = nw.make_dataset("moons", n=40, seed=0)
    model = _seq(L(2, 4), T(), L(4, 2))
    for kw, message in [({"every": 0}, "every must be a whole number from 1 to "), ({"every": 2.5}, "every must be"),
                        ({"steps": -3}, "steps must be a whole number from 1 to ")]:
        with pytest.raises(NetwarpError, match=message):
            Recorder(model, X, y, **kw)
    rec = Recorder(model, X, y)
    with pytest.raises(NetwarpError, match="step must be a whole number"):
        rec.record(0.5)
    assert len(rec.trace) == 0


def test_a_regression_model_is_recorded_and_its_fit_is_torchs():
    X, y = nw.make_dataset("sine", seed=0)
    torch.manual_seed(0)
    model = _seq(L(1, 16), R(), L(16, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    Xt, yt = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32)
    rec = Recorder(model, X, y, steps=300)
    for step in range(300):
        rec.record(step)
        loss = torch.nn.functional.mse_loss(model(Xt)[:, 0], yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    rec.record(300)
    t = rec.trace
    assert t.arch.task == "regression" and list(t.steps) == list(nw.snapshot_steps(300))
    np.testing.assert_allclose(t.predict(X), _hooked(model, X)[-1][:, 0], atol=FLOAT32, rtol=FLOAT32)
    with torch.no_grad():
        assert t.snapshot(-1).train_loss == pytest.approx(float(torch.nn.functional.mse_loss(model(Xt)[:, 0], yt)), rel=1e-4)


def test_a_recorded_torch_run_opens_in_the_command_line_and_the_playground(tmp_path, capsys):
    from starlette.testclient import TestClient

    from netwarp.cli import main
    from netwarp.web.app import create_app

    X, y = nw.make_dataset("xor", n=200, seed=0)
    torch.manual_seed(0)
    model = _seq(L(2, 6), T(), L(6, 2))
    rec = Recorder(model, X[:150], y[:150], X[150:], y[150:])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _loop(model, X[:150], y[:150], 150, rec)
    path = tmp_path / "mine.npz"
    rec.trace.save(path)
    assert main(["report", str(path), "-o", str(tmp_path / "mine.html")]) == 0
    assert main(["plot", str(path), "-o", str(tmp_path / "field.png")]) == 0
    html = (tmp_path / "mine.html").read_text()
    assert "2-6-2 tanh" in html and f"{len(rec.trace)} (steps 0..150)" in html
    assert (tmp_path / "field.png").stat().st_size > 5000
    back = nw.load_trace(path)
    client = TestClient(create_app(replay=back, replay_name="mine.npz", hosts={"testserver"}))
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        msgs = [ws.receive_json() for _ in range(2)]
        frame = next(m for m in msgs if m["type"] == "frame")
        assert frame["timeline"]["count"] == len(rec.trace) and "replaying mine.npz" in frame["status"]
        assert frame["metrics"]["step"] == 150


def test_nothing_but_using_a_torch_model_imports_torch():
    import subprocess
    import sys

    code = ("import sys, netwarp as nw, netwarp.views, netwarp.outputs, netwarp.web.app, netwarp.torch, netwarp.display\n"
            "X, y = nw.make_dataset('moons', n=60, seed=0)\n"
            "t = nw.train(X, y, [3], steps=20)\n"
            "t._repr_html_(); nw.views.warp(t, 1)._repr_png_(); nw.from_torch\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
