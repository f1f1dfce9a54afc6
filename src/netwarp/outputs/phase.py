"""A sweep's phase diagram as a figure, and its HTML report linking every cell to its runs."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from ..atomic import atomic_output
from ..errors import NetwarpError
from ..render.figure import figure_bytes, new_figure
from ..render.phase_plot import plot_phase
from ..sweeps.phase import phases
from ..sweeps.run import SweepResult, load_sweep
from ..sweeps.store import SweepFolder
from ..trace import Trace, load_trace
from ..views.topology import width_bound


def _context(result: SweepResult) -> tuple[str | None, float, Trace]:
    shared = SweepFolder(result.folder).read_shared() or {}
    dataset = shared.get("dataset") if not shared.get("csv") else None
    first = load_trace(result.folder / result.rows[0]["trace"])
    chance = 1.0 / first.n_classes if first.arch.task == "classification" else 0.0
    return dataset, chance, first


def phase_figure(result: SweepResult | str | Path, size: int = 1000):
    """The phase diagram: one panel per activation, median test accuracy over seeds
    on the width x depth grid with its range, and the topology bound where the data
    has one. Returns a matplotlib Figure."""
    result = load_sweep(result) if not isinstance(result, SweepResult) else result
    if not result.rows:
        raise NetwarpError(f"{result.folder} has no finished run yet: nothing to draw")
    dataset, chance, first = _context(result)  # the bound is measured on the sweep's own points
    panels = phases(result.rows)
    height = int(size * 0.62)
    fig, axes = new_figure(size * len(panels), height, ncols=len(panels))
    for ax, p in zip(axes, panels):
        seeds = int(p.count.max())
        title = f"{dataset or 'your data'}, {p.activation}: median test accuracy of {seeds} run(s) per cell"
        plot_phase(ax, p.widths, p.depths, p.median, p.low, p.high, title, chance, width_bound(first, p.activation))
    return fig


def write_sweep_report(result: SweepResult | str | Path, pictures: bool = True) -> Path:
    """Write ``index.html`` (and ``phase.png``, and a picture per run) into the sweep's folder.

    Each cell of the table links to its runs: a picture of each (decision field
    or fit) and its trace file, which every netwarp command opens.
    """
    from .figures import plot  # the per-run pictures: the picture `netwarp plot` draws by default

    result = load_sweep(result) if not isinstance(result, SweepResult) else result
    fig = phase_figure(result)
    png = figure_bytes(fig)
    with atomic_output(result.folder / "phase.png") as tmp:  # whole or not at all; never into a FIFO
        tmp.write_bytes(png)
    dataset, _, first = _context(result)
    parts = [f"<h1>Sweep on {html.escape(dataset or 'your data')}: {len(result.rows)} runs</h1>",
             "<p>Each cell is a network shape: <b>width</b> units in each of <b>depth</b> hidden layers. "
             "Its colour and big number are the median test accuracy over its runs (seeds, learning rates); "
             "the small numbers the lowest and highest. Click a run to see it.</p>",
             f'<img alt="phase diagram" src="data:image/png;base64,{base64.b64encode(png).decode()}">']
    for p in phases(result.rows):
        bound = width_bound(first, p.activation)
        if bound:
            parts.append(f"<p class=note>Dashed line: {html.escape(bound[1])}.</p>")
        parts.append(f"<h2>{html.escape(p.activation)}</h2><table><tr><th>depth \\ width</th>"
                     + "".join(f"<th>{w}</th>" for w in p.widths) + "</tr>")
        for d in p.depths[::-1]:
            cells = []
            for w in p.widths:
                runs = sorted(p.runs.get((int(d), int(w)), []), key=lambda r: (r["lr"], r["seed"]))
                links = []
                for r in runs:
                    trace = result.folder / r["trace"]
                    pic = trace.with_suffix(".png")
                    if pictures and not pic.exists():
                        plot(load_trace(trace), pic, size=480)
                    label = f"seed {r['seed']}, lr {r['lr']:g}: {r['test_acc']:.0%}"
                    links.append(f'<a href="{html.escape(str(pic.relative_to(result.folder)))}" '
                                 f'title="netwarp serve {html.escape(str(trace))}">{html.escape(label)}</a> '
                                 f'<a class=npz href="{html.escape(r["trace"])}">.npz</a>')
                cells.append("<td>" + "<br>".join(links) + "</td>")
            parts.append(f"<tr><th>{d}</th>{''.join(cells)}</tr>")
        parts.append("</table>")
    page = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>netwarp sweep</title><style>"
            "body{font:16px system-ui,sans-serif;margin:24px;max-width:1400px}img{max-width:100%}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:6px;vertical-align:top;font-size:14px}"
            ".npz{color:#777;font-size:12px}.note{font-style:italic}</style></head><body>"
            + "".join(parts) + "</body></html>")
    out = result.folder / "index.html"
    with atomic_output(out) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return out
