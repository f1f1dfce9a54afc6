"""`netwarp plot` on a trace recorded by its layers' outputs (issue 23): each layer along its probe's
split, titled with the recorded name and the measured probe accuracy; pictures that need weights
refused in one line. Pictures go to test-artifacts/recorded/ to be looked at."""

from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from netwarp import views
from netwarp.cli import main
from netwarp.outputs.figures import plot
from netwarp.outputs.recorded_figures import (
    APART,
    RECORDED_WHATS,
    apart_phrase,
    recorded_layer_figure,
    recorded_name,
)

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "recorded"


def _scatter(ax) -> np.ndarray:
    return np.asarray([c for c in ax.collections if isinstance(c, PathCollection)][0].get_offsets())


@pytest.mark.parametrize("layer", [1, 2])
def test_a_recorded_layer_is_drawn_along_its_probe_split_with_its_name_and_measured_accuracy(recorded_cnn, layer):
    t = recorded_cnn
    fig = recorded_layer_figure(t, layer)
    OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT / f"plot-layer{layer}.png")
    ax = fig.axes[0]
    s = views.separating_projection(t, layer, -1)
    np.testing.assert_allclose(_scatter(ax), s.points)  # the points drawn are the view's own
    acc = views.probe_accuracies(t, -1)[layer]
    assert s.accuracy == pytest.approx(acc)  # the view's probe is the probe the accuracies measure
    title = ax.get_title()
    assert title.startswith(f"{t.layer_names[layer - 1]} ({t.arch.sizes[layer]} units), step {t.steps[-1]}")
    assert f"linear probe test accuracy {acc:.1%}: {apart_phrase(acc, 10)}" in title
    assert "2 of the probe's 9 discriminant directions" in title  # ten classes: the view is a slice


def test_without_layer_the_last_recorded_layer_is_drawn(recorded_cnn, tmp_path):
    fig = recorded_layer_figure(recorded_cnn)
    assert fig.axes[0].get_title().startswith("fc1 (16 units)")
    assert main(["plot", str(_saved(recorded_cnn, tmp_path)), "-o", str(tmp_path / "p.png")]) == 0
    assert (tmp_path / "p.png").stat().st_size > 1000


def test_the_caption_says_the_classes_come_apart_only_when_the_probe_says_so():
    assert apart_phrase(APART, 10) == "the classes come apart along its split"
    assert "partly" in apart_phrase(APART - 0.05, 10)
    assert "still mixed" in apart_phrase(0.15, 10)
    assert "come apart along" not in apart_phrase(0.6, 2)


def test_recorded_names_number_the_layers_as_layer_outputs_does(recorded_cnn):
    t = recorded_cnn
    assert [recorded_name(t, i) for i in range(4)] == ["input", "pool", "fc1", "output logits"]


def _saved(t, tmp_path):
    path = tmp_path / "cnn.npz"
    if not path.exists():
        t.save(path)
    return path


def test_the_plot_cli_refuses_weight_pictures_and_bad_layers_in_one_line(recorded_cnn, tmp_path, capsys):
    path = _saved(recorded_cnn, tmp_path)
    for args in (["--what", "field"], ["--what", "code"], ["--what", "weights"], ["--what", "diagram"],
                 ["--what", "saliency"], ["--layer", "4"]):
        out = tmp_path / "x.png"
        assert main(["plot", str(path), "-o", str(out), *args]) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("netwarp: ") and "\n" not in err and "Traceback" not in err, err
        assert not out.exists()
    assert "--what field needs the model's weights" in _refusal(recorded_cnn, tmp_path, "field")
    assert "0 input, 1 pool, 2 fc1, 3 output logits" in _refusal(recorded_cnn, tmp_path, "layer", layer=4)


def _refusal(t, tmp_path, what, layer=None) -> str:
    from netwarp.errors import NetwarpError

    with pytest.raises(NetwarpError) as e:
        plot(t, tmp_path / "y.png", what, layer)
    return str(e.value)


@pytest.mark.parametrize("what", [w for w in RECORDED_WHATS if w != "auto"])
def test_every_picture_a_recorded_trace_offers_is_drawn(recorded_cnn, tmp_path, what):
    out = plot(recorded_cnn, tmp_path / f"{what}.png", what, size=560)
    assert out.stat().st_size > 1000
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"plot-{what}.png").write_bytes(out.read_bytes())


def test_selectivity_reads_the_last_recorded_layer_by_default_and_names_it(recorded_cnn):
    from netwarp.outputs.recorded_figures import recorded_selectivity_figure

    t = recorded_cnn
    ax = recorded_selectivity_figure(t, size=600).axes[0]
    assert ax.get_xlabel().startswith("units of fc1") and "fc1" in ax.get_title()
    table = views.class_selectivity(t, t.X_test, t.y_test)[1]
    order = views.order_by_class(table)
    np.testing.assert_allclose(np.asarray(ax.images[0].get_array()), table[order].T)
