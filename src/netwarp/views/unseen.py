"""Inputs the training set (almost) never shows the network, so what the network does with them is
not evidence: a pixel blank in every training image gets no gradient and keeps its random start,
and one inked in a handful of images gets a weight fitted to those few. Saliency views mark them
(NaN, drawn grey) rather than rank them.

Which inputs are unseen is a fact about the training data alone, the same for any model; the
"no gradient, random start" reading is that of a dense first layer (netwarp's networks). A
convolution shares its kernel over the image, so for a recorded CNN a blank pixel says only that
the training set never shows it.

Measured on the digits (seed 0, 1347 training images, four networks): 4 pixels are blank in every
image, and pixels inked in 1 to 17 of them (0.07-1.3%) were the loudest of a "7 rather than a 2"
saliency, 4-9x its median; with them greyed, the loudest pixels are inked in a quarter of the
images or more.
"""

from __future__ import annotations

import numpy as np

from ..trace import Trace
from .cache import cached

#: An input whose training values leave their most common value in fewer than this share of the
#: training inputs counts as unseen (a digits pixel inked in fewer than 1 image in 50).
RARE_SHARE = 0.02


def varied_share(trace: Trace) -> np.ndarray:
    """For each input, the share of training inputs where it is not at its most common value
    (for a digits pixel: the share of training images that ink it; 0 for a constant input).

    Returns
    -------
    ndarray of shape (n_inputs,)
    """

    def compute() -> np.ndarray:
        X = np.asarray(trace.X_train, dtype=float)
        common = np.array([np.unique(col, return_counts=True)[1].max() for col in X.T])
        return 1.0 - common / len(X)

    return cached(trace, "varied_share", compute)


def unseen_inputs(trace: Trace, rare: float = RARE_SHARE) -> np.ndarray:
    """Which inputs the training set does not show: constant over it, or off their most common
    value in fewer than ``rare`` of its inputs (``rare=0``: constant ones only).

    Returns
    -------
    ndarray of bool, shape (n_inputs,)
    """
    share = varied_share(trace)
    return (share == 0) | (share < rare)
