"""The example models the gallery, the tutorial and the benchmark share (netwarp.torch.examples):
recorded by their named layers over a DataLoader loop, each snapshot the layers' outputs on
the fixed points, and a one-line error without torch."""

import importlib
import sys

import numpy as np
import pytest

from netwarp.errors import NetwarpError

torch = pytest.importorskip("torch")
from netwarp.torch import examples as ex  # noqa: E402


def test_digits_cnn_recorded_every_k_minibatch_steps_holds_the_pool_and_fc1_outputs():
    trace, model = ex.record_digits_cnn(steps=30, every=10)
    assert trace.layer_names == ("pool", "fc1") and not trace.has_weights
    assert trace.arch.sizes == (64, 128, 32, 10)
    assert [int(s) for s in trace.steps] == [0, 10, 20, 30]
    assert trace.data["input_shape"] == [1, 8, 8]
    assert (len(trace.X_train), len(trace.X_test)) == (1347, 450)
    # the last snapshot is the trained model: its outputs equal the hooks' on the test digits
    got = {}
    hooks = [model.get_submodule(n).register_forward_hook(lambda m, a, o, n=n: got.__setitem__(n, o.detach()))
             for n in ("pool", "fc1")]
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(trace.X_test.astype(np.float32)).reshape(-1, 1, 8, 8))
    for h in hooks:
        h.remove()
    outs = trace.layer_outputs(trace.X_test, -1)
    np.testing.assert_array_equal(outs[1], got["pool"].reshape(450, -1).numpy())
    np.testing.assert_array_equal(outs[2], got["fc1"].numpy())
    np.testing.assert_allclose(outs[3], logits.double().numpy(), atol=1e-6)
    assert trace.snapshot(-1).test_acc == pytest.approx(float((logits.argmax(1).numpy() == trace.y_test).mean()))
    assert torch.get_num_threads() >= 1 and model.training is False  # eval above; the recorder restored train


def test_wine_mlp_with_batchnorm_recorded_by_its_two_hidden_blocks():
    trace, model = ex.record_wine_mlp(steps=20, every=10)
    assert trace.layer_names == ("hidden1", "hidden2")
    assert trace.arch.sizes == (13, 16, 8, 3) and trace.arch.n_params == 0
    assert (len(trace.X_train), len(trace.X_test)) == (124, 54)
    # hidden blocks end in ReLU: the recorded outputs are non-negative
    for rep in trace.layer_outputs(trace.X_train, -1)[1:3]:
        assert rep.min() >= 0
    assert any(isinstance(m, torch.nn.BatchNorm1d) for m in model.modules())


def test_the_loops_leave_torchs_thread_setting_as_it_was():
    before = torch.get_num_threads()
    ex.record_wine_mlp(steps=2, every=1)
    assert torch.get_num_threads() == before


def test_without_torch_the_import_is_refused_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    monkeypatch.delitem(sys.modules, "netwarp.torch.examples")
    with pytest.raises(NetwarpError) as e:
        importlib.import_module("netwarp.torch.examples")
    assert "pip install 'netwarp[torch]'" in str(e.value) and "\n" not in str(e.value)
