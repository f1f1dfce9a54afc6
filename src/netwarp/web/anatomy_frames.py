"""The playground's anatomy panel, computed for the snapshot shown: the LEGO blocks,
the algebra, the code (numpy and torch), the diagnostics, and the gradients and
weight convergence over training. The reply to an ``anatomy`` message, not part of every frame: the page asks
when what it shows has changed."""

from __future__ import annotations

from dataclasses import asdict

from .. import views
from ..errors import NetwarpError


def anatomy_block(session) -> dict:
    """Everything the anatomy, dynamics and diagnostics panels draw, for the shown snapshot."""
    session.ensure()
    trace = session.trace
    i = session.shown_index()
    code = {"numpy": views.forward_code(trace, i)}
    try:
        code["torch"] = views.forward_code(trace, i, "torch")
    except NetwarpError as e:
        code["torch_error"] = str(e)
    conv = views.convergence(trace) if len(trace) > 1 else None
    grad = views.gradient_flow(trace)
    return {
        "step": int(trace.snapshot(i).step),
        "blocks": [asdict(b) for b in views.blocks(trace)],
        "algebra": views.algebra(trace),
        "code": code,
        "findings": [asdict(f) for f in views.diagnose(trace, i)],
        "dynamics": {
            "steps": [int(s) for s in trace.steps],
            "grad": grad.tolist(),
            "sentence": conv.sentence if conv else "one snapshot so far: train to see the weights move",
            "settled": conv.settled if conv else [],
            # per layer, how far its weights still were from where they ended: ||W(end) - W(step)|| / ||W(end)||
            "remaining": conv.remaining.tolist() if conv else [],
        },
    }
