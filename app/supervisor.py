"""One training supervisor per server: every web worker hands its MLP trainings to it.

Capacity is a property of the machine, not of a worker: with `--workers 2`, counting per worker
let one worker run twelve trainings while the other refused students. The supervisor is one
process (started by `optviz serve`, or by the first training of a lone process) listening on a
Unix socket. It admits at most `training_slots` trainings at once, at most `per_client_running`
per client and `per_address_running` per address; the others wait in a queue and are told their
position. Each training runs in its own process at the lowest CPU priority and is ended when its
web worker hangs up (the browser left), when its client stops reading for `stall_seconds`, or at
the wall-clock cap. A training process that dies is reported as such, with what it had done.

Wire format, one line per message, UTF-8: the worker sends a JSON job
{"configs": [...], "client": str, "address": str, "cap": seconds}; the supervisor answers lines
"event<TAB>json": "refused" (then closes), "queued" {"position": n} (repeated as it changes),
"start", "epoch", "done" and "error" as the trainer emits them, and a last "summary".
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import select
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import orjson

from .heap import keep_freed_memory
from .settings import Settings

TRAINING_NICENESS = 19  # the lowest priority: a student's slider request always comes first
_children = multiprocessing.get_context("forkserver")
# Each training process re-runs this module (multiprocessing's __main__): its imports preloaded too.
# app.training_warmup trains a tiny network there once, so that no training process pays for the first one.
_children.set_forkserver_preload(["numpy", "mlp", "optimizers", "orjson", "app.settings", "app.training_warmup"])


# ---- the training process -----------------------------------------------------------------

def _train_in_child(jobs, connection) -> None:
    """A training process: waits for its one job (the configurations, on `jobs`), trains them and
    sends every event on `connection`. Started ahead of need (see _Spare)."""
    os.nice(TRAINING_NICENESS)
    keep_freed_memory()
    from mlp import TrainConfig, Training
    from mlp.side_by_side import train_side_by_side

    try:
        config_values = jobs.recv()
    except (EOFError, OSError):
        return  # a spare nobody needed: the supervisor closed its end, or is gone
    finally:
        jobs.close()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # the cap: end the epoch, report "stopped"

    def emit(event, data):
        # Serialized once, here, at low priority: the supervisor and the web worker forward these bytes.
        index = data.get("index") if isinstance(data, dict) else None
        epoch = data["entry"]["epoch"] if event == "epoch" else None
        connection.send((event, orjson.dumps(data), index, epoch))

    try:
        trainings = [Training(TrainConfig(**values)) for values in config_values]  # built once, here
        for index, training in enumerate(trainings):
            emit("start", {"index": index, "label": training.label, "config": training.config.describe(),
                           "dataset": training.dataset_points()})
        train_side_by_side(trainings, emit, stop)
        connection.send(("finished", b"", None, None))
    except (BrokenPipeError, EOFError):
        pass  # the supervisor stopped listening
    except Exception as error:  # a bug: said in the stream, and not mistaken for a crash
        emit("error", {"message": f"training failed: {error}"})
        connection.send(("finished", b"", None, None))
    finally:
        connection.close()


class _Spare:
    """One training process started before it is needed, waiting for its job.

    Starting a process through the fork server costs ~20 ms of CPU in the child before the
    training's first line (the fork, multiprocessing's bootstrap, re-running the main module) and,
    at the lowest priority on a busy machine, much more wall time: for a small network that was
    as long as its whole training. With a spare, a request only sends its configurations down a
    pipe; the next spare starts in the background, between requests. Trainings that arrive
    together take the spare and start the others directly, as before.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._ready = None  # (process, jobs writer, events reader)

    @staticmethod
    def _start():
        jobs_reader, jobs_writer = _children.Pipe(duplex=False)
        events_reader, events_writer = _children.Pipe(duplex=False)
        process = _children.Process(target=_train_in_child, args=(jobs_reader, events_writer), daemon=True)
        process.start()
        jobs_reader.close()
        events_writer.close()
        return process, jobs_writer, events_reader

    def refill(self) -> None:
        started = self._start()
        with self._lock:
            if self._ready is None:
                self._ready, started = started, None
        if started is not None:  # another refill got there first: this one is not needed
            started[1].close()  # the child sees the end of its jobs and exits
            started[2].close()
            started[0].join(timeout=5)

    def launch(self, config_values: list[dict]):
        """(process, events reader) of a training process given these configurations."""
        with self._lock:
            ready, self._ready = self._ready, None
        threading.Thread(target=self.refill, daemon=True).start()
        if ready is not None:
            process, jobs, events = ready
            try:
                jobs.send(config_values)
                jobs.close()
                return process, events
            except OSError:  # the spare died while it waited: start one as before
                jobs.close()
                events.close()
        process, jobs, events = self._start()
        jobs.send(config_values)
        jobs.close()
        return process, events


