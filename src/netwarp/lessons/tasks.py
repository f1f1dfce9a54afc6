"""Tasks: a condition on the live run in a tiny grammar, parsed, never evaluated as Python.

    task      := condition ("and" condition)*
    condition := MEASURE OP NUMBER
    OP        := "<" | "<=" | ">" | ">=" | "=="

``MEASURE`` is a name of :data:`MEASURES`; the playground computes each one
from the state it shows (see :func:`netwarp.web.frame_base.measures`).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import NetwarpError

#: what a task may test, and what each means
MEASURES = {
    "train_acc": "training accuracy of the state shown (0 to 1)",
    "test_acc": "test accuracy of the state shown (0 to 1)",
    "train_loss": "training loss of the state shown",
    "test_loss": "test loss of the state shown",
    "step": "optimiser steps taken",
    "max_width": "the widest hidden layer's units",
    "layers": "number of hidden layers",
}
OPS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq, "<": operator.lt, ">": operator.gt}
_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|==|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")


@dataclass(frozen=True)
class Condition:
    """``measure op value``, e.g. ``test_acc >= 0.95``."""

    measure: str
    op: str
    value: float

    def holds(self, values: Mapping[str, float | None]) -> bool:
        v = values.get(self.measure)
        return v is not None and OPS[self.op](v, self.value)


@dataclass(frozen=True)
class Task:
    """Conditions that must all hold; ``text`` is how the lesson wrote them."""

    text: str
    conditions: tuple[Condition, ...]

    def met(self, values: Mapping[str, float | None]) -> bool:
        """Whether every condition holds for ``values`` (a measure without a value does not hold)."""
        return all(c.holds(values) for c in self.conditions)


def parse_task(text: str) -> Task:
    """Parse a task such as ``"test_acc >= 0.95 and max_width <= 2"``.

    Raises
    ------
    NetwarpError
        One line naming the part that is not ``MEASURE OP NUMBER`` or the unknown measure.
    """
    if not isinstance(text, str) or not text.strip():
        raise NetwarpError(f"a task must be a condition like 'test_acc >= 0.95', got {text!r:.60}")
    out = []
    for part in re.split(r"\s+and\s+", text.strip()):
        m = _CONDITION.match(part)
        if m is None:
            raise NetwarpError(f"task {part.strip()!r:.60} is not MEASURE OP NUMBER (e.g. 'test_acc >= 0.95')")
        name, op, num = m.groups()
        if name not in MEASURES:
            raise NetwarpError(f"task measure {name!r} is unknown; choose one of: {', '.join(MEASURES)}")
        value = float(num)
        if not math.isfinite(value):
            raise NetwarpError(f"task {part.strip()!r:.60}: the number must be finite")
        out.append(Condition(name, op, value))
    return Task(text.strip(), tuple(out))
