import numpy as np
import pytest

import netwarp as nw


@pytest.fixture(scope="session")
def spiral_trace():
    X, y = nw.make_dataset("spiral", n=300, seed=1)
    return nw.train(X, y, hidden=[8, 3], steps=400, seed=1, data={"dataset": "spiral"})


@pytest.fixture(scope="session")
def circles_trace():
    X, y = nw.make_dataset("circles", n=200, seed=2)
    return nw.train(X, y, hidden=[3], steps=300, seed=2, data={"dataset": "circles"})


@pytest.fixture(scope="session")
def square_trace():
    X, y = nw.make_dataset("square", seed=0)
    return nw.train(X, y, hidden=[3], activation="relu", steps=1500, seed=0)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
