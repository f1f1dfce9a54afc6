"""Compact inline cards for notebooks: a Trace's picture (decision field or fit),
its training curves, its architecture and final metrics; a sweep's phase diagram."""

from __future__ import annotations

import base64
import html
import weakref
from typing import TYPE_CHECKING

from .. import display, views
from ..render.charts import plot_curves, plot_fit
from ..render.figure import figure_bytes, new_figure
from ..render.plots import plot_field
from ..trace import Trace
from ..views import layer_name
from .digits_figures import is_image_classifier
from .recorded_figures import is_recorded, recorded_layer_figure, recorded_names_phrase

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_PNG: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # trace -> (what it held when drawn, the card's PNG)


def headline(trace: Trace) -> tuple[str, str]:
    """The card's two lines of text: the network, and the last snapshot's metrics (the trace's own numbers)."""
    a = trace.arch
    net = f"{views.net_name(trace)} {a.activation_text} ({a.task}, {a.n_params} parameters) on {trace.data_description}"
    if is_recorded(trace):
        net = f"{trace.data_description}, recorded layers {', '.join(trace.layer_names)} (no weights)"
    s = trace.snapshot(-1)
    if a.task == "classification":
        return net, (f"step {s.step}: accuracy {s.train_acc:.1%} train / {s.test_acc:.1%} test; "
                     f"loss {s.train_loss:.4f} / {s.test_loss:.4f}")
    return net, f"step {s.step}: MSE {s.train_loss:.4f} train / {s.test_loss:.4f} test"


def card_figure(trace: Trace) -> Figure | None:
    """The card's picture: the decision field (2D classifier) or the fit (1D curve) at the
    last snapshot next to the training curves (the curves alone for other data), under the
    :func:`headline`. None for an empty trace.

    Parameters
    ----------
    trace : Trace

    Returns
    -------
    matplotlib.figure.Figure or None
    """
    if not len(trace):
        return None
    c = views.training_curves(trace)
    if is_recorded(trace):  # no plane, no weights: the last recorded layer along its probe's split
        fig, axes = new_figure(900, 460, ncols=2)
        recorded_layer_figure(trace, None, -1, ax=axes[0])
        axes[0].title.set_fontsize(9)
        plot_curves(axes[1], **c, title="training, from the recorded logits")
        fig.suptitle("\n".join(headline(trace)), fontsize=11)
        return fig
    task, n_in = trace.arch.task, trace.arch.sizes[0]
    table = task == "classification" and n_in != 2 and not is_image_classifier(trace)
    picture = (task == "classification" and n_in == 2) or (task == "regression" and n_in == 1) or table
    fig, axes = new_figure(800 if picture else 560, 380, ncols=2 if picture else 1)
    step = trace.snapshot(-1).step
    if task == "classification" and n_in == 2:
        f = views.decision_field(trace, resolution=120)
        plot_field(axes[0], xs=f.xs, ys=f.ys, probs=f.probs, points=trace.X_train, labels=trace.y_train,
                   title=f"decision field at step {step}")
    elif table:  # where we cannot look directly: the last hidden layer along its classes' split
        from .table_figures import table_layer_figure

        table_layer_figure(trace, max(trace.arch.n_layers - 1, 0), -1, ax=axes[0])
        axes[0].set_title(f"{layer_name(max(trace.arch.n_layers - 1, 0), trace.arch.n_layers)} along its split, step {step}",
                          fontsize=11)
    elif picture:
        cv = views.regression_curve(trace)
        plot_fit(axes[0], x=trace.X_train[:, 0], y=trace.y_train, xs=cv.xs, yhat=cv.yhat, knots=cv.knots,
                 title=f"the fit at step {step}")
    plot_curves(axes[-1], **c, title="training")
    fig.suptitle("\n".join(headline(trace)), fontsize=11)
    return fig


def trace_png(trace: Trace) -> bytes | None:
    """The card's picture (:func:`card_figure`) as PNG, drawn once per state of the trace."""
    if not len(trace):
        return None
    state = (trace.steps.tobytes(), trace.status)  # a growing or thinned trace is drawn again
    known = _PNG.get(trace)
    if known is not None and known[0] == state:
        return known[1]
    png = figure_bytes(card_figure(trace))
    _PNG[trace] = (state, png)
    return png


def trace_html(trace: Trace) -> str:
    """The card as HTML: the picture, the network, the data and the final metrics."""
    name = f"{views.net_name(trace)} {trace.arch.activation_text}"
    rows = [("network", f"{name} ({trace.arch.task}, {trace.arch.n_params} parameters)"),
            ("data", trace.data_description),
            ("status", trace.status)]
    if is_recorded(trace):
        name = trace.data_description
        rows = [("model", f"{name}, recorded by its layers' outputs (no weights)"),
                ("recorded layers", recorded_names_phrase(trace)),
                ("data", f"{len(trace.X_train)} train / {len(trace.X_test)} test points, {trace.n_classes} classes"),
                ("status", trace.status)]
    png = trace_png(trace)
    if png is None:
        rows.append(("snapshots", "none yet"))
    else:
        s = trace.snapshot(-1)
        rows.append(("snapshots", f"{len(trace)} (steps {trace.snapshot(0).step}..{s.step})"))
        rows.append(("final", headline(trace)[1].split(": ", 1)[1]))
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
