"""Hand edits of weights and biases: the ghost, flipped predictions, restore."""

import numpy as np

from netwarp import views
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
