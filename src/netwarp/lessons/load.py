"""Reading and checking lesson files (TOML, read with :mod:`tomllib`).

:func:`check_file` lists every problem of a teacher's file, one line each;
:func:`load_lesson` loads a built-in by name or a file by path and raises the
first problem as one line.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from ..errors import NetwarpError
from ..settings import SETTINGS, Setting, check
from .model import Lesson, Step
from .tasks import parse_task

#: the page's panels a step may ask to show (``view.panels``)
PANELS = ("field", "hidden", "morph", "diagram", "curves", "digits", "anatomy", "dynamics", "diagnostics")
PROJECTIONS = ("separating", "pca")
STEP_KEYS = {"text", "settings", "view", "play", "task", "done", "giveup"}
VIEW_KEYS = {"panels", "layer", "projection"}


def builtin_names() -> list[str]:
    """Names of the built-in lessons (``olah``, ``digits``, ``anatomy``)."""
    root = resources.files("netwarp.lessons") / "builtin"
    return sorted(f.name[:-5] for f in root.iterdir() if f.name.endswith(".toml"))


def _builtin_text(name: str) -> str:
    return (resources.files("netwarp.lessons") / "builtin" / f"{name}.toml").read_text(encoding="utf-8")


def load_lesson(name_or_path: str | Path) -> Lesson:
    """A built-in lesson by name, or a lesson file by path.

    Raises
    ------
    NetwarpError
        One line: an unknown name, an unreadable file, or the file's first problem.
    """
    key = str(name_or_path)
    if key in builtin_names():
        text, name = _builtin_text(key), key
    else:
        path = Path(key)
        if path.suffix != ".toml" and not path.exists():
            raise NetwarpError(f"no lesson {key!r}: give a built-in ({', '.join(builtin_names())}) or a .toml file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise NetwarpError(f"{path}: cannot read the lesson: {getattr(e, 'strerror', None) or e}") from None
        name = path.stem
    lesson, problems = parse_lesson(text, name)
    if problems:
        more = f" (and {len(problems) - 1} more; see 'netwarp lesson check')" if len(problems) > 1 else ""
        raise NetwarpError(f"lesson {name}: {problems[0]}{more}")
    return lesson


def check_file(path: str | Path) -> list[str]:
    """Every problem of lesson file ``path``, one line each (empty: the lesson is fine)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [f"cannot read {path}: {getattr(e, 'strerror', None) or e}"]
    return parse_lesson(text, Path(path).stem)[1]


def parse_lesson(text: str, name: str = "lesson") -> tuple[Lesson | None, list[str]]:
    """Parse lesson TOML ``text``; returns the lesson (None if it has problems) and its problems."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return None, [f"not valid TOML: {e}"]
    problems: list[str] = []
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append("the lesson needs a title = \"...\"")
    for key in sorted(set(doc) - {"title", "step"}):
        problems.append(f"unknown top-level key {key!r} (a lesson has title and [[step]] tables)")
    raw = doc.get("step")
    if not isinstance(raw, list) or not raw:
        problems.append("the lesson needs at least one [[step]] table")
        raw = []
    steps = []
    for k, st in enumerate(raw, start=1):
        where = f"step {k}"
        if not isinstance(st, dict):
            problems.append(f"{where}: must be a [[step]] table")
            continue
        step = _step(st, where, problems)
        if step is not None:
            steps.append(step)
    if problems:
        return None, problems
    return Lesson(name, title.strip(), tuple(steps)), []


def _step(st: dict, where: str, problems: list[str]) -> Step | None:
    n0 = len(problems)
    for key in sorted(set(st) - STEP_KEYS):
        problems.append(f"{where}: unknown key {key!r}; a step takes {', '.join(sorted(STEP_KEYS))}")
    text = st.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: needs a text = \"...\"")
    settings = _settings(st.get("settings", {}), where, problems)
    view = _view(st.get("view", {}), where, problems)
    play = st.get("play", False)
    if not isinstance(play, bool):
        problems.append(f"{where}: play must be true or false, got {play!r}")
    task = None
    if "task" in st:
        try:
            task = parse_task(st["task"])
        except NetwarpError as e:
            problems.append(f"{where}: {e}")
    for key in ("done", "giveup"):
        if not isinstance(st.get(key, ""), str):
            problems.append(f"{where}: {key} must be text")
    hidden = settings.get("hidden", SETTINGS["hidden"].default)
    if isinstance(view.get("layer"), int) and view["layer"] > len(hidden) + 1:
        problems.append(f"{where}: view.layer {view['layer']} is past the output layer {len(hidden) + 1} of this network")
    if len(problems) > n0:
        return None
    return Step(text.strip(), settings, view, play, task, st.get("done", ""), st.get("giveup", ""))


def _settings(raw, where: str, problems: list[str]) -> dict:
    if not isinstance(raw, dict):
        problems.append(f"{where}: settings must be a table like {{ dataset = \"circles\" }}")
        return {}
    out = {}
    dataset = raw.get("dataset")
    for name, v in raw.items():
        s = SETTINGS.get(name)
        if s is None or not s.url:
            shown = [k for k, r in SETTINGS.items() if r.url]
            problems.append(f"{where}: unknown setting {name!r}; the playground's are: {', '.join(shown)}")
            continue
        if s.datasets and dataset not in s.datasets:
            problems.append(f"{where}: setting {name!r} applies only to dataset {'/'.join(s.datasets)}")
            continue
        try:
            v = check(s, v, dataset)
            _in_playground(s, v)
        except NetwarpError as e:
            problems.append(f"{where}: {e}")
            continue
        out[name] = v
    return out


def _in_playground(s: Setting, v) -> None:
    # the playground's own (tighter) range: a lesson is played there
    if s.web is None or v is None:
        return
    lo, hi = s.web
    values = v if s.kind == "widths" else [v]
    if s.kind == "widths" and s.web_len is not None and len(v) > s.web_len:
        raise NetwarpError(f"{s.said}: at most {s.web_len} hidden layers in the playground, got {len(v)}")
    for x in values:
        if not lo <= x <= hi:
            raise NetwarpError(f"{s.said} must be from {lo:g} to {hi:g} in the playground, got {x!r}")


def _view(raw, where: str, problems: list[str]) -> dict:
    if not isinstance(raw, dict):
        problems.append(f"{where}: view must be a table like {{ panels = [\"field\", \"hidden\"], layer = 1 }}")
        return {}
    for key in sorted(set(raw) - VIEW_KEYS):
        problems.append(f"{where}: unknown view key {key!r}; a view takes {', '.join(sorted(VIEW_KEYS))}")
    panels = raw.get("panels", [])
    if not isinstance(panels, list) or not 1 <= len(panels or [1]) <= 2 or any(p not in PANELS for p in panels):
        problems.append(f"{where}: view.panels must list one or two of: {', '.join(PANELS)}; got {panels!r:.80}")
    layer = raw.get("layer")
    if layer is not None and (isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer <= 9):
        problems.append(f"{where}: view.layer must be a whole number from 0 (input) to 9, got {layer!r}")
    if raw.get("projection", "separating") not in PROJECTIONS:
        problems.append(f"{where}: view.projection must be one of {', '.join(PROJECTIONS)}, got {raw['projection']!r}")
    return dict(raw)
