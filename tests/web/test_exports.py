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
