"""Every figure function draws into an Axes the caller gives (a notebook's own subplots) and
returns that Axes' matplotlib Figure; without one it returns a Figure of its own."""

import inspect

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import netwarp as nw  # noqa: E402
from netwarp import outputs  # noqa: E402
from netwarp.errors import NetwarpError  # noqa: E402

FIGURES = [name for name in outputs.__all__ if name.endswith("_figure")]


def test_every_figure_function_takes_an_ax_or_axes():
    assert len(FIGURES) >= 7
    for name in FIGURES:
        params = inspect.signature(getattr(outputs, name)).parameters
        assert "ax" in params or "axes" in params, name


@pytest.fixture(scope="module")
def runs():
    X, y = nw.make_dataset("xor", n=200, seed=0)
    c = nw.train(X, y, [2, 3], steps=60, seed=0)
    Xs, ys = nw.make_dataset("sine", seed=0)
    r = nw.train(Xs, ys, [4], activation="relu", steps=60, seed=0)
    return c, r


def test_each_draws_on_the_callers_axes_and_returns_their_figure(runs):
    c, r = runs
    fig = plt.figure(figsize=(15, 8))
    try:
        axes = fig.subplots(2, 5).ravel()
        ax3d = fig.add_subplot(3, 5, 15, projection="3d")
        extra = fig.add_subplot(3, 5, 14)
        calls = {
            "field_figure": lambda: outputs.field_figure(c, ax=axes[0]),
            "layer_figure": lambda: outputs.layer_figure(c, 1, ax=axes[1]),
            "curves_figure": lambda: outputs.curves_figure(c, ax=axes[2]),
            "probes_figure": lambda: outputs.probes_figure([c], ax=axes[3]),
            "fit_figure": lambda: outputs.fit_figure(r, ax=axes[4]),
            "compare_figure": lambda: outputs.compare_figure([c, c], axes=axes[5:7]),
            "stages_figure": lambda: outputs.stages_figure(c, 1, axes=[axes[7], axes[6]]),
            "view_figure": lambda: [outputs.view_figure(nw.views.warp(c, 1), ax=axes[8]),
                                    outputs.view_figure(nw.views.regression_curve(r), ax=axes[9])][-1],
            "table_layer_figure": lambda: outputs.table_layer_figure(c, 1, ax=extra),
        }
        assert sorted(calls) == sorted(FIGURES)
        for name, call in calls.items():
            assert call() is fig, name
        for i, ax in enumerate(axes):
            assert ax.has_data(), f"axes {i} left empty"
        outputs.layer_figure(c, 2, ax=ax3d)  # 3 units: on the caller's 3D axes
        outputs.view_figure(nw.views.warp(c, 2), ax=ax3d)
        assert ax3d.has_data()
        with pytest.raises(NetwarpError, match="a 3-unit layer is drawn on 3D axes"):
            outputs.view_figure(nw.views.warp(c, 2), ax=axes[0])
    finally:
        plt.close(fig)
    # and without one, a Figure of their own
    assert isinstance(outputs.curves_figure(c), Figure) and isinstance(outputs.fit_figure(r), Figure)
    assert len(outputs.fit_figure(r).axes) == 2


def test_the_wrong_number_of_axes_is_a_one_line_error(runs):
    c, _ = runs
    fig = plt.figure()
    try:
        (a,) = [fig.add_subplot()]
        with pytest.raises(NetwarpError, match="one Axes per trace: 2 traces, 1 axes"):
            outputs.compare_figure([c, c], axes=[a])
        with pytest.raises(NetwarpError, match="it needs 2 Axes, got 1"):
            outputs.stages_figure(c, 1, axes=[a])
    finally:
        plt.close(fig)
