"""What the views of a recorded model cost: the separating view and the probes of a small CNN on
scikit-learn's 8x8 digits (conv 8x3x3 -> ReLU -> maxpool -> fc1 32 -> ReLU -> out 10), recorded by
its ``pool`` (128 wide) and ``fc1`` (32 wide) layers every 20 steps of 400 (21 snapshots; 1347
training and 450 test digits), or a trace given as ``--trace run.npz``.

For each recorded layer, the best of ``--repeats`` runs of

  (a) ``fit_separating_basis`` at the last snapshot, and over 8 snapshots spread over the run,
  (b) ``separating_projection`` with its own view, and on the steady view of (a),
  (c) one snapshot's ``probe_accuracies`` (every layer),

and, for the alternative a user would reach for, the same probe fitted by scikit-learn on
numpy's inherited BLAS threads (netwarp fits it on the threads ``netwarp.threads`` picks: one).

Run:  python bench/bench_recorded_views.py [--trace run.npz] [--load N]   (about a minute)
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import netwarp
from load import add_option, side_by_side
from netwarp import views
from netwarp.views.probes import fit_probe, linear_probe


def record_cnn() -> netwarp.Trace:
    """The digits CNN of the module notes, trained full-batch with Adam and recorded."""
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from netwarp.torch import Recorder
    from netwarp.torch.examples import DigitsCNN

    nn = torch.nn

    d = load_digits()
    X, Xt, y, yt = train_test_split((d.data / 16).astype(np.float32).reshape(-1, 1, 8, 8), d.target,
                                    test_size=450, random_state=0)
    torch.manual_seed(0)
    model = DigitsCNN()  # conv 8 maps -> pool (128) -> fc1 (32) -> out
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    with Recorder(model, X, y, Xt, yt, layers=["pool", "fc1"], every=20) as rec:
        for step in range(401):
            rec.record(step)
            loss = nn.functional.cross_entropy(model(torch.tensor(X)), torch.as_tensor(y))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return rec.trace


def best(f, repeats: int) -> float:
    out = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        out = min(out, time.perf_counter() - t0)
    return out


def layer_figures(t: netwarp.Trace, layer: int, spread: np.ndarray, repeats: int) -> dict[str, float]:
    """Seconds for each view of one recorded layer (the module notes' (a), (b), and one probe both ways)."""
    H = t.layer_outputs(t.X_train)[layer]
    basis = views.fit_separating_basis(t, layer, snapshots=spread)
    return {
        "fit_separating_basis, last snapshot": best(lambda: views.fit_separating_basis(t, layer), repeats),
        f"fit_separating_basis, {len(spread)} snapshots": best(
            lambda: views.fit_separating_basis(t, layer, snapshots=spread), repeats),
        "separating_projection, own view": best(lambda: views.separating_projection(t, layer), repeats),
        "separating_projection, steady view": best(
            lambda: views.separating_projection(t, layer, len(t) // 2, basis=basis), repeats),
        "one probe (netwarp's threads)": best(lambda: fit_probe(H, t.y_train), repeats),
        "one probe (inherited threads)": best(lambda: linear_probe().fit(H, t.y_train), repeats),
    }


def run(t: netwarp.Trace, repeats: int) -> dict:
    spread = views.spread_snapshots(t, 8)
    out = {}
    print(f"{t.arch.sizes} recorded as {', '.join(t.layer_names)}; {len(t.X_train)} training points, {len(t)} snapshots")
    for layer, name in enumerate(t.layer_names, start=1):
        figures = layer_figures(t, layer, spread, repeats)
        print(f"layer {layer} ({name}, {t.arch.sizes[layer]} wide):")
        for what, s in figures.items():
            print(f"  {what:<40}{s:8.3f} s")
            out[f"{name}: {what}"] = (s, "s")
        ratio = figures["one probe (inherited threads)"] / figures["one probe (netwarp's threads)"]
        print(f"  inherited threads / netwarp's: {ratio:.1f}x")
    s = best(lambda: views.probe_accuracies(t), repeats)
    print(f"probe_accuracies, one snapshot (every layer): {s:.3f} s\n")
    out["probe_accuracies"] = (s, "s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trace", default=None, help="a recorded trace file (default: record the digits CNN)")
    ap.add_argument("--repeats", type=int, default=3)
    add_option(ap)
    args = ap.parse_args()
    t = netwarp.load_trace(args.trace) if args.trace else record_cnn()
    if t.has_weights:
        raise SystemExit("bench_recorded_views: give a trace recorded by its layers (netwarp.torch.Recorder(layers=...))")
    side_by_side(lambda: run(t, args.repeats), args.load)


if __name__ == "__main__":
    main()
