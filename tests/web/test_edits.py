"""Hand edits of weights and biases: the ghost, flipped predictions, restore."""

import numpy as np
import pytest

from netwarp import views
from netwarp.errors import NetwarpError
from netwarp.web.edits import Edit, param_index
from netwarp.web.geometry import unb64


def test_hand_edit_ghost_flips_and_restore(app, open_tab, recv):
    ws, _, _ = open_tab()
    ws.send_json({"type": "step", "n": 100})
    recv(ws)
    ws.send_json({"type": "edit", "kind": "b", "layer": 2, "j": 0, "value": 30.0, "seq": 9})
    fr = recv(ws)
    session = next(iter(app.state.sessions.values()))
    assert fr["ack"] == 9 and fr["edit"]["changed"][0]["value"] == 30.0
    before = session.trace.predict(np.vstack([session.trace.X_train, session.trace.X_test]))
    after = session.trace.predict(np.vstack([session.trace.X_train, session.trace.X_test]), theta=session.edit.theta)
    assert fr["edit"]["flipped"] == int((before != after).sum()) > 0
    ghost = unb64(fr["edit"]["ghost"], "u1").reshape(100, 100)
    np.testing.assert_array_equal(ghost, views.decision_field(session.trace, resolution=100).labels)
    assert (unb64(fr["field"]["labels"], "u1") == 0).all()  # a huge bias on class 0 wins everywhere
    ws.send_json({"type": "restore", "kind": "b", "layer": 2, "i": 0, "j": 0})
    fr = recv(ws)
    assert "edit" not in fr and fr["field"]["labels"] == views_labels(session)
    ws.close()


def views_labels(session):
    from netwarp.web.geometry import b64

    return b64(views.decision_field(session.trace, resolution=100).labels, "u1")


def test_param_index_finds_weights_and_biases(blobs_trace):
    arch = blobs_trace.arch  # 2-4-2
    (w0, b0), (w1, b1) = arch.slices()
    assert param_index(arch, {"kind": "w", "layer": 0, "i": 1, "j": 2}) == w0.start + 1 * 4 + 2
    assert param_index(arch, {"kind": "b", "layer": 1, "i": 0, "j": 1}) == b1.start + 1


@pytest.mark.parametrize(
    "ref, message",
    [
        ({"kind": "w", "layer": 2, "i": 0, "j": 0}, "weight layer 2 is out of range; this network has weight layers 0..1"),
        ({"kind": "b", "layer": 0, "i": 0, "j": 4}, "unit j=4 is out of range; layer 1 has units 0..3"),
        ({"kind": "w", "layer": 1, "i": 4, "j": 0}, "unit i=4 is out of range; layer 1 has units 0..3"),
    ],
)
def test_param_index_names_the_valid_range(blobs_trace, ref, message):
    with pytest.raises(NetwarpError) as e:
        param_index(blobs_trace.arch, ref)
    assert str(e.value) == message


def test_an_edit_holds_parameters_and_counts_flips(blobs_trace):
    base = blobs_trace.theta(-1).copy()
    edit = Edit(blobs_trace, base)
    assert edit.flips() == (0, len(blobs_trace.X_train) + len(blobs_trace.X_test))
    idx = param_index(blobs_trace.arch, {"kind": "b", "layer": 1, "i": 0, "j": 0})
    edit.set(idx, 50.0, ("b", 1, 0, 0))
    flipped, total = edit.flips()
    assert 0 < flipped <= total and edit.payload()["changed"] == [
        {"kind": "b", "layer": 1, "i": 0, "j": 0, "value": 50.0, "base": float(base[idx])}
    ]
    edit.restore(idx)
    np.testing.assert_array_equal(edit.theta, base)
    assert edit.changed == {} and edit.flips()[0] == 0
    base[0] += 1  # the edit keeps its own copy of where it started
    assert edit.base[0] != base[0]
