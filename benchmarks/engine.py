"""Time the engine's hot paths and print a table.

    python benchmarks/engine.py

Targets on the 2-core reference machine: <= 20 µs per step for one trajectory,
the ten-optimizer request under 60 ms, 10,000 starts x 500 steps under 1 s.
If torch is installed, torch.optim on the same trajectory is timed for comparison.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import FIRST_ORDER, make_optimizer  # noqa: E402
from surfaces import make_surface, run_batch, run_trajectory  # noqa: E402

TORCH_NAMES = {"sgd": ("SGD", {}), "momentum": ("SGD", {"momentum": 0.9}),
               "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}), "adagrad": ("Adagrad", {}),
               "adadelta": ("Adadelta", {}), "rmsprop": ("RMSprop", {}), "adam": ("Adam", {}),
               "amsgrad": ("Adam", {"amsgrad": True}), "adamax": ("Adamax", {}), "nadam": ("NAdam", {}),
               "adamw": ("AdamW", {}), "radam": ("RAdam", {}), "lbfgs": ("LBFGS", {"max_iter": 1})}
# Lion and the schedule-free optimizers are not in torch.optim: no reference timing for them.


def best_of(fn, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def torch_trajectory(name, surface, steps, lr):
    import torch
    cls, options = TORCH_NAMES[name]
    point = torch.tensor(surface.start, dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, cls)([point], lr=lr, **options)
    def closure():  # L-BFGS asks for the gradient itself; the others are given it
        optimizer.zero_grad()
        point.grad = torch.from_numpy(surface.grad(point.detach().numpy()))
        return torch.tensor(float(surface.f(point.detach().numpy())))

    for _ in range(steps):
        if cls == "LBFGS":
            optimizer.step(closure)
        else:
            closure()
            optimizer.step()


def main():
    surface = make_surface("rosenbrock")
    steps = 500
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    print(f"One trajectory, {steps} steps on rosenbrock (best of 7)")
    header = f"{'optimizer':<20} {'µs/step':>8}"
    if have_torch:
        header += f" {'torch µs/step':>14} {'torch/optviz':>13}"
    print(header)
    worst = 0.0
    for name in FIRST_ORDER:
        lr = {"adadelta": 1.0, "lbfgs": 0.1}.get(name, 1e-4)
        optimizer = make_optimizer(name, {"lr": lr})
        best, _ = best_of(lambda: run_trajectory(surface, optimizer, surface.start, steps))
        per_step = best / steps * 1e6
        worst = max(worst, per_step)
        line = f"{name:<20} {per_step:8.1f}"
        if have_torch and name in TORCH_NAMES:
            torch_best, _ = best_of(lambda: torch_trajectory(name, surface, steps, lr), repeats=3)
            line += f" {torch_best / steps * 1e6:14.1f} {torch_best / best:13.1f}x"
        print(line)
    print(f"worst: {worst:.1f} µs/step (target <= 20)\n")

    from fastapi.testclient import TestClient

    from app.main import create_app
    client = TestClient(create_app())
    from app.schemas import MAX_RUNS
    offered = FIRST_ORDER[:MAX_RUNS]  # one request carries at most MAX_RUNS runs
    body = {"surface": "canyon", "steps": 300, "runs": [{"optimizer": name} for name in offered]}
    assert client.post("/api/trajectories", json=body).status_code == 200
    seeds = iter(range(1, 10_000))  # a new seed is a new request: computed, not served from the cache
    best, median = best_of(lambda: client.post("/api/trajectories", json=body | {"seed": next(seeds)}), repeats=15)
    cached, _ = best_of(lambda: client.post("/api/trajectories", json=body), repeats=15)
    print(f"POST /api/trajectories, {len(offered)} optimizers x 300 steps (in-process client)")
    print(f"computed: best {best * 1000:.1f} ms, median {median * 1000:.1f} ms (target < 60 ms); "
          f"an identical request again (cached): {cached * 1000:.1f} ms\n")

    starts = np.random.default_rng(0).uniform([-2, -1], [2, 3], size=(10_000, 2))
    print("Batch: 10,000 starts x 500 steps (basins of attraction)")
    print(f"{'optimizer':<20} {'seconds':>8}")
    for name in ("sgd", "adam", "rmsprop", "lbfgs", "schedule_free_adamw"):
        lr = {"sgd": 1e-4, "lbfgs": 0.1}.get(name, 0.01)
        optimizer = make_optimizer(name, {"lr": lr}, batch_dims=1)
        best, _ = best_of(lambda: run_batch(surface, optimizer, starts, 500), repeats=3)
        print(f"{name:<20} {best:8.3f}")
    print("(target < 1 s)")


if __name__ == "__main__":
    main()
