"""Command-line arguments at their edges: huge numbers and abbreviated flags give one line, before any work."""

import argparse
import importlib

import pytest

from netwarp import cli, settings

BIG = 10**23
HUGE = 10**400  # more digits than a float holds


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--arms", BIG], "spiral needs a whole number of arms from 2 to 64, got 1e+23"),
        (["--arms", -BIG], "spiral needs a whole number of arms from 2 to 64, got -1e+23"),
        (["--arms", HUGE], "got a whole number of more than 300 digits"),
        (["--data", "blobs", "--classes", BIG], "blobs needs a whole number of classes from 2 to 64, got 1e+23"),
        (["--data", "blobs", "--classes", -BIG], "blobs needs a whole number of classes from 2 to 64, got -1e+23"),
        (["--steps", "1e23"], "argument --steps: invalid int value: '1e23'"),
        (["--steps", BIG], "steps must be a whole number from 1 to 9007199254740992, got 1e+23"),
        (["--steps", 2**63], "steps must be a whole number from 1 to 9007199254740992, got 9.22337e+18"),
        (["--steps", 2**64], "steps must be a whole number from 1 to 9007199254740992"),
        (["--steps", HUGE], "steps must be a whole number from 1 to 9007199254740992"),
        (["--record-every", BIG], "record-every must be a whole number from 1 to 9007199254740992"),
        (["--snapshots", BIG], "snapshots must be a whole number from 2 to 100000, got 1e+23"),
        (["--seed", BIG], "seed must be a whole number from 0 to 4294967295, got 1e+23"),
        (["--hidden", f"8,{BIG}"], "hidden layer widths must be whole numbers from 1 to 4096, got 1e+23"),
        (["--hidden", ",".join(["1"] * 1000)], "at most 999 hidden layers, got 1000"),
    ],
)
def test_huge_numbers_for_train_are_one_line_before_training(argv, match, tmp_path, capsys, monkeypatch):
    started = []
    monkeypatch.setattr(importlib.import_module("netwarp.train"), "Trainer", lambda *a, **k: started.append(1))
    code, _, err = run(capsys, "train", *argv, "-q", "-o", tmp_path / "run.npz")
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("netwarp: error: ") and match in lines[0], err
    assert started == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fps", ["1e-300", "0.001", str(HUGE), "1e300"])
def test_animate_fps_out_of_range_is_one_line(fps, tmp_path, capsys, blobs_trace):
    blobs_trace.save(tmp_path / "run.npz")
    code, _, err = run(capsys, "animate", tmp_path / "run.npz", "-o", tmp_path / "a.gif", "--fps", fps, "-q")
    assert code == 2 and len(err.splitlines()) == 1 and "fps must be a number from 0.01 to 100, got" in err
    assert not (tmp_path / "a.gif").exists()


def test_a_python_int_of_any_size_is_refused_by_the_settings_check():
    for name, v in [("steps", HUGE), ("arms", -HUGE), ("n", BIG), ("seed", -(2**64))]:
        with pytest.raises(settings.NetwarpError, match="must be a whole number|needs a whole number") as info:
            settings.check(name, v, "spiral")
        assert len(str(info.value)) < 200


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_no_parser_takes_abbreviated_flags():
    parsers = list(_parsers(cli.build_parser()))
    assert len(parsers) > 10  # netwarp and each subcommand
    assert [p.prog for p in parsers if p.allow_abbrev] == []


@pytest.mark.parametrize(
    "argv",
    [
        ["sweep", "--seed", "3", "--widths", "1", "--depths", "1", "--steps", "1"],  # was run as --seeds 3
        ["train", "--step", "3"],
        ["train", "--hid", "3"],
        ["plot", "--lay", "1", "run.npz", "-o", "a.png"],
    ],
)
def test_an_abbreviated_flag_is_refused(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv, *(["-o", tmp_path / "sw"] if argv[0] == "sweep" else []))
    assert code == 2 and len(err.splitlines()) == 1 and "unrecognized arguments: " + argv[1] in err, err
    assert list(tmp_path.iterdir()) == []
