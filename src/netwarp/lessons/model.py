"""A lesson and its steps, as plain frozen values (what the page and the checks read)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .tasks import Task


@dataclass(frozen=True)
class Step:
    """One state of a lesson.

    ``settings`` maps names of :data:`netwarp.settings.SETTINGS` to checked
    values; ``view`` holds ``panels`` (ids of the page's panels to show),
    ``layer`` and ``projection``; ``task`` is None or a parsed :class:`Task`.
    """

    text: str
    settings: dict = field(default_factory=dict)
    view: dict = field(default_factory=dict)
    play: bool = False
    task: Task | None = None
    done: str = ""
    giveup: str = ""

    def to_json(self) -> dict:
        """The step as the page gets it (the task as its text)."""
        out = asdict(self)
        out["task"] = None if self.task is None else self.task.text
        return out


@dataclass(frozen=True)
class Lesson:
    """A titled sequence of :class:`Step`; ``name`` is the built-in's name or the file's stem."""

    name: str
    title: str
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        """The lesson as the page gets it."""
        return {"name": self.name, "title": self.title, "steps": [s.to_json() for s in self.steps]}
