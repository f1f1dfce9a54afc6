"""The websocket protocol: every message from the browser is checked here.

A message is one JSON object with a ``type``. :func:`parse` turns raw text
into a :class:`Message` or raises :class:`ProtocolError` with one line that
names the problem; the session answers that line as an ``error`` message and
carries on, so a bad message never takes the server or another tab down.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ..datasets import DATASETS
from ..errors import NetwarpError
from ..nn import activation_names
from ..settings import PLAYGROUND_MAX_LAYERS, PLAYGROUND_MAX_POINTS, PLAYGROUND_MAX_UNITS, SETTINGS, Setting, fallback

# Limits: enough for anything one would look at, small enough that one
# request cannot eat the machine (2 cores, one event loop shared by all tabs).
MAX_MESSAGE = 1_500_000  # characters; a CSV upload is the only big message
MAX_CSV = 1_000_000
MAX_POINTS = PLAYGROUND_MAX_POINTS  # dataset points, and CSV rows
MAX_ADDED = 1000  # points added by clicking
MAX_HIDDEN_LAYERS = PLAYGROUND_MAX_LAYERS
MAX_UNITS = PLAYGROUND_MAX_UNITS
MAX_STEPS = 10_000  # one "step" request
MAX_RESOLUTION = 256
MAX_WEIGHT = 100.0


class ProtocolError(ValueError):
    """A malformed or out-of-range message; ``str(err)`` is one line."""


@dataclass
class Message:
    type: str
    body: dict = field(default_factory=dict)


def _num(msg: dict, key: str, lo: float, hi: float, default=None, whole: bool = False, where: str = ""):
    v = msg.get(key, default)
    name = f"{where}{key}"
    if v is None:
        raise ProtocolError(f"{name} is missing")
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ProtocolError(f"{name} must be a number, got {v!r:.40}")
    if isinstance(v, int) and not lo <= v <= hi:  # before isfinite: a 400-digit int overflows a float
        raise ProtocolError(f"{name} must be from {lo:g} to {hi:g}, got {str(v)[:40]}")
    if not math.isfinite(v):
        raise ProtocolError(f"{name} must be a number, got {v!r:.40}")
    if whole and v != int(v):
        raise ProtocolError(f"{name} must be a whole number, got {v!r}")
    if not lo <= v <= hi:
        raise ProtocolError(f"{name} must be from {lo:g} to {hi:g}, got {v!r}")
    return int(v) if whole else float(v)


def _name(msg: dict, key: str, table, where: str = "") -> str:
    v = msg.get(key)
    if not isinstance(v, str) or v not in table:
        raise ProtocolError(f"unknown {where}{key} {v!r:.40}; choose one of: {', '.join(table)}")
    return v


def _obj(msg: dict, key: str) -> dict:
    v = msg.get(key, {})
    if not isinstance(v, dict):
        raise ProtocolError(f"{key} must be an object")
    return v


def _config(msg: dict) -> dict:
    # every setting the page shows, checked against its row of SETTINGS with
    # the playground's range; a dataset's own option only for that dataset
    parts = {"data": _obj(msg, "data"), "net": _obj(msg, "net"), "play": _obj(msg, "play")}
    out: dict[str, dict] = {"data": {}, "net": {}, "play": {}}
    dataset, layers = None, 0  # the hidden widths come before the per-layer choices in SETTINGS
    for s in SETTINGS.values():
        if not s.url or s.group not in parts:
            continue
        src, key, where = parts[s.group], s.config_key, f"{s.group}."
        if s.datasets and (dataset not in s.datasets or src.get(key) is None):
            continue
        out[s.group][key] = v = _setting(s, src, key, where, dataset, layers)
        if s.name == "dataset":
            dataset = v
        if s.kind == "widths":
            layers = len(v)
    return out


def _setting(s: Setting, src: dict, key: str, where: str, dataset: str | None, layers: int = 0):
    if s.kind == "choice" and s.per_layer and isinstance(src.get(key), list):
        return _per_layer(src[key], s, layers, where + key)
    if s.kind == "choice":
        return _name({key: src.get(key, s.default)}, key, s.choices, where)
    if s.kind == "widths":  # a dataset may have its own network (digits: 64-32-16-10)
        own = DATASETS[dataset].hidden if dataset in DATASETS else None
        return _widths(src.get(key, s.default if own is None else list(own)), s, where + key)
    if s.kind == "bool":
        v = src.get(key, s.default)
        if not isinstance(v, bool):
            raise ProtocolError(f"{where}{key} must be true or false, got {v!r:.40}")
        return v
    lo, hi = s.web if s.web is not None else (s.lo, s.hi)
    dflt = fallback(s.name)
    if dflt is None and dataset is not None and hasattr(DATASETS[dataset], s.name):
        dflt = min(getattr(DATASETS[dataset], s.name), hi)  # the dataset's own (n, noise), within range
    whole = s.kind == "int"
    if s.zero_is_none:  # null or 0: not set (full batch)
        return _num({key: src.get(key) or 0}, key, lo, hi, whole=whole, where=where) or None
    return _num(src, key, lo, hi, dflt, whole, where)


def _widths(hidden, s: Setting, name: str) -> list[int]:
    if not isinstance(hidden, list):
        raise ProtocolError(f"{name} must be a list of layer widths")
    if s.web_len is not None and len(hidden) > s.web_len:
        raise ProtocolError(f"at most {s.web_len} hidden layers, got {len(hidden)}")
    lo, hi = s.web
    for h in hidden:
        if isinstance(h, bool) or not isinstance(h, int) or not lo <= h <= hi:
            raise ProtocolError(f"hidden layer widths must be whole numbers from {lo} to {hi}, got {h!r:.40}")
    return list(hidden)


def _per_layer(names: list, s: Setting, layers: int, name: str) -> str | list[str]:
    # one name per hidden layer, checked as the Architecture checks it; all alike is the one name
    # (so the URL and the config of a uniform network stay as they were: act=tanh)
    if not names:
        raise ProtocolError(f"{name} must be a name or a list of names (one per hidden layer), got an empty list")
    if len(names) > MAX_HIDDEN_LAYERS:
        raise ProtocolError(f"{name} must be one name or one per hidden layer (at most {MAX_HIDDEN_LAYERS}), got {len(names)}")
    for v in names:  # before the Architecture's check: its message would quote a huge string whole
        _name({"": v}, "", s.choices, name)
    if not layers:  # a linear model: its one name is kept to be shown and saved as given
        if len(names) > 1:
            raise ProtocolError(f"{len(names)} activations ({', '.join(names)}) for a network without hidden layers; "
                                "give one name")
        return names[0]
    try:
        out = list(activation_names(names, layers))
    except NetwarpError as e:
        raise ProtocolError(str(e)) from None
    return out[0] if len(set(out)) == 1 else out


def playground_config() -> dict:
    """The config a new tab starts from: every setting the page shows, at its default."""
    return _config({})


# how the page shows a layer wider than 3: along the classes' separating direction (the
# default, with the separating line drawn) or the steady 3D PCA camera
PROJECTIONS = ("separating", "pca")


def _view(msg: dict) -> dict:
    out = {}
    if "snapshot" in msg:
        out["snapshot"] = _num(msg, "snapshot", -1, 10**7, whole=True)
    if "layer" in msg:
        out["layer"] = _num(msg, "layer", 0, MAX_HIDDEN_LAYERS + 1, whole=True)
    if "t" in msg:
        out["t"] = _num(msg, "t", 0, MAX_HIDDEN_LAYERS + 1)
    if "resolution" in msg:
        out["resolution"] = _num(msg, "resolution", 16, MAX_RESOLUTION, whole=True)
    if "neurons" in msg:
        out["neurons"] = bool(msg["neurons"])
    if "projection" in msg:
        if msg["projection"] not in PROJECTIONS:
            raise ProtocolError(f"projection must be one of {', '.join(PROJECTIONS)}, got {msg['projection']!r:.40}")
        out["projection"] = msg["projection"]
    return out


def _weight(msg: dict, with_value: bool) -> dict:
    kind = msg.get("kind")
    if kind not in ("w", "b"):
        raise ProtocolError(f"kind must be 'w' (weight) or 'b' (bias), got {kind!r:.40}")
    out = {
        "kind": kind,
        "layer": _num(msg, "layer", 0, MAX_HIDDEN_LAYERS, whole=True),
        "i": _num(msg, "i", 0, MAX_UNITS, 0, whole=True),
        "j": _num(msg, "j", 0, MAX_UNITS, whole=True),
    }
    if with_value:
        out["value"] = _num(msg, "value", -MAX_WEIGHT, MAX_WEIGHT)
    return out


def _seq(msg: dict) -> dict:
    return {"seq": _num(msg, "seq", 0, 2**53, whole=True)} if "seq" in msg else {}


# type -> body checker; the set of message types the browser may send
CHECKS = {
    "config": _config,
    "play": lambda m: {},
    "pause": lambda m: {},
    "reset": lambda m: {},
    "step": lambda m: {"n": _num(m, "n", 1, MAX_STEPS, 1, whole=True)},
    "view": _view,
    "add_point": lambda m: {
        "x": _num(m, "x", -1e3, 1e3),
        "y": _num(m, "y", -1e3, 1e3),
        "label": _num(m, "label", 0, 9, whole=True),
    },
    "clear_points": lambda m: {},
    "csv": lambda m: {"text": _text(m, "text", MAX_CSV)},
    "edit": lambda m: {**_weight(m, True), **_seq(m)},
    "restore": lambda m: {"all": True} if m.get("all") is True else _weight(m, False),
    "hover": lambda m: {"index": _num(m, "index", -1, MAX_POINTS + MAX_ADDED, whole=True)},
    "anatomy": lambda m: {},
    "digit": lambda m: _digit(m),
    "digits_setup": lambda m: {},
    "digits_units": lambda m: {},
    "robustness": lambda m: {},
    "digits_along": lambda m: {"states": _states(m)},
    # a lesson step's task (None: no task) and a lesson file loaded from the page
    "task": lambda m: {"text": None if m.get("text") is None else _text(m, "text", 400)},
    "lesson": lambda m: {"text": _text(m, "text", 200_000), "name": _text({"n": m.get("name", "lesson")}, "n", 80)},
    "digits_path": lambda m: {"a": _num(m, "a", 0, MAX_POINTS, whole=True), "b": _num(m, "b", 0, MAX_POINTS, whole=True),
                              "steps": _num(m, "steps", 2, 50, 9, whole=True)},
}


def _states(m: dict) -> list:
    """The pad states of a drawn path: at most 400, each a list of finite numbers."""
    states = m.get("states")
    if not isinstance(states, list) or not 2 <= len(states) <= 400:
        raise ProtocolError("states must be a list of 2 to 400 pad states")
    out = []
    for k, st in enumerate(states):
        if not isinstance(st, list) or not 1 <= len(st) <= 4096 or not all(
                not isinstance(v, bool) and isinstance(v, (int, float)) and -1e3 <= v <= 1e3 for v in st):
            raise ProtocolError("each pad state must be a list of 1 to 4096 finite numbers")
        if len(st) != len(states[0]):  # one pixel count for the whole path: it is one array
            raise ProtocolError(f"every pad state must have the same number of pixels: state 0 has {len(states[0])}, state {k} has {len(st)}")
        out.append([float(v) for v in st])
    return out


def _digit(m: dict) -> dict:
    """An image for the digits views: a test image by ``index``, or the pad's ``pixels``."""
    out = {**_seq(m)}
    if "index" in m:
        out["index"] = _num(m, "index", 0, MAX_POINTS, whole=True)
    else:
        px = m.get("pixels")
        if not isinstance(px, list) or not 1 <= len(px) <= 4096:
            raise ProtocolError("pixels must be a list of numbers, one per input")
        vals = []
        for v in px:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not -1e3 <= v <= 1e3:
                raise ProtocolError("pixels must be finite numbers")
            vals.append(float(v))
        out["pixels"] = vals
    for key in ("cls", "versus"):
        if m.get(key) is not None:
            out[key] = _num(m, key, 0, 63, whole=True)
    return out


