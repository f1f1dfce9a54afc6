"""Lessons: a sequence of playground states a teacher writes down, with text and tasks.

A lesson is a TOML file: a ``title`` and ``[[step]]`` tables, each with ``text``
(markdown), ``settings`` (run settings by their names in
:data:`netwarp.settings.SETTINGS`), an optional ``view`` (``panels``, ``layer``,
``projection``), ``play = true`` and an optional ``task`` (a condition such as
``test_acc >= 0.95``, parsed by :mod:`netwarp.lessons.tasks`, never evaluated
as Python) with the texts shown when it is met (``done``) or given up on
(``giveup``). The built-in lessons ship as package data.
"""

from .load import builtin_names, check_file, load_lesson, parse_lesson
from .model import Lesson, Step
from .tasks import Condition, Task, parse_task

__all__ = ["Condition", "Lesson", "Step", "Task", "builtin_names", "check_file", "load_lesson", "parse_lesson",
           "parse_task"]
