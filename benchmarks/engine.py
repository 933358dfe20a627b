"""Time the trajectory engine against torch.optim (with autograd), in the same run, and print tables.

    python benchmarks/engine.py

1. One trajectory, engine only: run_trajectory against a torch loop that computes the loss,
   backpropagates, steps and records the point, loss and gradient, for every optimizer torch has.
2. End to end: POST /api/trajectories to a real server on this machine (`python -m app serve`,
   the lecturer's laptop: server and browser on one machine), every request computed (the start
   varies, so the answer cache never serves it), against torch computing the same runs.
   Goal (issue #11): >= 10x torch for Adam x 500 steps on Rosenbrock and for the ten classic
   optimizers x 300 steps.
3. 10,000 starts x 500 steps (basins of attraction): run_batch against torch stepping one
   (10000, 2) tensor. Goal: >= 2x faster than torch.

Three repeats of everything: median, and the spread as min-max. torch runs on one thread, as
numpy does. No numbers are asserted anywhere: speed lives here, not in the tests.
"""
from __future__ import annotations

import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optimizers import FIRST_ORDER, OPTIMIZERS, make_optimizer  # noqa: E402
from surfaces import make_surface, run_batch, run_trajectory  # noqa: E402
from surfaces.presets import suggested_learning_rates  # noqa: E402

REPEATS = 3
CLASSIC = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "amsgrad", "adamax", "nadam")
TORCH_NAMES = {"sgd": ("SGD", {}), "momentum": ("SGD", {"momentum": 0.9}),
               "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}), "adagrad": ("Adagrad", {}),
               "adadelta": ("Adadelta", {}), "rmsprop": ("RMSprop", {}), "adam": ("Adam", {}),
               "amsgrad": ("Adam", {"amsgrad": True}), "adamax": ("Adamax", {}), "nadam": ("NAdam", {}),
               "adamw": ("AdamW", {}), "radam": ("RAdam", {}), "lbfgs": ("LBFGS", {"max_iter": 1})}
# Lion and the schedule-free optimizers are not in torch.optim: no torch timing for them.


