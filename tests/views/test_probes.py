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


def test_probes_are_empty_for_regression():
    assert views.probe_accuracies(nw.train(*nw.make_dataset("square"), hidden=[3], steps=5)) == []
