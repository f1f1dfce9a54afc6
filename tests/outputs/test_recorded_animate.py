"""`netwarp animate --kind training` on a recorded trace (issue 23): the chosen layer along its split
over training through one steady view, the curves beside it; other kinds refused in one line.
First and last frames go to test-artifacts/recorded/ to be looked at."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from netwarp import views
from netwarp.cli import main
from netwarp.outputs.animate import animate, make_scene
from netwarp.outputs.recorded_figures import apart_phrase
from netwarp.outputs.recorded_scene import RecordedTrainingScene

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "recorded"


def test_every_frame_is_the_layer_through_one_view_fitted_over_the_snapshots(recorded_cnn):
    t = recorded_cnn
    scene = make_scene(t, "training", layer=1, size=480)
    assert isinstance(scene, RecordedTrainingScene) and scene.n_frames == len(t)
    basis = views.fit_separating_basis(t, 1, snapshots=list(range(len(t))))
    x0, x1, y0, y1 = scene.track.limits
    for i, s in enumerate(scene.snaps):
        sep = views.separating_projection(t, 1, int(s), basis=basis)
        np.testing.assert_allclose(scene.track.views[i].points, sep.points)  # steady camera: the same axes every frame
        P = scene.track.views[i].points
        assert (P[:, 0] >= x0).all() and (P[:, 0] <= x1).all() and (P[:, 1] >= y0).all() and (P[:, 1] <= y1).all()
        acc = views.probe_accuracies(t, int(s))[1]
        assert scene.track.accuracy[i] == pytest.approx(acc)
        assert scene.track.notes(i)[:2] == [f"linear probe test accuracy {acc:.1%}:", apart_phrase(acc, t.n_classes)]


def test_the_animation_is_written_frame_by_frame_and_its_frames_are_kept(recorded_cnn, tmp_path):
    out = animate(recorded_cnn, tmp_path / "train.gif", "training", layer=1, size=640, progress=False)
    im = Image.open(out)
    assert im.n_frames == len(recorded_cnn) and im.size[0] == 640
    OUT.mkdir(parents=True, exist_ok=True)
    for k in (0, im.n_frames - 1):
        im.seek(k)
        im.convert("RGB").save(OUT / f"animate-training-frame{k}.png")
        # the left panel shows the points (class colours), the right the curves: neither is blank
        px = np.asarray(im.convert("RGB"))
        half = px.shape[1] // 2
        assert (px[:, :half].std(), px[:, half:].std()) > (10, 10)


def test_the_default_layer_is_the_last_recorded_one(recorded_cnn):
    scene = RecordedTrainingScene(recorded_cnn, frames=2, size=480)
    assert scene.layer == 2 and scene.track.title.startswith("fc1: 16 units")


def test_kinds_that_need_weights_refuse_in_one_line(recorded_cnn, tmp_path, capsys):
    path = tmp_path / "cnn.npz"
    recorded_cnn.save(path)
    for kind in ("morph", "rotate", "weights", "path"):
        out = tmp_path / f"{kind}.gif"
        assert main(["animate", str(path), "-o", str(out), "--kind", kind, "-q"]) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"netwarp: error: --kind {kind} needs the model's weights") and "\n" not in err, err
        assert "--kind training" in err and not out.exists()
    assert main(["animate", str(path), "-o", str(tmp_path / "t.gif"), "--layer", "9", "-q"]) != 0
    assert "0 input, 1 pool, 2 fc1, 3 output logits" in capsys.readouterr().err
