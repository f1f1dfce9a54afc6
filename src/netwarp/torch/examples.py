"""Two small PyTorch models recorded by their layers' outputs, shared by the gallery, the
"Representations of any model" tutorial and ``bench/bench_torch_recorder.py``.

- :class:`DigitsCNN`: conv -> ReLU -> maxpool -> dense -> out on scikit-learn's 8x8 digits,
  a model netwarp cannot read weights from (a convolution), recorded at its ``pool`` and
  ``fc1`` modules (:func:`record_digits_cnn`);
- :class:`WineMLP`: two hidden blocks Linear -> BatchNorm1d -> ReLU on the bundled wine
  table (:mod:`netwarp.tables`), recorded at its ``hidden1`` and ``hidden2`` blocks
  (:func:`record_wine_mlp`).

Both are trained with minibatches from a ``DataLoader``, one global step per batch.
Importing this module needs torch (``pip install 'netwarp[torch]'``); without it the
import raises a one-line :class:`~netwarp.errors.NetwarpError`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from ..trace import Trace
from .reading import torch_module
from .recorder import Recorder

torch = torch_module()  # a one-line NetwarpError when torch is not installed
nn = torch.nn

__all__ = ["DigitsCNN", "WineMLP", "digits_images", "loader", "one_thread", "record_digits_cnn", "record_wine_mlp",
           "train_loop", "wine_table"]

DIGITS_LAYERS = ("pool", "fc1")
WINE_LAYERS = ("hidden1", "hidden2")


class DigitsCNN(nn.Module):
    """conv (8 maps of 3x3) -> ReLU -> 2x2 maxpool -> fc1 (32, ReLU) -> out (10) on ``(n, 1, 8, 8)`` images.

    Its ``pool`` output is 8 maps of 4x4, 128 numbers a digit; ``fc1``'s is 32 (before its ReLU).
    """

    def __init__(self, maps: int = 8, width: int = 32):
        super().__init__()
        self.conv = nn.Conv2d(1, maps, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(maps * 16, width)
        self.out = nn.Linear(width, 10)

    def forward(self, x):
        """Logits ``(n, 10)`` of images ``(n, 1, 8, 8)`` (or ``(n, 64)``, reshaped)."""
        x = self.pool(torch.relu(self.conv(x.reshape(-1, 1, 8, 8))))
        return self.out(torch.relu(self.fc1(x.flatten(1))))


class WineMLP(nn.Module):
    """13 features -> hidden1 (Linear, BatchNorm1d, ReLU) -> hidden2 (the same) -> out (3 classes)."""

    def __init__(self, widths: Sequence[int] = (16, 8), n_in: int = 13, n_classes: int = 3):
        super().__init__()
        a, b = widths
        self.hidden1 = nn.Sequential(nn.Linear(n_in, a), nn.BatchNorm1d(a), nn.ReLU())
        self.hidden2 = nn.Sequential(nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU())
        self.out = nn.Linear(b, n_classes)

    def forward(self, x):
        """Logits ``(n, 3)`` of rows ``(n, 13)``."""
        return self.out(self.hidden2(self.hidden1(x)))


def digits_images(seed: int = 0, test_size: float = 0.25) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits as images, ink scaled to 0..1, split stratified by class.

    Returns
    -------
    X, y, X_test, y_test
        ``X (n, 1, 8, 8)`` float32 and ``y (n,)`` int64; 1347 and 450 digits with the defaults.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    X = (d.images / 16.0).astype(np.float32)[:, None]
    X, X_test, y, y_test = train_test_split(X, d.target.astype(np.int64), test_size=test_size,
                                            random_state=seed, stratify=d.target)
    return X, y, X_test, y_test


def wine_table(seed: int = 0, test_size: float = 0.3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bundled wine table (178 wines, 13 standardised features, 3 cultivars), split stratified.

    Returns
    -------
    X, y, X_test, y_test
        ``X (n, 13)`` float32 and ``y (n,)`` int64; 124 and 54 wines with the defaults.
    """
    from sklearn.model_selection import train_test_split

    from ..tables import bundled

    t = bundled("wine")
    X, X_test, y, y_test = train_test_split(t.X.astype(np.float32), t.y, test_size=test_size,
                                            random_state=seed, stratify=t.y)
    return X, y, X_test, y_test


def loader(X: np.ndarray, y: np.ndarray, batch_size: int, seed: int = 0):
    """A shuffling ``DataLoader`` over ``(X, y)`` whose order is fixed by ``seed``."""
    data = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    return torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=True,
                                       generator=torch.Generator().manual_seed(seed))


def train_loop(model, batches, steps: int, lr: float, rec: Recorder | None = None) -> int:
    """Adam on cross-entropy over ``batches`` (a DataLoader, re-read epoch after epoch) for ``steps``
    minibatch steps; ``rec.record(step)`` before each step and after the last, when ``rec`` is given.

    Returns
    -------
    int
        The steps taken (``steps``).
    """
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    step = 0
    model.train()
    while step < steps:
        for xb, yb in batches:
            if rec is not None:
                rec.record(step)
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step == steps:
                break
    if rec is not None:
        rec.record(step, force=True)
    return step


@contextmanager
def one_thread() -> Iterator[None]:
    """torch on one thread inside the block, its setting restored after: models this small gain
    nothing from a second thread, and on a busy machine two threads waiting on each other made
    these loops ten times slower (measured: 13 s against 1 s for the wine loop, load 6 on 2 cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def record_digits_cnn(steps: int = 400, every: int = 20, batch_size: int = 64, lr: float = 0.01,
                      seed: int = 0, layers: Sequence[str] = DIGITS_LAYERS) -> tuple[Trace, DigitsCNN]:
    """Train :class:`DigitsCNN` on :func:`digits_images` with minibatches, recording ``layers`` every ``every`` steps.

    Returns
    -------
    trace : Trace
        ``arch.sizes == (64, 128, 32, 10)`` with the default layers; ``steps // every + 1`` snapshots.
    model : DigitsCNN
        The trained model.
    """
    return _recorded(DigitsCNN, digits_images(seed), steps, every, batch_size, lr, seed, layers)


def record_wine_mlp(steps: int = 300, every: int = 10, batch_size: int = 16, lr: float = 0.01,
                    seed: int = 0, layers: Sequence[str] = WINE_LAYERS) -> tuple[Trace, WineMLP]:
    """Train :class:`WineMLP` on :func:`wine_table` with minibatches, recording ``layers`` every ``every`` steps.

    Returns
    -------
    trace : Trace
        ``arch.sizes == (13, 16, 8, 3)`` with the default layers.
    model : WineMLP
        The trained model.
    """
    return _recorded(WineMLP, wine_table(seed), steps, every, batch_size, lr, seed, layers)


def _recorded(make, data, steps, every, batch_size, lr, seed, layers):
    """A fresh ``make()`` seeded by ``seed``, trained on ``data`` (X, y, X_test, y_test) with minibatches,
    its ``layers`` recorded every ``every`` steps, on one torch thread."""
    X, y, X_test, y_test = data
    torch.manual_seed(seed)
    model = make()
    with one_thread():
        rec = Recorder(model, X, y, X_test, y_test, layers=list(layers), every=every)
        train_loop(model, loader(X, y, batch_size, seed), steps, lr, rec)
    return rec.trace, model
