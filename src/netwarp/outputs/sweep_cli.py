"""``netwarp sweep``: the grid from flags, a progress bar, the table, the phase diagram and its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import NetwarpError

AXIS_FLAGS = ("hidden", "activation", "seed")  # given as --widths/--depths, --activations, --seeds


def _list(kind):
    def parse(text: str):
        try:
            return [kind(v) for v in text.split(",") if v.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}") from None

    return parse


def register(sub: argparse._SubParsersAction, add_training_args) -> None:
    """Add ``sweep`` to the subparsers ``sub``; ``add_training_args(parser, exclude=)`` adds the
    shared run settings' flags (passed in: the top-level CLI owns them, and imports this module)."""
    p = sub.add_parser("sweep", help="train a grid of networks and draw the phase diagram of what works")
    p.add_argument("--widths", type=_list(int), default=[1, 2, 3, 4], help="units in every hidden layer, e.g. 1,2,3,4 (default)")
    p.add_argument("--depths", type=_list(int), default=[1, 2, 3], help="numbers of hidden layers, e.g. 1,2,3 (default)")
    p.add_argument("--activations", type=_list(str), default=["tanh"], help="e.g. tanh,relu (default: tanh)")
    p.add_argument("--lrs", type=_list(float), help="learning rates to sweep (default: --lr)")
    p.add_argument("--seeds", type=int, default=5, help="runs per cell, seeds 0..N-1 (default: 5)")
    add_training_args(p, exclude=AXIS_FLAGS)
    p.add_argument("--out", "-o", type=Path, required=True, help="the sweep's folder (created; rerunning skips finished runs)")
    p.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    p.add_argument("--scheduler", help="train on a Dask distributed cluster instead: tcp://HOST:PORT of its scheduler")
    p.add_argument("--yes", action="store_true", help="run a grid of more than 1000 runs")
    p.add_argument("--memory", type=float, metavar="MB",
                   help="megabytes the sweep may use here, and each run on a cluster's worker (default: half the "
                        "machine's memory); the largest network times the runs at once is estimated first")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..settings import SETTINGS
    from ..sweeps import SweepInterrupted, sweep
    from .phase import write_sweep_report

    shared = {s.name: getattr(args, s.name) for s in SETTINGS.values() if s.cli and s.name not in AXIS_FLAGS}
    shared = {k: v for k, v in shared.items() if v is not None}
    try:
        result = sweep(args.out, args.widths, args.depths, args.activations, args.lrs, args.seeds, workers=args.workers,
                       scheduler=args.scheduler, yes=args.yes, progress=not args.quiet, memory=args.memory,
                       **shared)
    except SweepInterrupted as stop:
        print(f"netwarp: {stop}", file=sys.stderr)
        return 130
    if not result.rows:
        raise NetwarpError("no run finished")
    report = write_sweep_report(result)
    print(f"{result.ran} run(s) trained, {result.skipped} already done; {len(result.rows)} in {result.folder / 'results.csv'}")
    print(f"saved {result.folder / 'phase.png'} and {report}")
    return 0
