import numpy as np

from netwarp import views


def test_diagram_edges_are_the_weights(spiral_trace):
    d = views.diagram(spiral_trace, snapshot=3)
    sizes = spiral_trace.arch.sizes
    assert len(d.nodes) == sum(sizes)
    weights = spiral_trace.weights(3)
    assert len(d.edges) == sum(W.size for W, _ in weights)
    for layer, i, j, w in d.edges[::7]:
        assert weights[int(layer)][0][int(i), int(j)] == w
    hidden = d.nodes[:, 0] == 1
    np.testing.assert_array_equal(d.biases[hidden], weights[0][1])
    assert d.nodes[:, 2].min() == 0 and d.nodes[:, 2].max() == 1


def test_training_curves_follow_the_snapshots(spiral_trace):
    c = views.training_curves(spiral_trace)
    np.testing.assert_array_equal(c["steps"], spiral_trace.steps)
    assert c["train_loss"][-1] < c["train_loss"][0]
    assert [s.test_acc for s in spiral_trace.snapshots] == list(c["test_acc"])
