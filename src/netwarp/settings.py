"""Every run setting, declared once, and the one check of a value against it.

:data:`SETTINGS` is the table the command line, the Python checks, the
websocket validation, the playground's controls and its URL are all read from
(like scikit-learn's ``_parameter_constraints`` or TensorFlow Playground's
``State``): a new option is one new row here.

Seeds: a run has two. ``data_seed`` draws the points and ``seed`` draws the
split, the initialisation and the mini-batch order. The playground shows both;
on the command line ``--seed`` seeds both unless ``--data-seed`` is given.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import limits
from .activations import ACTIVATIONS
from .datasets import DATASETS
from .errors import NetwarpError, unknown_name
from .limits import MAX_CLASSES, MAX_POINTS, MAX_STEPS, MAX_UNITS
from .optim import OPTIMIZERS

SEED_MAX = 2**31 - 1  # the playground's; numpy and scikit-learn take seeds up to 2**32 - 1
MAX_SNAPSHOTS = 100_000
# the playground's tighter ranges: one request must not eat the machine
# (2 cores, one event loop shared by all tabs)
PLAYGROUND_MAX_POINTS = 5000
PLAYGROUND_MAX_UNITS = 64
PLAYGROUND_MAX_LAYERS = 8
MAX_SPEED = 1000  # steps per second a page may ask for; faster is "max" (not set: as fast as it goes)
FIRST_RUN_SPEED = 20  # steps per second of a page's first run: slow enough to watch the boundary bend


@dataclass(frozen=True)
class Setting:
    """One run setting.

    ``lo``/``hi`` bound Python and the CLI (``None``: unbounded; ``open_lo``/
    ``open_hi`` exclude the bound); ``web`` is the playground's ``(lo, hi)``
    when it is tighter. The page shows a setting when it has a ``url`` key. A ``default`` of None means "not
    set" (the dataset's own value, full batch, ...). ``datasets`` lists the
    datasets it applies to (empty: all). ``key`` names it inside its group in
    the playground's config message; ``url`` in the page's URL hash; ``control``
    is the id of the page's input.
    """

    name: str
    group: str  # "data", "net", "play" (how the page plays a run, not what it trains) or "run"
    kind: str  # "int", "float", "choice", "widths", "bool", "path" or "text"
    default: object
    help: str
    label: str = ""  # how error messages name it; the name when empty
    lo: float | None = None
    hi: float | None = None
    open_lo: bool = False
    open_hi: bool = False
    unit: str = ""  # "n must be a whole number of points"
    web: tuple[float, float] | None = None
    web_step: float | None = None
    web_len: int | None = None  # widths: most layers the playground takes
    widget: str = ""  # "slider" for a range input
    zero_is_none: bool = False  # the page shows None as 0 ("0 = full batch")
    choices: Mapping | None = None
    datasets: tuple[str, ...] = ()
    key: str = ""
    url: str = ""
    control: str = ""
    flag: str = ""
    cli: bool = True
    cli_group: str = ""  # settings sharing one are mutually exclusive on the CLI
    follows: str = ""  # when not given, takes that setting's value
    title: str = ""  # the page's label; the label or name when empty
    describe: bool = False  # the page shows the chosen entry's description
    page_default: object = None  # what a fresh page starts from when its URL does not say (None: the default)
    none_word: str = ""  # how the page's URL writes "not set" ("max"); 0 when empty
    per_layer: bool = False  # a choice: one for all hidden layers, or a list of one per hidden layer

    @property
    def said(self) -> str:
        return self.label or self.name

    @property
    def config_key(self) -> str:
        return self.key or self.name

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def applies(self, dataset: str | None) -> bool:
        return not self.datasets or dataset in self.datasets


def _table(*rows: Setting) -> dict[str, Setting]:
    return {s.name: s for s in rows}


SETTINGS: dict[str, Setting] = _table(
    # -- data ---------------------------------------------------------------
    Setting("dataset", "data", "choice", "spiral", "built-in dataset", choices=DATASETS, flag="--data", url="data",
            control="dataset", describe=True, cli_group="source"),
    Setting("csv", "data", "path", None, "your own data: a header row naming the columns, numeric features, the label "
            "last (or --label NAME; text labels become class names); or headerless rows x1,x2,label or x,y",
            cli_group="source"),
    Setting("label", "data", "text", None, "with --csv: the label column's name (default: the last column)"),
    Setting("task", "data", "choice", None, "with --csv: 'regression' for a numeric target (default: whole-number "
            "or text labels are classes)", choices=("classification", "regression")),
    Setting("n", "data", "int", None, "number of points (default: the dataset's)", lo=4, hi=MAX_POINTS, unit="points",
            web=(8, PLAYGROUND_MAX_POINTS), web_step=50, title="points", url="n", control="n"),
    Setting("noise", "data", "float", None, "noise level (default: the dataset's)", lo=0,
            web=(0, 1), web_step=0.01, widget="slider", url="noise", control="noise"),
    Setting("arms", "data", "int", 2, "spiral arms (classes)", lo=2, hi=MAX_CLASSES, web=(2, 6), datasets=("spiral",),
            url="arms", control="arms"),
    Setting("classes", "data", "int", 2, "blobs classes", lo=2, hi=MAX_CLASSES, web=(2, 8), datasets=("blobs",),
            url="classes", control="classes"),
    Setting("data_seed", "data", "int", None, "seeds the points (default: --seed)", label="seed", lo=0, hi=2**32 - 1,
            web=(0, SEED_MAX), key="seed", url="dseed", control="dseed", follows="seed",
            title="data seed"),
    # -- network ------------------------------------------------------------
    Setting("hidden", "net", "widths", [8, 8], "hidden widths, e.g. 8,8; 'none' for a linear model", lo=1, hi=MAX_UNITS,
            web=(1, PLAYGROUND_MAX_UNITS), web_len=PLAYGROUND_MAX_LAYERS, url="hidden", control="units"),
    Setting("activation", "net", "choice", "tanh", "activation function: one for every hidden layer, or one per "
            "hidden layer (tanh,relu)", choices=ACTIVATIONS, url="act", control="activation", per_layer=True),
    Setting("optimizer", "net", "choice", "adam", "optimiser", choices=OPTIMIZERS, url="opt",
            control="optimizer", title="optimiser"),
    Setting("lr", "net", "float", 0.03, "learning rate", label="learning rate", lo=0, open_lo=True,
            web=(1e-6, 10), web_step=0.001, url="lr", control="lr"),
    Setting("batch_size", "net", "int", None, "mini-batch size (default: full batch)", label="batch size", lo=1,
            web=(0, PLAYGROUND_MAX_POINTS), zero_is_none=True, url="batch", control="batch"),
    Setting("l1", "net", "float", 0.0, "L1 regularisation of the weights", lo=0, hi=1000, web=(0, 1), web_step=0.0001,
            url="l1", control="l1", title="L1"),
    Setting("l2", "net", "float", 0.0, "L2 regularisation of the weights", lo=0, hi=1000, web=(0, 1), web_step=0.0001,
            url="l2", control="l2", title="L2"),
    Setting("seed", "net", "int", 0, "seeds the split, the initialisation and the batches (and the data, without --data-seed)",
            lo=0, hi=2**32 - 1, web=(0, SEED_MAX), url="seed", control="seed"),
    # -- play (the page only: how fast a run is shown, not what it trains) --
    Setting("speed", "play", "int", None, "optimiser steps per second while playing (0 or 'max': as fast as it goes)",
            lo=1, hi=MAX_SPEED, web=(0, MAX_SPEED), zero_is_none=True, url="speed", control="speed", cli=False,
            title="speed (steps/s, 0 = max)", page_default=FIRST_RUN_SPEED, none_word="max"),
    # -- run (command line and Python only) ---------------------------------
    Setting("steps", "run", "int", 3000, "optimiser steps", lo=1, hi=MAX_STEPS),
    Setting("test_size", "run", "float", 0.25, "fraction of the points held out for testing", lo=0, hi=1,
            open_lo=True, open_hi=True),
    Setting("snapshots", "run", "int", 100, "snapshots to record (log-spaced)", lo=2, hi=MAX_SNAPSHOTS),
    Setting("record_every", "run", "int", None, "record every K steps instead", label="record-every", lo=1,
            hi=MAX_STEPS),
)


def setting(name: str) -> Setting:
    """The row of :data:`SETTINGS` called ``name``."""
    if name not in SETTINGS:
        raise unknown_name("setting", name, SETTINGS)
    return SETTINGS[name]


def default(name: str) -> object:
    """The default of setting ``name``."""
    return setting(name).default


def fallback(name: str) -> object:
    """What setting ``name`` is when not given: its default, or the default of the setting it follows."""
    s = setting(name)
    return default(s.follows) if s.default is None and s.follows else s.default


def check(name: str | Setting, v: object, dataset: str | None = None) -> object:
    """``v`` checked against its setting and normalised, or a one-line error.

    Parameters
    ----------
    name : str or Setting
        A name of :data:`SETTINGS` (or the row itself).
    v : object
        The value. None passes for a setting whose default is None ("not
        set") and for a dataset's own option.
    dataset : str, optional
        The dataset a dataset option (``arms``, ``classes``) is given for; its
        messages name it.

    Returns
    -------
    object
        An int, float, str, bool, list of ints (widths) or list of str (a choice per hidden layer).

    Raises
    ------
    NetwarpError
        With one line that names the setting and its range.
    """
    s = name if isinstance(name, Setting) else setting(name)
    if v is None and (s.default is None or s.datasets):  # not set; a dataset option falls back on the dataset's
        return None
    kind = s.kind
    if kind == "choice" and s.per_layer and not isinstance(v, str) and isinstance(v, (list, tuple)):
        if not v:
            raise NetwarpError(f"{s.said} must be a name or a list of names (one per hidden layer), got an empty list")
        return [_choice(s, x) for x in v]
    if kind == "choice":
        return _choice(s, v)
    if kind == "widths":
        return _widths(s, v)
    if kind == "bool":
        if not isinstance(v, (bool, np.bool_)):
            raise NetwarpError(f"{s.said} must be true or false, got {v!r}")
        return bool(v)
    if kind == "int" and s.datasets:
        return _option(s, v, dataset)
    if kind == "int":
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not _inside(s, v):
            unit = f" of {s.unit}" if s.unit else ""
            raise NetwarpError(f"{s.said} must be a whole number{unit} {_bound(s)}, got {_shown(v)}")
        return int(v)
    if kind == "float":
        f = _real(v)  # Fraction, Decimal and numpy scalars too; None when not a real number
        if f is None or not np.isfinite(f) or not _inside(s, f):
            what = "be between" if s.hi is not None and s.open_lo and s.open_hi else "be a finite number"
            shown = v if what == "be between" else repr(v)
            raise NetwarpError(f"{s.said} must {what} {_bound(s)}, got {str(shown)[:40]}")
        return f
    if kind == "path":
        return v
    if kind == "text":
        if not isinstance(v, str) or not 0 < len(v) <= 200:
            raise NetwarpError(f"{s.said} must be a column name of 1 to 200 characters, got {str(v)[:40]!r}")
        return v
    raise NetwarpError(f"setting {s.name} has an unknown kind {kind!r}")


def _shown(v: object) -> str:
    """``v`` for a message, short: a 10**23 as ``1e+23``, and no ValueError for an int of 5,000 digits."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool) and abs(v) >= 10**15:
        try:
            return f"{float(v):.6g}"
        except OverflowError:
            return f"{'-' if v < 0 else ''}a whole number of more than 300 digits"
    return repr(v)[:40]
def _choice(s: Setting, v: object) -> str:
    if not isinstance(v, str) or v not in s.choices:
        raise unknown_name(s.said, v, s.choices)
    return v


def _real(v: object) -> float | None:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.floating, np.integer)):
        return None
    try:
        return float(v)
    except (OverflowError, ValueError, TypeError):  # e.g. an int of 400 digits
        return float("inf")