# ---- admission: shared, fair, queued ---------------------------------------------------------

@dataclass(eq=False)
class Job:
    client: str
    address: str
    number: int
    admitted: bool = False
    gone: bool = False
    pid: int | None = None
    arrived: float = field(default_factory=time.monotonic)


class Admission:
    """Who may train now. A freed slot goes to the waiting job whose address, then client, holds
    the fewest slots (arrival order breaks ties), so one laptop cannot crowd out the class."""

    def __init__(self, config: Settings):
        self.config = config
        self.changed = threading.Condition()
        self.waiting: list[Job] = []
        self.running: list[Job] = []
        self._numbers = itertools.count()

    def refusal(self, client: str) -> str | None:
        mine = sum(j.client == client for j in self.waiting) + sum(j.client == client for j in self.running)
        allowed = self.config.per_client_running + self.config.per_client_waiting
        if mine >= allowed:
            return (f"this client already has {allowed} trainings running or waiting; "
                    "stop one (or wait for it to finish) first")
        if len(self.waiting) >= self.config.queue_length:
            return f"the queue of trainings is full ({self.config.queue_length} waiting); try again in a minute"
        return None

    def enqueue(self, client: str, address: str) -> Job | str:
        with self.changed:
            refusal = self.refusal(client)
            if refusal:
                return refusal
            job = Job(client, address, next(self._numbers))
            self.waiting.append(job)
            self._admit()
            return job

    def position(self, job: Job) -> int:
        with self.changed:
            return 0 if job.admitted else 1 + self._order().index(job)

    def leave(self, job: Job) -> None:
        with self.changed:
            if job in self.waiting:
                self.waiting.remove(job)
            if job in self.running:
                self.running.remove(job)
            self._admit()

    def status(self) -> dict:
        with self.changed:
            return {"running": len(self.running), "waiting": len(self.waiting),
                    "pids": [j.pid for j in self.running if j.pid]}

    def _order(self) -> list[Job]:
        by_address = Counter(j.address for j in self.running)
        by_client = Counter(j.client for j in self.running)
        return sorted(self.waiting, key=lambda j: (by_address[j.address], by_client[j.client], j.number))

    def _may_run(self, job: Job) -> bool:
        return (sum(j.client == job.client for j in self.running) < self.config.per_client_running
                and sum(j.address == job.address for j in self.running) < self.config.per_address_running)

    def _admit(self) -> None:
        while len(self.running) < self.config.training_slots:
            candidate = next((j for j in self._order() if self._may_run(j)), None)
            if candidate is None:
                break
            self.waiting.remove(candidate)
            candidate.admitted = True
            self.running.append(candidate)
        self.changed.notify_all()


# ---- one connection: one training --------------------------------------------------------------

class _ClientGone(Exception):
    pass


