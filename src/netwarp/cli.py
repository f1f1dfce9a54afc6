"""The ``netwarp`` command line.

Every subcommand lives in a function ``cmd_<name>(args) -> int``; bad input
raises :class:`NetwarpError`, which :func:`main` prints as one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .activations import ACTIVATIONS
from .datasets import DATASETS
from .errors import NetwarpError, TrainingDiverged
from .optim import OPTIMIZERS

if TYPE_CHECKING:
    from .trace import Trace


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + error
        raise NetwarpError(f"{message} (see '{self.prog} --help')")


def _hidden(text: str) -> list[int]:
    if text.strip().lower() in ("", "none", "linear"):
        return []
    try:
        return [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--hidden takes widths like 8,8 (or 'none'), got {text!r}") from None


def add_training_args(p: argparse.ArgumentParser) -> None:
    """The data and network options shared by ``train`` and the playground."""
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", default="spiral", choices=list(DATASETS), help="built-in dataset (default: spiral)")
    src.add_argument("--csv", type=Path, help="your own data: rows x1,x2,label (classification) or x,y (regression)")
    p.add_argument("--n", type=int, help="number of points (default: the dataset's)")
    p.add_argument("--noise", type=float, help="noise level (default: the dataset's)")
    p.add_argument("--arms", type=int, help="spiral arms (classes)")
    p.add_argument("--classes", type=int, help="blobs classes")
    p.add_argument("--hidden", type=_hidden, default=[8, 8], help="hidden widths, e.g. 8,8; 'none' for a linear model")
    p.add_argument("--activation", default="tanh", choices=list(ACTIVATIONS))
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--lr", type=float, default=0.03, help="learning rate")
    p.add_argument("--optimizer", default="adam", choices=list(OPTIMIZERS))
    p.add_argument("--batch-size", type=int, help="mini-batch size (default: full batch)")
    p.add_argument("--l1", type=float, default=0.0)
    p.add_argument("--l2", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0, help="seeds the data, the split and the initialisation")
    p.add_argument("--test-size", type=float, default=0.25)
    p.add_argument("--snapshots", type=int, default=100, help="snapshots to record (log-spaced)")
    p.add_argument("--record-every", type=int, help="record every K steps instead")


def train_from_args(args: argparse.Namespace, progress: bool = True) -> Trace:
    """Load or generate the data named by ``args`` and train; returns the Trace."""
    from .datasets import make_dataset
    from .train import train
    from .userdata import load_csv

    if args.csv is not None:
        X, y, task = load_csv(args.csv)
        data = {"source": f"csv:{args.csv.name}"}
    else:
        opts = {k: getattr(args, k) for k in ("arms", "classes") if getattr(args, k) is not None}
        X, y = make_dataset(args.data, n=args.n, noise=args.noise, seed=args.seed, **opts)
        task = DATASETS[args.data].task
        data = {"dataset": args.data, "n": len(X), "noise": args.noise if args.noise is not None else DATASETS[args.data].noise, "seed": args.seed, **opts}
    return train(
        X,
        y,
        hidden=args.hidden,
        activation=args.activation,
        steps=args.steps,
        lr=args.lr,
        optimizer=args.optimizer,
        seed=args.seed,
        batch_size=args.batch_size,
        l1=args.l1,
        l2=args.l2,
        task=task,
        test_size=args.test_size,
        snapshots=args.snapshots,
        record_every=args.record_every,
        progress=progress,
        data=data,
    )


def cmd_train(args: argparse.Namespace) -> int:
    out = args.out
    # checked before training, so a bad path cannot cost the run
    if out.suffix.lower() != ".npz":
        raise NetwarpError(f"cannot write {out}: a trace file ends in .npz")
    if out.is_dir():
        raise NetwarpError(f"cannot write {out}: it is a folder")
    if out.parent and not out.parent.is_dir():
        raise NetwarpError(f"cannot write {out}: folder {out.parent} does not exist")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDiverged)  # reported below, after saving
        trace = train_from_args(args, progress=not args.quiet)
    if len(trace):
        trace.save(out)
    print(trace.summary())
    if trace.status == "diverged":
        where = f"saved what was kept to {out}" if len(trace) else "nothing was saved"
        print(f"netwarp: error: {trace.message}; {where}", file=sys.stderr)
        return 1
    print(f"saved {out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .tracefile import load_trace

    print(load_trace(args.trace).summary())
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .outputs.cli import cmd_demo as run_demo

    return run_demo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netwarp", description="See how a neural network warps space as it learns.")
    parser.add_argument("--version", action="version", version=f"netwarp {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("train", help="train a network and save its Trace")
    add_training_args(p)
    p.add_argument("--out", "-o", type=Path, default=Path("run.npz"), help="trace file to write (default: run.npz)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("info", help="describe a saved Trace")
    p.add_argument("trace", type=Path)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("demo", help="train and show the gallery of what networks do to space")
    p.set_defaults(func=cmd_demo)
    from .web.cli import register as register_web  # the playground adds its own `serve`

    register_web(sub)
    from .outputs.cli import register as register_render  # plot, animate, report, gallery

    register_render(sub)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2 for bad input, 1 for a failed run)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except NetwarpError as e:
        print(f"netwarp: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netwarp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
