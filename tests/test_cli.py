import os
import subprocess
import sys

import numpy as np
import pytest

import netwarp
from netwarp import cli, load_trace


def run(capsys, *argv):
    """Run the CLI in-process; returns ``(exit code, stdout, stderr)``."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def assert_one_line_error(code, err, match):
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("netwarp: error: ") and match in lines[0], lines[0]


def test_train_writes_a_trace_and_summarises(tmp_path, capsys):
    out = tmp_path / "run.npz"
    code, stdout, err = run(capsys, "train", "--data", "circles", "--hidden", "3", "--steps", "300", "--lr", "0.05", "--seed", "2", "--snapshots", "20", "--out", out)
    assert code == 0 and err == ""
    assert f"saved {out}" in stdout and "2-3-2 tanh" in stdout and "snapshots 20 (steps 0..300)" in stdout
    t = load_trace(out)
    assert t.arch.sizes == (2, 3, 2) and len(t) == 20 and t.status == "complete"
    assert t.config == dict(lr=0.05, optimizer="adam", batch_size=None, l1=0.0, l2=0.0, seed=2, steps=300)
    assert t.data == {"dataset": "circles", "n": 400, "noise": 0.0, "seed": 2}
    # the CLI trains exactly what the API trains
    X, y = netwarp.make_dataset("circles", seed=2)
    api = netwarp.train(X, y, hidden=[3], steps=300, lr=0.05, seed=2, snapshots=20)
    np.testing.assert_array_equal(t.params, api.params)


def test_train_options(tmp_path, capsys):
    out = tmp_path / "run.npz"
    code, stdout, _ = run(
        capsys, "train", "--data", "spiral", "--arms", "3", "--n", "150", "--noise", "0.01", "--hidden", "5,4", "--activation", "relu", "--optimizer", "momentum",
        "--lr", "0.05", "--batch-size", "32", "--l1", "0.001", "--l2", "0.002", "--steps", "40", "--record-every", "10", "--test-size", "0.2", "--quiet", "-o", out,
    )  # fmt: skip
    assert code == 0
    t = load_trace(out)
    assert t.arch.sizes == (2, 5, 4, 3) and t.arch.activation == "relu"
    assert list(t.steps) == [0, 10, 20, 30, 40] and len(t.X_test) == 30
    assert t.config["batch_size"] == 32 and t.config["l2"] == 0.002 and t.data["arms"] == 3
    code, _, _ = run(capsys, "train", "--data", "blobs", "--hidden", "none", "--steps", "5", "--classes", "4", "-q", "-o", out)
    assert code == 0 and load_trace(out).arch.sizes == (2, 4)


def test_train_one_activation_per_hidden_layer(tmp_path, capsys):
    out = tmp_path / "run.npz"
    code, stdout, _ = run(capsys, "train", "--data", "moons", "--hidden", "5,4", "--activation", "tanh,relu",
                          "--steps", "30", "--snapshots", "3", "-q", "-o", out)
    assert code == 0 and "2-5-4-2 tanh,relu" in stdout
    t = load_trace(out)
    assert t.arch.activations == ("tanh", "relu")
    X, y = netwarp.make_dataset("moons", seed=0)  # the CLI trains exactly what the API trains
    api = netwarp.train(X, y, hidden=[5, 4], activation=["tanh", "relu"], steps=30, snapshots=3)
    np.testing.assert_array_equal(t.params, api.params)


def test_train_from_csv(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (60, 2))
    rows = "\n".join(f"{a},{b},{int(a * b > 0)}" for a, b in X)
    (tmp_path / "pts.csv").write_text("x1,x2,label\n" + rows + "\n")
    code, stdout, _ = run(capsys, "train", "--csv", tmp_path / "pts.csv", "--steps", "20", "-q", "-o", tmp_path / "c.npz")
    assert code == 0
    t = load_trace(tmp_path / "c.npz")
    assert t.arch.task == "classification" and len(t.X_train) + len(t.X_test) == 60 and t.data["source"] == "csv:pts.csv"
    assert t.feature_names == ["x1", "x2"] and t.data["scale"] == [1.0, 1.0]  # a plane stays in its own units
    (tmp_path / "curve.csv").write_text("".join(f"{x},{x**3}\n" for x in np.linspace(-1, 1, 30)))
    code, _, _ = run(capsys, "train", "--csv", tmp_path / "curve.csv", "--steps", "20", "-q", "-o", tmp_path / "r.npz")
    assert code == 0 and load_trace(tmp_path / "r.npz").arch.task == "regression"


def test_info(tmp_path, capsys, blobs_trace):
    blobs_trace.save(tmp_path / "b.npz")
    code, stdout, err = run(capsys, "info", tmp_path / "b.npz")
    assert code == 0 and err == ""
    assert stdout.strip() == blobs_trace.summary()
    assert "2-4-2 tanh" in stdout and "snapshots 10 (steps 0..60)" in stdout and "final" in stdout


def test_divergence_exits_1_and_keeps_what_it_had(tmp_path, capsys):
    out = tmp_path / "div.npz"
    code, stdout, err = run(capsys, "train", "--lr", "50", "--steps", "300", "-o", out)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("netwarp: error: training diverged")
    assert "learning rate 50" in lines[0] and f"saved what was kept to {out}" in lines[0]
    t = load_trace(out)
    assert t.status == "diverged" and len(t) >= 1 and np.isfinite(t.metrics).all()
    assert "status    diverged" in stdout


@pytest.mark.parametrize(
    "argv, match",
    [
        ([], "the following arguments are required: command"),
        (["fly"], "invalid choice: 'fly'"),
        (["train", "--data", "nope"], "argument --data: invalid choice: 'nope'"),
        (["train", "--hidden", "8,x"], "--hidden takes widths like 8,8"),
        (["train", "--hidden", "8,,8"], "--hidden takes widths like 8,8"),
        (["train", "--hidden", "0"], "hidden layer widths must be whole numbers"),
        (["train", "--hidden", "-4"], "hidden layer widths must be whole numbers"),
        (["train", "--activation", "swish"], "unknown activation 'swish'; choose one of: identity"),
        (["train", "--activation", "tanh,swish"], "unknown activation 'swish'"),
        (["train", "--activation", "tanh,relu,tanh"], "3 activations (tanh, relu, tanh) for 2 hidden layer"),
        (["train", "--optimizer", "lbfgs"], "argument --optimizer: invalid choice"),
        (["train", "--lr", "0"], "learning rate must be a finite number > 0"),
        (["train", "--lr", "nan"], "learning rate must be a finite number > 0, got nan"),
        (["train", "--lr", "fast"], "argument --lr: invalid float value"),
        (["train", "--steps", "0"], "steps must be a whole number from 1 to 9007199254740992"),
        (["train", "--steps", "1.5"], "argument --steps: invalid int value"),
        (["train", "--n", "3"], "n must be a whole number of points from 4 to 1000000"),
        (["train", "--noise", "-1"], "noise must be a finite number >= 0"),
        (["train", "--seed", "-1"], "seed must be a whole number from 0 to 4294967295"),
        (["train", "--batch-size", "0"], "batch size must be a whole number >= 1"),
        (["train", "--test-size", "1"], "test_size must be between 0 and 1"),
        (["train", "--snapshots", "1"], "snapshots must be a whole number from 2 to 100000"),
        (["train", "--record-every", "0"], "record-every must be a whole number from 1 to"),
        (["train", "--arms", "1"], "spiral needs a whole number of arms from 2 to 64"),
        (["train", "--data", "moons", "--arms", "3"], "dataset 'moons' takes no option 'arms'"),
        (["train", "--data", "blobs", "--csv", "x.csv"], "not allowed with argument"),
        (["info"], "the following arguments are required: trace"),
        (["train", "-o", "run.png"], "a trace file ends in .npz"),
        (["train", "-o", "."], "a trace file ends in .npz"),
    ],
)
def test_bad_arguments(argv, match, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, err = run(capsys, *argv)
    assert_one_line_error(code, err, match)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_bad_output_folder(tmp_path, capsys):
    code, _, err = run(capsys, "train", "--steps", "5", "-o", tmp_path / "no" / "run.npz")
    assert_one_line_error(code, err, "folder")


@pytest.mark.parametrize(
    "text, match",
    [
        ("0,0,0\n1,1\n2,2,0\n3,3,1\n", "line 2 has 2 columns, expected 3"),
        ("0,0,0\n1,x,1\n2,2,0\n3,3,1\n", "line 2, column 2: 'x' is not a number"),
        ("0,0,0\n1,1,0\n2,2,0\n3,3,0\n", "need at least 2 classes"),
        ("", "no data rows"),
        ("1,2,0\n3,4,1\n5,6,0\n7,8,1e9\n", "class labels must be whole numbers from 0 to 63"),
    ],
)
def test_bad_csv(tmp_path, capsys, text, match):
    (tmp_path / "bad.csv").write_text(text)
    code, _, err = run(capsys, "train", "--csv", tmp_path / "bad.csv", "-o", tmp_path / "out.npz")
    assert_one_line_error(code, err, match)
    assert "bad.csv" in err and not (tmp_path / "out.npz").exists()
    code, _, err = run(capsys, "train", "--csv", tmp_path / "missing.csv")
    assert_one_line_error(code, err, "missing.csv: no such file")


def test_info_on_bad_files(tmp_path, capsys, blobs_trace):
    blobs_trace.save(tmp_path / "good.npz")
    data = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "half.npz").write_bytes(data[: len(data) // 2])
    (tmp_path / "junk.npz").write_bytes(np.random.default_rng(0).bytes(3000))
    (tmp_path / "run.json").write_text('{"steps": 3}')
    np.savez(tmp_path / "other.npz", x=np.arange(4))
    for name, match in [
        ("missing.npz", "no such file"),
        ("half.npz", "not a readable trace file"),
        ("junk.npz", "not a readable trace file"),
        ("run.json", "not a readable trace file"),
        ("other.npz", "not a netwarp trace"),
    ]:
        code, stdout, err = run(capsys, "info", tmp_path / name)
        assert_one_line_error(code, err, match)
        assert name in err and stdout == ""


def test_failed_run_does_not_touch_an_existing_trace(tmp_path, capsys, blobs_trace):
    out = tmp_path / "run.npz"
    blobs_trace.save(out)
    before = out.read_bytes()
    code, _, err = run(capsys, "train", "--hidden", "8,x", "-o", out)
    assert code == 2 and out.read_bytes() == before


def test_version_help_and_interrupt(capsys, monkeypatch):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"netwarp {netwarp.__version__}"
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "--help"])
    assert info.value.code == 0 and "--hidden" in capsys.readouterr().out

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_info", interrupted)
    code, _, err = run(capsys, "info", "x.npz")
    assert code == 130 and err.strip() == "netwarp: interrupted"


def test_real_subprocess(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "error::RuntimeWarning"}
    out = tmp_path / "run.npz"
    proc = subprocess.run(
        [sys.executable, "-m", "netwarp", "train", "--data", "xor", "--hidden", "6", "--steps", "200", "--seed", "1", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"saved {out}" in proc.stdout and "Traceback" not in proc.stderr
    t = load_trace(out)
    assert t.arch.sizes == (2, 6, 2) and t.snapshot().step == 200 and t.snapshot().test_acc > 0.9
    proc = subprocess.run(
        [sys.executable, "-m", "netwarp", "info", str(tmp_path / "nope.npz")], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [f"netwarp: error: {tmp_path / 'nope.npz'}: no such file"]
