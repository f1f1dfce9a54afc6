"""What a view needs from a trace: the one-line refusal of a view that must run the network
(or read its weights) on a trace recorded by its layers' outputs (:mod:`netwarp.recorded`)."""

from __future__ import annotations

from ..recorded import no_weights
from ..trace import Trace


def need_weights(trace: Trace, what: str) -> None:
    """Raise the one-line :func:`netwarp.recorded.no_weights` error naming the view ``what``
    (e.g. ``"the decision field"``) when ``trace`` holds no weights netwarp can run."""
    if not trace.has_weights:
        raise no_weights(trace.layer_names, what)
