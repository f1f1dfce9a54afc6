import numpy as np
import pytest

import netwarp as nw
from netwarp import views
from netwarp.activations import ACTIVATIONS
from netwarp.datasets import DATASETS, TOPOLOGIES


def test_topology_note_only_when_width_two_cannot_untangle(circles_trace):
    assert views.topology_note(circles_trace) is None  # [3] can lift the disk out
    X, y = nw.make_dataset("circles", n=100)
    narrow = nw.train(X, y, hidden=[2, 2], steps=5, data={"dataset": "circles"})
    assert "disk" in views.topology_note(narrow)


def test_topology_note_for_a_linear_model():
    X, y = nw.make_dataset("circles", n=100)
    linear = nw.train(X, y, hidden=[], steps=5, data={"dataset": "circles"})
    assert "straight line" in views.topology_note(linear)


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
    assert folding == {"relu", "sin"}
    z = np.linspace(-3, 3, 601)
    for name, a in ACTIVATIONS.items():
        steps = np.diff(a.f(z))
        assert a.one_to_one == bool(np.all(steps > 0)), name
