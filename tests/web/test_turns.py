"""Fair turns at the compute pool: the tab that computed least lately goes next; nothing leaks a slot."""

import asyncio
import threading

from netwarp.web import pool, turns


class Tab:
    """A stand-in for a session: anything weak-referenceable owns calls."""

    def __init__(self, name):
        self.name = name


def test_the_lighter_tab_goes_first_and_keeps_its_slot_for_its_next_call(monkeypatch):
    monkeypatch.setattr(turns, "GRACE", 0.5)  # ample for the next call on a busy machine
    assert pool.threads_in_pool() == 1
    heavy, light, order = Tab("heavy"), Tab("light"), []

    async def main():
        t = turns.Turns()
        t._used[heavy] = (10.0, turns.time.monotonic())  # the heavy tab trained for seconds lately
        gate = threading.Event()
        first = asyncio.ensure_future(t.run(heavy, gate.wait))  # holds the only slot until the gate opens
        await asyncio.sleep(0)
        queued_heavy = asyncio.ensure_future(t.run(heavy, order.append, "heavy slice"))

        async def edit():
            await t.run(light, order.append, "light message")
            await t.run(light, order.append, "light frame")  # asked for only after the message returned

        queued_light = asyncio.ensure_future(edit())
        await asyncio.sleep(0)
        assert len(t._waiting) == 2
        gate.set()
        await asyncio.gather(first, queued_heavy, queued_light)
        assert t.running == 0 and t._held is None

    asyncio.run(main())
    # the edit's frame follows its message, ahead of the heavy tab that was waiting first
    assert order == ["light message", "light frame", "heavy slice"]


def test_a_tab_that_stops_waiting_does_not_keep_the_slot():
    a, b, done = Tab("a"), Tab("b"), []

    async def main():
        t = turns.Turns()
        gate = threading.Event()
        first = asyncio.ensure_future(t.run(a, gate.wait))
        await asyncio.sleep(0)
        gone = asyncio.ensure_future(t.run(b, done.append, "never"))
        await asyncio.sleep(0)
        gone.cancel()  # the tab closed while waiting for its turn
        gate.set()
        await first
        await t.run(a, done.append, "after")  # the slot is free again
        assert t.running == 0

    asyncio.run(main())
    assert done == ["after"]


def test_compute_charges_the_tab_set_in_the_context():
    tab = Tab("t")

    async def main():
        turns.tab.set(tab)
        assert await turns.compute(sum, [1, 2]) == 3
        return turns._TURNS[asyncio.get_running_loop()].used(tab)

    assert asyncio.run(main()) > 0


def test_a_tab_passed_over_for_its_patience_goes_next_however_fast_the_other_calls():
    """The training tab's rank is measured when a slot frees, and past PATIENCE it goes first:
    a light tab calling back to back (an editor on a quiet machine) cannot starve it."""
    heavy, light = Tab("heavy"), Tab("light")
    done: list[str] = []

    async def main():
        t = turns.Turns()
        t._used[heavy] = (10.0, turns.time.monotonic())  # it trained for seconds just before

        async def editor():
            for _ in range(400):  # each call a millisecond of work: hundreds of milliseconds in all
                await t.run(light, threading.Event().wait, 0.001)
                if done:
                    return "heavy served while the editor kept calling"
            return "heavy starved"

        async def trainer():
            await asyncio.sleep(0)
            await t.run(heavy, done.append, "slice")

        result, _ = await asyncio.gather(editor(), trainer())
        assert result == "heavy served while the editor kept calling"
        assert t.running == 0

    asyncio.run(main())
