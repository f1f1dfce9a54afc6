"""The settings a saved run was trained with, as the playground's config groups.

``netwarp serve run.npz`` shows the run's own dataset, activations (one per
hidden layer when they differ), optimiser and widths in the page's controls (greyed out), not the playground's defaults.
Every value comes from the trace: its architecture, its training ``config``
and its ``data`` description; what the trace does not record keeps the
playground's default.
"""

from __future__ import annotations

from ..settings import SETTINGS
from ..trace import Trace
from .protocol import playground_config


def replay_config(trace: Trace) -> dict:
    """The grouped config (``{"data": ..., "net": ..., "play": ...}``) a replayed ``trace`` was trained with.

    Parameters
    ----------
    trace : Trace
        The saved run.

    Returns
    -------
    dict
        The playground's config message groups, the run's values where it recorded them.
    """
    cfg = playground_config()
    if trace.arch.recorded:  # a model recorded by its layers' outputs was not built from the page's settings
        return cfg
    data, run, arch = dict(trace.data), dict(trace.config), trace.arch
    # one name when every hidden layer agrees (as the page and the URL write it), else one per hidden layer
    act = arch.activation if arch.uniform else list(arch.activations)
    values = {**run, "hidden": list(arch.sizes[1:-1]), "activation": act}
    if "dataset" in data:
        values.update(dataset=data["dataset"], n=data.get("n"), noise=data.get("noise"), data_seed=data.get("seed"))
        values.update({k: v for k, v in data.items() if k not in ("dataset", "n", "noise", "seed")})
    for s in SETTINGS.values():
        if s.url and s.group in cfg and s.name in values and values[s.name] is not None:
            cfg[s.group][s.config_key] = values[s.name]
    return cfg
