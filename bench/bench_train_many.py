"""Many networks at once: 64 networks 2-8-8-2 tanh on the 600-point spiral (450
training points), Adam lr 0.03, full batch, ``--steps`` steps each, trained

  (a) one ``netwarp.train`` after another (each records its 100 snapshots),
  (b) as one stacked, vectorised numpy pass (batched matrix products over the
      64 parameter vectors; training steps only, nothing recorded) - the design
      issue 13 asked for, measured here to show why netwarp does not use it,
  (c) ``netwarp.sweep`` on local worker processes (one per core), which also
      makes the data, records every snapshot and writes every run's files.

Prints seconds, the ratios against (a), the issue's goal (batched >= 10x) with
PASS/FAIL, and what one run costs, to size a cluster.

Run:  python bench/bench_train_many.py [--load N]   (about a minute; ``--load 2`` measures again
with two busy processes from ``bench/load.py``, side by side)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

import netwarp
from load import add_option, side_by_side
from netwarp.activations import get_activation
from netwarp.train import Trainer

GOAL = 10.0


class StackedNetworks:
    """Loss and gradient of ``B`` networks of one architecture at once.

    Parameters
    ----------
    arch : Architecture
    l1, l2 : ndarray of shape (B,)
        Each network's regularisation strengths (weights only, as in :class:`netwarp.nn.Backprop`).
    """

    def __init__(self, arch, l1: np.ndarray, l2: np.ndarray):
        self.arch, self.l1, self.l2 = arch, l1[:, None], l2[:, None]
        self.act = get_activation(arch.activation)
        self.wmask = np.zeros(arch.n_params, dtype=bool)
        for sw, _ in arch.slices():
            self.wmask[sw] = True
        self.use_l1, self.use_l2 = bool(np.any(l1)), bool(np.any(l2))

    def layers(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views ``(W (B, n_in, n_out), b (B, n_out))`` into ``theta (B, n_params)``, layer by layer."""
        B, sizes = len(theta), self.arch.sizes
        return [(theta[:, sw].reshape(B, a, b), theta[:, sb]) for (sw, sb), a, b in zip(self.arch.slices(), sizes[:-1], sizes[1:])]

    def _buffers(self, B: int, n: int) -> None:
        # preallocated once: fresh arrays of this size each step would be fresh pages from the OS each time
        sizes = self.arch.sizes
        self._shape = (B, n)
        self._Z = [np.empty((B, d, n)) for d in sizes[1:]]
        self._A = [np.empty((B, d, n)) for d in sizes[1:-1]]
        self._D = [np.empty((B, d, n)) for d in sizes[1:]]
        self._rows = np.empty((B, n)), np.empty((B, n))
        self._grad = np.empty((B, self.arch.n_params))

    def __call__(self, theta: np.ndarray, XT: np.ndarray, TT: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(data_loss (B,), grad (B, n_params))`` at ``theta (B, n_params)``.

        Samples run along the last axis, as in :class:`netwarp.nn.Backprop`:
        ``XT`` has shape ``(B, n_inputs, n)`` and ``TT`` ``(B, n_outputs, n)``
        (one-hot classes, or the values as a row). The returned gradient is
        overwritten by the next call.
        """
        B, n = len(theta), XT.shape[2]
        if getattr(self, "_shape", None) != (B, n):
            self._buffers(B, n)
        layers, f, df, last = self.layers(theta), self.act.f, self.act.df, self.arch.n_layers - 1
        A, Z, D = [XT, *self._A], self._Z, self._D
        for i, (W, b) in enumerate(layers):
            np.matmul(W.transpose(0, 2, 1), A[i], out=Z[i])
            Z[i] += b[:, :, None]
            if i < last:
                A[i + 1][...] = f(Z[i])
        out, k = Z[-1], Z[-1].shape[1]
        m, s = self._rows
        delta = D[-1]
        if self.arch.task == "classification":
            # loops over the few class rows: numpy's reductions over a short axis cost more than the rest
            m[...] = out[:, 0]
            for j in range(1, k):
                np.maximum(m, out[:, j], out=m)
            np.subtract(out, m[:, None, :], out=delta)  # the shifted logits
            loss = -np.einsum("bkn,bkn->b", delta, TT) / n
            np.exp(delta, out=delta)
            s[...] = delta[:, 0]
            for j in range(1, k):
                s += delta[:, j]
            loss += np.log(s).sum(axis=1) / n
            s *= n
            delta /= s[:, None, :]
            delta -= TT * (1.0 / n)
        else:
            np.subtract(out, TT, out=delta)
            loss = np.einsum("bkn,bkn->b", delta, delta) / (k * n)
            delta *= 2.0 / (k * n)
        grad = self._grad
        gl = self.layers(grad)
        for i in range(last, -1, -1):
            gl[i][0][...] = np.matmul(A[i], delta.transpose(0, 2, 1))
            gl[i][1][...] = delta.sum(axis=2)
            if i:
                nxt = D[i - 1]
                np.matmul(layers[i][0], delta, out=nxt)
                nxt *= df(Z[i - 1], A[i])
                delta = nxt
        if self.use_l2:
            grad[:, self.wmask] += self.l2 * theta[:, self.wmask]
        if self.use_l1:
            grad[:, self.wmask] += self.l1 * np.sign(theta[:, self.wmask])
        return loss, grad


class StackedOptimizer:
    """The optimisers of :mod:`netwarp.optim`, row by row over ``(B, n_params)``, each row with its own learning rate."""

    def __init__(self, name: str, shape: tuple[int, int], lr: np.ndarray):
        self.name, self.lr = name, lr[:, None]
        self.m, self.v, self.t = np.zeros(shape), np.zeros(shape), 0

    def step(self, theta: np.ndarray, g: np.ndarray) -> None:
        """Update ``theta (B, n_params)`` in place against the gradients ``g (B, n_params)``."""
        if self.name == "sgd":
            theta -= self.lr * g
        elif self.name == "momentum":
            self.m *= 0.9
            self.m += g
            theta -= self.lr * self.m
        else:  # adam, in the same order of operations as optim.Adam
            b1, b2, eps = 0.9, 0.999, 1e-8
            self.t += 1
            self.m *= b1
            self.m += (1 - b1) * g
            self.v *= b2
            self.v += (g * g) * (1 - b2)
            c1, c2 = 1 - b1**self.t, 1 - b2**self.t
            tmp = np.sqrt(self.v)
            tmp += eps * np.sqrt(c2)
            np.divide(self.m, tmp, out=tmp)
            tmp *= self.lr * np.sqrt(c2) / c1
            theta -= tmp


def stacked(X, y, seeds, steps):
    """Steps of the stacked pass, from the same initialisations as netwarp.train; returns the parameters."""
    trainers = [Trainer(X, y, [8, 8], seed=s) for s in seeds]
    arch = trainers[0].arch
    theta = np.stack([t.theta for t in trainers])
    XT = np.ascontiguousarray(np.stack([t.trace.X_train for t in trainers]).transpose(0, 2, 1))
    TT = np.ascontiguousarray(np.stack([t.target for t in trainers]).transpose(0, 2, 1))
    nets = StackedNetworks(arch, np.zeros(len(seeds)), np.zeros(len(seeds)))
    opt = StackedOptimizer("adam", theta.shape, np.full(len(seeds), 0.03))
    for _ in range(steps):
        _, g = nets(theta, XT, TT)
        opt.step(theta, g)
    return theta


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--networks", type=int, default=64)
    ap.add_argument("--steps", type=int, default=1000)
    add_option(ap)
    args = ap.parse_args()
    side_by_side(lambda: run(args), args.load)


def run(args: argparse.Namespace) -> dict:
    X, y = netwarp.make_dataset("spiral", seed=0)
    seeds = list(range(args.networks))
    print(f"{args.networks} networks 2-8-8-2 tanh, {len(X)} spiral points, {args.steps} steps each, {os.cpu_count()} cores")

    t0 = time.perf_counter()
    one = [netwarp.train(X, y, [8, 8], steps=args.steps, seed=s) for s in seeds]
    t_one = time.perf_counter() - t0

    t0 = time.perf_counter()
    theta = stacked(X, y, seeds, args.steps)
    t_stacked = time.perf_counter() - t0
    drift = max(float(np.abs(theta[k] - one[k].theta()).max()) for k in range(len(seeds)))

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        netwarp.sweep(f"{tmp}/sw", widths=[8], depths=[2], seeds=args.networks, dataset="spiral", steps=args.steps)
        t_sweep = time.perf_counter() - t0

    print(f"(a) one netwarp.train after another : {t_one:7.2f} s   ({t_one / len(seeds):.3f} s a run)")
    print(f"(b) stacked vectorised numpy pass    : {t_stacked:7.2f} s   ratio {t_one / t_stacked:5.2f}x  "
          f"(steps only; its parameters drift from (a) by up to {drift:.1e})")
    print(f"(c) netwarp.sweep, local processes   : {t_sweep:7.2f} s   ratio {t_one / t_sweep:5.2f}x  (with data, recording, files)")
    verdict = "PASS" if t_one / t_stacked >= GOAL else "FAIL"
    print(f"goal: batched >= {GOAL:.0f}x one at a time: {verdict} ({t_one / t_stacked:.2f}x). netwarp's single-network "
          "step is bound by arithmetic, not numpy call overhead, so stacking cannot win it back; sweeps use processes.")
    print(f"sizing: one {args.steps}-step run of this network costs {t_one / len(seeds):.3f} s of one core here; "
          f"a sweep of N runs on W worker cores takes about N x {t_one / len(seeds):.3f} / W s")
    return {"one train after another": (t_one, "s"), "stacked numpy": (t_stacked, "s"), "netwarp.sweep": (t_sweep, "s")}


if __name__ == "__main__":
    main()
