"""diagnose on a recorded model (issue 23 item 2): dead units and collapse from the recorded
outputs and metrics; what needs gradients, weights or the architecture is left out, not guessed."""

import numpy as np

from netwarp import views
from netwarp.nn import Architecture
from netwarp.trace import Trace


def test_dead_units_are_the_units_constant_on_every_training_point(recorded_cnn):
    t = recorded_cnn
    for s in (0, -1):
        found = views.diagnose(t, s)
        assert {f.kind for f in found} <= {"dead", "oscillating", "collapsed", "overfitting"}
        dead = {(f.layer, f.unit) for f in found if f.kind == "dead"}
        reps = t.layer_outputs(t.X_train, s)
        constant = {(k, int(j)) for k in (1, 2) for j in range(reps[k].shape[1]) if np.ptp(reps[k][:, j]) == 0}
        assert dead == constant
        assert (2, 0) in dead  # act's unit 0, dead by construction
    f = next(f for f in views.diagnose(t) if (f.layer, f.unit) == (2, 0))
    assert f.message.startswith("layer 2 (act), unit 0 is dead: it outputs 0 on every training point") and "\n" not in f.message


def _scripted(logits_train, logits_test):
    """A recorded 3-class trace whose snapshots have the given logits (hidden layer: the logits again)."""
    rng = np.random.default_rng(0)
    y, yt = np.arange(30) % 3, np.arange(12) % 3
    t = Trace(Architecture((4, 3, 3), "recorded"), rng.normal(size=(30, 4)), y, rng.normal(size=(12, 4)), yt,
              layer_names=("fc",))
    for step, (a, b) in enumerate(zip(logits_train, logits_test)):
        t.record_outputs(10 * step, [a(y), a(y)], [b(yt), b(yt)])
    return t


def _sure(scale, shift=0):
    """Logits ``scale`` times the one-hot of the label shifted by ``shift`` classes."""
    return lambda y: scale * np.eye(3)[(y + shift) % 3]


def test_collapse_and_overfitting_come_from_the_recorded_metrics():
    t = _scripted([_sure(0), _sure(4), _sure(4, shift=1)], [_sure(0), _sure(4, shift=1), _sure(4, shift=1)])
    assert [f.kind for f in views.diagnose(t, 1)] == ["overfitting"]
    found = views.diagnose(t, 2)
    assert [f.kind for f in found] == ["collapsed"]
    assert "collapsed after step 10" in found[0].message
    healthy = _scripted([_sure(0), _sure(4)], [_sure(0), _sure(4)])
    assert views.diagnose(healthy) == []


def test_an_empty_diagnosis_of_a_recorded_model_does_not_claim_gradients_flow(tmp_path, capsys):
    from netwarp.cli import main

    rng = np.random.default_rng(1)
    y = np.arange(40) % 2
    t = Trace(Architecture((3, 4, 2), "recorded"), rng.normal(size=(40, 3)), y, rng.normal(size=(10, 3)), y[:10],
              layer_names=("fc",))
    for step in (0, 10):
        z = np.stack([-(y * 2.0 - 1), y * 2.0 - 1], 1) * (1 + step)
        t.record_outputs(step, [rng.normal(size=(40, 4)), z], [rng.normal(size=(10, 4)), z[:10]])
    t.save(tmp_path / "r.npz")
    assert views.diagnose(t) == []
    assert main(["diagnose", str(tmp_path / "r.npz")]) == 0
    out = capsys.readouterr().out
    assert "gradients flow" not in out and "gradients and saturation are not checked" in out
