"""The memory budget: set-ups checked before they are built, snapshots capped by the same budget."""

import json

import pytest

from netwarp.web import budget as B
from netwarp.web.budget import MemoryBudget
from netwarp.web.protocol import playground_config
from netwarp.web.session import Session

LARGEST = {"data": {"dataset": "spiral", "n": 5000}, "net": {"hidden": [64] * 8}}


def test_the_default_budget_admits_the_largest_set_up_the_page_allows():
    b = MemoryBudget()
    assert b.estimate(LARGEST, 256) <= b.per_tab
    assert b.estimate(playground_config(), 100) < 64 * 2**20
    assert b.total // b.estimate(LARGEST, 256) >= 5  # five of the largest at once


def test_the_estimate_grows_with_what_a_tab_holds():
    b = MemoryBudget()
    small = b.estimate(playground_config(), 100)
    assert b.estimate(playground_config(), 256) > small
    assert b.estimate({"data": {"dataset": "spiral", "n": 5000}, "net": {"hidden": [8, 8]}}, 100) > small
    assert b.estimate(LARGEST, 100) > b.estimate({"data": {"dataset": "spiral", "n": 5000}, "net": {"hidden": [64]}}, 100)


def test_a_set_up_over_the_tab_budget_is_refused_in_one_line_and_nothing_is_lost(small):
    s = Session(budget=MemoryBudget(per_tab=80 * 2**20, total=2**30))
    assert s.receive(json.dumps(small)) is None
    before = s.trace
    big = {"type": "config", **LARGEST}
    err = s.receive(json.dumps(big))["message"]
    assert err.startswith("this set-up would need about ") and "a tab may use 80.0 MB" in err and "--tab-memory" in err
    assert s.trace is before and s.config["data"]["dataset"] == "xor"  # the tab keeps what it had


def test_a_finer_field_is_checked_too(small):
    cfg = {k: v for k, v in small.items() if k != "type"}
    b = MemoryBudget(per_tab=MemoryBudget().estimate(cfg, 100) + 2**20, total=2**30)
    s = Session(budget=b)
    assert s.receive(json.dumps(small)) is None
    err = s.receive(json.dumps({"type": "view", "resolution": 256}))["message"]
    assert "this set-up would need about" in err and s.resolution == 100


def test_the_total_counts_the_other_tabs():
    b = MemoryBudget(per_tab=2**30, total=100 * 2**20)
    a, c = Session(budget=b), Session(budget=b)
    a.ensure()
    mid = {"type": "config", "data": {"dataset": "spiral", "n": 5000}, "net": {"hidden": [32, 32]}}
    need = b.estimate({k: v for k, v in mid.items() if k != "type"}, 100)
    assert need + b.estimate(playground_config(), 100) > b.total >= need  # fits alone, not beside a
    err = c.receive(json.dumps(mid))["message"]
    assert "and the open tabs use" in err and "close a tab or choose a smaller set-up" in err
    b.close(a)
    assert c.receive(json.dumps(mid)) is None


def test_step_pause_and_play_all_keep_within_the_snapshot_cap(monkeypatch, small):
    monkeypatch.setattr(B, "MAX_SNAPSHOTS", 12)
    monkeypatch.setattr(B, "MIN_SNAPSHOTS", 12)
    s = Session()
    s.receive(json.dumps(small))
    for _ in range(40):  # 40 x {"type": "step", "n": 1} stored 41 snapshots before
        s.receive(json.dumps({"type": "step", "n": 1}))
        s.train_for(1.0)
        s.receive(json.dumps({"type": "pause"}))
    assert s.trainer.step_count == 40 and len(s.trace) <= 12
    assert s.trace.steps[0] == 0 and s.trace.steps[-1] == 40  # thinned in the middle: start and newest kept
    s.receive(json.dumps({"type": "play"}))
    for _ in range(20):
        s.train_for(0.01)
    assert len(s.trace) <= 12 and s.trace.steps[-1] > 40


@pytest.mark.parametrize("rows", [None, 4000])
def test_an_uploaded_csv_counts_its_rows(rows):
    b = MemoryBudget()
    cfg = playground_config()
    assert (b.estimate(cfg, 100, rows) > b.estimate(cfg, 100)) == (rows is not None)


def test_exports_are_counted_against_the_total_one_per_tab():
    b = MemoryBudget(per_tab=2**30, total=100 * 2**20)
    a, c = object(), object()
    b.open(a, 30 * 2**20)
    b.reserve_export(a, 40 * 2**20)
    with pytest.raises(B.NetwarpError, match="^this tab is already writing an animation"):
        b.reserve_export(a, 1)
    with pytest.raises(B.NetwarpError) as e:
        b.reserve_export(c, 40 * 2**20)  # 30 + 40 + 40 > 100
    assert str(e.value) == ("this animation would need about 40.0 MB, and the open tabs and exports use 70.0 MB of the "
                            "server's 100.0 MB: try fewer frames, wait for another export to finish, or close a tab")
    b.release_export(a)
    b.reserve_export(c, 40 * 2**20)
    assert b.used() == 70 * 2**20


def test_a_set_up_is_checked_beside_the_exports_being_written(small):
    b = MemoryBudget(per_tab=2**30, total=100 * 2**20)
    s = Session(budget=b)
    b.reserve_export(object(), 99 * 2**20)
    err = s.receive(json.dumps(small))["message"]
    assert "the open tabs and exports use 99.0 MB" in err


def test_the_export_estimate_grows_with_points_width_frames_and_gif():
    largest = B.export_estimate(3750, (2, *[64] * 8, 2), 1000, 60, False)
    assert B.export_estimate(3750, (2, *[64] * 8, 2), 1000, 150, False) > largest
    assert B.export_estimate(3750, (2, *[64] * 8, 2), 1000, 60, True) > largest
    assert B.export_estimate(480, (2, 8, 8, 2), 100, 60, False) < 100 * 2**20 < largest
    # measured: a 150-frame morph MP4 of 5000 points through 8 x 64 took 990 MB; the estimate is above it
    assert B.export_estimate(5000, (2, *[64] * 8, 2), 21, 150, False) >= 990 * 2**20
