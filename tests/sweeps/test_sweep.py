import csv
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError
from netwarp.sweeps import SweepInterrupted, load_sweep, sweep
from netwarp.sweeps import worker as worker_module
from netwarp.sweeps.data import data_hash
from netwarp.sweeps.phase import phases
from netwarp.sweeps.store import COLUMNS
from netwarp.userdata import load_csv

SMALL = dict(dataset="circles", steps=150, n=200)


def _table(folder):
    with open(folder / "results.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_sweep_writes_one_complete_row_and_trace_per_run(tmp_path):
    out = tmp_path / "sw"
    r = sweep(out, widths=[1, 3], depths=[1, 2], activations=["tanh", "relu"], seeds=2, workers=1, **SMALL)
    assert r.ran == 16 and r.skipped == 0
    rows = _table(out)
    assert len(rows) == 16
    assert set(COLUMNS) <= set(rows[0])
    for required in ("hidden", "activation", "lr", "seed", "train_acc", "test_acc", "train_loss", "test_loss",
                     "steps", "seconds", "trace"):
        assert required in rows[0]
    assert {row["hidden"] for row in rows} == {"1", "3", "1,1", "3,3"}
    for row in rows:
        trace = nw.load_trace(out / row["trace"])
        last = trace.snapshot(-1)
        assert float(row["test_acc"]) == pytest.approx(last.test_acc)
        assert float(row["train_loss"]) == pytest.approx(last.train_loss)
        assert int(row["steps"]) == last.step == 150
        assert ",".join(map(str, trace.arch.hidden)) == row["hidden"]
        assert trace.arch.activation == row["activation"]
        assert trace.config["seed"] == int(row["seed"])
        # the same run as netwarp.train with the same settings
        X, y = nw.make_dataset("circles", n=200, seed=int(row["seed"]))
        one = nw.train(X, y, trace.arch.hidden, row["activation"], steps=150, seed=int(row["seed"]))
        assert np.array_equal(one.params, trace.params)


def test_running_again_skips_finished_runs_and_a_wider_grid_merges(tmp_path):
    out = tmp_path / "sw"
    sweep(out, widths=[1, 2], depths=[1], seeds=2, workers=1, **SMALL)
    before = (out / "results.csv").read_text()
    again = sweep(out, widths=[1, 2], depths=[1], seeds=2, workers=1, **SMALL)
    assert again.ran == 0 and again.skipped == 4
    assert (out / "results.csv").read_text() == before
    more = sweep(out, widths=[1, 2, 3], depths=[1], seeds=2, workers=1, **SMALL)
    assert more.ran == 2 and more.skipped == 4
    keys = [(r["hidden"], r["seed"]) for r in _table(out)]
    assert len(keys) == len(set(keys)) == 6


def test_other_shared_settings_in_the_same_folder_are_refused(tmp_path):
    out = tmp_path / "sw"
    sweep(out, widths=[1], depths=[1], seeds=1, workers=1, **SMALL)
    before = (out / "results.csv").read_text()
    with pytest.raises(NetwarpError, match=r"other settings \(steps=150 there, 200 now\)"):
        sweep(out, widths=[1], depths=[1], seeds=1, workers=1, **{**SMALL, "steps": 200})
    assert (out / "results.csv").read_text() == before


def test_refused_grids_write_nothing(tmp_path):
    out = tmp_path / "sw"
    with pytest.raises(NetwarpError, match="the grid is empty"):
        sweep(out, widths=[], depths=[1], **SMALL)
    with pytest.raises(NetwarpError, match="widths must be whole numbers"):
        sweep(out, widths=[0], depths=[1], **SMALL)
    with pytest.raises(NetwarpError, match="unknown activation"):
        sweep(out, widths=[1], depths=[1], activations=["swish"], **SMALL)
    with pytest.raises(NetwarpError, match="is an axis"):
        sweep(out, widths=[1], depths=[1], hidden=[3], **SMALL)
    with pytest.raises(NetwarpError, match=r"100,000 runs would take about .* \(one run took .* s\); pass --yes"):
        sweep(out, widths=list(range(1, 11)), depths=list(range(1, 11)), seeds=1000, workers=1, **SMALL)
    with pytest.raises(NetwarpError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        sweep(out, widths=[1], depths=[1], scheduler="tcp://127.0.0.1:9", **SMALL)
    assert not out.exists()


def test_ctrl_c_leaves_only_complete_rows_and_the_rest_runs_later(tmp_path, monkeypatch):
    out = tmp_path / "sw"
    real, calls = worker_module.run_one, []

    def stop_on_the_third(shared, run, *rest):
        calls.append(run)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(shared, run, *rest)

    monkeypatch.setattr("netwarp.sweeps.engine.run_one", stop_on_the_third)
    with pytest.raises(SweepInterrupted) as stop:
        sweep(out, widths=[1, 2], depths=[1, 2], seeds=1, workers=1, **SMALL)
    assert len(stop.value.result.rows) == 2
    rows = _table(out)
    assert len(rows) == 2 and all((out / r["trace"]).is_file() for r in rows)
    assert not list(out.rglob("*.tmp*"))
    monkeypatch.setattr("netwarp.sweeps.engine.run_one", real)
    rest = sweep(out, widths=[1, 2], depths=[1, 2], seeds=1, workers=1, **SMALL)
    assert rest.ran == 2 and len(_table(out)) == 4


def test_local_worker_processes_give_the_same_rows(tmp_path):
    a = sweep(tmp_path / "one", widths=[1, 2], depths=[1], seeds=2, workers=1, **SMALL)
    b = sweep(tmp_path / "two", widths=[1, 2], depths=[1], seeds=2, workers=2, **SMALL)

    def strip(rows):
        return sorted(tuple((k, v) for k, v in r.items() if k != "seconds") for r in rows)

    assert strip(a.rows) == strip(b.rows)


def test_phase_numbers_are_the_medians_and_ranges_of_the_rows(tmp_path):
    r = sweep(tmp_path / "sw", widths=[1, 3], depths=[1, 2], seeds=3, workers=1, **SMALL)
    (p,) = phases(load_sweep(tmp_path / "sw").rows)
    assert list(p.widths) == [1, 3] and list(p.depths) == [1, 2]
    for i, d in enumerate(p.depths):
        for j, w in enumerate(p.widths):
            acc = [row["test_acc"] for row in r.rows if row["width"] == w and row["depth"] == d]
            assert len(acc) == 3 == p.count[i, j]
            assert p.median[i, j] == np.median(acc)
            assert (p.low[i, j], p.high[i, j]) == (min(acc), max(acc))


def _ring_csv(path, flip=False):
    X, y = nw.make_dataset("circles", n=120, seed=0)
    y = 1 - y if flip else y
    path.write_text("".join(f"{float(a)!r},{float(b)!r},{int(c)}\n" for (a, b), c in zip(X, y)))
    return path


def test_the_data_hash_is_recorded_and_changed_data_at_the_same_path_is_refused(tmp_path):
    data, out = _ring_csv(tmp_path / "ring.csv"), tmp_path / "sw"
    first = sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, csv=data, steps=100)
    X, y, _ = load_csv(data)
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["data"]["sha256"] == data_hash(X, y)
    before = (out / "results.csv").read_text()
    again = sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, csv=data, steps=100)
    assert again.ran == 0 and again.skipped == first.ran == 2
    _ring_csv(data, flip=True)  # the same path, other labels
    with pytest.raises(NetwarpError, match=r"trained on other data: the data in .*ring.csv has changed .*nothing was run"
                                           r".*delete .* to start over") as refused:
        sweep(out, widths=[1, 2, 3], depths=[1], seeds=1, workers=1, csv=data, steps=100)
    assert "\n" not in str(refused.value)
    assert (out / "results.csv").read_text() == before  # the finished runs are kept


