"""The drawing subcommands (was ``netwarp.cli_render``): ``plot``, ``animate``, ``report``, ``gallery`` (and ``demo``).

:func:`register` adds them to the ``netwarp`` parser. Every argument is checked
(output extension and folder, layer, snapshot, sizes) before any drawing, and
outputs are written atomically, so bad input never leaves a half-written file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEMO_DIR = Path("netwarp-demo")


def cmd_plot(args: argparse.Namespace) -> int:
    from ..render.figure import use_offscreen_backend
    from ..render.output import check_output
    from ..trace import load_trace
    from .figures import plot

    use_offscreen_backend()
    check_output(args.out, "image")
    trace = load_trace(args.trace)
    choose = {k: getattr(args, k) for k in ("index", "digit", "versus", "to_index", "to_digit")}
    path = plot(trace, args.out, args.what, args.layer, args.snapshot, args.size, args.projection, **choose)
    print(f"saved {path}")
    return 0


def cmd_animate(args: argparse.Namespace) -> int:
    from ..render.output import check_output
    from ..trace import load_trace
    from .animate import animate

    check_output(args.out, "animation")
    trace = load_trace(args.trace)
    path = animate(trace, args.out, args.kind, args.frames, args.size, args.layer, args.snapshot, args.fps, progress=not args.quiet,
                   projection=args.projection)
    print(f"saved {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..render.figure import use_offscreen_backend
    from ..render.output import check_output
    from ..trace import load_trace
    from .report import write_report

    use_offscreen_backend()
    check_output(args.out, "report")
    trace = load_trace(args.trace)
    path = write_report(trace, args.out, progress=not args.quiet, source=args.trace)
    print(f"saved {path}")
    return 0


def cmd_gallery(args: argparse.Namespace) -> int:
    from .gallery import run_gallery

    index = run_gallery(args.out, progress=not args.quiet)
    print(f"gallery written to {index.parent}/; open {index}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``netwarp demo``: the gallery into ``./netwarp-demo/``, ending with the report's path."""
    import time

    from .gallery import run_gallery

    t0 = time.perf_counter()
    index = run_gallery(DEMO_DIR, progress=True)
    print(f"netwarp demo finished in {time.perf_counter() - t0:.0f} s; open the report: {index.resolve()}")
    return 0


def _layer_help(what: str) -> str:
    from ..views import layer_name

    # the one layer naming convention (views.naming): 0 is the input, L the output logits
    return f"{what} (0 is the {layer_name(0, 1)}, the last is the {layer_name(1, 1)}; default: the last hidden layer)"


def _projection_arg(p: argparse.ArgumentParser) -> None:
    from .layer_view import PROJECTIONS

    p.add_argument("--projection", default="separating", choices=PROJECTIONS,
                   help="how a layer wider than 3 is flattened: along the classes' split with the separating line drawn (default), or PCA")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``plot``, ``animate``, ``report`` and ``gallery`` to the subparsers ``sub``."""
    from .animate import KINDS
    from .figures import WHATS

    p = sub.add_parser("plot", help="draw a picture of a saved Trace (PNG or SVG)")
    p.add_argument("trace", type=Path, help="a trace file from 'netwarp train'")
    p.add_argument("--out", "-o", type=Path, required=True, help="output .png or .svg")
    p.add_argument("--what", default="auto", choices=WHATS, help="which picture (default: a layer if --layer is given, else the decision field or fit)")
    p.add_argument("--layer", type=int, help=_layer_help("draw this layer's space"))
    p.add_argument("--snapshot", type=int, default=-1, help="which snapshot (default: -1, the last)")
    p.add_argument("--size", type=int, help="width in pixels")
    _projection_arg(p)
    g = p.add_argument_group("which images (digits views)")
    g.add_argument("--index", type=int, help="a test image by number (digit, path, saliency)")
    g.add_argument("--digit", type=int, help="a class: its first test image, or the class a saliency scores")
    g.add_argument("--versus", type=int, help="saliency of --digit rather than this class")
    g.add_argument("--to-index", dest="to_index", type=int, help="path: the test image to go to")
    g.add_argument("--to-digit", dest="to_digit", type=int, help="path: the class to go to (its first test image)")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("animate", help="animate a saved Trace (GIF or MP4)")
    p.add_argument("trace", type=Path, help="a trace file from 'netwarp train'")
    p.add_argument("--out", "-o", type=Path, required=True, help="output .gif or .mp4")
    p.add_argument("--kind", default="training", choices=KINDS,
                   help="training over time, the layer morph, a 3-wide layer turning, or the diagram's weights over training")
    p.add_argument("--frames", type=int, help="number of frames")
    p.add_argument("--size", type=int, help="width in pixels")
    p.add_argument("--layer", type=int, help=_layer_help("the layer to show"))
    p.add_argument("--snapshot", type=int, default=-1, help="snapshot for morph and rotate (default: -1, the last)")
    p.add_argument("--fps", type=float, default=12.0, help="frames per second (default: 12)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    _projection_arg(p)
    p.set_defaults(func=cmd_animate)

    p = sub.add_parser("report", help="write a self-contained HTML report of a saved Trace")
    p.add_argument("trace", type=Path, help="a trace file from 'netwarp train'")
    p.add_argument("--out", "-o", type=Path, required=True, help="output .html")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("gallery", help="train and draw the gallery into a folder")
    p.add_argument("--out", "-o", type=Path, required=True, help="output folder (created if missing)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_gallery)

    from .anatomy_cli import register as register_anatomy

    register_anatomy(sub)
