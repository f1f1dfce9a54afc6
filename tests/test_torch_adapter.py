"""A user's own PyTorch model and training loop, recorded into a Trace; torch is the oracle."""

import subprocess
import sys

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder, from_torch  # noqa: E402

FLOAT32 = 2e-5  # netwarp reads float32 weights into float64; the layer outputs agree to float32 precision


def _mlp(*sizes, act=torch.nn.Tanh, seed=0):
    torch.manual_seed(seed)
    mods = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            mods.append(act())
    return torch.nn.Sequential(*mods)


def _torch_layers(model, X):
    """Every layer's output as torch computes it, caught by forward hooks after each activation."""
    outs = []
    hooks = [m.register_forward_hook(lambda m, i, o: outs.append(o.detach().double().numpy())) for m in model]
    try:
        with torch.no_grad():
            model(torch.tensor(X, dtype=torch.float32))
    finally:
        for h in hooks:
            h.remove()
    mods = list(model)
    # keep the output of each activation (hidden layers) and of the last Linear (logits)
    return [o for o, m, nxt in zip(outs, mods, mods[1:] + [None]) if not isinstance(m, torch.nn.Linear) or nxt is None]


@pytest.mark.parametrize("act", [torch.nn.Tanh, torch.nn.ReLU, torch.nn.Sigmoid, torch.nn.LeakyReLU, torch.nn.Softplus])
def test_a_plain_torch_loop_recorded_gives_torchs_own_layer_outputs_at_every_checked_snapshot(act):
    X, y = nw.make_dataset("spiral", seed=0)
    model = _mlp(2, 8, 8, 2, act=act)
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    rec = Recorder(model, X, y)
    expected = {}
    for step in range(300):
        if rec.record(step) is not None and step in (0, 10, 57, 150):
            expected[len(rec.trace) - 1] = _torch_layers(model, X)
        loss = torch.nn.functional.cross_entropy(model(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    rec.record(300, force=True)
    expected[len(rec.trace) - 1] = _torch_layers(model, X)
    assert len(expected) >= 4
    for snap, theirs in expected.items():
        ours = rec.trace.layer_outputs(X, snapshot=snap)[1:]
        assert len(ours) == len(theirs) == 3
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, atol=FLOAT32, rtol=FLOAT32)
    # the snapshot's loss is the loss torch computed
    with torch.no_grad():
        final = float(torch.nn.functional.cross_entropy(model(Xt), yt))
    assert rec.trace.snapshot(-1).train_loss == pytest.approx(final, rel=1e-5)


def test_recording_is_log_spaced_like_train_and_skips_when_not_due():
    X, y = nw.make_dataset("moons", seed=0)
    model = _mlp(2, 4, 2)
    rec = Recorder(model, X, y)
    taken = [s for s in range(2000) if rec.record(s) is not None]
    assert taken[:10] == list(range(10))
    gaps = np.diff(taken)
    assert gaps[-1] > 50 and 40 <= len(taken) <= 120
    same = Recorder(model, X, y, steps=2000)
    plan = [s for s in range(2001) if same.record(s) is not None]
    assert plan == list(nw.snapshot_steps(2000))
    every = Recorder(model, X, y, every=100)
    assert [s for s in range(450) if every.record(s) is not None] == [0, 100, 200, 300, 400]


def test_from_torch_on_images_with_a_flatten_and_a_separate_test_set():
    X, y = nw.make_dataset("digits", seed=0)
    images = X.reshape(-1, 8, 8)
    model = torch.nn.Sequential(torch.nn.Flatten(), *_mlp(64, 16, 10, act=torch.nn.ReLU))
    t = from_torch(model, images[:1000], y[:1000], images[1000:], y[1000:])
    assert t.arch.sizes == (64, 16, 10) and t.arch.activation == "relu"
    theirs = _torch_layers(torch.nn.Sequential(*list(model)[1:]), X[:50])
    for a, b in zip(t.layer_outputs(X[:50])[1:], theirs):
        np.testing.assert_allclose(a, b, atol=FLOAT32, rtol=FLOAT32)
    assert len(t.X_test) == len(X) - 1000


def test_the_recorded_trace_opens_in_every_view(tmp_path):
    from netwarp.outputs import field_figure, write_report

    X, y = nw.make_dataset("circles", seed=0)
    t = from_torch(_mlp(2, 3, 2), X, y)
    t.save(tmp_path / "run.npz")
    back = nw.load_trace(tmp_path / "run.npz")
    np.testing.assert_array_equal(back.params, t.params)
    assert "the training points" in back.data["test"]
    field_figure(back)
    assert write_report(back, tmp_path / "r.html", progress=False).stat().st_size > 10_000


@pytest.mark.parametrize("model, message", [
    (torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3)), r"module 0 \(Conv2d\) is not something netwarp can show"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.ReLU(), torch.nn.Linear(4, 2)),
     r"module 2 \(ReLU\) follows another activation \(tanh\)"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4, track_running_stats=False), torch.nn.Linear(4, 2)),
     r"module 1 \(BatchNorm1d\) keeps no running statistics"),
    (torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Softmax(dim=0)), r"module 1 \(Softmax\) normalises dim 0"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 2)), "slope 0.2"),
    (lambda x: x, "netwarp reads a torch.nn.Module, got function"),
    (torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.GELU(approximate="tanh"), torch.nn.Linear(4, 2)),
     "approximate='tanh'; netwarp's gelu is the exact one"),
    (torch.nn.Sequential(torch.nn.Linear(3, 2)), "the model takes 3 inputs but X has 2 columns"),
])
def test_what_netwarp_cannot_take_is_named_in_one_line(model, message):
    X, y = nw.make_dataset("moons", seed=0)
    with pytest.raises(NetwarpError, match=message) as err:
        from_torch(model, X, y)
    assert "\n" not in str(err.value)


