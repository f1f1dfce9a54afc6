"""The playground's HTTP connections: every request must arrive whole within a deadline.

uvicorn's keep-alive timer closes a connection that sends nothing, but any
byte cancels it, so a client sending one header line every two seconds
(slowloris) held its connection for ever, and 270 of them held every slot:
uvicorn counts open connections against ``limit_concurrency`` and answered
all real requests with 503. Here a connection waiting for a request (its
headers and its body) is *pending*:

- a pending connection is closed once it has waited ``request_timeout``
  seconds (from when it opened, or from its previous response);
- at most ``max_pending`` connections are pending at once: a new one closes
  the one that has waited longest (a real request completes in milliseconds,
  so it is the slow ones that go);
- pending connections have their own slots: uvicorn's limit is set to
  ``MAX_CONNECTIONS + max_pending``, so they never take a slot a complete
  request could use.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_TIMEOUT = 10.0  # seconds to receive a whole request (headers and body) once waiting for it
MAX_PENDING = 64  # connections still sending their request; beyond, the longest waiting is closed


def protocol_class(request_timeout: float = REQUEST_TIMEOUT, max_pending: int = MAX_PENDING) -> type[H11Protocol]:
    """An ``H11Protocol`` with the deadline and the pending cap above (uvicorn's ``http=`` option)."""

    class Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            # the same timer uvicorn sets between requests, here from the start: a request cancels it
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)
            self._deadline: asyncio.TimerHandle | None = None
            self._expect_request()

        def _pending(self) -> dict:
            # one registry per server, in the order the connections began waiting
            state = self.server_state
            if not hasattr(state, "netwarp_pending"):
                state.netwarp_pending = {}
            return state.netwarp_pending

        def _expect_request(self) -> None:
            pending = self._pending()
            pending.pop(self, None)
            pending[self] = None
            while len(pending) > max_pending:
                next(iter(pending))._give_up()
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(request_timeout, self._give_up)

        def _request_in(self) -> None:
            self._pending().pop(self, None)
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _give_up(self) -> None:
            self._request_in()
            if not self.transport.is_closing():
                self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
                self._request_in()  # the whole request is in: the app may take its time to answer

        def handle_websocket_upgrade(self, event: h11.Request) -> None:
            self._request_in()  # the websocket protocol takes the connection over
            super().handle_websocket_upgrade(event)

        def on_response_complete(self) -> None:
            if not self.transport.is_closing():
                self._expect_request()  # before uvicorn handles a pipelined request, which may complete at once
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._request_in()
            super().connection_lost(exc)

    return Protocol
