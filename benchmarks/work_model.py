"""Calibrate and check surfaces/planning.py's time model of a trajectory request.

Times the trajectory runner (the work a request does, in CPU seconds: steady under load) over a spread of requests, fits the
model's coefficients by least squares, and prints predicted against measured seconds for each,
with the coefficients currently in surfaces/planning.py beside the fitted ones.

    python benchmarks/work_model.py            # three repeats, median
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from optimizers import make_optimizer  # noqa: E402
from surfaces import make_surface, run_batch, run_trajectory  # noqa: E402
from surfaces.planning import COEFFICIENTS, features, predicted_seconds  # noqa: E402

CASES = [  # (surface, params, starts, steps, batch_size[, optimizer params: L-BFGS's history])
    ("canyon", {}, 1, 2000, None),
    ("rosenbrock", {}, 1, 2000, None),
    ("linear_regression", {"samples": 1000}, 1, 1000, None),
    ("linear_regression", {"samples": 1000}, 1, 1000, 10),
    ("canyon", {}, 1000, 100, None),
    ("canyon", {}, 5000, 100, None),
    ("rosenbrock", {}, 2000, 100, None),
    ("linear_regression", {"samples": 200}, 500, 50, None),
    ("linear_regression", {"samples": 1000}, 200, 50, None),
    ("rosenbrock", {}, 1, 2000, None, {"history_size": 100}),
    ("rosenbrock", {}, 1, 2000, None, {"history_size": 10}),
    ("rosenbrock", {}, 1000, 300, None, {"history_size": 100}),
    ("rosenbrock", {}, 2000, 300, None, {"history_size": 5}),
]


def optimizer_for(case, batched):
    """Adam, or L-BFGS with the case's history."""
    if len(case) > 5:
        return make_optimizer("lbfgs", {"lr": 0.1, **case[5]}, batch_dims=int(batched))
    return make_optimizer("adam", {"lr": 1e-3}, batch_dims=int(batched))


def measure(surface_name, params, starts, steps, batch_size, *rest, repeats=3):
    surface = make_surface(surface_name, params)
    case = (surface_name, params, starts, steps, batch_size, *rest)
    times = []
    for _ in range(repeats):
        started = time.process_time()
        if starts == 1:
            run_trajectory(surface, optimizer_for(case, False), surface.start, steps, batch_size=batch_size)
        else:
            rng = np.random.default_rng(0)
            (x0, x1), (y0, y1) = surface.domain
            points = np.stack([rng.uniform(x0, x1, starts), rng.uniform(y0, y1, starts)], axis=1)
            run_batch(surface, optimizer_for(case, True), points, steps, batch_size=batch_size)
        times.append(time.process_time() - started)
    return statistics.median(times), max(times) - min(times)


def main():
    rows, design, measured = [], [], []
    for case in CASES:
        surface = make_surface(case[0], case[1])
        seconds, spread = measure(*case)
        histories = (optimizer_for(case, case[2] > 1).history,)
        feature = features(surface, runs=1, starts=case[2], steps=case[3], batch_size=case[4], histories=histories)
        design.append([feature[name] for name in COEFFICIENTS])
        measured.append(seconds)
        rows.append((case, seconds, spread, predicted_seconds(surface, 1, case[2], case[3], case[4], histories)))
    fitted, *_ = np.linalg.lstsq(np.array(design), np.array(measured), rcond=None)
    print(f"{'request':58} {'CPU s':>11} {'spread':>8} {'predicted':>10} {'ratio':>6}")
    for case, seconds, spread, predicted in rows:
        label = f"{case[0]} {case[1] or ''} starts={case[2]} steps={case[3]} batch={case[4]} {case[5] if len(case) > 5 else ''}"
        print(f"{label:58} {seconds:11.4f} {spread:8.4f} {predicted:10.4f} {predicted / seconds:6.2f}")
    print("\ncoefficient                 in planning.py      fitted now")
    for name, value in zip(COEFFICIENTS, fitted):
        print(f"{name:27} {COEFFICIENTS[name]:14.3e} {value:14.3e}")


if __name__ == "__main__":
    main()
