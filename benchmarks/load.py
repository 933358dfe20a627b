"""A lecture hall's worth of students against `optviz serve --workers N`, on loopback only.

    python benchmarks/load.py --students 100 --workers 2 --duration 60

All students open the shared link at once (the page, its modules, plotly.js and the API
calls the page makes), then each alternates 5-15 s of watching with a slider drag (five
trajectory requests 150 ms apart, each with a new learning rate); one student in ten also
starts the MLP lecture comparison (five networks streamed side by side). Bounded in time and in
requests; it stops by itself. Prints requests per second, latency percentiles per kind of
request and the error count. Target here: 100 students, trajectory p99 under 300 ms, no errors.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

# Every module the page may import (read from the tree, so the list never goes stale).
MODULES = sorted(str(p.relative_to(ROOT / "static" / "js"))[:-3] for p in (ROOT / "static" / "js").rglob("*.js"))
SHARED_LINK = {"surface": "canyon", "steps": 300, "noise": 0.0, "seed": 0, "start": [-9.0, 2.5], "runs": [
    {"optimizer": "sgd", "params": {"lr": 0.072}}, {"optimizer": "momentum", "params": {"lr": 0.0216}},
    {"optimizer": "adam", "params": {"lr": 0.3}}]}
MLP_PRESET = {"configs": [
    {"activation": a, "init": i, "batchnorm": bn, "hidden": [64, 64, 64, 64], "epochs": 40,
     "params": {"lr": 0.02, "momentum": 0.9}}
    for a, i, bn in (("tanh", "normal_0.01", False), ("tanh", "normal_1", False), ("tanh", "xavier_normal", False),
                     ("relu", "he_normal", False), ("tanh", "normal_0.01", True))]}
MAX_REQUESTS = 50_000  # a hard stop, whatever the settings


class Recorder:
    def __init__(self):
        self.latencies = defaultdict(list)
        self.finished_at = defaultdict(list)  # seconds since the link was opened
        self.errors = defaultdict(list)
        self.requests = 0
        self.origin = time.perf_counter()

    def record(self, kind, seconds, ok, detail=""):
        self.requests += 1
        self.latencies[kind].append(seconds * 1000)
        self.finished_at[kind].append(time.perf_counter() - self.origin)
        if not ok:
            self.errors[kind].append(detail)


async def timed(recorder, kind, call):
    if recorder.requests >= MAX_REQUESTS:
        return None
    start = time.perf_counter()
    try:
        try:
            response = await call()
        except httpx.RemoteProtocolError:
            # The server closed an idle keep-alive connection as it was reused: browsers retry
            # such a request once on a new connection, and so does this student.
            response = await call()
        ok = response.status_code in (200, 304)
        detail = "" if ok else f"{response.status_code} {response.text[:120]}"
        recorder.record(kind, time.perf_counter() - start, ok, detail)
        return response
    except httpx.HTTPError as error:
        recorder.record(kind, time.perf_counter() - start, False, repr(error))
        return None


async def fetch_raw(client, path):
    """Download without decompressing: the load generator shares the CPU with the server, and
    inflating 100 copies of plotly.js here would be measured as server slowness."""
    async with client.stream("GET", path, headers={"accept-encoding": "gzip"}) as response:
        async for _ in response.aiter_raw():
            pass
        return response


async def open_shared_link(client, recorder):
    await timed(recorder, "page: html", lambda: client.get("/"))
    assets = [f"/static/js/{m}.js" for m in MODULES] + ["/static/css/optviz.css", "/vendor/plotly.min.js?v=0.1.0"]
    await asyncio.gather(*(timed(recorder, "page: assets", lambda a=a: fetch_raw(client, a)) for a in assets))
    api = ["/api/surfaces", "/api/optimizers", "/api/schedules", "/api/mlp/options",
           "/api/mlp/dataset?name=spiral&samples=600&classes=3&noise=0.1&seed=0"]
    await asyncio.gather(*(timed(recorder, "page: metadata", lambda p=p: client.get(p)) for p in api))
    await asyncio.gather(
        timed(recorder, "page: grid", lambda: client.get("/api/surfaces/canyon/grid?resolution=160")),
        timed(recorder, "trajectories", lambda: client.post("/api/trajectories", json=SHARED_LINK)))


async def drag_slider(client, recorder, rng):
    """The page refetches only the run whose slider moved, with the new value."""
    run = rng.choice(SHARED_LINK["runs"])
    lr = run["params"]["lr"]
    for _ in range(5):
        lr = round(lr * rng.uniform(0.8, 1.25), 6)
        body = {**SHARED_LINK, "runs": [{"optimizer": run["optimizer"], "params": {"lr": lr}}]}
        await timed(recorder, "trajectories", lambda b=body: client.post("/api/trajectories", json=b))
        await asyncio.sleep(0.15)


async def mlp_comparison(client, recorder, deadline, tab):
    """Records the wait before training starts (the server queues comparisons beyond capacity:
    `queued` events) and the time to the first epoch."""
    start = time.perf_counter()
    try:
        async with client.stream("POST", "/api/mlp/train", json=MLP_PRESET) as response:
            if response.status_code != 200:
                recorder.record("mlp stream", time.perf_counter() - start, False, str(response.status_code))
                return
            first, queued = None, False
            async for line in response.aiter_lines():
                if line.startswith("event: queued"):
                    queued = True
                if line.startswith("event: start") and queued:
                    recorder.record("mlp: queue wait", time.perf_counter() - start, True)
                    queued = False
                if line.startswith("event: epoch") and first is None:
                    first = time.perf_counter()
                    recorder.record("mlp: first epoch", first - start, True)
                if line.startswith("event: error"):
                    recorder.record("mlp stream", time.perf_counter() - start, False, line)
                if line.startswith("event: summary") or time.monotonic() > deadline:
                    break
            recorder.record("mlp: whole stream", time.perf_counter() - start, True)
    except httpx.HTTPError as error:
        recorder.record("mlp stream", time.perf_counter() - start, False, repr(error))


async def hostile_laptop(base, recorder, deadline, port):
    """One mischievous laptop beside the class: 1000 idle sockets, 50 slow-header sockets, and
    MLP trainings opened with a fresh identity each time (new cookie jar), never read."""
    idle = []
    for _ in range(1000):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        idle.append(sock)
    slow = []
    for _ in range(50):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        slow.append(sock)
    streams, clients = [], []
    address = {"x-forwarded-for": "10.66.0.1"}
    try:
        for _ in range(30):
            client = httpx.AsyncClient(base_url=base, timeout=30, headers=address)
            clients.append(client)
            started = time.perf_counter()
            try:
                context = client.stream("POST", "/api/mlp/train", json=MLP_PRESET)
                response = await context.__aenter__()
                streams.append(context)
                recorder.record(f"hostile: train {response.status_code}", time.perf_counter() - started, True)
            except httpx.HTTPError as error:
                recorder.record("hostile: train refused", time.perf_counter() - started, True, repr(error))
        # Basins of attraction of 10,000 starts (the longest trajectory work there is), ten at
        # once with fresh identities: the work pool admits a few per address, refuses the rest.
        basins = {"surface": "rosenbrock", "steps": 500, "runs": [{"optimizer": "adam", "params": {"lr": 0.01}}],
                  "starts": [[-1.5 + 0.03 * (i % 100), -0.5 + 0.03 * (i // 100)] for i in range(10_000)]}

        async def long_work(client):
            started = time.perf_counter()
            try:
                response = await client.post("/api/trajectories", json=basins)
                recorder.record(f"hostile: basins {response.status_code}", time.perf_counter() - started, True)
            except httpx.HTTPError as error:
                recorder.record("hostile: basins failed", time.perf_counter() - started, True, repr(error))
        long_tasks = [asyncio.create_task(long_work(client)) for client in clients[:10]]
        while time.monotonic() < deadline:
            for sock in slow:  # one byte of a header every two seconds
                try:
                    sock.send(b"G")
                except OSError:
                    pass
            await asyncio.sleep(2)
        await asyncio.gather(*long_tasks)
        health = (await clients[0].get("/api/health")).json()
        recorder.hostile_status = health
    finally:
        for context in streams:
            try:
                await context.__aexit__(None, None, None)
            except httpx.HTTPError:
                pass
        for client in clients:
            await client.aclose()
        for sock in idle + slow:
            sock.close()


async def student(index, base, recorder, deadline, start_gate, trains_mlp):
    rng = random.Random(index)
    limits = httpx.Limits(max_connections=4)
    # each student's laptop has its own address on the hall's network (uvicorn trusts the header from loopback)
    laptop = {"x-forwarded-for": f"10.2.{index // 250}.{index % 250 + 1}"}
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits, headers=laptop) as client:
        await start_gate.wait()
        await open_shared_link(client, recorder)
        tasks = []
        if trains_mlp:
            await asyncio.sleep(rng.uniform(0, 10))
            tasks.append(asyncio.create_task(mlp_comparison(client, recorder, deadline, f"student-{index}")))
        # Watch what the link shows, then drag a slider; watch again; and so on.
        while time.monotonic() < deadline and recorder.requests < MAX_REQUESTS:
            await asyncio.sleep(min(rng.uniform(5, 15), max(0.0, deadline - time.monotonic())))
            if time.monotonic() < deadline:
                await drag_slider(client, recorder, rng)
        for task in tasks:
            await task


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def run_class(base, students, duration, mlp_every, hostile=False):
    recorder = Recorder()
    gate = asyncio.Event()
    recorder.origin = time.perf_counter()
    deadline = time.monotonic() + duration
    tasks = [asyncio.create_task(student(i, base, recorder, deadline, gate,
                                         trains_mlp=bool(mlp_every) and i % mlp_every == 0))
             for i in range(students)]
    if hostile:
        tasks.append(asyncio.create_task(hostile_laptop(base, recorder, deadline, int(base.rsplit(":", 1)[1]))))
    started = time.perf_counter()
    gate.set()  # everyone opens the link at the same moment
    await asyncio.gather(*tasks)
    return recorder, time.perf_counter() - started


def start_server(workers, log):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    output = open(log, "w") if log else subprocess.DEVNULL
    server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
                              cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240  # warm-up is slow on a machine shared with other work
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health").status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of lecture after the link opens")
    parser.add_argument("--server-log", help="write the server's output to this file")
    parser.add_argument("--mlp-every", type=int, default=10, help="one student in this many trains the MLP (0: none)")
    parser.add_argument("--hostile", action="store_true", help="one hostile laptop alongside (idle and slow sockets, "
                                                                  "trainings with rotating identities, never read)")
    parser.add_argument("--lecture-hall", action="store_true",
                        help="the 200-student scenario: 200 students, 20 MLP comparisons, a hostile laptop")
    args = parser.parse_args()
    if args.lecture_hall:
        args.students, args.mlp_every, args.hostile = 200, 10, True
    server, base = start_server(args.workers, args.server_log)
    try:
        recorder, elapsed = asyncio.run(run_class(base, args.students, args.duration, args.mlp_every, args.hostile))
    finally:
        server.terminate()
        server.wait(timeout=15)
    total_errors = sum(len(e) for e in recorder.errors.values())
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"{args.students} students, {args.workers} workers, {elapsed:.0f} s: {recorder.requests} requests, "
          f"{recorder.requests / elapsed:.1f} requests/s, {total_errors} errors")
    print(f"{'kind':<20} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for kind, values in sorted(recorder.latencies.items()):
        print(f"{kind:<20} {len(values):6d} {statistics.median(values):8.0f} {percentile(values, 95):8.0f} "
              f"{percentile(values, 99):8.0f} {max(values):8.0f} {len(recorder.errors[kind]):7d}")
    trajectories = recorder.latencies["trajectories"]
    for start, end in ((0, 10), (10, 1e9)):
        window = [ms for ms, at in zip(trajectories, recorder.finished_at["trajectories"]) if start <= at < end]
        if window:
            label = f"{start}-{end} s" if end < 1e9 else f"after {start} s"
            print(f"trajectories {label:<12} {len(window):6d} {statistics.median(window):8.0f} "
                  f"{percentile(window, 95):8.0f} {percentile(window, 99):8.0f} {max(window):8.0f}")
    held = percentile(trajectories, 99) < 300 and total_errors == 0
    print(f"target (trajectory p99 < 300 ms, no errors): {'held' if held else 'missed'}")
    if getattr(recorder, "hostile_status", None):
        print(f"server at the end, with the hostile laptop still connected: {recorder.hostile_status}")
    for kind, details in recorder.errors.items():
        for detail in details[:3]:
            print(f"  error in {kind}: {detail}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
