"""netwarp: see how a neural network stretches, squishes and folds space as it learns."""

from .activations import ACTIVATIONS
from .data import make_dataset
from .datasets import DATASETS
from .errors import NetwarpError, TrainingDiverged
from .many import train_many
from .nn import Architecture, forward
from .optim import OPTIMIZERS
from .trace import Snapshot, Trace, load_trace
from .train import Trainer, snapshot_steps, train
from .userdata import check_xy, load_csv

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "OPTIMIZERS",
    "Architecture",
    "NetwarpError",
    "Snapshot",
    "Trace",
    "Trainer",
    "TrainingDiverged",
    "check_xy",
    "forward",
    "from_torch",
    "load_csv",
    "load_trace",
    "make_dataset",
    "snapshot_steps",
    "sweep",
    "train",
    "train_many",
    "widget",
]


def __getattr__(name: str):
    # `nw.views` and `nw.outputs` work after a bare `import netwarp`, without making
    # every import of netwarp pay for scikit-learn and matplotlib up front
    if name in ("views", "outputs", "sweeps", "torch"):  # netwarp.torch imports torch only when used
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name == "widget":  # needs anywidget (netwarp[notebook]), imported only when asked for
        from .notebook import widget

        return widget
    if name == "from_torch":
        from .torch import from_torch

        return from_torch
    if name == "sweep":  # the function; its package is netwarp.sweeps
        from .sweeps import sweep

        return sweep
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