def test_labels_beyond_the_outputs_are_refused():
    X, y = nw.make_dataset("blobs", classes=4, seed=0)
    with pytest.raises(NetwarpError, match="the labels go up to 3 but the model has 2 outputs"):
        Recorder(_mlp(2, 4, 2), X, y)


def test_importing_netwarp_does_not_import_torch():
    code = "import netwarp, netwarp.torch, sys; netwarp.from_torch; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _xy(n=20):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=g)
    return X, (X[:, 0] > 0).long()


@pytest.mark.parametrize("where, message", [
    ("X", "X is on the meta device (a shape without values)"),
    ("y", "y is on the meta device (a shape without values)"),
    ("X_test", "X_test is on the meta device"),
])
def test_data_on_the_meta_device_is_one_line(where, message):
    X, y = _xy()
    data = {"X": X, "y": y, "X_test": X, "y_test": y}
    data[where] = data[where].to("meta")
    for make in (lambda: from_torch(_mlp(2, 4, 2), **data), lambda: Recorder(_mlp(2, 4, 2), **data)):
        with pytest.raises(NetwarpError) as e:
            make()
        assert message in str(e.value) and "\n" not in str(e.value)


def test_complex_weights_are_refused_not_cut_to_their_real_part():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 4, dtype=torch.complex64), torch.nn.Tanh(),
                                torch.nn.Linear(4, 2, dtype=torch.complex64))
    X, y = _xy()
    for make in (lambda: from_torch(model, X, y), lambda: Recorder(model, X, y)):
        with pytest.raises(NetwarpError, match=r"^the model's weights are complex \(torch.complex64\); netwarp reads real-valued networks$"):
            make()


@pytest.mark.parametrize("step", [1.5, "3", 3.0, True, -1, 2**70, 2**53 + 1, None])
def test_a_step_that_is_not_a_whole_number_in_range_is_one_line(step):
    X, y = _xy()
    with pytest.raises(NetwarpError, match=r"^step must be a whole number from 0 to 9007199254740992, got "):
        from_torch(_mlp(2, 4, 2), X, y, step=step)
    rec = Recorder(_mlp(2, 4, 2), X, y)
    with pytest.raises(NetwarpError, match=r"^step must be a whole number from 0 to 9007199254740992, got "):
        rec.record(step)
    assert len(rec.trace) == 0  # nothing recorded, and the recorder still works
    assert rec.record(np.int64(5)).step == 5 and from_torch(_mlp(2, 4, 2), X, y, step=2**53).steps[0] == 2**53


@pytest.mark.parametrize("kw", [{"steps": 2**70}, {"every": 2**70}, {"steps": 1.5}, {"every": "3"}])
def test_a_recorder_schedule_past_the_largest_step_is_one_line(kw):
    X, y = _xy()
    with pytest.raises(NetwarpError, match=r"^(steps|every) must be a whole number from 1 to 9007199254740992, got "):
        Recorder(_mlp(2, 4, 2), X, y, **kw)
