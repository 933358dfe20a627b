"""The supervisor keeps one training process started ahead of need (app/supervisor.py, _Spare)."""
import os
import signal
import time

from app import supervisor

SMALL = {"dataset": "spiral", "samples": 60, "hidden": [4], "epochs": 2, "batch_size": 16,
         "optimizer": "adam", "params": {"lr": 0.01}}


def _events(reader, timeout=30):
    events, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline and reader.poll(deadline - time.monotonic()):
        event, _, index, epoch = reader.recv()
        events.append((event, index, epoch))
        if event == "finished":
            break
    return events


def test_the_waiting_spare_trains_the_next_job():
    spare = supervisor._Spare()
    spare.refill()
    waiting = spare._ready[0]
    process, reader = spare.launch([SMALL])
    assert process is waiting  # the job went to the process that was already started
    events = _events(reader)
    assert [e for e in events if e[0] == "epoch"] == [("epoch", 0, 0), ("epoch", 0, 1), ("epoch", 0, 2)]
    assert events[-1][0] == "finished"
    process.join(timeout=10)
    assert process.exitcode == 0


def test_a_spare_that_died_while_waiting_is_replaced_and_the_job_still_trains():
    spare = supervisor._Spare()
    spare.refill()
    dead = spare._ready[0]
    os.kill(dead.pid, signal.SIGKILL)
    dead.join(timeout=10)
    process, reader = spare.launch([SMALL])
    assert process is not dead
    events = _events(reader)
    assert ("epoch", 0, 2) in events and events[-1][0] == "finished"


def test_an_unneeded_spare_exits_when_its_jobs_pipe_closes(monkeypatch):
    started = []
    start = supervisor._Spare._start
    monkeypatch.setattr(supervisor._Spare, "_start", staticmethod(lambda: started.append(start()) or started[-1]))
    spare = supervisor._Spare()
    spare.refill()
    spare.refill()  # a spare is already waiting: the second one is closed and must end by itself
    (kept, _, _), (extra, _, _) = started
    assert spare._ready[0] is kept and kept.is_alive()
    extra.join(timeout=10)
    assert extra.exitcode == 0
