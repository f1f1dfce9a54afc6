"""``netwarp lesson``: list the built-in lessons, check a teacher's lesson file."""

from __future__ import annotations

import argparse

from ..errors import NetwarpError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``lesson`` subcommand to the CLI's subparsers."""
    p = subparsers.add_parser("lesson", help="list the built-in lessons or check a lesson file (see 'serve --lesson')")
    p.add_argument("--list", action="store_true", help="name the built-in lessons")
    p.add_argument("action", nargs="?", choices=["check"], help="check: report each problem of FILE on one line")
    p.add_argument("file", nargs="?", help="a lesson file (.toml)")
    p.set_defaults(func=cmd_lesson)


def cmd_lesson(args: argparse.Namespace) -> int:
    """List the built-ins, or check a file: one line per problem, exit 1 if there are any."""
    from . import builtin_names, check_file, load_lesson

    if args.list:
        for name in builtin_names():
            print(f"{name}: {load_lesson(name).title}")
        return 0
    if args.action != "check" or not args.file:
        raise NetwarpError("say 'netwarp lesson --list' or 'netwarp lesson check FILE'")
    problems = check_file(args.file)
    for line in problems:
        print(f"{args.file}: {line}")
    return 1 if problems else 0
