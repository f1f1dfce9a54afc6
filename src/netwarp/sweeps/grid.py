"""The grid of a sweep: which networks to train, and the settings they share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import product

from ..errors import NetwarpError
from ..settings import check, check_settings

# the settings that are the grid's axes; every other run setting is shared by all runs
AXES = ("hidden", "activation", "lr", "seed")


@dataclass(frozen=True)
class Run:
    """One network of a sweep: its place on the grid."""

    hidden: tuple[int, ...]
    activation: str
    lr: float
    seed: int

    @property
    def key(self) -> str:
        """A file-name-safe identity, e.g. ``h3-3_tanh_lr0.03_s0``."""
        return f"h{'-'.join(map(str, self.hidden))}_{self.activation}_lr{self.lr:g}_s{self.seed}"

    @property
    def width(self) -> int:
        """Units in every hidden layer."""
        return self.hidden[0]

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.hidden)


@dataclass(frozen=True)
class Grid:
    """Widths x depths x activations x learning rates x seeds, and the shared settings.

    Parameters
    ----------
    widths, depths : tuple of int
        Every hidden layer of a run is ``width`` wide; there are ``depth`` of them.
    activations : tuple of str
    lrs : tuple of float
    seeds : tuple of int
    shared : dict
        The other run settings (data, steps, optimizer, ...), checked.
    """

    widths: tuple[int, ...]
    depths: tuple[int, ...]
    activations: tuple[str, ...]
    lrs: tuple[float, ...]
    seeds: tuple[int, ...]
    shared: dict = field(default_factory=dict)

    def runs(self) -> list[Run]:
        """Every run of the grid, widths varying slowest and seeds fastest."""
        return [Run((w,) * d, a, lr, s) for w, d, a, lr, s in product(self.widths, self.depths, self.activations, self.lrs, self.seeds)]

    def shared_json(self) -> str:
        """The shared settings as canonical JSON: two grids with the same text may share a folder."""
        return json.dumps(self.shared, sort_keys=True, default=str)


def _ints(name: str, values, lo: int, hi: int) -> tuple[int, ...]:
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise NetwarpError(f"{name} must be whole numbers from {lo} to {hi}, got {v!r}")
        out.append(v)
    if not out:
        raise NetwarpError(f"the grid is empty: give at least one of {name}")
    return tuple(dict.fromkeys(out))


def make_grid(widths, depths, activations=("tanh",), lrs=None, seeds=5, **shared) -> Grid:
    """Check a sweep's grid and shared settings; one clear line for anything a network cannot take.

    Parameters
    ----------
    widths, depths : sequence of int
    activations : sequence of str
    lrs : sequence of float, optional
        Default: the shared ``lr`` (or its default).
    seeds : int or sequence of int
        A count (seeds 0..n-1) or the seeds themselves.
    **shared
        Other settings of :data:`netwarp.settings.SETTINGS` (``dataset``, ``steps``, ...).
    """
    for name in AXES:
        if name in shared and name != "lr":
            raise NetwarpError(f"{name} is an axis of the sweep's grid; give it as "
                               f"{ {'hidden': 'widths and depths', 'activation': 'activations', 'seed': 'seeds'}[name] }")
    widths = _ints("widths", list(widths), 1, 4096)
    depths = _ints("depths", list(depths), 1, 64)
    activations = list(activations)
    for a in activations:
        # each run uses one activation on all its hidden layers; a list here would be a per-layer network
        if not isinstance(a, str):
            raise NetwarpError(f"a sweep's activations are names, one per run (used on every hidden layer), got {a!r}")
        check("activation", a)
    activations = tuple(dict.fromkeys(activations))
    if not activations:
        raise NetwarpError("the grid is empty: give at least one of activations")
    base_lr = shared.pop("lr", None)
    lrs = [base_lr if base_lr is not None else check("lr", 0.03)] if lrs is None else list(lrs)
    if not lrs:
        raise NetwarpError("the grid is empty: give at least one of lrs")
    lrs = tuple(dict.fromkeys(float(check("lr", v)) for v in lrs))
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if not 1 <= seeds <= 10_000:
            raise NetwarpError(f"seeds must be a count from 1 to 10000, got {seeds}")
        seeds = tuple(range(seeds))
    else:
        seeds = _ints("seeds", list(seeds), 0, 2**32 - 1)
    for w, d in product(widths, depths):
        check("hidden", [w] * d)
    shared = {k: v for k, v in check_settings(shared).items() if v is not None}
    return Grid(widths, depths, activations, lrs, seeds, shared)
