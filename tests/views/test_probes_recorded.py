"""Linear probes on a recorded model (issue 23 item 2): each layer's number is scikit-learn's
LogisticRegression fitted on the recorded arrays, snapshot by snapshot."""

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from netwarp import views


def test_probe_accuracies_equal_scikit_learns_on_the_recorded_arrays(recorded_cnn):
    t = recorded_cnn
    assert t.arch.n_layers == 3  # input, pool, act, logits
    for s in range(len(t)):
        got = views.probe_accuracies(t, s)
        train, test = t.layer_outputs(t.X_train, s), t.layer_outputs(t.X_test, s)
        assert len(got) == 4
        for k in range(4):
            probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=10.0))
            with threadpool_limits(1):  # fast on a busy machine (see views.probes.fit_probe); same numbers
                probe.fit(train[k], t.y_train)
            assert got[k] == probe.score(test[k], t.y_test), (s, k)
    # the probes measure something: the trained logits separate far better than chance
    assert views.probe_accuracies(t)[-1] > 0.5
