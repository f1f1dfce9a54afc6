"""One chapter of the gallery: its pictures, their captions and the measured sentence."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    """A gallery chapter: a title, ``(file name, caption)`` pairs, a measured caption and an optional note."""

    title: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (file name, caption)
    caption: str = ""
    note: str | None = None
