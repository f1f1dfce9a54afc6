import netwarp as nw
from netwarp import views


def test_probes_are_reproducible_and_rise_through_the_layers(spiral_trace):
    a = views.probe_accuracies(spiral_trace)
    b = views.probe_accuracies(spiral_trace)
    assert a == b
    assert len(a) == spiral_trace.arch.n_layers + 1
    assert a[0] < 0.8  # the raw spiral is not linearly separable
    assert a[-1] >= a[0] + 0.15  # the network's last layers are
    assert abs(a[-1] - spiral_trace.snapshot().test_acc) < 0.05


def test_topology_note_only_when_width_two_cannot_untangle(circles_trace):
    assert views.topology_note(circles_trace) is None  # [3] can lift the disk out
    X, y = nw.make_dataset("circles", n=100)
    narrow = nw.train(X, y, hidden=[2, 2], steps=5, data={"dataset": "circles"})
    assert "disk" in views.topology_note(narrow)
    assert views.topology_note(nw.train(X, y, hidden=[2, 2], steps=5)) is None  # unknown data: no claim
    assert views.probe_accuracies(nw.train(*nw.make_dataset("square"), hidden=[3], steps=5)) == []


def test_topology_note_for_a_linear_model():
    X, y = nw.make_dataset("circles", n=100)
    linear = nw.train(X, y, hidden=[], steps=5, data={"dataset": "circles"})
    assert "straight line" in views.topology_note(linear)