class _Handler(socketserver.BaseRequestHandler):
    server: "_Server"

    def handle(self) -> None:
        sock: socket.socket = self.request
        config = self.server.config
        sock.settimeout(config.stall_seconds)  # a send that blocks this long: the client stopped reading
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 256 * 1024)  # ...and blocks soon after it stops
        try:
            job_text = sock.makefile("rb").readline(1 << 22)
            request = orjson.loads(job_text)
        except (OSError, ValueError):
            return
        if request.get("status"):
            return self._send(sock, "status", self.server.admission.status())
        admission = self.server.admission
        job = admission.enqueue(str(request["client"]), str(request["address"]))
        if isinstance(job, str):
            return self._send(sock, "refused", {"message": job, "retry_after": 10})
        try:
            self._wait_for_a_slot(sock, job)
            self._train(sock, job, request["configs"], float(request.get("cap") or config.stream_seconds))
        except (_ClientGone, OSError):
            pass
        finally:
            admission.leave(job)

    def _send(self, sock, event: str, data) -> None:
        body = data if isinstance(data, bytes) else orjson.dumps(data)  # orjson never writes a raw newline
        sock.sendall(event.encode() + b"\t" + body + b"\n")

    def _check_connected(self, sock) -> None:
        readable, _, _ = select.select([sock], [], [], 0)
        if readable and not sock.recv(1, socket.MSG_PEEK):
            raise _ClientGone

    def _wait_for_a_slot(self, sock, job: Job) -> None:
        admission, config = self.server.admission, self.server.config
        told = None
        deadline = time.monotonic() + config.queue_seconds
        while True:
            position = admission.position(job)
            if position == 0:
                return
            if position != told:
                self._send(sock, "queued", {"position": position})
                told = position
            if time.monotonic() > deadline:
                self._send(sock, "error", {"message": f"waited {config.queue_seconds:g} s in the queue; try later"})
                raise _ClientGone
            self._check_connected(sock)
            with admission.changed:
                admission.changed.wait(0.5)

    def _train(self, sock, job: Job, config_values: list[dict], cap: float) -> None:
        process, reader = self.server.spare.launch(config_values)
        job.pid = process.pid
        summaries: dict[int, bytes] = {}
        progress: dict[int, int] = {}
        labels: dict[int, str] = {}
        finished = capped = False
        deadline = time.monotonic() + cap
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 and not capped:
                    capped = True
                    process.terminate()  # SIGTERM: the child ends its epoch and reports "stopped"
                    deadline = time.monotonic() + 5
                    continue
                if remaining <= 0:
                    break  # it did not stop in time: killed in `finally`
                ready, _, _ = select.select([reader, sock], [], [], min(remaining, 1.0))
                if sock in ready:
                    self._check_connected(sock)
                if reader not in ready:
                    continue
                try:
                    event, body, index, epoch = reader.recv()
                except (EOFError, OSError):
                    break
                if event == "finished":
                    finished = True
                    continue
                if event == "start":
                    labels[index] = orjson.loads(body)["label"]
                elif event == "epoch":
                    progress[index] = epoch
                elif event == "done":
                    summaries[index] = orjson.dumps(orjson.loads(body)["summary"])
                self._send(sock, event, body)
        finally:
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
            reader.close()
        if not finished and not capped:
            cause = process.exitcode
            how = f"was killed by signal {-cause}" if cause is not None and cause < 0 else f"exited with code {cause}"
            self._send(sock, "error", {"message": f"the training process {how} before it finished"})
        elif capped:
            self._send(sock, "error", {"message": f"stopped at the server's limit of {cap:g} s per training"})
        runs = []
        for index in range(len(config_values)):
            if index in summaries:
                runs.append(summaries[index])
            else:
                epochs = progress.get(index, 0)
                runs.append(orjson.dumps({
                    "label": labels.get(index, ""), "best_epoch": None, "status": "failed", "epochs_trained": epochs,
                    "message": f"the training process ended unexpectedly after epoch {epochs}"}))
        self._send(sock, "summary", b'{"runs":[' + b",".join(runs) + b"]}")


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, path: str, config: Settings):
        self.config = config
        self.admission = Admission(config)
        self.spare = _Spare()
        super().__init__(path, _Handler)


def serve(path: str, config: Settings, parent: int | None = None) -> None:
    """Run the supervisor until its parent (the server that started it) is gone."""
    if os.path.exists(path):
        os.unlink(path)
    server = _Server(path, config)
    if parent is not None:
        def watch_parent():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)  # orphaned: the server died without stopping us
        threading.Thread(target=watch_parent, daemon=True).start()
    server.spare.refill()  # starts the fork server (its preloads) and the first training process before the first student
    server.serve_forever(poll_interval=0.5)


# Trainings run side by side, one per slot: a BLAS thread pool in each would oversubscribe the
# cores (measured about 10x slower under load). Read by numpy's BLAS when it is first imported,
# so it is set in the supervisor's environment, which its fork server and trainings inherit.
ONE_BLAS_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def start(path: str, config: Settings) -> subprocess.Popen:
    """Start a supervisor process listening on `path`; returns once it accepts connections.
    A fresh interpreter (not a fork of a threaded web worker, nor a re-import of its __main__)."""
    environment = {**os.environ, **config.to_environment(), **ONE_BLAS_THREAD}
    process = subprocess.Popen([sys.executable, "-m", "app.supervisor", path, str(os.getpid())], env=environment,
                               start_new_session=True)  # Ctrl-C reaches the server, which ends us
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(path)
                probe.sendall(b'{"status": true}\n')
                probe.recv(4096)
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the training supervisor did not start")


if __name__ == "__main__":
    serve(sys.argv[1], Settings.from_environment(), parent=int(sys.argv[2]))
