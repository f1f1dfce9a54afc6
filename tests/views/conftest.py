import numpy as np
import pytest

import netwarp as nw


@pytest.fixture(scope="session")
def spiral_trace():
    X, y = nw.make_dataset("spiral", n=300, seed=1)
    return nw.train(X, y, hidden=[8, 3], steps=400, seed=1, data={"dataset": "spiral"})


@pytest.fixture(scope="session")
def circles_trace():
    X, y = nw.make_dataset("circles", n=200, seed=2)
    return nw.train(X, y, hidden=[3], steps=300, seed=2, data={"dataset": "circles"})


@pytest.fixture(scope="session")
def square_trace():
    X, y = nw.make_dataset("square", seed=0)
    return nw.train(X, y, hidden=[3], activation="relu", steps=1500, seed=0)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _record(model, X, y, Xt, yt, layers, steps, every, lr):
    """Train ``model`` by full-batch gradient descent for ``steps`` steps, recording ``layers``
    every ``every`` steps (by hand: torch.optim's first use imports torch's compiler, seconds)."""
    import torch

    from netwarp.torch import Recorder

    with Recorder(model, X, y, Xt, yt, layers=layers, every=every) as rec:
        for step in range(steps + 1):
            rec.record(step)
            loss = torch.nn.functional.cross_entropy(model(torch.tensor(X)), torch.as_tensor(y))
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
    return rec.trace


@pytest.fixture(scope="session")
def recorded_cnn():
    """A small CNN on digits recorded by its layers (:func:`make_recorded_cnn`)."""
    pytest.importorskip("torch")
    return make_recorded_cnn()


def make_recorded_cnn():
    """A small CNN on 8x8 digits recorded by its layers: pool (4 channels x 4 x 4 = 64 wide) and
    act (the ReLU after fc1, 12 wide, unit 0 dead from the start: zero weights and bias -1, so no
    gradient ever reaches it); snapshots at steps 0, 10, 20, 30."""
    import torch
    from sklearn.datasets import load_digits

    nn = torch.nn

    class SmallCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU())
            self.pool = nn.MaxPool2d(2)
            self.fc1 = nn.Linear(64, 12)
            self.act = nn.ReLU()
            self.out = nn.Linear(12, 10)

        def forward(self, x):
            x = self.pool(self.conv(x.view(-1, 1, 8, 8)))
            return self.out(self.act(self.fc1(x.flatten(1))))

    d = load_digits()
    X, y = (d.data / 16).astype(np.float32), d.target
    torch.manual_seed(0)
    model = SmallCNN()
    with torch.no_grad():
        model.fc1.weight[0] = 0.0
        model.fc1.bias[0] = -1.0
    return _record(model, X[:240], y[:240], X[240:330], y[240:330], ["pool", "act"], steps=30, every=10, lr=0.5)


@pytest.fixture(scope="session")
def recorded_plane():
    """A 2-2-2 tanh MLP on a disk in a ring, recorded by its hidden layer (the tanh's output): a
    recorded trace whose input is a plane, so the plane views must refuse it for the lack of
    weights, not of a plane; and a 2-wide layer on nested classes, where topology would speak of
    a network netwarp knows."""
    torch = pytest.importorskip("torch")
    X, y = nw.make_dataset("circles", n=200, seed=3)
    X = X.astype(np.float32)
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 2))
    return _record(model, X[:140], y[:140], X[140:], y[140:], ["1"], steps=20, every=10, lr=0.5)
