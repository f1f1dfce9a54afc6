"""The ``netwarp`` command line.

Every subcommand lives in a function ``cmd_<name>(args) -> int``; bad input
raises :class:`NetwarpError`, which :func:`main` prints as one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NetwarpError, SnapshotsThinned, TrainingDiverged, TrainingInterrupted
from .settings import SETTINGS, check_settings

if TYPE_CHECKING:
    from .trace import Trace


class _Parser(argparse.ArgumentParser):
    """The parser of ``netwarp`` and of every subcommand: one-line errors, and no
    abbreviated flags (``--seed 3`` must not quietly mean ``--seeds 3``)."""

    def __init__(self, *args, **kwargs):
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # one line, not usage + error
        raise NetwarpError(f"{message} (see '{self.prog} --help')")


def _hidden(text: str) -> list[int]:
    if text.strip().lower() in ("", "none", "linear"):
        return []
    try:
        return [int(p) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--hidden takes widths like 8,8 (or 'none'), got {text!r}") from None


def _names(text: str) -> str | list[str]:
    # "tanh" is one activation for every hidden layer, "tanh,relu" one per hidden layer; checked later
    parts = [p.strip() for p in text.split(",")]
    return parts[0] if len(parts) == 1 else parts


_CLI_TYPES = {"int": int, "float": float, "widths": _hidden, "path": Path, "text": str}
MEMORY_HELP = ("megabytes a run may use (default: half this machine's memory); the run's memory is estimated "
               "from its settings and a larger one refused before it starts")


def add_training_args(p: argparse.ArgumentParser, exclude: tuple[str, ...] = ()) -> None:
    """The run settings as flags, one per row of :data:`netwarp.settings.SETTINGS` (but those in ``exclude``)."""
    groups: dict[str, argparse._MutuallyExclusiveGroup] = {}
    for s in SETTINGS.values():
        if not s.cli or s.name in exclude:
            continue
        target = p
        if s.cli_group:
            if s.cli_group not in groups:
                groups[s.cli_group] = p.add_mutually_exclusive_group()
            target = groups[s.cli_group]
        # a dataset's own option stays unset unless given, so the Trace records only what was asked for
        dflt = None if s.datasets else s.default
        kw: dict = {"dest": s.name, "help": s.help + (f" (default: {_shown(dflt)})" if dflt is not None else "")}
        if s.kind == "bool":
            kw.update(action="store_true", default=bool(dflt))
        elif s.kind == "choice" and s.per_layer:
            kw.update(default=dflt, type=_names, metavar="{" + ",".join(s.choices) + "}[,...]")
        elif s.kind == "choice":
            kw.update(default=dflt, choices=list(s.choices))
        else:
            kw.update(default=dflt, type=_CLI_TYPES[s.kind])
        target.add_argument(s.cli_flag, **kw)


def _shown(v: object) -> str:
    return ",".join(map(str, v)) if isinstance(v, list) else str(v)


def train_from_args(args: argparse.Namespace, progress: bool = True) -> Trace:
    """Load or generate the data named by ``args`` and train; returns the Trace."""
    from .data import build_data
    from .train import train

    given = {s.name: getattr(args, s.name) for s in SETTINGS.values() if s.cli}
    values = check_settings(given)
    X, y, task, data = build_data(values)
    run = {k: values[k] for k in ("hidden", "activation", "steps", "lr", "optimizer", "seed", "batch_size", "l1", "l2",
                                  "test_size", "snapshots", "record_every")}
    return train(X, y, **run, task=task, progress=progress, data=data, memory=getattr(args, "memory", None))


def cmd_train(args: argparse.Namespace) -> int:
    from .atomic import beside, check_writable, write_or_rescue

    out = args.out
    # checked before training, by a real test write, so a bad path cannot cost the run
    if out.suffix.lower() != ".npz":
        raise NetwarpError(f"cannot write {out}: a trace file ends in .npz")
    check_writable(out)
    interrupted = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore", TrainingDiverged)  # reported below, after saving
        warnings.simplefilter("always", SnapshotsThinned)
        try:
            trace = train_from_args(args, progress=not args.quiet)
        except TrainingInterrupted as stop:
            trace, interrupted = stop.trace, True
    for w in caught:
        print(f"netwarp: note: {w.message}", file=sys.stderr)
    target, kept_earlier = out, ""
    if trace.status != "complete" and os.path.lexists(out):
        # a partial run never replaces a file already there (most often the last complete run)
        target = beside(out, trace.status)
        kept_earlier = f"{out} was left as it was; "
    written, problem = write_or_rescue(target, trace.save) if len(trace) else (None, None)
    print(trace.summary())
    if problem:
        print(f"netwarp: error: {problem}", file=sys.stderr)
    where = f"{kept_earlier}saved what was kept to {written}" if written else "nothing was saved"
    if interrupted:
        print(f"netwarp: {trace.message}; {where}", file=sys.stderr)
        return 130
    if trace.status == "diverged":
        print(f"netwarp: error: {trace.message}; {where}", file=sys.stderr)
        return 1
    if problem:
        return 1
    print(f"saved {out}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .trace import load_trace

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
    p.add_argument("--memory", type=float, metavar="MB", help=MEMORY_HELP)
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
    from .lessons.cli import register as register_lesson

    register_lesson(sub)
    from .outputs.sweep_cli import register as register_sweep

    register_sweep(sub, add_training_args)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (2 for bad input, 1 for a failed run, 130 when interrupted)."""
    previous = _stop_on_sigterm()
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except NetwarpError as e:
        print(f"netwarp: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a file-system failure not foreseen above: still one line
        print(f"netwarp: error: {e.strerror or e}" + (f": {e.filename}" if e.filename else ""), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netwarp: interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm():
    """Make SIGTERM stop like Ctrl-C, so runs are saved and half-written files removed; returns the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":
    sys.exit(main())
