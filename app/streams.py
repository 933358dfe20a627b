"""Bookkeeping of live MLP training streams: bounded per client and in total, so a class
opening comparisons cannot starve the trajectory requests of CPU."""
from __future__ import annotations

import threading
from collections import Counter

from fastapi import HTTPException

MAX_PER_CLIENT = 2
MAX_TOTAL = 12


class StreamRegistry:
    def __init__(self, per_client: int = MAX_PER_CLIENT, total: int = MAX_TOTAL):
        self.per_client, self.total = per_client, total
        self._lock = threading.Lock()
        self._by_client: Counter = Counter()

    @property
    def active(self) -> int:
        with self._lock:
            return sum(self._by_client.values())

    def acquire(self, client: str) -> None:
        with self._lock:
            if self._by_client[client] >= self.per_client:
                raise HTTPException(429, f"this client already has {self.per_client} trainings running; "
                                         "stop one (or wait for it to finish) first", headers={"Retry-After": "5"})
            if sum(self._by_client.values()) >= self.total:
                raise HTTPException(429, f"the server is running its maximum of {self.total} trainings; "
                                         "try again in a moment", headers={"Retry-After": "10"})
            self._by_client[client] += 1

    def release(self, client: str) -> None:
        with self._lock:
            self._by_client[client] -= 1
            if self._by_client[client] <= 0:
                del self._by_client[client]


class Lease:
    """One acquired slot. Whoever ends last releases it: the training worker once it has started,
    otherwise the request (a client that left before training began)."""

    def __init__(self, owner: StreamRegistry, client: str):
        self.owner, self.client = owner, client
        self.handed_over = False
        self._released = False
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if not self._released:
                self._released = True
                self.owner.release(self.client)


registry = StreamRegistry()