def measure(fn, repeats=REPEATS, calls=1):
    """(median, min, max) seconds per call over `repeats` repeats of `calls` calls, after a warm-up."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times), min(times), max(times)


def spread(timing, scale=1e3, digits=1):
    median, low, high = timing
    return f"{median * scale:.{digits}f} [{low * scale:.{digits}f}-{high * scale:.{digits}f}]"


def default_lr(name):
    return next(h.default for h in OPTIMIZERS[name].hyperparameters if h.name == "lr")


# ----- torch: the same surfaces, differentiated by autograd -----------------------------------

def torch_loss(surface_name):
    import torch
    if surface_name == "rosenbrock":
        return lambda x, y: (1 - x) ** 2 + 100 * (y - x * x) ** 2
    if surface_name == "canyon":
        a = torch.tensor(make_surface("canyon")._matrix)
        return lambda x, y: 0.5 * (a[0, 0] * x * x + 2 * a[0, 1] * x * y + a[1, 1] * y * y)
    raise ValueError(surface_name)


def torch_trajectory(name, surface_name, start, steps, lr):
    """What the API answers, computed with torch: points, loss and gradient per step."""
    import torch
    cls, options = TORCH_NAMES[name]
    loss_of = torch_loss(surface_name)
    point = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([point], lr=lr, **options)
    points, losses, grads = [point.detach().tolist()], [], []

    def closure():
        optimizer.zero_grad()
        loss = loss_of(point[0], point[1])
        loss.backward()
        losses.append(loss.item())
        grads.append(point.grad.tolist())
        return loss

    for _ in range(steps):
        optimizer.step(closure)
        points.append(point.detach().tolist())
    return points, losses, grads


def torch_batch(name, starts, steps, lr):
    import torch
    cls, options = TORCH_NAMES[name]
    loss_of = torch_loss("rosenbrock")
    points = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([points], lr=lr, **options)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_of(points[:, 0], points[:, 1]).sum().backward()
        optimizer.step()
    return points.detach().numpy()


# ----- a real server on this machine --------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(self.port)], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import httpx
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        for _ in range(300):
            try:
                if self.client.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def post(self, path, body):
        response = self.client.post(path, json=body)
        assert response.status_code == 200, response.text
        return response

    def close(self):
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=20)


# ----- the three tables ---------------------------------------------------------------------

def single_paths(steps=500):
    surface = make_surface("rosenbrock")
    print(f"1. One trajectory, {steps} steps on rosenbrock, engine only: µs per step, median [min-max] of {REPEATS}")
    print(f"{'optimizer':<20} {'optviz':>22} {'torch (autograd)':>24} {'torch/optviz':>13}")
    starts = itertools.count()
    for name in FIRST_ORDER:
        lr = {"adadelta": 1.0, "lbfgs": 0.1}.get(name, 1e-4)
        optimizer = make_optimizer(name, {"lr": lr})
        ours = measure(lambda: run_trajectory(surface, optimizer, (-1.5 + next(starts) * 1e-6, 2.0), steps))
        line = f"{name:<20} {spread(ours, 1e6 / steps):>22}"
        if name in TORCH_NAMES:
            theirs = measure(lambda: torch_trajectory(name, "rosenbrock", [-1.5, 2.0], steps, lr))
            line += f" {spread(theirs, 1e6 / steps):>24} {theirs[0] / ours[0]:12.1f}x"
        print(line)
    print()


def end_to_end(server):
    print("2. End to end: POST /api/trajectories to `python -m app serve` on this machine (httpx, keep-alive),")
    print(f"   computed (a new start each request), against torch computing the same runs:\n   ms per request, median [min-max] of {REPEATS} repeats (each the mean of 5 requests)")
    print(f"{'request':<38} {'optviz API':>20} {'torch (autograd)':>22} {'torch/API':>10} {'goal':>6}")
    starts = itertools.count(1)
    cases = [("adam x 500, rosenbrock", "rosenbrock", ("adam",), 500),
             ("10 classic x 300, rosenbrock", "rosenbrock", CLASSIC, 300),
             ("10 classic x 300, canyon", "canyon", CLASSIC, 300)]
    results = []
    for label, surface_name, names, steps in cases:
        surface = make_surface(surface_name)
        x0, y0 = surface.start
        lrs = suggested_learning_rates(surface)  # the page's defaults: no run diverges early
        runs = [{"optimizer": name, "params": {"lr": lrs[name]}} for name in names]
        taken = {}

        def request():
            k = next(starts)
            body = {"surface": surface_name, "steps": steps, "start": [x0 + k * 1e-6, y0], "runs": runs}
            for name, run in zip(names, server.post("/api/trajectories", body).json()["runs"]):
                taken[name] = run["steps_taken"]

        def with_torch():  # as many steps as the API's runs took (one converged run stops early)
            for name in names:
                torch_trajectory(name, surface_name, [x0, y0], taken[name], lrs[name])

        ours, theirs = measure(request, calls=5), measure(with_torch)
        ratio = theirs[0] / ours[0]
        results.append((label, ratio))
        print(f"{label:<38} {spread(ours):>20} {spread(theirs):>22} {ratio:9.1f}x {'met' if ratio >= 10 else 'missed':>6}")
    print()
    return results


def batches(count=10_000, steps=500):
    surface = make_surface("rosenbrock")
    starts = np.random.default_rng(0).uniform([-2, -1], [2, 3], size=(count, 2))
    print(f"3. Batch: {count:,} starts x {steps} steps on rosenbrock (basins of attraction): s, median [min-max] of {REPEATS}")
    print(f"{'optimizer':<20} {'optviz run_batch':>22} {'torch (autograd)':>22} {'torch/optviz':>13} {'goal':>6}")
    for name in ("sgd", "momentum", "adam", "rmsprop", "nadam", "lbfgs", "schedule_free_adamw"):
        lr = {"sgd": 1e-4, "momentum": 1e-4, "lbfgs": 0.1}.get(name, 0.01)
        # L-BFGS with its default history of 100 pairs moves 16 MB per step for 10,000 starts: 5 here
        params = {"lr": lr, "history_size": 5} if name == "lbfgs" else {"lr": lr}
        optimizer = make_optimizer(name, params, batch_dims=1)
        ours = measure(lambda: run_batch(surface, optimizer, starts, steps))
        line = f"{name + (' (m=5)' if name == 'lbfgs' else ''):<20} {spread(ours, 1, 3):>22}"
        if name in TORCH_NAMES and name != "lbfgs":  # torch's L-BFGS would treat the batch as one problem
            theirs = measure(lambda: torch_batch(name, starts, steps, lr))
            ratio = theirs[0] / ours[0]
            line += f" {spread(theirs, 1, 3):>22} {ratio:12.1f}x {'met' if ratio >= 2 else 'missed':>6}"
        print(line)
    print()


def main():
    import torch
    torch.set_num_threads(1)
    print(f"uptime: {os.popen('uptime').read().strip()}\n")
    single_paths()
    server = Server()
    try:
        end_to_end(server)
    finally:
        server.close()
    batches()
    print(f"uptime: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
