import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.activations import ACTIVATIONS
from netwarp.datasets import DATASETS, TOPOLOGIES
from netwarp.views.topology import width_bound


def test_topology_note_only_when_width_two_cannot_untangle(circles_trace):
    assert views.topology_note(circles_trace) is None  # [3] can lift the disk out
    X, y = nw.make_dataset("circles", n=100)
    narrow = nw.train(X, y, hidden=[2, 2], steps=5, data={"dataset": "circles"})
    assert "disk" in views.topology_note(narrow)


def test_topology_note_for_a_linear_model():
    X, y = nw.make_dataset("circles", n=100)
    linear = nw.train(X, y, hidden=[], steps=5, data={"dataset": "circles"})
    assert "straight line" in views.topology_note(linear)


def test_built_in_datasets_measure_as_they_declare():
    # claims come from the points: each built-in set, measured, is what it declares
    for name in ("blobs", "xor", "moons", "circles"):
        X, y = nw.make_dataset(name, seed=0)
        t = nw.train(X, y, hidden=[2], steps=2, data={"dataset": name, "seed": 0})
        assert views.data_topology(t) == DATASETS[name].topology, name


def test_every_2d_classification_dataset_declares_its_topology():
    for d in DATASETS.values():
        probe = d.make(40, 0.0, np.random.default_rng(0))[0]
        plane = d.task == "classification" and probe.shape[1] == 2
        assert (d.topology in TOPOLOGIES) if plane else d.topology is None, d.name


@pytest.mark.parametrize(
    ("name", "expected"), [("circles", "nested"), ("blobs", "separable"), ("xor", "tangled"), ("moons", "tangled")]
)
def test_users_own_points_are_measured_like_the_declared_dataset(name, expected):
    X, y = nw.make_dataset(name, n=300, seed=3)
    own = nw.train(X, y, hidden=[2], steps=2)  # plain arrays: no dataset name to go by
    assert own.data == {"source": "arrays"}
    assert views.data_topology(own) == expected == DATASETS[name].topology


def test_users_nested_data_gets_the_width_two_note_in_its_own_words():
    X, y = nw.make_dataset("circles", n=300, seed=4)
    note = views.topology_note(nw.train(X, y, hidden=[2, 2], steps=2))
    assert "inner class stays surrounded by the ring" in note and "disk" not in note
    assert "this data" in views.topology_note(nw.train(X, y, hidden=[], steps=2))
    assert views.topology_note(nw.train(X, y, hidden=[3], steps=2)) is None


def test_no_topology_claim_outside_2d_classification(square_trace):
    assert views.data_topology(square_trace) is None and views.topology_note(square_trace) is None


def test_one_to_one_is_a_fact_of_the_activation():
    folding = {name for name, a in ACTIVATIONS.items() if not a.one_to_one}
    assert folding == {"relu", "sin", "gelu", "silu"}  # gelu and silu dip below 0 and come back
    z = np.linspace(-3, 3, 601)
    for name, a in ACTIVATIONS.items():
        steps = np.diff(a.f(z))
        assert a.one_to_one == bool(np.all(steps > 0)), name


@pytest.fixture(scope="module")
def easy_way_out_trace():
    # 120 points of circles, 2-2-2-2 tanh: separates all 90 training points through a gap in the ring
    X, y = nw.make_dataset("circles", n=120, seed=0)
    return nw.train(X, y, hidden=[2, 2, 2], steps=3000, seed=0, data={"dataset": "circles", "seed": 0, "n": 120})


def test_a_two_wide_run_that_separates_the_ring_is_told_how_not_that_it_cannot(easy_way_out_trace):
    t = easy_way_out_trace
    s = t.snapshot()
    assert s.train_acc == 1.0  # the premise: it separated them
    note = views.topology_note(t)
    assert "no line at the end can separate them" not in note
    assert f"separates all {len(t.X_train)} training points" in note and "easy way out" in note
    gap = views.easy_way_out(t)
    assert gap.inner == 0 and gap.outer == 1
    # the gap is real: the network gives some of the ring's middle circle to the disk's class
    theta = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
    circle = gap.centre + gap.radius * np.c_[np.cos(theta), np.sin(theta)]
    on_disk_side = t.predict(circle) == gap.inner
    assert gap.arc == pytest.approx(on_disk_side.mean()) and gap.arc > 0
    assert f"{gap.arc:.1%} of the ring's middle circle" in note
    mid = np.degrees(np.angle(np.exp(1j * theta[on_disk_side]).mean())) % 360
    assert gap.angle == pytest.approx(mid) and f"around {gap.angle:.0f}°" in note
    # the two marked points are ring points either side of the gap, with no ring point between them
    y = np.asarray(t.y_train)
    assert len(gap.nearest) == 2 and np.all(y[gap.nearest] == gap.outer)
    d = t.X_train - gap.centre
    turn = np.angle(np.exp(1j * (np.arctan2(d[:, 1], d[:, 0]) - np.radians(gap.angle))))
    lo, hi = sorted(turn[gap.nearest])
    assert lo < 0 <= hi
    ring = y == gap.outer
    assert not np.any(ring & (turn > lo) & (turn < hi))
    # and the disk's region does cross the ring between them
    assert np.all(np.abs(np.angle(np.exp(1j * (theta[on_disk_side] - np.radians(gap.angle))))) < max(-lo, hi))
    assert f"{1 - s.test_acc:.1%} of the test points" in note


def test_an_easy_way_out_run_is_not_diagnosed_too_narrow(easy_way_out_trace):
    assert "too_narrow" not in [f.kind for f in views.diagnose(easy_way_out_trace)]
    # an earlier snapshot that did not yet separate them keeps the topology's verdict
    early = next(i for i in range(len(easy_way_out_trace)) if easy_way_out_trace.snapshot(i).train_acc < 1.0)
    assert views.easy_way_out(easy_way_out_trace, early) is None
    assert "no line at the end can separate them" in views.topology_note(easy_way_out_trace, early)


def test_spirals_get_no_cannot_from_two_wide_layers():
    X, y = nw.make_dataset("spiral", seed=0)
    t = nw.train(X, y, hidden=[2, 2, 2], steps=300, seed=0, data={"dataset": "spiral", "seed": 0})
    note = views.topology_note(t)
    assert "cannot" not in note and "in principle" in note and "Olah" in note
    assert f"separates {t.snapshot().train_acc:.1%} of its training points" in note
    assert width_bound("spiral", "tanh") is None and width_bound(t, "tanh") is None


def test_width_bound_only_where_topology_proves_one(circles_trace):
    assert width_bound("circles", "tanh")[0] == 2
    assert width_bound(circles_trace, "tanh")[0] == 2  # measured on the run's own points
    assert width_bound("circles", "relu") is None  # relu folds: no proof
    X, y = nw.make_dataset("moons", n=100)
    assert width_bound(nw.train(X, y, hidden=[2], steps=2), "tanh") is None
