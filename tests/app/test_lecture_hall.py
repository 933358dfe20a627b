"""A real `optviz serve` (loopback only, a 1024-file limit like a stock laptop) under the traffic
one mischievous laptop or a whole class produces: health keeps answering, capacity is shared by
the workers, a stream nobody reads costs bounded memory, idle sockets cannot lock anyone out."""
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest

from app.connections import REQUEST_SECONDS

from .test_streams_live import Stream, wait_for

FILE_LIMIT = 1024


def _limit_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


@contextmanager
def serving(workers: int, tmp_path, **settings):
    from tests.conftest import free_port
    port = free_port()
    environment = {**os.environ, **{f"OPTVIZ_{k.upper()}": str(v) for k, v in settings.items()}}
    log = open(tmp_path / f"server-{port}.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers),
                               "--training-slots", str(settings.get("training_slots", 4))],
                              env=environment, stdout=log, stderr=log, preexec_fn=_limit_files, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _healthy(url), timeout=60), "the server did not start"
        yield url, server, tmp_path / f"server-{port}.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()


def _healthy(url):
    try:
        return httpx.get(f"{url}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def health_latency(url) -> float:
    """A fresh connection each time (as a new student's would be), timed from connect to answer;
    building an httpx client per probe would time its TLS setup instead."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=10) as probe:
        probe.sendall(b"GET /api/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        answer = b""
        while chunk := probe.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    return time.monotonic() - started


def worker_pids(server) -> list[int]:
    children = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == server.pid:
                        children.append(int(pid))
            except (OSError, IndexError):
                pass
    return children


def resident_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


# One epoch of batch-1 training on 2000 points: seconds of CPU each, within the /run budget.
HEAVY_RUN = {"configs": [{"dataset": "spiral", "samples": 2000, "hidden": [16, 16], "epochs": 1, "batch_size": 1}]}


def raw_post(url, path, body: dict, headers: dict | None = None, window: int | None = None) -> socket.socket:
    """Send a request and leave its answer unread: a browser tab that may go away at any moment."""
    payload = httpx.Request("POST", url + path, json=body).read()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()).encode()
    sock = socket.socket()
    if window:  # a small receive window, set before connecting: the server's sends block sooner
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, window)
    sock.connect(("127.0.0.1", int(url.rsplit(":", 1)[1])))
    sock.sendall(b"POST %s HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n%scontent-length: %d\r\n\r\n%s"
                 % (path.encode(), extra, len(payload), payload))
    return sock


def test_health_answers_within_a_second_while_40_heavy_runs_are_queued(tmp_path):
    with serving(2, tmp_path) as (url, server, _):
        students = [raw_post(url, "/api/mlp/run", HEAVY_RUN, {"x-forwarded-for": f"10.1.0.{i}"}) for i in range(40)]
        assert wait_for(lambda: httpx.get(f"{url}/api/health").json()["trainings_waiting"] > 30, timeout=20)
        latencies = [health_latency(url) for _ in range(10)]
        status = httpx.get(f"{url}/api/health").json()
        assert status["training_streams"] == 4  # the server's slots, shared by both workers
        assert max(latencies) < 1.0, latencies
        for student in students:  # every student gives up: their trainings end, queued or running
            student.close()
        assert wait_for(lambda: httpx.get(f"{url}/api/health").json()["training_streams"] == 0, timeout=10)
        assert httpx.get(f"{url}/api/health").json()["trainings_waiting"] == 0


def test_capacity_is_shared_by_the_workers_and_a_stream_nobody_reads_stays_small(tmp_path):
    big = {"configs": [{"dataset": "spiral", "samples": 5000, "hidden": [4], "epochs": 2000, "batch_size": 1000}] * 6}
    with serving(2, tmp_path, stall_seconds=6) as (url, server, _):
        clients = [httpx.Client(timeout=30, headers={"x-forwarded-for": f"10.0.0.{i}"}) for i in range(6)]
        streams = [Stream(client, url) for client in clients]
        try:
            firsts = [stream.first({"queued", "epoch", "start"})[0] for stream in streams]
            assert firsts.count("queued") == 2 and httpx.get(f"{url}/api/health").json()["training_streams"] == 4
        finally:
            for stream in streams:
                stream.close()
        assert wait_for(lambda: httpx.get(f"{url}/api/health").json()["training_streams"] == 0, timeout=10)

        workers = worker_pids(server)
        before = sum(resident_bytes(pid) for pid in workers)
        paused = raw_post(url, "/api/mlp/train", big, window=4096)  # and never read
        assert wait_for(lambda: httpx.get(f"{url}/api/health").json()["training_streams"] == 1, timeout=10)
        time.sleep(4)  # the training produces far more than the socket takes
        grown = sum(resident_bytes(pid) for pid in workers) - before
        assert grown < 40 * 1024 * 1024, f"the workers grew by {grown / 2 ** 20:.0f} MiB"
        paused.close()  # (a client that stays stalled is ended stall_seconds after the buffers fill)
        assert wait_for(lambda: httpx.get(f"{url}/api/health").json()["training_streams"] == 0, timeout=10)


def test_1100_idle_connections_under_a_1024_file_limit_do_not_lock_anyone_out(tmp_path):
    with serving(1, tmp_path) as (url, server, log_path):
        port = int(url.rsplit(":", 1)[1])
        idle = []
        for _ in range(1100):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            idle.append(sock)
        time.sleep(1)
        latencies = [health_latency(url) for _ in range(5)]
        assert max(latencies) < 1.0, latencies
        # a request that never completes is closed by its deadline (REQUEST_SECONDS), freeing the file
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /api/health HTTP/1.1\r\nhost: x\r\n")  # headers never finished
        slow.settimeout(REQUEST_SECONDS + 15)
        assert slow.recv(100) == b""
        for sock in idle:
            sock.close()
        assert health_latency(url) < 1.0
        assert log_path.stat().st_size < 200_000  # no log flood
