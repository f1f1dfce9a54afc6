import csv
import json

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

    def stop_on_the_third(shared, run):
        calls.append(run)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(shared, run)

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
