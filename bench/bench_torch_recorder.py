"""What recording a PyTorch training loop costs: the 2-8-8-2 tanh network on the
600-point spiral, Adam lr 0.03, full batch, ``--steps`` steps, the loop

  (a) bare,
  (b) with ``netwarp.torch.Recorder(..., steps=3000)`` (netwarp.train's schedule: 100 log-spaced snapshots),
  (c) with ``netwarp.torch.Recorder`` told nothing (its open-ended schedule: about 30 a tenfold of steps),

each the best of ``--repeats`` runs, interleaved; then the same for a model with
BatchNorm1d and Dropout (2-8-8-2 relu, each hidden layer Linear, BatchNorm1d, ReLU,
Dropout), whose every snapshot folds the BatchNorm statistics into the weights. Every
snapshot also re-reads the model from one float64 run and checks the reading against
its outputs. Prints the overheads and PASS/FAIL against issue 12's goal (< 10%).

Run:  python bench/bench_torch_recorder.py [--load N]   (about half a minute; ``--load 2``
measures again with two busy processes from ``bench/load.py``, side by side)
"""

from __future__ import annotations

import argparse
import time

import torch

import netwarp
from load import add_option, side_by_side
from netwarp.torch import Recorder

GOAL = 0.10


def make(kind: str) -> torch.nn.Module:
    nn = torch.nn
    torch.manual_seed(0)
    if kind == "batchnorm":
        return nn.Sequential(nn.Linear(2, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.1),
                             nn.Linear(8, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2))


def loop(X, y, steps: int, record: bool | str, kind: str = "tanh") -> tuple[float, int]:
    model = make(kind)
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    Xt, yt = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    rec = None if not record else Recorder(model, X, y) if record == "open" else Recorder(model, X, y, steps=steps)
    t0 = time.perf_counter()
    for step in range(steps):
        if rec is not None:
            rec.record(step)
        loss = torch.nn.functional.cross_entropy(model(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if rec is not None:
        rec.record(steps, force=True)
    return time.perf_counter() - t0, len(rec.trace) if rec else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    add_option(ap)
    args = ap.parse_args()
    side_by_side(lambda: run(args), args.load)


def run(args: argparse.Namespace) -> dict:
    X, y = netwarp.make_dataset("spiral", seed=0)
    out = {}
    for kind, name in (("tanh", "2-8-8-2 tanh"), ("batchnorm", "2-8-8-2 relu with BatchNorm1d and Dropout")):
        loop(X, y, 50, True, kind)  # warm up torch and numpy
        bare, recorded, opened, snaps, open_snaps = float("inf"), float("inf"), float("inf"), 0, 0
        for _ in range(args.repeats):
            bare = min(bare, loop(X, y, args.steps, False, kind)[0])
            t, snaps = loop(X, y, args.steps, True, kind)
            recorded = min(recorded, t)
            t, open_snaps = loop(X, y, args.steps, "open", kind)
            opened = min(opened, t)
        overhead = recorded / bare - 1
        print(f"{name}, {len(X)} spiral points, {args.steps} steps, torch {torch.__version__}, "
              f"{torch.get_num_threads()} threads")
        print(f"(a) bare PyTorch loop      : {bare:6.3f} s  ({bare / args.steps * 1e6:5.0f} us a step)")
        print(f"(b) with netwarp's Recorder: {recorded:6.3f} s  ({snaps} snapshots, steps= given; "
              f"{(recorded - bare) / snaps * 1e6:.0f} us a snapshot)")
        print(f"(c) Recorder, open-ended   : {opened:6.3f} s  ({open_snaps} snapshots; overhead {opened / bare - 1:+.1%})")
        print(f"recording overhead {overhead:+.1%}: {'PASS' if overhead < GOAL else 'FAIL'} (goal < {GOAL:.0%})\n")
        tag = "" if kind == "tanh" else " (BatchNorm)"
        out.update({f"bare loop{tag}": (bare, "s"), f"with Recorder{tag}": (recorded, "s"),
                    f"recording overhead{tag}": (overhead * 100, "%")})
    return out


if __name__ == "__main__":
    main()
