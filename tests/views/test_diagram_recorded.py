"""Training curves of a recorded model (issue 23 item 2): the losses and accuracies of its
recorded logits, snapshot by snapshot."""

import numpy as np
import pytest

from netwarp import views


def test_training_curves_are_the_recorded_logits_loss_and_accuracy(recorded_cnn):
    t = recorded_cnn
    c = views.training_curves(t)
    np.testing.assert_array_equal(c["steps"], [0, 10, 20, 30])
    for s in range(len(t)):
        for split, X, y in (("train", t.X_train, t.y_train), ("test", t.X_test, t.y_test)):
            z = t.layer_outputs(X, s)[-1]
            log_p = z - z.max(axis=1, keepdims=True)
            log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
            assert c[f"{split}_loss"][s] == pytest.approx(-log_p[np.arange(len(y)), y].mean(), rel=1e-12)
            assert c[f"{split}_acc"][s] == np.mean(z.argmax(axis=1) == y)
    # the run learned: the training loss fell
    assert c["train_loss"][-1] < c["train_loss"][0]