def test_duplicate_rows_do_not_survive_a_rerun(tmp_path):
    out = tmp_path / "sw"
    sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, **SMALL)
    lines = (out / "results.csv").read_text().splitlines()
    (out / "results.csv").write_text("\n".join(lines + lines[1:] + lines[1:2]) + "\n")  # every row twice or thrice
    assert len(load_sweep(out).rows) == 2
    again = sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, **SMALL)
    assert again.ran == 0 and len(again.rows) == 2
    rows = _table(out)
    assert len(rows) == 2 and len({(r["hidden"], r["seed"]) for r in rows}) == 2


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("done") / "sw"
    sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, **SMALL)
    return out


def _damaged(finished, tmp_path, name, change):
    out = tmp_path / "sw"
    shutil.copytree(finished, out)
    path = out / name
    path.write_bytes(change(path.read_bytes()))
    return out


def _cell(column, value, row=1):
    def change(data):
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        rows[row - 1][column] = value
        buf = io.StringIO()
        w = csv.DictWriter(buf, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().encode()

    return change


def _drop_column(column):
    def change(data):
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        buf = io.StringIO()
        w = csv.DictWriter(buf, [c for c in rows[0] if c != column], extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().encode()

    return change


def _meta(shared):
    return lambda data: json.dumps({**json.loads(data), "shared": shared}).encode()


DAMAGE = {
    "garbage bytes": ("results.csv", lambda d: d[:d.index(b"\n") + 5] + b"\xff\xfe\x00\x81garbage" + d[d.index(b"\n") + 5:],
                      r"results.csv: row 2: not text \(byte \d+ is 0xff\)"),
    "NUL bytes": ("results.csv", lambda d: d + b"1,1,1,tanh,\x000.03\n", r"results.csv: row 4: column 'lr'"),
    "lr = abc": ("results.csv", _cell("lr", "abc"), r"results.csv: row 2: column 'lr': 'abc' is not a valid lr"),
    "lr = -1": ("results.csv", _cell("lr", "-1", 2), r"results.csv: row 3: column 'lr': '-1' is not a valid lr"),
    "seed = 1.5": ("results.csv", _cell("seed", "1.5", 2), r"results.csv: row 3: column 'seed': '1.5' is not a valid seed"),
    "hidden = 0,x": ("results.csv", _cell("hidden", "0,x"), r"results.csv: row 2: column 'hidden': '0,x'"),
    "width off": ("results.csv", _cell("width", "7"), r"results.csv: row 2: columns 'width' and 'depth' \(7, 1\)"),
    "trace outside": ("results.csv", _cell("trace", "../../x.npz"), r"results.csv: row 2: column 'trace'"),
    "short row": ("results.csv", lambda d: d + b"1,1,1\n", r"results.csv: row 4: column 'activation' is missing"),
    "no hidden column": ("results.csv", _drop_column("hidden"), r"results.csv: row 1 \(the header\): no 'hidden' column"),
    "shared is a list": ("sweep.json", _meta([1, 2]), r"sweep.json: key 'shared' must be a mapping of settings, got list"),
    "shared holds a dict": ("sweep.json", _meta({"steps": {"a": 1}}), r"sweep.json: key 'shared', setting 'steps' must be"),
    "shared steps = abc": ("sweep.json", _meta({"steps": "abc"}), r"sweep.json: key 'shared': steps must be a whole number"),
    "unknown setting": ("sweep.json", _meta({"colour": 1}), r"sweep.json: key 'shared': unknown setting 'colour'"),
    "deeply nested": ("sweep.json", lambda d: b"[" * 100_000 + b"]" * 100_000, r"sweep.json: nested too deeply"),
    "not json": ("sweep.json", lambda d: b"\xff" + d, r"sweep.json: not a sweep's settings file"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_sweep_folder_is_one_line_naming_file_row_and_column(finished, tmp_path, case):
    name, change, message = DAMAGE[case]
    out = _damaged(finished, tmp_path, name, change)
    kept = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for attempt in (lambda: load_sweep(out), lambda: sweep(out, widths=[1, 2], depths=[1], seeds=1, workers=1, **SMALL)):
        with pytest.raises(NetwarpError, match=message) as refused:
            attempt()
        assert "\n" not in str(refused.value)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == kept  # nothing rewritten


def test_a_damaged_sweep_folder_is_one_line_from_the_command_line(tmp_path):
    out = tmp_path / "sw"
    argv = [sys.executable, "-m", "netwarp", "sweep", "--widths", "1", "--depths", "1", "--seeds", "1", "--workers", "1",
            "--data", "circles", "--steps", "50", "--n", "100", "-q", "-o", str(out)]
    assert subprocess.run(argv, capture_output=True, timeout=300).returncode == 0
    (out / "results.csv").write_bytes(_cell("seed", "1.5")((out / "results.csv").read_bytes()))
    r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "results.csv: row 2: column 'seed': '1.5' is not a valid seed" in r.stderr


def test_shared_csv_data_reaches_local_worker_processes_once_read(tmp_path, monkeypatch):
    data = _ring_csv(tmp_path / "ring.csv")
    a = sweep(tmp_path / "one", widths=[1, 2], depths=[1], seeds=1, workers=1, csv=data, steps=100)
    reads, here = [], os.getpid()
    real = load_csv

    def counted(path):
        if os.getpid() != here:
            raise AssertionError("a worker process read the CSV file")
        reads.append(path)
        return real(path)

    monkeypatch.setattr("netwarp.userdata.load_csv", counted)
    b = sweep(tmp_path / "two", widths=[1, 2], depths=[1], seeds=1, workers=2, csv=data, steps=100)
    assert len(reads) == 1  # by the client; the worker processes got the arrays

    def strip(rows):
        return sorted(tuple((k, v) for k, v in r.items() if k != "seconds") for r in rows)

    assert strip(a.rows) == strip(b.rows)


def test_a_sweep_too_large_for_the_memory_budget_is_refused_before_it_starts(tmp_path):
    r = subprocess.run([sys.executable, "-m", "netwarp", "sweep", "--widths", "4096", "--depths", "64", "-q",
                        "-o", str(tmp_path / "sw")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert "the sweep's largest network (4096 units x 64 layers)" in r.stderr and "would need about" in r.stderr
    assert "GiB of memory (parameters" in r.stderr and "the budget is" in r.stderr
    assert not (tmp_path / "sw").exists()
    # two local workers hold two runs at once; one at a time fits the same budget
    with pytest.raises(NetwarpError, match=r"\(256 units x 2 layers\), 2 trained at once, would need about .*"
                                           r"the budget is 600.0 MiB"):
        sweep(tmp_path / "sw", widths=[8, 256], depths=[1, 2], seeds=2, workers=2, memory=600, dataset="circles",
              n=40000, steps=5)
    assert not (tmp_path / "sw").exists()
    ok = sweep(tmp_path / "sw", widths=[256], depths=[2], seeds=1, workers=1, memory=600, dataset="circles",
               n=40000, steps=2)
    assert ok.ran == 1
