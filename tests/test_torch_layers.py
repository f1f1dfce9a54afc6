"""Recording named layers of any PyTorch model (issue 23 item 1): the trace's representations
are the hooks' outputs, the logits the model's, and bad names are refused in one line."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from netwarp.errors import NetwarpError
from netwarp.trace import load_trace

torch = pytest.importorskip("torch")
from netwarp.torch import Recorder, from_torch  # noqa: E402

nn = torch.nn


class SmallCNN(nn.Module):
    """conv -> pool -> dense on 8x8 digits, the shape issue 23 names."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU())
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(4 * 16, 16)
        self.out = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(self.conv(x.view(-1, 1, 8, 8)))
        return self.out(torch.relu(self.fc1(x.flatten(1))))


@pytest.fixture(scope="module")
def digits():
    d = load_digits()
    X, y = (d.data / 16).astype(np.float32), d.target
    return X[:300], y[:300], X[300:400], y[300:400]


def _hooked(model, names, X):
    """The outputs of ``names`` on X by hand: what the trace must hold."""
    got = {}
    handles = [model.get_submodule(n).register_forward_hook(lambda m, a, o, n=n: got.__setitem__(n, o.detach()))
               for n in names]
    with torch.no_grad():
        z = model(torch.tensor(X))
    for h in handles:
        h.remove()
    return [got[n].reshape(len(X), -1).numpy() for n in names], z.double().numpy()


def test_recorded_outputs_equal_the_hooks_outputs_at_every_snapshot(digits):
    X, y, Xt, yt = digits
    torch.manual_seed(0)
    model = SmallCNN()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    expected = {}
    with Recorder(model, X, y, Xt, yt, layers=["pool", "fc1"], every=5) as rec:
        for step in range(16):
            if rec.due(step):
                model.eval()
                expected[step] = (_hooked(model, ["pool", "fc1"], X), _hooked(model, ["pool", "fc1"], Xt))
                model.train()
            rec.record(step)
            loss = nn.functional.cross_entropy(model(torch.tensor(X)), torch.as_tensor(y))
            opt.zero_grad()
            loss.backward()
            opt.step()
    t = rec.trace
    assert list(t.steps) == [0, 5, 10, 15] and t.layer_names == ("pool", "fc1")
    assert t.arch.sizes == (64, 64, 16, 10) and not t.has_weights
    for i, step in enumerate(t.steps):
        for split, Xs in ((0, t.X_train), (1, t.X_test)):
            reps, logits = expected[int(step)][split]
            got = t.layer_outputs(Xs, i)
            for a, b in zip(got[1:3], reps):
                np.testing.assert_array_equal(a, b)
            np.testing.assert_allclose(got[3], logits, rtol=0, atol=1e-6)
    assert model.training  # its training mode restored


def test_from_torch_with_layers_takes_one_snapshot_and_saves(digits, tmp_path):
    X, y, Xt, yt = digits
    model = SmallCNN()
    t = from_torch(model, X.reshape(-1, 1, 8, 8), y, Xt.reshape(-1, 1, 8, 8), yt, step=7, layers=["conv.1"])
    assert list(t.steps) == [7] and t.arch.sizes == (64, 256, 10) and t.data["input_shape"] == [1, 8, 8]
    t.save(tmp_path / "cnn.npz")
    u = load_trace(tmp_path / "cnn.npz")
    np.testing.assert_array_equal(u.layer_outputs(u.X_test)[1], t.layer_outputs(t.X_test)[1])


def test_one_output_logit_is_recorded_as_two(digits):
    X, y, _, _ = digits
    keep = y < 2
    model = nn.Sequential(nn.Linear(64, 5), nn.ReLU(), nn.Linear(5, 1))
    t = from_torch(model, X[keep], y[keep], layers=["1"])
    with torch.no_grad():
        z = model(torch.tensor(X[keep])).double().numpy()[:, 0]
    got = t.layer_outputs(t.X_train)[-1]
    assert np.array_equal(got[:, 0], np.zeros(len(z))) and np.allclose(got[:, 1], z, atol=1e-6)


@pytest.mark.parametrize("layers, message", [
    (["fc9"], "the model has no module 'fc9'; its modules: conv"),
    ([], "layers is empty"),
    ("fc1", "layers must be a list of module names"),
    (["fc1", "fc1"], "layers names 'fc1' twice"),
])
def test_bad_layer_names_are_refused_in_one_line(digits, layers, message):
    X, y, _, _ = digits
    with pytest.raises(NetwarpError, match=message) as e:
        from_torch(SmallCNN(), X, y, layers=layers)
    assert "\n" not in str(e.value)


def test_a_module_that_runs_twice_or_never_is_refused(digits):
    X, y, _, _ = digits

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.unused, self.out = nn.Linear(64, 64), nn.Linear(3, 3), nn.Linear(64, 10)

        def forward(self, x):
            return self.out(torch.tanh(self.a(torch.tanh(self.a(x)))))

    with pytest.raises(NetwarpError, match="a ran 2 times in one forward pass"):
        from_torch(Twice(), X, y, layers=["a"])
    with pytest.raises(NetwarpError, match="unused did not run"):
        from_torch(Twice(), X, y, layers=["unused"])


def test_labels_beyond_the_outputs_and_real_targets_are_refused(digits):
    X, y, _, _ = digits
    with pytest.raises(NetwarpError, match="labels go up to 9 but the model has 4 output"):
        from_torch(nn.Sequential(nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 4)), X, y, layers=["1"])
    with pytest.raises(NetwarpError, match="needs class labels"):
        from_torch(nn.Sequential(nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 1)), X, y + 0.5, layers=["1"])


def test_a_forward_that_fails_on_the_points_is_one_line(digits):
    X, y, _, _ = digits
    with pytest.raises(NetwarpError, match="the model's forward pass failed on the recorded points: RuntimeError") as e:
        from_torch(nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 10)), X, y, layers=["1"])
    assert "\n" not in str(e.value)
