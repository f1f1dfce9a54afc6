"""Slow motion: a paced run takes exactly the steps its clock allows and records every one."""

import json

import pytest

from netwarp.errors import NetwarpError
from netwarp.settings import check
from netwarp.web.pace import Pace
from netwarp.web.protocol import ProtocolError, parse
from netwarp.web.session import Session

SMALL = {"type": "config", "data": {"dataset": "xor", "n": 80, "seed": 1}, "net": {"hidden": [4, 3], "seed": 2}}


class Clock:
    """A clock moved by hand: no test here waits on real time."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def paced_session(speed):
    s = Session()
    clock = Clock()
    s.pace = Pace(clock)
    s.receive(json.dumps({**SMALL, "play": {"speed": speed}}))
    s.receive(json.dumps({"type": "play"}))
    return s, clock


def test_a_paced_run_takes_the_steps_due_and_keeps_every_snapshot():
    s, clock = paced_session(10)
    s.train_for(1.0)
    assert s.trainer.step_count == 0 and s.pace.wait() == pytest.approx(0.1)  # nothing due before 1/speed
    for _ in range(5):
        clock.now += 0.1
        s.train_for(1.0)  # a long slice: still only the one step due
    assert s.trainer.step_count == 5
    assert list(s.trace.steps) == [0, 1, 2, 3, 4, 5]  # the timeline holds every step the class saw
    clock.now += 0.2
    s.train_for(1.0)
    assert s.trainer.step_count == 7


def test_a_stalled_loop_does_not_burst():
    s, clock = paced_session(20)
    clock.now += 60  # the loop was held up a minute: at most a quarter second of steps follows
    s.train_for(5.0)
    assert 1 <= s.trainer.step_count <= 5


def test_changing_the_speed_keeps_the_run_and_max_is_unpaced():
    s, clock = paced_session(5)
    clock.now += 1
    s.train_for(1.0)
    theta, step = s.trainer.theta.copy(), s.trainer.step_count
    s.receive(json.dumps({**SMALL, "play": {"speed": 0}}))  # 0 on the page: as fast as it goes
    assert s.playing and s.trainer.step_count == step and (s.trainer.theta == theta).all()
    assert s.config["play"]["speed"] is None and not s.pace.paced and s.pace.wait() == 0
    s.train_for(0.05)
    assert s.trainer.step_count > step


def test_step_requests_are_not_paced():
    s, clock = paced_session(1)
    s.receive(json.dumps({"type": "pause"}))
    s.receive(json.dumps({"type": "step", "n": 30}))
    while s.pending_steps:
        s.train_for(0.05)
    assert s.trainer.step_count == 30


def test_speed_is_checked_as_its_row_says():
    assert parse(json.dumps({**SMALL, "play": {"speed": 30}})).body["play"]["speed"] == 30
    with pytest.raises(ProtocolError, match="play.speed must be from 0 to 1000"):
        parse(json.dumps({**SMALL, "play": {"speed": 5000}}))
    with pytest.raises(NetwarpError, match="speed must be a whole number from 1 to 1000"):
        check("speed", 0.5)
