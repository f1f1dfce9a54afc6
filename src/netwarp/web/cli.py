"""``netwarp serve``: the web playground from the command line."""

from __future__ import annotations

import argparse
import secrets
import threading
import webbrowser
from pathlib import Path

from ..errors import NetwarpError
from .budget import MB, TAB_MB, TOTAL_MB, MemoryBudget


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand to the CLI's subparsers."""
    p = subparsers.add_parser("serve", help="open the web playground (train, scrub, morph, edit weights live)")
    p.add_argument("trace", nargs="?", type=Path, help="a saved run (.npz) to replay instead of training")
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--open", action="store_true", help="open the page in a web browser")
    p.add_argument("--lesson", metavar="NAME|FILE",
                   help="open the playground with a lesson: a built-in (see 'netwarp lesson --list') or a .toml file")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name the page may be reached under besides the address (repeatable)")
    p.add_argument("--tab-memory", type=int, default=TAB_MB, metavar="MB",
                   help=f"memory one tab may use, estimated from its set-up before it is built; larger set-ups are "
                        f"refused with a message in the page (default: {TAB_MB} MB, enough for the largest the page allows)")
    p.add_argument("--memory", type=int, default=TOTAL_MB, metavar="MB",
                   help=f"memory all tabs together may use; a tab that would pass it is refused (default: {TOTAL_MB} MB)")
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help="BLAS threads per matrix product; the compute pool gets cores // N threads, so the two never "
                        "oversubscribe the cores (default: $NETWARP_THREADS, else 1)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the playground until interrupted."""
    from . import pool
    from .app import LOOPBACK, create_app
    from .server import make_server

    if not 0 <= args.port <= 65535:
        raise NetwarpError(f"--port must be from 0 to 65535, got {args.port}")
    replay = None
    if args.trace is not None:
        from ..trace import load_trace

        replay = load_trace(args.trace)
        if not len(replay):
            raise NetwarpError(f"{args.trace}: this run has no snapshots to replay")
    lesson = None
    if args.lesson is not None:
        from ..lessons import load_lesson

        lesson = load_lesson(args.lesson)  # checked before the server starts: a bad file is one line
    if args.tab_memory < 64 or args.memory < args.tab_memory:
        raise NetwarpError(f"--tab-memory must be at least 64 MB and --memory at least --tab-memory, got {args.tab_memory} and {args.memory}")
    if args.threads is not None and not 1 <= args.threads <= 256:
        raise NetwarpError(f"--threads must be a whole number of threads from 1 to 256, got {args.threads}")
    budget = MemoryBudget(per_tab=args.tab_memory * MB, total=args.memory * MB)
    wildcard = args.host in ("0.0.0.0", "::")
    # a wildcard address answers to any name, so only a token stops a DNS-rebinding page there
    hosts = set(LOOPBACK) | set(args.allow_host) | ({"*"} if wildcard else {args.host})
    token = None if args.host in LOOPBACK else secrets.token_urlsafe(24)
    app = create_app(replay, args.trace.name if args.trace else "", hosts=hosts, token=token, budget=budget, threads=args.threads,
                     lesson=lesson)
    server = make_server(app, args.host, args.port)
    if token is not None:
        print(f"netwarp: warning: listening on {args.host}: other machines can reach this playground; "
              "it answers only requests that carry the access token in the URL below")

    def announce() -> None:
        # the port is known only once uvicorn has bound it (--port 0)
        while not server.started:
            if server.should_exit:
                return
            threading.Event().wait(0.05)
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
        shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
        url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/" + (f"?token={token}" if token else "")
        url += f"#lesson={lesson.name}&step=1" if lesson is not None else ""
        print(f"netwarp playground at {url} (Ctrl+C to stop; {pool.describe()})", flush=True)
        if args.open:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    return 0
