"""One tab's heavy work neither freezes another tab nor outlives its own tab."""

import time

from starlette.testclient import TestClient

from netwarp.web.app import create_app

HEAVY = {"type": "config", "data": {"dataset": "spiral", "n": 3000}, "net": {"hidden": [64] * 6, "optimizer": "sgd"}}


def test_a_second_tab_gets_its_frames_while_another_trains_the_largest_and_work_stops_on_close(origin, small, recv):
    app = create_app(hosts={"testserver"})
    client = TestClient(app)
    heavy_ws = client.websocket_connect("/ws", headers=origin).__enter__()
    recv(heavy_ws, "hello")
    recv(heavy_ws)
    heavy_ws.send_json(HEAVY)
    recv(heavy_ws)
    heavy = next(iter(app.state.sessions.values()))
    heavy_ws.send_json({"type": "step", "n": 10_000})  # minutes of work: it must be sliced, not run in one go

    with client.websocket_connect("/ws", headers=origin) as ws:
        recv(ws, "hello")
        recv(ws)
        ws.send_json(small)
        recv(ws)
        acks = []
        for i in range(1, 6):  # hand edits: each answered with a frame while the heavy tab trains
            ws.send_json({"type": "edit", "kind": "w", "layer": 0, "i": 0, "j": 0, "value": 0.1 * i, "seq": i})
            fr = recv(ws)
            while fr["ack"] < i:
                fr = recv(ws)
            acks.append(fr["ack"])
        assert acks == [1, 2, 3, 4, 5]
        assert client.get("/static/app.js").status_code == 200  # HTTP answered meanwhile
    # it is working, in slices: steps done while most of the 10,000 are still pending (waited for as a
    # state, not a duration: the edits above can all be answered before its first slice ends)
    deadline = time.monotonic() + 30
    while heavy.trainer.step_count == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert heavy.pending_steps > 0 and heavy.trainer.step_count > 0

    heavy_ws.close()
    deadline = time.monotonic() + 10
    while heavy in app.state.sessions.values() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert heavy.cancelled
    stopped_at = heavy.trainer.step_count
    time.sleep(0.5)
    assert heavy.trainer.step_count == stopped_at  # nothing more of the closed tab's 10,000 steps ran
    client.close()
