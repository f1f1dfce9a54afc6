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

Then a model netwarp cannot read weights from, recorded by its layers' outputs (issue 23):
``netwarp.torch.examples.DigitsCNN`` (conv -> ReLU -> maxpool -> fc1 -> out) on the 1347
training digits of scikit-learn's 8x8 set, Adam on minibatches of 64 from a DataLoader,
``--cnn-steps`` steps, the loop bare and with ``Recorder(..., layers=["pool", "fc1"],
every=20)`` (the Recorder made inside the timed part: its first run on the points is a
cost the user pays) and with ``every=50``, interleaved, best of ``--repeats``; one
snapshot's time split into the model's own eval forward pass on the points and netwarp's
part; then the trace saved, its file size printed. Goal: < 15% overhead at every=20.

Run:  python bench/bench_torch_recorder.py [--load N] [--threads T]   (about a minute; ``--load 2``
measures again with two busy processes from ``bench/load.py``, side by side)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import torch

import netwarp
from load import add_option, side_by_side
from netwarp.torch import Recorder
from netwarp.torch.layers import BATCH

GOAL = 0.10
CNN_GOAL = 0.15


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
    ap.add_argument("--cnn-steps", type=int, default=400)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own choice)")
    ap.add_argument("--cnn-only", action="store_true", help="only the recorded-layers CNN case")
    add_option(ap)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    side_by_side(lambda: run(args), args.load)


def run(args: argparse.Namespace) -> dict:
    if args.cnn_only:
        return run_cnn(args)
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
    out.update(run_cnn(args))
    return out


def cnn_loop(data, steps: int, record: bool, every: int = 20) -> tuple[float, object]:
    """The DigitsCNN minibatch loop, bare or recording pool and fc1 every ``every`` steps; its time and the recorder."""
    from netwarp.torch import examples as ex

    X, y, X_test, y_test = data
    torch.manual_seed(0)
    model = ex.DigitsCNN()
    batches = ex.loader(X, y, 64, seed=0)
    t0 = time.perf_counter()
    rec = Recorder(model, X, y, X_test, y_test, layers=["pool", "fc1"], every=every) if record else None
    ex.train_loop(model, batches, steps, 0.01, rec)
    return time.perf_counter() - t0, (rec, model) if rec else None


def snapshot_parts(rec, model, repeats: int = 7) -> tuple[float, float]:
    """Best times of one snapshot (``rec.record``) and of the model's own eval forward pass on the
    same train and test points without hooks: what a snapshot costs beyond the model's own work."""
    inputs = rec._inputs
    snap, plain, step = float("inf"), float("inf"), rec._last
    for _ in range(repeats):
        step += rec.every
        t0 = time.perf_counter()
        rec.record(step)
        snap = min(snap, time.perf_counter() - t0)
        model.eval()
        t0 = time.perf_counter()
        with torch.no_grad():
            for X in inputs:  # in the runner's batches
                for start in range(0, len(X), BATCH):
                    model(X[start:start + BATCH])
        plain = min(plain, time.perf_counter() - t0)
        model.train()
    return snap, plain


def run_cnn(args: argparse.Namespace) -> dict:
    from netwarp.torch import examples as ex

    data = ex.digits_images(seed=0)
    cnn_loop(data, 20, True)  # warm up
    bare, recorded, sparse = float("inf"), float("inf"), float("inf")
    for _ in range(args.repeats):
        bare = min(bare, cnn_loop(data, args.cnn_steps, False)[0])
        t, (rec, model) = cnn_loop(data, args.cnn_steps, True)
        recorded = min(recorded, t)
        sparse = min(sparse, cnn_loop(data, args.cnn_steps, True, every=50)[0])
    trace = rec.trace
    snaps = len(trace)
    snap, plain = snapshot_parts(rec, model)
    trace.keep(list(range(snaps)))  # the loop's snapshots only, for the file
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cnn.npz")
        t0 = time.perf_counter()
        trace.save(path)
        saved, size = time.perf_counter() - t0, os.path.getsize(path)
    overhead = recorded / bare - 1
    n, n_test = len(trace.X_train), len(trace.X_test)
    per = 4 * (n + n_test) * sum(trace.arch.sizes[1:])
    print(f"DigitsCNN (conv 8x3x3 -> ReLU -> maxpool -> fc1 32 -> out 10) on {n} digits ({n_test} test), "
          f"minibatches of 64, {args.cnn_steps} steps, torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"(a) bare PyTorch loop            : {bare:6.3f} s  ({bare / args.cnn_steps * 1e3:5.2f} ms a step)")
    print(f"(b) recording pool and fc1, every=20: {recorded:6.3f} s  ({snaps} snapshots, "
          f"{(recorded - bare) / snaps * 1e3:.1f} ms a snapshot)")
    print(f"(c) the same, every=50          : {sparse:6.3f} s  (overhead {sparse / bare - 1:+.1%})")
    print(f"one snapshot: {snap * 1e3:.1f} ms, of which the model's own eval forward pass on the {n + n_test} points "
          f"(no hooks) {plain * 1e3:.1f} ms; netwarp's own part (hooks, copies, metrics) {(snap - plain) * 1e3:.1f} ms")
    print(f"from these parts: {snaps} snapshots x {snap * 1e3:.1f} ms = {snaps * snap:.2f} s, "
          f"{snaps * snap / bare:+.1%} of the bare loop (the model's own forward passes alone: {snaps * plain / bare:+.1%})")
    print(f"saved trace: {size / 1e6:.1f} MB ({snaps} snapshots of {trace.arch.sizes[1:]} float32 outputs on "
          f"{n + n_test} points = {per / 1e6:.2f} MB each), written in {saved:.2f} s")
    print(f"recording overhead {overhead:+.1%}: {'PASS' if overhead < CNN_GOAL else 'FAIL'} (goal < {CNN_GOAL:.0%})\n")
    return {"bare loop (CNN)": (bare, "s"), "with Recorder (CNN)": (recorded, "s"),
            "recording overhead (CNN)": (overhead * 100, "%"), "trace file (CNN)": (size / 1e6, "MB")}


if __name__ == "__main__":
    main()
