"""Small traces for the output tests (seeded, a few dozen steps)."""

from __future__ import annotations

import pytest

import netwarp


@pytest.fixture(scope="session")
def circles3_trace() -> netwarp.Trace:
    """2-3-2 tanh on circles (a 3-wide hidden layer), 6 snapshots (read-only)."""
    X, y = netwarp.make_dataset("circles", n=80, seed=0)
    return netwarp.train(X, y, hidden=[3], steps=150, snapshots=6, seed=0, data={"dataset": "circles", "n": 80, "seed": 0})


@pytest.fixture(scope="session")
def wide_trace() -> netwarp.Trace:
    """2-6-2-2 tanh on moons: a 6-wide layer (projected) then a 2-wide one, 8 snapshots (read-only)."""
    X, y = netwarp.make_dataset("moons", n=80, seed=0)
    return netwarp.train(X, y, hidden=[6, 2], steps=120, snapshots=8, seed=0, data={"dataset": "moons", "n": 80, "seed": 0})


@pytest.fixture(scope="session")
def wide_spiral() -> netwarp.Trace:
    """2-8-8-2 tanh on the spiral trained to 100% (the gallery's wide spiral; ~1 s)."""
    X, y = netwarp.make_dataset("spiral", seed=0)
    t = netwarp.train(X, y, hidden=[8, 8], steps=3000, seed=0, data={"dataset": "spiral", "seed": 0})
    assert t.snapshot(-1).train_acc == 1.0
    return t


@pytest.fixture(scope="session")
def field_under_pixels():
    """``field_under_pixels(field, X, P) -> (probs, near)``: for a ``P x P`` panel drawn over
    ``field.bounds``, the field's class probabilities at every pixel's centre ``(P, P, k)``, and
    which pixels lie within 8 px of a drawn point of ``X`` (those show the point, not the field)."""
    import numpy as np

    def under(field, X, P: int):
        x0, x1, y0, y1 = field.bounds
        j = np.rint(np.interp(x0 + (np.arange(P) + 0.5) * (x1 - x0) / P, field.xs, np.arange(len(field.xs)))).astype(int)
        i = np.rint(np.interp(y1 - (np.arange(P) + 0.5) * (y1 - y0) / P, field.ys, np.arange(len(field.ys)))).astype(int)
        pts = np.c_[(X[:, 0] - x0) / (x1 - x0) * P, (y1 - X[:, 1]) / (y1 - y0) * P]
        rr, cc = np.mgrid[0:P, 0:P]
        near = np.zeros((P, P), bool)
        for c, r in pts:
            near |= (cc - c) ** 2 + (rr - r) ** 2 < 8**2
        return field.probs[i][:, j], near

    return under


@pytest.fixture(scope="session")
def recorded_cnn() -> netwarp.Trace:
    """A small CNN on 8x8 digits (conv -> pool -> fc1 -> out) recorded by its layers' outputs:
    ``pool`` (64 wide) and ``fc1`` (16 wide), 240 train / 80 test digits, 5 snapshots every 6 steps,
    no weights (read-only; ~1 s)."""
    import numpy as np
    from sklearn.datasets import load_digits

    torch = pytest.importorskip("torch")
    from netwarp.torch import Recorder
    from netwarp.torch.examples import DigitsCNN

    nn = torch.nn

    d = load_digits()
    X, y = (d.data / 16).astype(np.float32), d.target
    torch.manual_seed(0)
    model = DigitsCNN(maps=4, width=16)  # pool 64 wide, fc1 16
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    Xt, yt = torch.tensor(X[:240]), torch.as_tensor(y[:240])
    with Recorder(model, X[:240], y[:240], X[240:320], y[240:320], layers=["pool", "fc1"], every=6) as rec:
        for step in range(25):
            rec.record(step)
            loss = nn.functional.cross_entropy(model(Xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
    t = rec.trace
    assert t.arch.recorded and t.layer_names == ("pool", "fc1") and len(t) == 5
    return t
