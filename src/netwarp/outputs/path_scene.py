"""The path from one digit to another as an animation: the image morphing in pixel space,
every hidden layer's activations and the class probabilities at each point, the decision
flip marked when it happens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import views
from ..render.figure import figure_rgb, new_figure
from ..render.palette import CLASS_COLORS
from ..trace import Trace
from .digits_figures import _colorbar, _ink, _layer_cells, check_digits, pick
from .scene_common import MAX_FRAMES, MAX_SIZE, MIN_SIZE, check_count, even

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_FRAMES, DEFAULT_SIZE = 40, 1000


class PathScene:
    """Frames along the straight path between two test digits (``--index``/``--digit`` to
    ``--to-index``/``--to-digit``; by default the first test image and the first of another class)."""

    def __init__(self, trace: Trace, layer: int | None = None, snapshot: int = -1, frames: int | None = None,
                 size: int | None = None, a: np.ndarray | None = None, b: np.ndarray | None = None):
        check_digits(trace)
        self.trace, self.snapshot = trace, snapshot
        self.n_frames = check_count("frames", DEFAULT_FRAMES if frames is None else frames, 2, MAX_FRAMES)
        self.width = even(check_count("size", DEFAULT_SIZE if size is None else size, MIN_SIZE, MAX_SIZE))
        self.height = even(int(self.width * 0.42))  # + the colour bars under the cells
        if a is None:
            a, label = pick(trace)
            b = trace.X_test[int(np.flatnonzero(trace.y_test != label)[0])] if b is None else b
        self.path = views.interpolate(trace, a, b, self.n_frames, snapshot)
        self.scale = [max(float(np.abs(h).max()), 1e-12) for h in self.path.activations[1:-1]]

    def figure(self, i: int) -> Figure:
        """Frame ``i`` as a figure: each layer's cells on one colour scale over the whole path, with its colour bar."""
        p, hidden = self.path, self.path.activations[1:-1]
        fig, axes = new_figure(self.width, self.height, ncols=len(hidden) + 2, width_ratios=[1.0] * (len(hidden) + 1) + [1.6])
        im = axes[0].imshow(p.inputs[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=_ink(self.trace))
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        axes[0].set_title(f"t = {views.t_labels(self.n_frames)[i]}", fontsize=11)
        _colorbar(im, axes[0], "ink", location="bottom", shrink=0.8)
        for k, h in enumerate(hidden, start=1):
            im = _layer_cells(axes[k], h[i], f"hidden layer {k}", scale=self.scale[k - 1])
            _colorbar(im, axes[k], f"h{k} activation", location="bottom", shrink=0.8)
        ax = axes[-1]
        pred = int(p.predicted[i])
        ax.bar(range(p.probs.shape[1]), p.probs[i], color=[CLASS_COLORS[1] if c == pred else "#b8c4cc" for c in range(p.probs.shape[1])])
        ax.set_ylim(0, 1)
        ax.set_xticks(range(p.probs.shape[1]))
        flipped = any(f <= i for f in p.flips)
        ax.set_title(f"predicts {pred}" + ("  (flipped)" if flipped else ""), fontsize=11,
                     color="#d62728" if flipped else "#222222")
        return fig

    def frame(self, i: int) -> np.ndarray:
        """Frame ``i`` as RGB, shape ``(height, width, 3)``."""
        return figure_rgb(self.figure(i))

