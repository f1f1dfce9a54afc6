"""A tab's waiting messages: bounded in count and bytes, the excess dropped and the page told."""

import json
import sys
import threading
import time

from netwarp.web import inbox as inbox_module
from netwarp.web import live
from netwarp.web.inbox import Inbox
from netwarp.web.session import Session


def test_messages_past_the_count_or_the_bytes_are_dropped_and_counted():
    q = Inbox(max_messages=3, max_bytes=10**6)
    for i in range(5):
        q.put_nowait(f"m{i}")
    assert q.qsize() == 3 and q.dropped == 2
    end = object()
    q.put_nowait(end)  # the reader's end marker always gets in
    assert q.qsize() == 4
    assert [q.get_nowait() for _ in range(4)] == ["m0", "m1", "m2", end] and q.bytes == 0

    big = "x" * 400_000
    q = Inbox(max_messages=100, max_bytes=1_000_000)
    for _ in range(4):
        q.put_nowait(big)
    assert q.qsize() == 2 and q.dropped == 2 and q.bytes == 2 * sys.getsizeof(big)
    q.get_nowait()
    q.put_nowait(big)  # room again once one is taken
    assert q.qsize() == 2 and q.dropped == 2


def test_the_drop_notice_is_one_line_once_per_burst():
    q = Inbox(max_messages=1, max_bytes=10**6)
    assert q.drop_notice() is None
    for _ in range(4):
        q.put_nowait("{}")
    note = q.drop_notice()
    assert note["type"] == "error" and note["message"].startswith("3 messages from this page dropped")
    assert "at most 1 messages" in note["message"] and "\n" not in note["message"]
    assert q.drop_notice() is None


def test_a_flooding_tab_gets_messages_dropped_and_told_and_keeps_working(client, recv, small, origin, monkeypatch):
    monkeypatch.setattr(inbox_module, "MAX_WAITING", 4)
    made: list[Inbox] = []

    class Watched(Inbox):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(live, "Inbox", Watched)
    gate = threading.Event()
    real = Session.receive

    def held(self, raw):
        # the first message is held until the flood has been read and dropped: the loop is busy,
        # as it is while a large set-up builds, and the reader keeps taking messages off the socket
        if not gate.is_set():
            end = time.monotonic() + 30
            while (not made or made[0].dropped < 20) and time.monotonic() < end:
                time.sleep(0.01)
            gate.set()
        return real(self, raw)

    monkeypatch.setattr(Session, "receive", held)
    csv = json.dumps({"type": "csv", "text": "x1,x2,label\n" + "0.1,0.2,0\n0.3,0.1,1\n" * 200})
    with client.websocket_connect("/ws", headers=origin) as ws:
        recv(ws, "hello")
        recv(ws)
        for _ in range(30):
            ws.send_text(csv)
        note = recv(ws, "error")
        n = int(note["message"].split()[0])
        assert 20 <= n <= 29 and "dropped" in note["message"]
        assert made[0].qsize() <= 4
        ws.send_json({"type": "step", "n": 2})
        fr = recv(ws)
        while fr["timeline"]["step"] != 2:
            fr = recv(ws)

