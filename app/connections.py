"""Connection hygiene at the protocol level, where uvicorn leaves gaps a single laptop can use.

uvicorn's keep-alive timeout starts only after a first response, and any byte resets it, so a
socket that never sends a request, sends its headers a byte at a time or its body one byte every
ten seconds is held for ever; enough of them exhaust the file limit and the server stops
accepting anyone (and logs "Too many open files" in a tight loop). This protocol adds:

- a deadline for each request to arrive whole (head and body), from the moment the connection
  opens or its previous response ends: `REQUEST_SECONDS` plus the keep-alive pause;
- a cap on open connections, below the process's file limit: a new connection beyond it evicts
  one that has no request in progress, or, if every connection is busy, gets a cheap 503 and is
  closed;
- log lines rate-limited per message, so no client can fill the disk.

Used as `uvicorn.run(..., http="app.connections:GuardedH11Protocol")` (see app/cli.py).
"""
from __future__ import annotations

import logging
import resource
import time

from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_SECONDS = 20.0  # a request's head and body must arrive within this (slow links, an overloaded loop)
FILE_MARGIN = 96  # files a worker needs besides client sockets: modules, supervisor sockets, logs
# asyncio accepts up to `backlog` sockets per wake-up before any of them reaches connection_made,
# so the cap keeps that many files spare too (app/cli.py passes the same backlog to uvicorn).
ACCEPT_BACKLOG = 256
OVER_CAPACITY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 38\r\n"
                 b"retry-after: 5\r\nconnection: close\r\n\r\nthe server has too many connections now")


def connection_cap() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        soft = 65536
    return max(16, min(soft - FILE_MARGIN - ACCEPT_BACKLOG, 16384))


class GuardedH11Protocol(H11Protocol):
    cap = connection_cap()

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._deadline = None
        self._arm(REQUEST_SECONDS)
        if len(self.connections) > self.cap:
            victim = next((c for c in list(self.connections) if c is not self and not c.transport.is_closing()
                           and c._waiting_for_request()), None)
            if victim is not None:
                victim.transport.close()  # an idle socket makes room for someone who asks
            else:
                transport.write(OVER_CAPACITY)
                transport.close()

    def _waiting_for_request(self) -> bool:
        # No request yet, or its body still arriving; a running or streaming response is busy.
        return self.cycle is None or self.cycle.response_complete or self.cycle.more_body

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(seconds, self._request_overdue)

    def _request_overdue(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._waiting_for_request():
            self.transport.close()

    def on_response_complete(self) -> None:
        self._arm(self.timeout_keep_alive + REQUEST_SECONDS)
        super().on_response_complete()

    def connection_lost(self, exc) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


class RateLimitedLog(logging.Filter):
    """At most `burst` records of one message template per `period` seconds, then one line saying
    how many were dropped."""

    def __init__(self, burst: int = 10, period: float = 60.0):
        super().__init__()
        self.burst, self.period = burst, period
        self._seen: dict[str, list] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        key = f"{record.name}:{record.msg}"[:200]
        window = self._seen.get(key)
        if window is None or now - window[0] > self.period:
            if window is not None and window[2]:
                record.msg = f"{record.msg} (and {window[2]} more like it in the last {self.period:g} s)"
            if len(self._seen) > 1000:
                self._seen.clear()
            self._seen[key] = [now, 1, 0]
            return True
        window[1] += 1
        if window[1] <= self.burst:
            return True
        window[2] += 1
        return False


def rate_limit_logs() -> None:
    limiter = RateLimitedLog()
    for name in ("asyncio", "uvicorn.error", "uvicorn.access", "optviz"):
        logging.getLogger(name).addFilter(limiter)


rate_limit_logs()  # imported by each worker through the http= setting: every worker limits its logs
