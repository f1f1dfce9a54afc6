"""The drawing commands: real files on success; on bad input exit 2, one line, nothing left behind."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image

import netwarp
from netwarp.cli import main


@pytest.fixture(scope="module")
def traces(tmp_path_factory):
    d = tmp_path_factory.mktemp("traces")
    X, y = netwarp.make_dataset("circles", n=60, seed=0)
    netwarp.train(X, y, hidden=[3], steps=40, snapshots=5, data={"dataset": "circles"}).save(d / "c3.npz")
    X, y = netwarp.make_dataset("blobs", n=60, seed=0)
    netwarp.train(X, y, hidden=[4, 2], steps=40, snapshots=5, data={"dataset": "blobs"}).save(d / "b.npz")
    (d / "corrupt.npz").write_bytes((d / "b.npz").read_bytes()[:300])
    (d / "text.npz").write_text("hello")
    return d


def _ok(capsys, *argv):
    assert main([str(a) for a in argv]) == 0, capsys.readouterr().err
    return capsys.readouterr()


def _fails(capsys, folder, *argv, match=""):
    before = sorted(p.name for p in folder.iterdir())
    rc = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netwarp: error: "), err
    assert "Traceback" not in err
    assert match.lower() in lines[0].lower(), lines[0]
    assert sorted(p.name for p in folder.iterdir()) == before  # no output, no temp file
    return lines[0]


def test_plot_png_and_svg(traces, tmp_path, capsys):
    _ok(capsys, "plot", traces / "b.npz", "-o", tmp_path / "f.png", "--size", 300)
    with Image.open(tmp_path / "f.png") as im:
        assert im.size == (300, 300)
    _ok(capsys, "plot", traces / "c3.npz", "-o", tmp_path / "l.svg", "--layer", 1, "--snapshot", 2)
    assert (tmp_path / "l.svg").read_text().lstrip().startswith("<?xml")


def test_animate_gif_and_mp4(traces, tmp_path, capsys):
    import imageio.v3 as iio

    _ok(capsys, "animate", traces / "c3.npz", "--kind", "rotate", "--frames", 4, "--size", 160, "-o", tmp_path / "r.gif", "-q")
    with Image.open(tmp_path / "r.gif") as im:
        assert im.n_frames == 4 and im.width == 160 and 80 <= im.height <= 160  # as tall as the drawing needs
    _ok(capsys, "animate", traces / "b.npz", "--kind", "training", "--frames", 3, "--size", 240, "-o", tmp_path / "t.mp4", "-q")
    assert len(list(iio.imiter(tmp_path / "t.mp4"))) == 3
    _ok(capsys, "animate", traces / "b.npz", "--kind", "morph", "--layer", 2, "--frames", 3, "--size", 160, "-o", tmp_path / "m.gif", "-q")


def test_report(traces, tmp_path, capsys):
    _ok(capsys, "report", traces / "c3.npz", "-o", tmp_path / "r.html", "-q")
    text = (tmp_path / "r.html").read_text()
    assert "http://" not in text and "https://" not in text and 'src="//' not in text
    # the report names the trace it was made from in the command it suggests, and that command works
    import shlex

    from netwarp.outputs.report_anatomy import code_command

    command = code_command(traces / "c3.npz")
    assert command == f"netwarp code {traces / 'c3.npz'} -o forward.py"
    assert f"<code>{command}</code>" in text
    assert "run.npz" not in text
    _ok(capsys, *shlex.split(command)[1:-1], tmp_path / "forward.py")
    assert "def forward(X):" in (tmp_path / "forward.py").read_text()


BAD = [
    (["plot", "{t}/b.npz", "-o", "{o}/f.jpg"], "not a known image format"),
    (["plot", "{t}/b.npz", "-o", "{o}/f"], "no extension"),
    (["plot", "{t}/b.npz", "-o", "{o}/f.png", "--layer", "9"], "layer 9 is out of range"),
    (["plot", "{t}/b.npz", "-o", "{o}/f.png", "--snapshot", "99"], "snapshot 99 is out of range"),
    (["plot", "{t}/b.npz", "-o", "{o}/f.png", "--size", "3"], "size"),
    (["plot", "{t}/missing.npz", "-o", "{o}/f.png"], "no such file"),
    (["plot", "{t}/corrupt.npz", "-o", "{o}/f.png"], "not a readable trace"),
    (["plot", "{t}/text.npz", "-o", "{o}/f.png"], "trace"),
    (["plot", "{t}/b.npz", "-o", "{o}/nowhere/f.png"], "does not exist"),
    (["plot", "{t}/b.npz", "-o", "{o}/f.png", "--layer", "x"], "invalid int"),
    (["animate", "{t}/b.npz", "--kind", "rotate", "-o", "{o}/a.gif"], "no layer of this 2-4-2-2 network is 3 wide"),
    (["animate", "{t}/c3.npz", "--kind", "rotate", "--layer", "2", "-o", "{o}/a.gif"], "3-wide layers of this 2-3-2 network: 1"),
    (["animate", "{t}/b.npz", "--kind", "spin", "-o", "{o}/a.gif"], "invalid choice"),
    (["animate", "{t}/b.npz", "-o", "{o}/a.avi"], "not a known animation format"),
    (["animate", "{t}/b.npz", "-o", "{o}/a.gif", "--frames", "0"], "frames"),
    (["animate", "{t}/b.npz", "-o", "{o}/a.mp4", "--layer", "-1"], "out of range"),
    (["animate", "{t}/b.npz", "--kind", "morph", "-o", "{o}/a.gif", "--snapshot", "-9"], "snapshot -9 is out of range"),
    (["animate", "{t}/corrupt.npz", "-o", "{o}/a.gif"], "not a readable trace"),
    (["animate", "{t}/b.npz", "-o", "{o}/nowhere/a.gif"], "does not exist"),
    (["report", "{t}/b.npz", "-o", "{o}/r.pdf"], "not a known report format"),
    (["report", "{t}/missing.npz", "-o", "{o}/r.html"], "no such file"),
    (["report", "{t}/b.npz", "-o", "{o}/nowhere/r.html"], "does not exist"),
    (["gallery", "-o", "{o}/afile"], "is a file"),
    (["plot", "{t}/b.npz"], "required"),
    (["animate", "{t}/b.npz", "-o", "{o}/a.gif", "--fps", "0"], "fps must be a number from 0.01 to 100"),
    (["animate", "{t}/b.npz", "--kind", "morph", "-o", "{o}/a.gif", "--frames", "2000", "--size", "4096"], "too much to hold"),
]


@pytest.mark.parametrize("argv,match", BAD, ids=[" ".join(a[:1] + a[2:]).replace("{t}", "").replace("{o}", "") for a, _ in BAD])
def test_bad_input_exits_2_with_one_line(traces, tmp_path, capsys, argv, match):
    if argv[0] == "gallery":
        (tmp_path / "afile").write_text("x")
    argv = [a.format(t=traces, o=tmp_path) for a in argv]
    _fails(capsys, tmp_path, *argv, match=match)


def test_bad_input_in_a_real_process(traces, tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "netwarp", "animate", str(traces / "b.npz"), "--kind", "rotate", "-o", str(tmp_path / "a.gif")],
        capture_output=True, text=True,
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_runs_the_gallery_into_netwarp_demo(monkeypatch, tmp_path, capsys):
    from netwarp.outputs import cli as cli_render

    seen = {}

    def fake(out, progress=True, **kw):
        seen["out"] = out
        (tmp_path / "index.html").write_text("x")
        return tmp_path / "index.html"

    monkeypatch.setattr("netwarp.outputs.gallery.run_gallery", fake)
    assert main(["demo"]) == 0
    assert seen["out"] == cli_render.DEMO_DIR and str(seen["out"]) == "netwarp-demo"
    assert str(tmp_path / "index.html") in capsys.readouterr().out


def test_code_and_diagnose_commands(tmp_path, capsys):
    import runpy

    import numpy as np

    import netwarp

    run = tmp_path / "r.npz"
    assert main(["train", "--data", "moons", "--hidden", "4", "--steps", "100", "-q", "-o", str(run)]) == 0
    capsys.readouterr()
    assert main(["code", str(run), "-o", str(tmp_path / "f.py")]) == 0
    t = netwarp.load_trace(run)
    ns = runpy.run_path(str(tmp_path / "f.py"))
    np.testing.assert_allclose(ns["forward"](t.X_test), t.layer_outputs(t.X_test)[-1], atol=1e-12)
    assert main(["code", str(run), "-o", str(tmp_path / "f.txt")]) == 2
    assert "the code goes in a .py file" in capsys.readouterr().err
    assert main(["diagnose", str(run)]) == 0
    assert "no problem found" in capsys.readouterr().out
    for what in ("code", "weights", "gradients", "diagram"):
        assert main(["plot", str(run), "--what", what, "-o", str(tmp_path / f"{what}.png")]) == 0
    assert main(["animate", str(run), "--kind", "weights", "--frames", "3", "-q", "-o", str(tmp_path / "w.gif")]) == 0