def _inside(s: Setting, v) -> bool:
    above = s.lo is None or (v > s.lo if s.open_lo else v >= s.lo)
    below = s.hi is None or (v < s.hi if s.open_hi else v <= s.hi)
    return bool(above and below)


def _bound(s: Setting) -> str:
    lo, hi = _num(s.lo), _num(s.hi)
    if s.hi is None:
        return f"{'>' if s.open_lo else '>='} {lo}"
    if s.open_lo and s.open_hi:
        return f"{lo} and {hi}"
    return f"from {lo} to {hi}"


def _num(v: float | None) -> str:
    # whole bounds in full (a seed's 4294967295, not 4.29497e+09)
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _option(s: Setting, v, dataset: str | None) -> int:
    # a dataset option: whole-valued floats (3.0) pass, and the message names the dataset
    whole = isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool)
    if not whole and (_real(v) is None or not np.isfinite(_real(v))):  # an int of any size is a number
        raise NetwarpError(f"option {s.name} must be a number, got {_shown(v)}")
    if int(v) != v or not _inside(s, v):
        where = dataset or "/".join(s.datasets)
        raise NetwarpError(f"{where} needs a whole number of {s.name} {_bound(s)}, got {_shown(v) if whole else v}")
    return int(v)


def _widths(s: Setting, hidden) -> list[int]:
    if isinstance(hidden, str):
        raise NetwarpError(f"{s.said} must be a list of layer widths, got the string {hidden!r}")
    try:
        hidden = list(hidden)
    except TypeError:
        raise NetwarpError(f"{s.said} must be a list of layer widths, got {hidden!r}") from None
    if len(hidden) >= limits.MAX_LAYERS:  # read at each call, so tests can lower it
        raise NetwarpError(f"at most {limits.MAX_LAYERS - 1} hidden layers, got {len(hidden)}")
    for h in hidden:
        if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or not _inside(s, h):
            raise NetwarpError(f"hidden layer widths must be whole numbers from {s.lo:g} to {s.hi:g}, got {_shown(h)}")
    return [int(h) for h in hidden]


