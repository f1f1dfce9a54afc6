"""The metrics table every report shows, trained or recorded: a few snapshots' losses and accuracies."""

from __future__ import annotations

import numpy as np

from ..trace import Trace


def metric_rows(trace: Trace) -> list[tuple]:
    """A few snapshots' metrics: first, a quarter, half-way, last."""
    n = len(trace)
    picks = sorted({0, n // 4, n // 2, n - 1})
    rows = []
    for i in picks:
        s = trace.snapshot(i)
        acc = "" if np.isnan(s.train_acc) else f"{s.train_acc:.3f} / {s.test_acc:.3f}"
        rows.append((s.step, f"{s.train_loss:.4f} / {s.test_loss:.4f}", acc))
    return rows
