"""Compact inline cards for notebooks: a Trace's picture (decision field or fit),
its training curves, its architecture and final metrics; a sweep's phase diagram."""

from __future__ import annotations

import base64
import html
import weakref

from .. import display, views
from ..render.charts import plot_curves, plot_fit
from ..render.figure import figure_bytes, new_figure
from ..render.plots import plot_field
from ..trace import Trace

_PNG: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # trace -> (its snapshot count, the card's PNG)


def trace_png(trace: Trace) -> bytes | None:
    """The card's picture: the decision field (2D classifier) or the fit (1D curve) next to
    the training curves; the curves alone for other data. None for an empty trace."""
    if not len(trace):
        return None
    known = _PNG.get(trace)
    if known is not None and known[0] == len(trace):
        return known[1]
    c = views.training_curves(trace)
    task, n_in = trace.arch.task, trace.arch.sizes[0]
    picture = (task == "classification" and n_in == 2) or (task == "regression" and n_in == 1)
    fig, axes = new_figure(760 if picture else 420, 340, ncols=2 if picture else 1)
    if task == "classification" and n_in == 2:
        f = views.decision_field(trace, resolution=120)
        plot_field(axes[0], xs=f.xs, ys=f.ys, probs=f.probs, points=trace.X_train, labels=trace.y_train,
                   title=f"step {trace.snapshot(-1).step}")
    elif picture:
        cv = views.regression_curve(trace)
        plot_fit(axes[0], x=trace.X_train[:, 0], y=trace.y_train, xs=cv.xs, yhat=cv.yhat, knots=cv.knots,
                 title=f"step {trace.snapshot(-1).step}")
    plot_curves(axes[-1], **c, title="training")
    png = figure_bytes(fig)
    _PNG[trace] = (len(trace), png)
    return png


def trace_html(trace: Trace) -> str:
    """The card as HTML: the picture, the network, the data and the final metrics."""
    name = f"{views.net_name(trace)} {trace.arch.activation}"
    rows = [("network", f"{name} ({trace.arch.task}, {trace.arch.n_params} parameters)"),
            ("data", trace.data_description),
            ("status", trace.status)]
    png = trace_png(trace)
    if png is None:
        rows.append(("snapshots", "none yet"))
    else:
        s = trace.snapshot(-1)
        rows.append(("snapshots", f"{len(trace)} (steps {trace.snapshot(0).step}..{s.step})"))
        if trace.arch.task == "classification":
            rows.append(("final", f"accuracy {s.train_acc:.1%} train / {s.test_acc:.1%} test; "
                                  f"loss {s.train_loss:.4f} / {s.test_loss:.4f}"))
        else:
            rows.append(("final", f"MSE {s.train_loss:.4f} train / {s.test_loss:.4f} test"))
    table = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{k}</th><td style='text-align:left'>"
                    f"{html.escape(str(v))}</td></tr>" for k, v in rows)
    img = f"<img alt='{html.escape(name)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>" if png else ""
    return f"<div class='netwarp-card'><b>netwarp Trace</b>{img}<table>{table}</table></div>"


def sweep_png(result) -> bytes | None:
    """A sweep's phase diagram."""
    from .phase import phase_figure

    return figure_bytes(phase_figure(result, size=760)) if result.rows else None


display.register("trace", "png", trace_png)
display.register("trace", "html", trace_html)
display.register("sweep", "png", sweep_png)
