"""GIF/MP4 export of a tab's run through netwarp.animate."""

import pytest


def test_animation_endpoint(client, open_tab, recv):
    ws, hello, _ = open_tab()
    ws.send_json({"type": "step", "n": 10})
    recv(ws)
    assert hello["exports"] == ["gif", "mp4"]
    r = client.get(f"/api/animation/{hello['sid']}?kind=training&format=gif&frames=4")
    assert r.status_code == 200
    assert r.content[:6] in (b"GIF89a", b"GIF87a")
    assert client.get("/api/animation/not-a-session?kind=training").status_code == 404
    ws.close()


@pytest.mark.parametrize(
    "query, needle",
    [
        ("kind=spin", "kind must be one of training, morph, rotate"),
        ("format=avi", "format one of gif, mp4"),
        ("frames=many", "frames and layer must be whole numbers"),
        ("frames=1", "frames must be from 2 to 150"),
        ("frames=500", "frames must be from 2 to 150"),
    ],
)
def test_bad_animation_requests_get_one_line(client, open_tab, query, needle):
    ws, hello, _ = open_tab()
    r = client.get(f"/api/animation/{hello['sid']}?{query}")
    assert r.status_code == 400 and needle in r.json()["error"] and "\n" not in r.json()["error"]
    ws.close()


def test_an_export_that_does_not_fit_the_memory_budget_is_refused_in_one_line(open_tab, recv):
    from starlette.testclient import TestClient

    from netwarp.web.app import create_app
    from netwarp.web.budget import MemoryBudget, export_estimate

    budget = MemoryBudget(per_tab=2**30, total=2**30)
    client = TestClient(create_app(hosts={"testserver"}, budget=budget))
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as ws:
        hello = recv(ws, "hello")
        recv(ws)
        session = client.app.state.sessions[hello["sid"]]
        tr = session.trace
        need = export_estimate(len(tr.X_train), tuple(tr.arch.sizes), len(tr), 100, True)
        budget.total = budget.used() + need - 1  # one byte short of room for a 100-frame GIF
        r = client.get(f"/api/animation/{hello['sid']}?kind=training&format=gif&frames=100")
        assert r.status_code == 503
        err = r.json()["error"]
        assert err.startswith("this animation would need about ") and "try fewer frames" in err and "\n" not in err
        assert not budget._exports  # nothing stays reserved
        r = client.get(f"/api/animation/{hello['sid']}?kind=training&format=mp4&frames=4")  # a small one fits
        assert r.status_code == 200 and not budget._exports
        ws.send_json({"type": "step", "n": 2})  # the tab goes on
        fr = recv(ws)
        while fr["timeline"]["step"] != 2:
            fr = recv(ws)
