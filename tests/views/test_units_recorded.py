"""What the units of a recorded model do (issue 23 item 2): selectivity and groups come from the
recorded outputs, on the points the trace recorded, and other points are refused in one line."""

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering

from netwarp import views
from netwarp.errors import NetwarpError


@pytest.mark.parametrize("split", ["train", "test"])
def test_class_selectivity_is_each_units_mean_over_each_class(recorded_cnn, split):
    t = recorded_cnn
    X, y = (t.X_train, t.y_train) if split == "train" else (t.X_test, t.y_test)
    for s in (0, -1):
        tables = views.class_selectivity(t, X, y, s)
        reps = t.layer_outputs(X, s)
        assert [a.shape for a in tables] == [(64, 10), (12, 10)]
        for table, a in zip(tables, reps[1:-1]):
            for c in range(10):
                np.testing.assert_allclose(table[:, c], a[y == c].mean(axis=0))
    # the dead unit of act answers no class
    assert np.all(views.class_selectivity(t, X, y)[1][0] == 0.0)


def test_neuron_groups_cluster_the_recorded_units_by_correlation(recorded_cnn):
    t = recorded_cnn
    for layer, width in ((1, 64), (2, 12)):
        groups = views.neuron_groups(t, layer, t.X_train, 2, n_groups=4)
        a = t.layer_outputs(t.X_train, 2)[layer]
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.nan_to_num(np.corrcoef(a.T), nan=0.0)
        np.fill_diagonal(corr, 1.0)
        ref = AgglomerativeClustering(n_clusters=4, metric="precomputed", linkage="average").fit_predict(1.0 - corr)
        assert groups.shape == (width,) and groups[0] == 0 and set(groups) == {0, 1, 2, 3}
        # the same partition (numbered by each group's first unit)
        assert all((groups == groups[i]).tolist() == (ref == ref[i]).tolist() for i in range(width))


def test_points_the_trace_did_not_record_are_refused_in_one_line(recorded_cnn):
    t = recorded_cnn
    for call in (lambda: views.class_selectivity(t, t.X_train[:10], t.y_train[:10]),
                 lambda: views.neuron_groups(t, 1, t.X_test + 0.5)):
        with pytest.raises(NetwarpError, match="on its training and test points only") as e:
            call()
        assert "\n" not in str(e.value)
    with pytest.raises(NetwarpError, match="is not a hidden layer; this network's hidden layers are 1..2"):
        views.neuron_groups(t, 3, t.X_train)
