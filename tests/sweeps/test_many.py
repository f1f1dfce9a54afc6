import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError


@pytest.fixture(scope="module")
def spiral():
    return nw.make_dataset("spiral", seed=0)


def test_train_many_equals_train_with_each_seed(spiral):
    X, y = spiral
    many = nw.train_many(X, y, hidden=[8, 8], seeds=[0, 3, 7], steps=300, lr=[0.03, 0.01, 0.05], l2=0.001)
    for trace, seed, lr in zip(many, [0, 3, 7], [0.03, 0.01, 0.05]):
        one = nw.train(X, y, hidden=[8, 8], seed=seed, steps=300, lr=lr, l2=0.001)
        assert np.array_equal(trace.params, one.params)
        assert np.array_equal(trace.steps, one.steps)
        np.testing.assert_array_equal(trace.metrics, one.metrics)
        assert trace.config == one.config


def test_train_many_refuses_bad_settings_in_one_line(spiral):
    X, y = spiral
    with pytest.raises(NetwarpError, match="lr has 2 values for 3 seeds"):
        nw.train_many(X, y, seeds=[0, 1, 2], lr=[0.1, 0.2])
    with pytest.raises(NetwarpError, match="at least one seed"):
        nw.train_many(X, y, seeds=[])
    with pytest.raises(NetwarpError, match="seeds="):
        nw.train_many(X, y, seeds=[0], seed=1)