def dataset_options(dataset: str) -> list[str]:
    """Names of the settings that apply only to some datasets and to ``dataset``."""
    return [s.name for s in SETTINGS.values() if s.datasets and dataset in s.datasets]


def check_options(dataset: str, options: Mapping[str, object]) -> dict[str, int]:
    """A dataset's own options (``arms`` for spiral, ...) checked; unknown or
    misplaced ones are refused with a line naming what the dataset takes."""
    allowed = dataset_options(dataset)
    extra = sorted(set(options) - set(allowed))
    if extra:
        takes = f"; it takes {sorted(allowed)}" if allowed else ""
        raise NetwarpError(f"dataset {dataset!r} takes no option {extra[0]!r}{takes}")
    return {k: check(k, v, dataset) for k, v in options.items()}


def schema() -> list[dict]:
    """The settings the playground shows, as plain JSON for the page to build its controls and URL from."""
    out = []
    for s in SETTINGS.values():
        if not s.url:
            continue
        row = {"name": s.name, "group": s.group, "key": s.config_key, "kind": s.kind, "default": fallback(s.name),
               "label": s.title or s.said, "help": s.help, "url": s.url, "control": s.control or s.name,
               "datasets": list(s.datasets)}
        if s.web is not None:
            row["min"], row["max"] = s.web
        if s.web_step is not None:
            row["step"] = s.web_step
        if s.web_len is not None:
            row["max_len"] = s.web_len
        if s.widget:
            row["widget"] = s.widget
        if s.zero_is_none:
            row["zero_is_none"] = True
        if s.describe:
            row["describe"] = True
        if s.page_default is not None:
            row["page_default"] = s.page_default
        if s.none_word:
            row["none_word"] = s.none_word
        if s.per_layer:  # one name, or a list of one per hidden layer ("tanh,relu" in the URL)
            row["per_layer"] = True
        if s.choices is not None:
            row["choices"] = [{"name": k, "description": getattr(c, "description", "")} for k, c in s.choices.items()]
        out.append(row)
    return out


def check_settings(values: Mapping[str, object]) -> dict[str, object]:
    """Every given value checked against its row; a dataset option given for
    a dataset it does not apply to is refused. Returns the normalised values."""
    dataset = values.get("dataset")
    out = {}
    for name, v in values.items():
        s = setting(name)
        if v is not None and s.datasets and values.get("csv") is None and not s.applies(dataset):
            check_options(dataset, {name: v})  # raises: names what the dataset takes
        out[name] = v if s.kind == "path" else check(s, v, dataset)
    return out


def config_values(config: Mapping[str, Mapping[str, object]]) -> dict[str, object]:
    """A grouped config (``{"data": {...}, "net": {...}}``, the playground's
    message) as one value per setting name; missing ones take their fallback."""
    out = {}
    for s in SETTINGS.values():
        part = config.get(s.group, {})
        out[s.name] = part[s.config_key] if s.config_key in part else fallback(s.name)
    return out
