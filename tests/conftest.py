"""Shared fixtures: small, fast, seeded training runs."""

from __future__ import annotations

import numpy as np
import pytest

import netwarp


@pytest.fixture(scope="session")
def blobs_trace() -> netwarp.Trace:
    """A 2-4-2 tanh classifier on blobs, 60 steps, 10 snapshots (read-only: do not mutate)."""
    X, y = netwarp.make_dataset("blobs", n=80, seed=0)
    return netwarp.train(X, y, hidden=[4], steps=60, snapshots=10, seed=0, data={"dataset": "blobs", "n": 80, "seed": 0})


@pytest.fixture(scope="session")
def square_trace() -> netwarp.Trace:
    """A 1-5-1 relu regression on square, 40 steps (read-only: do not mutate)."""
    X, y = netwarp.make_dataset("square", n=60, seed=0)
    return netwarp.train(X, y, hidden=[5], activation="relu", steps=40, snapshots=8, seed=0)


def _bad(match: str, fn, *args, **kwargs) -> str:
    with pytest.raises(netwarp.NetwarpError, match=match) as info:
        fn(*args, **kwargs)
    text = str(info.value)
    assert text.strip() and "\n" not in text, repr(text)
    return text


@pytest.fixture
def bad():
    """``bad(match, fn, *args, **kwargs)``: ``fn`` raises a one-line NetwarpError matching ``match``."""
    return _bad


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)
