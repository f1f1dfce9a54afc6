"""The generated code is the network: executed on its own it reproduces every layer."""

import numpy as np
import pytest

import netwarp as nw
from netwarp.errors import NetwarpError
from netwarp.views import algebra, blocks, forward_code


@pytest.mark.parametrize("act", ["tanh", "relu", "leaky_relu", "sigmoid", "softplus", "sin", "identity"])
@pytest.mark.parametrize("hidden", [[], [3], [8, 4]])
def test_numpy_code_run_on_its_own_gives_the_layer_outputs(act, hidden):
    X, y = nw.make_dataset("spiral", seed=0)
    t = nw.train(X, y, hidden, act, steps=60, seed=1)
    space: dict = {}
    exec(compile(forward_code(t, snapshot=30), "<netwarp>", "exec"), space)
    ours = t.layer_outputs(X, snapshot=30)
    theirs = space["layers"](X)
    assert len(theirs) == len(ours)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)
    np.testing.assert_allclose(space["forward"](X), ours[-1], rtol=0, atol=1e-12)


@pytest.mark.parametrize("act", ["tanh", "relu", "leaky_relu", "sigmoid", "softplus", "identity"])
def test_torch_code_gives_the_same_forward_pass(act):
    pytest.importorskip("torch")
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [5, 4], act, steps=50)
    space: dict = {}
    exec(forward_code(t, lang="torch"), space)
    for a, b in zip(t.layer_outputs(X), space["layers"](X)):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)


def test_code_it_cannot_express_is_refused_in_one_line():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [4], "sin", steps=5)
    with pytest.raises(NetwarpError, match="torch.nn has no module for the activation 'sin'; export this network as numpy"):
        forward_code(t, lang="torch")
    with pytest.raises(NetwarpError, match="unknown language 'jax'"):
        forward_code(t, lang="jax")


def test_algebra_and_blocks_follow_the_architecture():
    X, y = nw.make_dataset("moons", seed=0)
    t = nw.train(X, y, [8, 3], "relu", steps=5)
    assert algebra(t) == ["l1 = relu(l0 W0 + b0)", "l2 = relu(l1 W1 + b1)", "l3 = l2 W2 + b2",
                          "l3 = relu(relu(l0 W0 + b0) W1 + b1) W2 + b2"]
    b = {blk.id: blk for blk in blocks(t)}
    assert [blk.id for blk in blocks(t)] == ["l0", "W0", "b0", "l1", "W1", "b1", "l2", "W2", "b2", "l3"]
    for k, (W, bias) in enumerate(t.weights()):
        assert b[f"W{k}"].shape == W.shape and b[f"b{k}"].shape == bias.shape
        assert b[f"W{k}"].label == f"W{k}: {W.shape[0]} × {W.shape[1]}"
    # every symbol of the algebra is a block, and a name in the code
    code = forward_code(t)
    for blk in blocks(t):
        assert blk.id in algebra(t)[-1] or blk.kind == "layer"
        assert f"{blk.id} = " in code or f"{blk.id} @" in code or blk.id == "l3"
