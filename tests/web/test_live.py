"""The websocket loop: error replies, training between frames, probes sent when ready."""

import json

from netwarp.web.protocol import MAX_MESSAGE


def test_bad_messages_get_errors_and_the_tab_keeps_working(open_tab, recv, small):
    ws, _, _ = open_tab()
    bad = [
        "not json",
        json.dumps({"type": "nope"}),
        json.dumps({**small, "net": {"hidden": [1000]}}),
        json.dumps({**small, "net": {"hidden": [4] * 20}}),
        json.dumps({"type": "view", "layer": 7}),  # in the protocol's range, out of this network's
        json.dumps({"type": "view", "snapshot": 99}),
        json.dumps({"type": "edit", "kind": "w", "layer": 0, "i": 5, "j": 0, "value": 1.0}),
        json.dumps({"type": "add_point", "x": 0, "y": 0, "label": 5}),
        json.dumps({"type": "hover", "index": 4000}),
        json.dumps({"type": "csv", "text": "a,b\nx,y\n"}),
        "x" * (MAX_MESSAGE + 10),
        '{"type": "view", "snapshot": ' + "9" * 400 + "}",
    ]
    needles = ["not valid JSON", "unknown message type", "from 1 to 64", "at most 8 hidden layers", "layer 7 is out of range",
               "snapshot 99 is out of range", "unit i=5 is out of range", "class 5 does not exist", "point 4000 does not exist",
               "uploaded CSV", "message too large", "snapshot must be from"]
    for raw, needle in zip(bad, needles):
        ws.send_text(raw)
        err = recv(ws, "error")
        assert needle in err["message"], (needle, err["message"])
    ws.send_json({"type": "step", "n": 3})
    fr = recv(ws)
    while fr["timeline"]["step"] != 3:
        fr = recv(ws)
    assert fr["arch"]["sizes"] == [2, 4, 3, 2]  # the bad config did not replace the good one
    ws.close()


def test_play_trains_many_steps_per_frame_and_pause_records(open_tab, recv):
    ws, _, _ = open_tab()
    ws.send_json({"type": "play"})
    steps = [recv(ws)["timeline"]["step"] for _ in range(5)]
    ws.send_json({"type": "pause"})
    fr = recv(ws)
    while fr["playing"]:
        fr = recv(ws)
    assert steps == sorted(steps) and fr["timeline"]["step"] > 5
    assert fr["metrics"]["step"] == fr["timeline"]["step"]  # pausing records the current state
    ws.close()


def test_probes_name_the_state_they_measured(open_tab, recv):
    # the page fades the probe bars while their key differs from the frame's
    ws, _, _ = open_tab()
    ws.send_json({"type": "step", "n": 40})
    fr = recv(ws)
    while fr["timeline"]["step"] != 40:
        fr = recv(ws)
    probes = recv(ws, "probes")
    while probes["key"] != fr["probes_key"]:  # an earlier job may still report first
        probes = recv(ws, "probes")
    assert len(probes["acc"]) == 4 and all(0 <= a <= 1 for a in probes["acc"])  # input, h1, h2, output
    ws.send_json({"type": "step", "n": 5})
    fr2 = recv(ws)
    assert fr2["probes_key"] != fr["probes_key"]  # new parameters: the old bars are stale
    ws.close()
