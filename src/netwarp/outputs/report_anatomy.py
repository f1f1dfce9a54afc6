"""The report's sections on the network itself: shapes, algebra and code; the diagram;
weights and gradients over training; the diagnostics. Each with its "(?)" explanation."""

from __future__ import annotations

import shlex
from html import escape
from pathlib import Path

from .. import views
from ..render.figure import figure_bytes
from ..render.html import Page
from ..trace import Trace
from .anatomy import code_figure, diagram_figure, gradients_figure, weights_figure


def explain(page: Page, view: str) -> None:
    """A "(?)" that opens the view's explanation (from :data:`netwarp.views.HELP`)."""
    title, text = views.help_text(view)
    page.raw(f'<details class="help"><summary>(?) {escape(title)}</summary><p>{escape(text)}</p></details>')


def code_command(source: str | Path | None) -> str:
    """The command that writes this network's code to a file: ``netwarp code FILE -o forward.py``
    with the trace file the report was made from (a placeholder when it was made from memory)."""
    name = shlex.quote(str(source)) if source is not None else "TRACE.npz"
    return f"netwarp code {name} -o forward.py"


def anatomy_sections(page: Page, trace: Trace, source: str | Path | None = None) -> None:
    """Append the anatomy sections to ``page``; ``source``: the trace file, for the commands shown."""
    page.heading("The network: shapes, algebra, code")
    explain(page, "code")
    page.figures([(figure_bytes(code_figure(trace, size=1060)), "png",
                   "Each weight matrix has one colour in the blocks, the algebra and the code.")])
    where = "" if source is not None else " (TRACE.npz: the file this trace was saved to)"
    page.raw(f"<details><summary>numpy code of this network (runs on its own; <code>{escape(code_command(source))}</code> "
             f"writes it to a file{escape(where)})</summary>"
             f"<pre>{escape(views.forward_code(trace))}</pre></details>")
    page.heading("Network diagram")
    explain(page, "diagram")
    page.figures([(figure_bytes(diagram_figure(trace, size=1000)), "png", "Weights and biases at the last step.")])
    page.heading("Weights over training")
    explain(page, "weights")
    conv = views.convergence(trace)
    page.paragraph(conv.sentence)
    page.figures([(figure_bytes(weights_figure(trace, size=1060)), "png", conv.sentence)])
    page.heading("Gradient flow")
    explain(page, "gradients")
    page.figures([(figure_bytes(gradients_figure(trace)), "png", "Per-layer gradient norms on the training points.")])
    page.heading("Diagnostics")
    explain(page, "diagnostics")
    findings = views.diagnose(trace)
    if not findings:
        page.note("No problem found: no dead or saturated unit, gradients flow, the loss settles, and test follows train.")
    else:
        page.table([(f.kind, "" if f.layer is None else f.layer, "" if f.unit is None else f.unit, f.message) for f in findings],
                   header=("finding", "layer", "unit", "what it means and what to try"))
