"""``netwarp code`` (the network as runnable numpy or PyTorch source) and
``netwarp diagnose`` (what is wrong with a run, by layer and unit)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import NetwarpError


def cmd_code(args: argparse.Namespace) -> int:
    from ..atomic import atomic_output, check_writable
    from ..trace import load_trace
    from ..views import forward_code

    if args.out is not None:  # checked before the trace is read, like every output
        if args.out.suffix != ".py":
            raise NetwarpError(f"cannot write {args.out}: the code goes in a .py file")
        check_writable(args.out)
    source = forward_code(load_trace(args.trace), args.snapshot, args.lang)
    if args.out is None:
        print(source, end="")
        return 0
    with atomic_output(args.out) as tmp:
        tmp.write_text(source)
    print(f"saved {args.out}")
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    from ..trace import load_trace
    from ..views import diagnose, nothing_found

    trace = load_trace(args.trace)
    findings = diagnose(trace, args.snapshot)
    if not findings:
        print(nothing_found(trace))
    for f in findings:
        where = "" if f.layer is None else f" [layer {f.layer}" + ("" if f.unit is None else f", unit {f.unit}") + "]"
        print(f"{f.kind}{where}: {f.message}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``code`` and ``diagnose`` to the subparsers ``sub``."""
    p = sub.add_parser("code", help="write the network's forward pass as runnable Python, weights included")
    p.add_argument("trace", type=Path, help="a trace file from 'netwarp train'")
    p.add_argument("--lang", default="numpy", choices=["numpy", "torch"], help="numpy (default) or torch.nn")
    p.add_argument("--snapshot", type=int, default=-1, help="which snapshot (default: -1, the last)")
    p.add_argument("--out", "-o", type=Path, help="a .py file (default: print it)")
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("diagnose", help="what is wrong with a run, naming the layer and unit")
    p.add_argument("trace", type=Path, help="a trace file from 'netwarp train'")
    p.add_argument("--snapshot", type=int, default=-1, help="which snapshot (default: -1, the last)")
    p.set_defaults(func=cmd_diagnose)