def _text(msg: dict, key: str, limit: int) -> str:
    v = msg.get(key)
    if not isinstance(v, str):
        raise ProtocolError(f"{key} must be a string")
    if len(v) > limit:
        raise ProtocolError(f"{key} is too large: {len(v)} characters, at most {limit}")
    return v


def parse(raw: str | bytes) -> Message:
    """Check one raw websocket message.

    Parameters
    ----------
    raw : str or bytes
        The message text (JSON).

    Returns
    -------
    Message
        Its type and a body holding only checked, normalised fields.

    Raises
    ------
    ProtocolError
        Oversized, not JSON, not an object, an unknown type, or a field that
        is missing, of the wrong kind or out of range.
    """
    if len(raw) > MAX_MESSAGE:
        raise ProtocolError(f"message too large: {len(raw)} bytes, at most {MAX_MESSAGE}")
    try:
        msg = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("message is not valid JSON") from None
    except RecursionError:
        raise ProtocolError("message is nested too deeply") from None
    if not isinstance(msg, dict):
        raise ProtocolError("message must be a JSON object with a 'type'")
    kind = msg.get("type")
    if not isinstance(kind, str) or kind not in CHECKS:
        raise ProtocolError(f"unknown message type {kind!r:.40}; expected one of: {', '.join(CHECKS)}")
    return Message(kind, CHECKS[kind](msg))


def encode(payload: dict) -> str:
    """Every message to the page as JSON text: the one encoder of the playground's frames and replies.

    A non-finite number (an ``inf`` loss in a crafted trace, an overflow on extreme
    weights) goes on the wire as ``null``: ``NaN``/``Infinity`` are not JSON, and
    the browser would refuse the whole frame. Most messages have none, so the
    fast C encoder runs first and the walk only runs when it refused.
    """
    try:
        return json.dumps(payload, allow_nan=False, separators=(",", ":"))
    except ValueError:
        return json.dumps(_finite(payload), allow_nan=False, separators=(",", ":"))


def _finite(v):
    """``v`` with every non-finite float (Python or numpy) replaced by None, containers copied."""
    if isinstance(v, float):  # np.float64 is a float too
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    return v


def limits() -> dict:
    """The limits, sent to the browser so its inputs can show them."""
    return {
        "max_points": MAX_POINTS,
        "max_added": MAX_ADDED,
        "max_hidden_layers": MAX_HIDDEN_LAYERS,
        "max_units": MAX_UNITS,
        "max_steps": MAX_STEPS,
        "max_resolution": MAX_RESOLUTION,
        "max_csv": MAX_CSV,
    }
