"""Models as people write them (issue 21), read from their forward pass: every sample is
recorded over a real training loop and its logits equal torch's at every snapshot."""

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder, from_torch  # noqa: E402

nn = torch.nn
LOGITS = 1e-5  # the issue's bar: float32 torch against netwarp's float64 reading


def eval_out(model, Xt):
    """The model's own output as it predicts (eval mode), its training mode put back."""
    was = model.training
    model.eval()
    with torch.no_grad():
        out = model(Xt).double().numpy()
    model.train(was)
    return out


def recorded(model, X, y, loss_fn, target, steps=60, every=15, lr=0.02):
    """Train ``model`` with Adam and a Recorder; the model's outputs at every snapshot."""
    Xt = torch.tensor(X, dtype=torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    outs = []
    with Recorder(model, X, y, every=every) as rec:
        for step in range(steps + 1):
            if rec.record(step) is not None:
                outs.append(eval_out(model, Xt))
            if step == steps:
                break
            model.train()
            loss = loss_fn(model(Xt), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
    assert len(rec.trace) == len(outs) == steps // every + 1
    return rec.trace, outs


def logits(trace, X, i, binary=False):
    out = trace.layer_outputs(X, i)[-1]
    return (out[:, 1] - out[:, 0])[:, None] if binary else out


@pytest.fixture(scope="module")
def moons():
    return nw.make_dataset("moons", n=200, noise=0.1, seed=0)


class MoonModelV0(nn.Module):  # as in the course solution: layers as attributes, one ReLU, forward by hand
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Linear(2, 10)
        self.layer2 = nn.Linear(10, 10)
        self.layer3 = nn.Linear(10, 2)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer3(self.relu(self.layer2(self.relu(self.layer1(x)))))


def ce(out, y):
    return nn.functional.cross_entropy(out, y)


SAMPLES = {
    "subclass": lambda: MoonModelV0(),
    "reused block": lambda: nn.Sequential(nn.Linear(2, 8), nn.Tanh(), *[nn.Linear(8, 8), nn.Tanh()] * 3, nn.Linear(8, 2)),
    "dropout and batchnorm": lambda: nn.Sequential(nn.Linear(2, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.2),
                                                   nn.Linear(16, 16), nn.ReLU(), nn.BatchNorm1d(16), nn.Linear(16, 2)),
    "gelu": lambda: nn.Sequential(nn.Linear(2, 12), nn.GELU(), nn.Linear(12, 12), nn.GELU(), nn.Linear(12, 2)),
    "mixed activations": lambda: nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2)),
}
SIZES = {"subclass": ((2, 10, 10, 2), ("relu", "relu")),
         "reused block": ((2, 8, 8, 8, 8, 2), ("tanh",) * 4),
         "dropout and batchnorm": ((2, 16, 16, 2), ("relu", "relu")),
         "gelu": ((2, 12, 12, 2), ("gelu", "gelu")),
         "mixed activations": ((2, 8, 8, 2), ("tanh", "relu"))}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_the_issue_samples_are_recorded_with_torchs_logits_at_every_snapshot(name, moons):
    X, y = moons
    torch.manual_seed(0)
    model = SAMPLES[name]()
    trace, outs = recorded(model, X, y, ce, torch.as_tensor(y))
    assert (trace.arch.sizes, trace.arch.activations) == SIZES[name]
    assert trace.status == "complete" and model.training  # its training mode is the loop's
    for i, out in enumerate(outs):
        np.testing.assert_allclose(logits(trace, X, i), out, atol=LOGITS, rtol=0)
    assert not np.allclose(outs[0], outs[-1], atol=1e-3)  # the snapshots are of a model that learned
    if name == "dropout and batchnorm":
        assert "Dropout as in eval() (identity)" in trace.data_description
        assert "BatchNorm1d folded into its Linear" in trace.data_description


def test_the_reused_block_is_four_hidden_layers_sharing_one_set_of_weights(moons):
    X, y = moons
    block = [nn.Linear(8, 8), nn.Tanh()]
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), *block * 3, nn.Linear(8, 2))
    t = from_torch(model, X, y)
    W = t.weights()
    for k in (1, 2, 3):
        np.testing.assert_array_equal(W[k][0], block[0].weight.detach().double().numpy().T)
    np.testing.assert_allclose(logits(t, X, -1), eval_out(model, torch.tensor(X, dtype=torch.float32)), atol=LOGITS)


