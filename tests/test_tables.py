"""Tables: scikit-learn's bundled iris, wine and breast cancer, and a user's CSV with a header,
text labels and any number of features, through training, the trace file and the layer pictures."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_wine

import netwarp as nw
from netwarp import views
from netwarp.data import build_data
from netwarp.errors import NetwarpError
from netwarp.outputs.table_figures import feature_arrows, table_layer_figure
from netwarp.render.figure import save_figure
from netwarp.tables import read_table

OUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "tables"
CULTIVARS = ["barolo", "grignolino", "barbera"]


@pytest.mark.parametrize(("name", "shape", "k"), [("iris", (150, 4), 3), ("wine", (178, 13), 3), ("breast_cancer", (569, 30), 2)])
def test_bundled_tables_come_standardised_with_their_names(name, shape, k):
    X, y = nw.make_dataset(name)
    assert X.shape == shape and len(np.unique(y)) == k
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-9)
    _, _, task, d = build_data({"dataset": name})
    import sklearn.datasets

    raw = getattr(sklearn.datasets, f"load_{name}")()
    assert task == "classification" and d["features"] == list(raw.feature_names) and d["classes"] == list(raw.target_names)
    np.testing.assert_allclose(np.array(d["mean"]), raw.data.mean(axis=0))  # the table's own units, kept


@pytest.fixture(scope="module")
def wine_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("csv") / "wine.csv"
    d = load_wine()
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*d.feature_names, "cultivar"])
        for x, t in zip(d.data, d.target):
            w.writerow([*x, CULTIVARS[t]])
    return path


def test_a_csv_with_a_header_and_text_labels_is_a_table(wine_csv):
    t = read_table(wine_csv)
    assert t.X.shape == (178, 13) and t.task == "classification"
    assert t.class_names == sorted(CULTIVARS) and t.feature_names[0] == "alcohol"
    d = load_wine()
    np.testing.assert_array_equal(np.array(t.class_names)[t.y], np.array(CULTIVARS)[d.target])
    np.testing.assert_allclose(t.X * t.scale + t.mean, d.data)  # standardised, units kept


def test_label_by_name_and_regression(tmp_path):
    path = tmp_path / "t.csv"
    rows = ["a,kind,b,c,price"] + [f"{i},{'xy'[i % 2]},{i % 7},{i % 3},{0.5 * i + 0.25}" for i in range(30)]
    path.write_text("\n".join(rows))
    with pytest.raises(NetwarpError, match=r"line 2, column 2 \('kind'\): 'x' is not a number"):
        read_table(path, task="regression")
    t = read_table(path, label="kind")
    assert t.feature_names == ["a", "b", "c", "price"] and t.class_names == ["x", "y"]
    path.write_text("\n".join(["a,b,c,price"] + [f"{i},{i % 7},{i % 3},{0.5 * i + 0.25}" for i in range(30)]))
    r = read_table(path)
    assert r.task == "regression" and r.class_names == []
    with pytest.raises(NetwarpError, match="no column called 'cost'"):
        read_table(path, label="cost")


def test_cli_trains_plots_every_layer_and_reports_a_text_label_csv(wine_csv, tmp_path):
    run = tmp_path / "w.npz"
    cli = [sys.executable, "-m", "netwarp"]
    out = subprocess.run([*cli, "train", "--csv", str(wine_csv), "--hidden", "8,6", "--steps", "400", "-o", str(run), "-q"],
                         capture_output=True, text=True, check=True)
    assert "13-8-6-3" in out.stdout
    t = nw.load_trace(run)
    assert t.feature_names[:2] == ["alcohol", "malic_acid"] and t.class_names == sorted(CULTIVARS)
    for layer in range(4):
        pic = tmp_path / f"l{layer}.png"
        r = subprocess.run([*cli, "plot", str(run), "--layer", str(layer), "-o", str(pic)], capture_output=True, text=True)
        assert r.returncode == 0 and pic.stat().st_size > 5000, r.stderr
    r = subprocess.run([*cli, "report", str(run), "-o", str(tmp_path / "r.html")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_the_biplot_arrows_are_the_features_directions_in_the_view(wine_csv):
    X, y, task, d = build_data({"csv": str(wine_csv)})
    t = nw.train(X, y, hidden=[8], steps=300, data=d)
    basis = views.separating_projection(t, 0).basis
    arrows = feature_arrows(t, basis.axes, (-3.0, 3.0, -3.0, 3.0))
    length = np.linalg.norm(basis.axes, axis=1)
    assert [n for n, _ in arrows] == [t.feature_names[i] for i in np.argsort(-length)[:8]]
    for name, a in arrows:
        i = t.feature_names.index(name)
        np.testing.assert_allclose(a / np.linalg.norm(a), basis.axes[i] / length[i])  # its direction, exactly
    fig = table_layer_figure(t, 0)
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert all(n in texts for n, _ in arrows)
    assert sorted(CULTIVARS) == [x.get_text() for x in fig.legends[0].get_texts()]
    OUT.mkdir(parents=True, exist_ok=True)
    save_figure(fig, OUT / "wine-biplot.png")
    save_figure(table_layer_figure(t, 1), OUT / "wine-hidden-layer-1.png")


def test_animations_report_and_card_work_for_a_table(wine_csv, tmp_path):
    from PIL import Image

    from netwarp.outputs.card import card_figure
    from netwarp.outputs.morph_scene import MorphScene
    from netwarp.outputs.training_scene import TrainingScene

    X, y, task, d = build_data({"csv": str(wine_csv)})
    t = nw.train(X, y, hidden=[8, 8], steps=300, data=d)
    m = MorphScene(t, 2, frames=6, size=400)
    # the last frame is the layer's separating view, up to a turn: the classes' split lies along it
    sep = views.separating_projection(t, 2).points
    last = m.pts[-1]
    np.testing.assert_allclose(np.linalg.norm(last - last.mean(0), axis=1), np.linalg.norm(sep - sep.mean(0), axis=1), rtol=0.35)
    assert m.frame(5).shape == (400, 400, 4)
    sc = TrainingScene(t, frames=4, size=800)
    frame = sc.frame(3)
    assert frame.shape[1] == 800
    Image.fromarray(frame).save(tmp_path / "f.png")
    for kind in ("morph", "training"):
        r = subprocess.run([sys.executable, "-m", "netwarp", "animate", str(_saved(t, tmp_path)), "--kind", kind,
                            "--frames", "4", "-o", str(tmp_path / f"{kind}.gif")], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    fig = card_figure(t)
    assert len(fig.axes) >= 2 and "along its split" in fig.axes[0].get_title()
    from netwarp.outputs.report import build_report

    page = build_report(t)
    assert "Where we cannot look" in page and page.count("<img") >= 4


def _saved(t, tmp_path):
    path = tmp_path / "t.npz"
    t.save(path)
    return path


@pytest.mark.parametrize("lang", ["numpy", "torch"])
def test_the_generated_code_speaks_the_tables_units(wine_csv, lang):
    X, y, task, d = build_data({"csv": str(wine_csv)})
    t = nw.train(X, y, hidden=[6], steps=50, data=d)
    source = views.forward_code(t, lang=lang)
    space: dict = {}
    exec(compile(source, "forward.py", "exec"), space)
    raw = load_wine().data
    assert space["FEATURES"] == t.feature_names
    np.testing.assert_allclose(space["standardise"](raw), X, atol=1e-12)
    np.testing.assert_allclose(space["forward"](space["standardise"](raw[:5])), t.layer_outputs(X[:5])[-1], atol=1e-9)


def test_a_run_that_kept_only_the_bundled_tables_name_has_its_names():
    X, y = nw.make_dataset("iris")
    t = nw.train(X, y, hidden=[4], steps=5, data={"dataset": "iris"})
    import sklearn.datasets

    raw = sklearn.datasets.load_iris()
    assert t.feature_names == list(raw.feature_names) and t.class_names == list(raw.target_names)
