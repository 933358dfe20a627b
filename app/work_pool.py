"""Long computations (a big batch of starts, a fine grid of a data surface) run outside the web
worker: in a child process, a few at a time, killed when their client goes away or when they pass
a wall-clock cap. Small requests (a slider drag: milliseconds) never come here; the time model
(surfaces/planning.py) decides which is which before any work starts.

A child is forked from this worker's own fork server (a fresh interpreter with numpy and the
domain packages preloaded, never a fork of the threaded web worker), so starting one costs a
few milliseconds; killing one frees its CPU and memory at once."""
from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections import Counter
from dataclasses import dataclass

from fastapi import HTTPException, Request

from .settings import settings

# Predicted CPU seconds above which a request runs in the pool, not in a worker thread: a slider
# drag (a few hundred steps of a few paths) predicts ~0.01-0.1 s and stays in-process.
POOL_THRESHOLD_SECONDS = 0.3
RUNNING = 1  # children at once per web worker (2 cores; the trainings run at low priority beside them)
WAITING = 8  # per web worker; more are refused with a 429 at once
PER_ADDRESS = 3  # running or waiting, per client address: one laptop cannot fill the queue

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["numpy", "surfaces", "optimizers", "app.routers.trajectories", "app.routers.meta"])


class Busy(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class _Pool:
    slots: asyncio.Semaphore | None = None
    queued: int = 0
    per_client: Counter = None
    started: int = 0  # children started (the tests read it)
    killed: int = 0

    def semaphore(self) -> asyncio.Semaphore:
        if self.slots is None:
            self.slots = asyncio.Semaphore(RUNNING)
            self.per_client = Counter()
        return self.slots


pool = _Pool()


def _child(connection, function, args) -> None:
    """In the child: run the job, send back ("ok", bytes) or ("error", exception)."""
    try:
        result = function(*args)
        connection.send(("ok", result))
    except BaseException as error:  # noqa: BLE001 (an HTTPException is the usual one: a 422)
        connection.send(("error", error))
    finally:
        connection.close()


def warm_up() -> None:
    """Start the fork server (its preloads) before the first long request pays for it; in the
    background, so the worker starts answering meanwhile (slider drags never need it)."""
    def start():
        child = _context.Process(target=int)
        child.start()
        child.join()
    threading.Thread(target=start, daemon=True, name="work-pool-warm-up").start()


async def _until_disconnect(http: Request) -> None:
    while (await http.receive())["type"] != "http.disconnect":
        pass


async def run(function, args: tuple, http: Request, cap: float | None = None):
    """function(*args) in a child process; its return value (picklable), or its exception
    re-raised. 429 when this worker's queue or the client's share is full; 503 past the cap; the
    child is killed as soon as the client disconnects (the answer no longer matters)."""
    cap = cap or settings().work_seconds
    slots = pool.semaphore()
    # By address, not by an identity the client could rotate; a long request is rare enough
    # (basins of attraction, fine grids of data) that a class behind one NAT does not meet it.
    client = http.client.host if http.client else "unknown"
    if pool.queued >= RUNNING + WAITING:
        raise HTTPException(429, "the server is busy with long computations; retry shortly",
                            headers={"Retry-After": "5"})
    if pool.per_client[client] >= PER_ADDRESS:
        raise HTTPException(429, f"this address already has {PER_ADDRESS} long computations running or waiting",
                            headers={"Retry-After": "5"})
    pool.queued += 1
    pool.per_client[client] += 1
    leaving = asyncio.ensure_future(_until_disconnect(http))
    try:
        acquiring = asyncio.ensure_future(slots.acquire())
        await asyncio.wait([acquiring, leaving], return_when=asyncio.FIRST_COMPLETED)
        if not acquiring.done():
            acquiring.cancel()
            raise HTTPException(499, "the client went away")
        try:
            return await _in_child(function, args, leaving, cap)
        finally:
            slots.release()
    finally:
        leaving.cancel()
        pool.queued -= 1
        pool.per_client[client] -= 1
        if not pool.per_client[client]:
            del pool.per_client[client]


async def _in_child(function, args, leaving, cap):
    receiving, sending = _context.Pipe(duplex=False)
    child = _context.Process(target=_child, args=(sending, function, args), daemon=True)
    child.start()
    pool.started += 1
    sending.close()
    answer = asyncio.get_running_loop().run_in_executor(None, _receive, receiving)
    done, _ = await asyncio.wait([answer, leaving], timeout=cap, return_when=asyncio.FIRST_COMPLETED)
    if answer not in done:
        _kill(child)  # the pipe's far end closes with it: the receiving thread returns
        if leaving in done:
            raise HTTPException(499, "the client went away")
        raise HTTPException(503, f"the computation passed the server's {cap:g} s cap",
                            headers={"Retry-After": "30"})
    _reap(child)
    kind, value = answer.result()
    if kind == "error":
        raise value
    return value


def _receive(connection):
    """In a worker thread: the child's answer (the connection is closed here, after the read)."""
    try:
        return connection.recv()
    except (EOFError, OSError):
        return "error", HTTPException(503, "the computation's process ended without an answer",
                                      headers={"Retry-After": "10"})
    finally:
        connection.close()


def _kill(child) -> None:
    if child.is_alive():
        child.kill()
        pool.killed += 1
    _reap(child)


def _reap(child) -> None:
    threading.Thread(target=child.join, daemon=True).start()  # without blocking the event loop
