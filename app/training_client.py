"""A web worker's side of the training supervisor: submit a job, read its events.

The events are read from the supervisor's socket only as fast as the HTTP client takes them,
so a browser that stops reading holds at most a socket buffer here (the supervisor ends the
training once its sends stall), never an unbounded queue.
"""
from __future__ import annotations

import asyncio
import atexit
import os
import tempfile
import threading

import orjson

from . import supervisor
from .settings import settings

LINE_LIMIT = 1024 * 1024  # the largest event (a 5000-point dataset, ~0.3 MB) fits; a stalled stream buffers 2x this
_local = {"path": None, "process": None}
_local_lock = threading.Lock()


def supervisor_path() -> str:
    """The server's supervisor, or one started for this process on first use (a lone worker, tests)."""
    shared = settings().supervisor
    if shared:
        return shared
    with _local_lock:
        if _local["path"] is None:
            path = os.path.join(tempfile.mkdtemp(prefix="optviz-"), "supervisor.sock")
            _local["process"] = supervisor.start(path, settings())
            _local["path"] = path
            atexit.register(_local["process"].terminate)
        return _local["path"]


def local_supervisor_pid() -> int | None:
    process = _local["process"]
    return process.pid if process is not None else None


class Refused(Exception):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def split_epoch(body: bytes) -> tuple[int, bytes]:
    """An epoch event's configuration index and its entry's JSON, sliced out of the bytes the training
    process wrote (orjson, {"index": i, "entry": {...}} in that order) without parsing the entry."""
    head, _, rest = body.partition(b',"entry":')
    return int(head[len(b'{"index":'):]), rest[:-1]


class TrainingJob:
    """An open job: `open` raises Refused if it was refused; iterate for (event, json_bytes)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader, self._writer = reader, writer
        self._pending: tuple[str, bytes] | None = None

    @classmethod
    async def open(cls, configs: list[dict], client: str, address: str, cap: float) -> "TrainingJob":
        reader, writer = await asyncio.open_unix_connection(supervisor_path(), limit=LINE_LIMIT)
        writer.write(orjson.dumps({"configs": configs, "client": client, "address": address, "cap": cap}) + b"\n")
        await writer.drain()
        job = cls(reader, writer)
        first = await job._next()
        if first is None:
            job.close()
            raise Refused("the training service is restarting; try again", 5)
        if first[0] == "refused":
            job.close()
            answer = orjson.loads(first[1])
            raise Refused(answer["message"], answer["retry_after"])
        job._pending = first
        return job

    async def _next(self) -> tuple[str, bytes] | None:
        try:
            line = await self._reader.readline()
        except (ValueError, asyncio.LimitOverrunError, ConnectionError):
            return ("error", b'{"message":"an event was too large to forward"}')
        if not line:
            return None
        event, _, body = line.rstrip(b"\n").partition(b"\t")
        return event.decode(), body

    def __aiter__(self):
        return self

    async def __anext__(self) -> tuple[str, bytes]:
        if self._pending is not None:
            item, self._pending = self._pending, None
            return item
        item = await self._next()
        if item is None:
            raise StopAsyncIteration
        return item

    def close(self) -> None:
        # Hanging up is the signal: the supervisor ends the training process at once.
        if not self._writer.is_closing():
            self._writer.close()


async def status(timeout: float = 0.5) -> dict | None:
    """Running and waiting trainings on the whole server; None if the supervisor does not answer."""
    path = settings().supervisor or _local["path"]
    if not path:
        return {"running": 0, "waiting": 0, "pids": []}
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_unix_connection(path)
            writer.write(b'{"status": true}\n')
            line = await reader.readline()
            writer.close()
        return orjson.loads(line.partition(b"\t")[2])
    except (OSError, ValueError, TimeoutError):
        return None
