"""The network diagram over training: every weight's line thickening, thinning and
changing sign as the run goes, one snapshot per frame, on one scale for all frames."""

from __future__ import annotations

import numpy as np

from ..render.figure import figure_rgb
from ..trace import Trace
from ..views import spread_snapshots
from .anatomy import diagram_figure
from .scene_common import MAX_FRAMES, MAX_SIZE, MIN_SIZE, check_count, even

DEFAULT_FRAMES, DEFAULT_SIZE = 40, 1000


class WeightsScene:
    """Frames of the diagram at snapshots spread evenly over the recorded ones."""

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None,
                 size: int | None = None):
        trace.index(-1)  # a one-line error for an empty trace
        self.trace = trace
        wanted = check_count("frames", DEFAULT_FRAMES if frames is None else frames, 2, MAX_FRAMES)
        self.snapshots = spread_snapshots(trace, wanted)
        self.n_frames = len(self.snapshots)
        self.width = even(check_count("size", DEFAULT_SIZE if size is None else size, MIN_SIZE, MAX_SIZE))
        self.height = even(int(self.width * 0.62))
        # one scale for the whole animation: the largest |w| each layer ever has
        self.scale = {}
        for k, (sw, _) in enumerate(trace.arch.slices()):
            self.scale[k] = float(np.abs(trace.params[:, sw]).max())

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as RGB, shape ``(height, width, 3)``."""
        fig = diagram_figure(self.trace, int(self.snapshots[i]), self.width, self.scale, diagnostics=False)
        fig.set_size_inches(self.width / fig.dpi, self.height / fig.dpi)
        return figure_rgb(fig)
