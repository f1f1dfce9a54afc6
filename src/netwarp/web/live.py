"""The websocket loop of one tab: messages in, training slices, frames out.

Training is decoupled from drawing: while playing, the loop trains for the
time left until the next frame is due (about 25 ms), then sends one frame, so
a frame carries however many optimiser steps fit in that time rather than one
epoch. Hand edits are answered at once, without waiting for a frame slot, and
a burst of slider messages is coalesced into one reply.

This loop only moves messages and decides when to call which
:class:`~netwarp.web.session.Session` method; every state change happens
inside those calls, which run in a shared worker pool (:mod:`.pool`), one
call per tab at a time, so no tab's work holds up the event loop or another tab.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.websockets import WebSocket, WebSocketDisconnect

from . import turns
from .inbox import Inbox
from .protocol import encode
from .session import Session

FRAME_INTERVAL = 1 / 40  # seconds: a frame every 25 ms while training, so the page draws >= 30 per second
TRAIN_SLICE = 0.008  # seconds of training per frame slot; the rest of the slot is left to the page's drawing
STEP_SLICE = 0.02  # seconds per slice of a "step" request's work, back to back, other tabs' calls between them
STEP_FRAME_INTERVAL = 0.25  # seconds between progress frames while a "step" request runs
PROBE_INTERVAL = 2.0  # linear probes (scikit-learn) are slow; refresh them at most this often
IDLE = 0.3  # seconds without messages before idle work (probes) runs
_CLOSED = object()
log = logging.getLogger("netwarp.web")
T = TypeVar("T")


async def _reader(ws: WebSocket, inbox: Inbox) -> None:
    try:
        while True:
            m = await ws.receive()
            if m["type"] == "websocket.disconnect":
                break
            await inbox.put(m.get("text") if m.get("text") is not None else m.get("bytes") or b"")
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        await inbox.put(_CLOSED)


async def _send(ws: WebSocket, payload: dict | str) -> None:
    await ws.send_text(payload if isinstance(payload, str) else _json(payload))


def _json(payload: dict) -> str:
    return encode(payload)  # the one encoder: a non-finite number goes as null, never as invalid JSON


async def _compute(fn: Callable[..., T], *args) -> T:
    """Run ``fn(*args)`` in the shared compute pool, off the event loop, on this tab's fair turn.

    Each tab has at most one call in the pool at a time (its loop awaits it);
    when tabs wait, the one that computed least lately goes first (:mod:`.turns`):
    a hand edit is answered after at most one slice of another tab's training,
    and a training tab takes every turn the others leave.
    """
    return await turns.compute(fn, *args)


def _frame_text(session: Session, full: bool = False) -> str:
    return _json(session.frame(full))  # encoded in the pool too: a frame is ~200 kB of JSON


async def run(ws: WebSocket, session: Session, hello: dict) -> None:
    """Serve one connected tab until it closes; its queued work stops with it."""
    turns.tab.set(session)  # this task's calls take this tab's turns
    inbox = Inbox()  # bounded: a page flooding messages gets some dropped, and is told
    reader = asyncio.create_task(_reader(ws, inbox))
    probe: asyncio.Future | None = None
    try:
        await _send(ws, hello)
        await _send(ws, await _compute(_frame_text, session, True))
        last_frame = probes_at = last_msg = time.perf_counter()
        while True:
            # wait for a message unless there is training or drawing to do
            busy = session.busy or session.dirty
            # slow motion: nothing to train until the paced run's next step is due, so wait for it (or a message)
            hold = session.pace.wait() if session.playing and not session.dirty else 0.0
            try:
                raw = inbox.get_nowait() if busy and not hold else await asyncio.wait_for(inbox.get(), hold or IDLE)
            except asyncio.QueueEmpty:
                raw = None
            except TimeoutError:
                raw = None
            while raw is not None:
                if raw is _CLOSED:
                    return
                err = await _compute(session.receive, raw)
                if err is not None:
                    await _send(ws, err)
                raw = inbox.get_nowait() if not inbox.empty() else None
                last_msg = time.perf_counter()
            if (note := inbox.drop_notice()) is not None:
                await _send(ws, note)
                session.dirty = True  # no call of this tab is running now; the next frame resends the truth
            if session.playing:
                due = last_frame + FRAME_INTERVAL
                await _compute(session.train_for, max(0.0, min(TRAIN_SLICE, due - time.perf_counter())))
                if inbox.empty() and time.perf_counter() < due:
                    # leave the rest of the slot to the browser drawing (often on this same machine)
                    await asyncio.sleep(due - time.perf_counter())
            elif session.busy:
                # steps asked for by "step": slice after slice, each queued behind the other tabs'
                # calls, with a progress frame now and then (the page need not redraw 40 times a second)
                await _compute(session.train_for, STEP_SLICE)
            now = time.perf_counter()
            interval = FRAME_INTERVAL if not session.busy or session.playing else STEP_FRAME_INTERVAL
            if session.dirty and (not session.busy or now - last_frame >= interval):
                # the frame period counts from when building started, so building
                # a frame eats into the next training slice rather than adding to it
                last_frame = now
                await _send(ws, await _compute(_frame_text, session))
            if probe is None and inbox.empty() and (
                (session.playing and now - probes_at >= PROBE_INTERVAL) or (not session.busy and now - last_msg >= IDLE)
            ):
                # the slow linear probes catch up with what is shown, in a worker thread:
                # every PROBE_INTERVAL while playing, else once the user rests (not during a
                # "step" request: on a large network they would take the cores from the other tabs)
                job = await _compute(session.probes_job)
                probes_at = now
                if job is not None:
                    probe = asyncio.ensure_future(asyncio.to_thread(job))
            if probe is not None and probe.done():
                try:
                    msg = probe.result()
                except Exception as e:  # a failed probe costs the bars, not the tab
                    log.exception("probes failed")
                    msg = {"type": "probes", "acc": [], "note": f"probes failed: {e}"}
                probe = None
                await _send(ws, session.probes_done(msg))
            await asyncio.sleep(0)  # let the other tabs and the reader run
    except (WebSocketDisconnect, RuntimeError):
        pass  # the tab went away mid-send
    finally:
        session.cancelled = True  # a slice still running stops at its next chunk; nothing more is queued
        reader.cancel()
        if probe is not None:
            probe.cancel()
