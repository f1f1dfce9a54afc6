"""The playground's memory budget: per tab and in total, checked before a tab's data and network are built.

A tab's memory is estimated from its set-up (points, layer widths, field
resolution, its snapshot cap) by :func:`estimate`, calibrated against the
resident memory measured for real set-ups (``bench/bench_web_load.py`` prints
both) and kept on the high side. A set-up over the per-tab budget, or one that
would take the open tabs past the total, is refused with one line the page
shows; a new tab is refused when even the default set-up would not fit.

Animation exports count too: an export reserves its estimate
(:func:`export_estimate`) while it is written, against the same total as the
open tabs, and is refused in one line when it would not fit; a tab writes one
export at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..datasets import DATASETS
from ..errors import NetwarpError
from ..limits import size_text

MB = 2**20
TAB_MB = 1200  # per tab, by default: the largest set-up the page allows fits (about 1.0 GB estimated)
TOTAL_MB = 6000  # all tabs together, by default: five of the largest, many more of the usual
BASE = 24 * MB  # a tab's fixed cost: its Python objects, the frames in flight
SNAPSHOT_MB = 256  # per tab, for recorded snapshots: a wide network keeps fewer (thinned, never cut off)
MARGIN = 1.1  # the estimate's margin over the resident memory measured for the same set-ups
MAX_SNAPSHOTS, MIN_SNAPSHOTS = 3000, 100
GRID_POINTS = 2 * 20 * 40  # the warped grid's polyline samples (web.frames GRID_LINES x GRID_SAMPLES)
EXPORT_BASE = 48 * MB  # an export's fixed cost: the scene, fonts, the encoder's buffers
EXPORT_GRID = 21 * 50  # an animation's warped grid samples per frame (outputs.scene_common LINES x SAMPLES)
EXPORT_COPIES = 3  # each frame's layer state is held about three times: the state, its stacked copy, its projection
EXPORT_PIXELS = 1280 * 1280  # the largest frame an export draws (training: 1280 wide), RGBA


@dataclass
class MemoryBudget:
    """Memory per tab and in total, in bytes; the open tabs register with :meth:`open`."""

    per_tab: int = TAB_MB * MB
    total: int = TOTAL_MB * MB
    _open: dict = field(default_factory=dict, repr=False)  # id(session) -> its estimate
    _exports: dict = field(default_factory=dict, repr=False)  # id(session) -> the estimate of the export it writes

    def describe(self) -> str:
        return f"{size_text(self.per_tab)} per tab, {size_text(self.total)} in all"

    def snapshot_cap(self, n_params: int) -> int:
        """Most snapshots a tab keeps for a network of ``n_params`` parameters."""
        return int(min(MAX_SNAPSHOTS, max(MIN_SNAPSHOTS, SNAPSHOT_MB * MB // (8 * n_params))))

    def admits(self, sessions: Iterable[object]) -> bool:
        """Whether one more tab with the default set-up fits beside the open ones."""
        from .protocol import playground_config

        return self.used() + self.estimate(playground_config(), 100) <= self.total

    def used(self) -> int:
        """Bytes the open tabs and the exports being written may use (their estimates)."""
        return sum(self._open.values()) + sum(self._exports.values())

    def reserve_export(self, owner: object, need: int) -> None:
        """Count an export of ``need`` bytes for ``owner`` until :meth:`release_export`, or a one-line error.

        One export per tab at a time; the tabs' set-ups and the other exports
        must leave room for it within the total.
        """
        if id(owner) in self._exports:
            raise NetwarpError("this tab is already writing an animation: wait until it is saved")
        used = self.used()
        if used + need > self.total:
            raise NetwarpError(f"this animation would need about {size_text(need)}, and the open tabs and exports use "
                               f"{size_text(used)} of the server's {size_text(self.total)}: try fewer frames, "
                               "wait for another export to finish, or close a tab")
        self._exports[id(owner)] = need

    def release_export(self, owner: object) -> None:
        self._exports.pop(id(owner), None)

    def check(self, owner: object, config: Mapping, resolution: int, rows: int | None = None) -> int:
        """The estimate for ``owner``'s new set-up, or a one-line error when it does not fit.

        ``rows`` overrides the number of points (an uploaded CSV's).
        """
        need = self.estimate(config, resolution, rows)
        if need > self.per_tab:
            raise NetwarpError(f"this set-up would need about {size_text(need)}; a tab may use {size_text(self.per_tab)} "
                               "(fewer points, narrower layers or a lower field resolution fit; netwarp serve --tab-memory sets it)")
        others = sum(v for k, v in self._open.items() if k != id(owner)) + sum(self._exports.values())
        if others + need > self.total:
            who = "the open tabs and exports" if self._exports else "the open tabs"
            raise NetwarpError(f"this set-up would need about {size_text(need)}, and {who} use {size_text(others)} "
                               f"of the server's {size_text(self.total)}: close a tab or choose a smaller set-up")
        return need

    def open(self, owner: object, need: int) -> None:
        self._open[id(owner)] = need

    def close(self, owner: object) -> None:
        self._open.pop(id(owner), None)

    def estimate(self, config: Mapping, resolution: int, rows: int | None = None) -> int:
        """Bytes a tab with this playground config and field resolution may use (a high estimate).

        Parameters
        ----------
        config : mapping
            ``{"data": {...}, "net": {...}}`` as the websocket's config message.
        resolution : int
            The decision field's side in cells.
        rows : int, optional
            Points of an uploaded CSV, instead of the dataset's.
        """
        data, net = config.get("data", {}), config.get("net", {})
        d = DATASETS.get(data.get("dataset", "spiral"))
        n = rows if rows is not None else (data.get("n") or (d.n if d else 1000))
        n += 1000  # clicked points, at most
        inputs = 64 if d is not None and d.name == "digits" else (1 if d is not None and d.task == "regression" else 2)
        classes = 10 if inputs == 64 else max(int(data.get("arms") or data.get("classes") or 2), 2)
        sizes = [inputs, *net.get("hidden", [8, 8]), classes]
        S = sum(sizes)
        P = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
        plane = inputs == 2
        # calibrated on spiral, 5000 points, 8 x 64 units (bench/bench_web_load.py measures it again):
        # 238 MB resident at field resolution 100, 679 MB at 256, without the recorded snapshots
        b = BASE
        b += 8 * n * S * 3  # training, test and view forward passes: activations, pre-activations, gradients
        b += 8 * P * 8  # parameters, optimiser state, gradient, edit copies
        if plane:
            R2 = resolution * resolution
            b += 8 * R2 * (S + classes) * 2  # the decision field and its per-layer cache
            b += 8 * (n + GRID_POINTS) * max(sizes) * 2 * (len(sizes) - 1)  # the morph's key states
            b += 8 * 24 * 24 * S  # the neuron heat maps
        b = b * MARGIN + 8 * P * self.snapshot_cap(P)  # the recorded run, at its cap
        return int(b)


def export_estimate(points: int, sizes: tuple[int, ...], snapshots: int, frames: int, gif: bool) -> int:
    """Bytes an animation export of a tab's run may use while it is written (a high estimate).

    The scenes compute every frame's layer state up front (``points`` plus the
    warped grid, at the widest layer, each held about :data:`EXPORT_COPIES`
    times), the export works on a frozen copy of the run's ``snapshots``, and a
    GIF keeps every drawn frame until it is written (an MP4 streams them to
    ffmpeg, a separate process). Measured on 5000 spiral points through 8 x 64
    (more than the largest tab trains on): a 150-frame morph MP4 took 990 MB, a
    60-frame morph GIF 488 MB; this gives 1.3 GB and 0.9 GB.

    Parameters
    ----------
    points : int
        Training points the run holds.
    sizes : tuple of int
        Layer widths, input first.
    snapshots : int
        Recorded snapshots.
    frames : int
    gif : bool
        A GIF (else an MP4).
    """
    n_params = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    b = EXPORT_BASE + 8 * n_params * snapshots
    b += frames * (points + EXPORT_GRID) * max(sizes) * 8 * EXPORT_COPIES
    if gif:
        b += frames * EXPORT_PIXELS * 4
    return int(b)