@pytest.mark.parametrize("dtype", [torch.float32, torch.long])
def test_one_logit_with_bce_is_recorded_as_two_logits_zero_and_z(dtype, moons):
    X, y = moons
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
    labels = torch.as_tensor(y).to(dtype)  # the course solution's float labels, or long ones
    bce = nn.BCEWithLogitsLoss()
    trace, outs = recorded(model, X, labels, lambda out, t: bce(out[:, 0], t.float()), labels)
    assert trace.arch.sizes == (2, 10, 10, 2) and trace.n_classes == 2
    assert "one output logit z recorded as the two logits [0, z]" in trace.data_description
    for i, out in enumerate(outs):
        two = trace.layer_outputs(X, i)[-1]
        np.testing.assert_array_equal(two[:, 0], 0.0)
        np.testing.assert_allclose(two[:, 1:], out, atol=LOGITS, rtol=0)
    # the trace's probabilities are torch's sigmoid, its loss torch's BCE
    p = trace.predict_proba(X, -1)[:, 1]
    np.testing.assert_allclose(p, torch.sigmoid(torch.as_tensor(outs[-1][:, 0])).numpy(), atol=1e-6)
    with torch.no_grad():
        want = float(bce(torch.as_tensor(outs[-1][:, 0]), torch.as_tensor(y, dtype=torch.float64)))
    assert trace.snapshot(-1).train_loss == pytest.approx(want, rel=1e-5)


def test_log_softmax_with_nll_loss_is_dropped_with_one_warning_and_its_probabilities_kept(moons):
    X, y = moons
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2), nn.LogSoftmax(dim=1))
    with pytest.warns(UserWarning, match=r"^netwarp drops module 3 \(LogSoftmax\) at the end of the model") as caught:
        trace, outs = recorded(model, X, y, nn.functional.nll_loss, torch.as_tensor(y))
    assert len(caught) == 1 and "\n" not in str(caught[0].message)
    for i, out in enumerate(outs):  # the model gives log-probabilities: the same as netwarp's logits give
        ours = torch.log_softmax(torch.as_tensor(logits(trace, X, i)), dim=1).numpy()
        np.testing.assert_allclose(ours, out, atol=LOGITS, rtol=0)


def test_compiled_nested_and_functional_models_are_read_from_their_calls(moons):
    X, y = moons
    Xt = torch.tensor(X, dtype=torch.float32)

    class Block(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.fc = nn.Linear(n_in, n_out)

        def forward(self, x):
            return torch.relu(self.fc(x))  # a function, not a module: read from its values

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([Block(2, 6), Block(6, 5)])
            self.act = nn.SiLU()
            self.head = nn.Sequential(nn.Linear(5, 4), self.act, nn.Linear(4, 2))

        def forward(self, x):
            for b in self.blocks:
                x = b(x)
            return self.head(x)

    torch.manual_seed(3)
    net = Net()
    for model in (net, torch.compile(net)):
        t = from_torch(model, X, y)
        assert t.arch.sizes == (2, 6, 5, 4, 2) and t.arch.activations == ("relu", "relu", "silu")
        np.testing.assert_allclose(logits(t, X, -1), eval_out(net, Xt), atol=LOGITS)
    assert t.data["source"].startswith("torch:Net")


def test_a_lazy_linear_is_read_after_its_first_call_and_refused_before(moons):
    X, y = moons
    model = nn.Sequential(nn.LazyLinear(6), nn.Tanh(), nn.Linear(6, 2))
    with pytest.raises(NetwarpError, match=r"^module 0 \(LazyLinear\) has no weights yet .* run the model on one batch"):
        from_torch(model, X, y)
    model(torch.tensor(X[:1], dtype=torch.float32))
    t = from_torch(model, X, y)
    assert t.arch.sizes == (2, 6, 2)


def test_reading_never_changes_the_model_its_mode_or_its_weights(moons):
    X, y = moons
    model = nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2))
    model.train()
    model[1].eval()  # a module left in eval on purpose stays so
    before = {k: v.clone() for k, v in model.state_dict().items()}
    params = [p for p in model.parameters()]
    from_torch(model, X, y)
    assert model.training and model[3].training and not model[1].training
    assert all(a is b for a, b in zip(params, model.parameters()))
    for k, v in model.state_dict().items():
        assert v.dtype == before[k].dtype and torch.equal(v, before[k]), k


class _Doubles(nn.Module):  # changes a layer's output in place: the chain of calls looks right
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(2, 4), nn.Linear(4, 2)

    def forward(self, x):
        h = self.a(x)
        h.mul_(2.0)
        return self.b(h)


class _Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))

    def forward(self, x):
        return self.net(x) * 2.0


class _Branches(nn.Module):
    def __init__(self):
        super().__init__()
        self.left, self.right, self.out = nn.Linear(2, 3), nn.Linear(2, 3), nn.Linear(6, 2)

    def forward(self, x):
        return self.out(torch.cat([self.left(x), self.right(x)], dim=1))


@pytest.mark.parametrize("model, message", [
    (_Doubles(), r"^netwarp's reading of the model \(2-4-2 identity\) does not give the model's outputs"),
    (_Scaled(), r"^the forward of the model \(_Scaled\) changes the output of module net\.2 \(Linear\) before returning it"),
    (_Branches(), r"^the forward of the model \(_Branches\) computes something between its layers .* before module right"),
    (nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Conv1d(1, 1, 1)), r"^module 2 \(Conv1d\) is not something netwarp can show"),
])
def test_a_misreading_raises_and_never_passes_silently(model, message, moons):
    X, y = moons
    for make in (lambda: from_torch(model, X, y), lambda: Recorder(model, X, y)):
        with pytest.raises(NetwarpError, match=message) as err:
            make()
        assert "\n" not in str(err.value)
