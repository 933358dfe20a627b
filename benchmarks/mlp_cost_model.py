"""Calibrate mlp/cost.py: train a spread of configurations, fit seconds = Σ coefficient x feature,
and print measured against predicted seconds (with the coefficients now in mlp/cost.py and with
the refit ones), so the budget of /api/mlp/run is a time on this machine.

The fit uses CPU seconds of the training process (time.process_time): what a training costs one
core, whatever else the machine is doing. Wall seconds are printed beside them; on a busy machine
they are larger by the load's factor.

    OPENBLAS_NUM_THREADS=1 python benchmarks/mlp_cost_model.py
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the server's training processes should run
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.heap import keep_freed_memory  # noqa: E402
from mlp import TrainConfig, Training  # noqa: E402
from mlp.cost import COEFFICIENTS, estimate_seconds, features  # noqa: E402

keep_freed_memory()  # as the server's training processes allocate (app/heap.py)

LECTURE = dict(hidden=[100] * 6, epochs=30, samples=600, params={"lr": 0.01, "momentum": 0.9})
SPREAD = [
    ("batch 1, one unit", dict(hidden=[1], batch_size=1, samples=1000, epochs=4)),
    ("batch 1, 16 units", dict(hidden=[16], batch_size=1, samples=600, epochs=4)),
    ("default 2x32", dict(epochs=30)),
    ("10 x 64, batch 16", dict(hidden=[64] * 10, batch_size=16, epochs=4)),
    ("4 x 256, batch 256", dict(hidden=[256] * 4, batch_size=256, samples=2000, epochs=4)),
    ("lecture 6x100 tanh Xavier", dict(LECTURE, activation="tanh", init="xavier_normal")),
    ("lecture 6x100 + BatchNorm", dict(LECTURE, activation="tanh", init="normal_0.01", batchnorm=True)),
    ("6x100, 1 epoch, batch 8", dict(hidden=[100] * 6, batch_size=8, epochs=1, samples=2000)),
    ("6x100, 20 epochs, batch 8", dict(hidden=[100] * 6, batch_size=8, epochs=20, samples=2000)),
]


def measure(config: TrainConfig) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one training as /api/mlp/run does it."""
    wall, cpu = time.perf_counter(), time.process_time()
    training = Training(config)
    for _ in training.run():
        pass
    training.summary()  # the loss slice, as /api/mlp/run answers it
    return time.process_time() - cpu, time.perf_counter() - wall


def fit(rows: list[dict], seconds: np.ndarray) -> dict:
    """Least squares with non-negative coefficients (a negative price is meaningless): refit
    without any feature whose coefficient comes out negative."""
    names = list(COEFFICIENTS)
    active = list(names)
    while True:
        matrix = np.array([[row[name] for name in active] for row in rows])
        # Relative errors matter (a 0.5 s run and a 15 s run alike): weight each row by 1/seconds.
        solution, *_ = np.linalg.lstsq(matrix / seconds[:, None], np.ones(len(rows)), rcond=None)
        if (solution >= 0).all():
            return {name: float(solution[active.index(name)]) if name in active else 0.0 for name in names}
        active.pop(int(np.argmin(solution)))


def main():
    configs = [(label, TrainConfig(**values)) for label, values in SPREAD]
    seconds, walls, rows = [], [], []
    for label, config in configs:
        cpu, wall = measure(config)
        seconds.append(cpu)
        walls.append(wall)
        rows.append(features(config))
        print(f"measured {label}: {cpu:.2f} s CPU, {wall:.2f} s wall", flush=True)
    seconds = np.array(seconds)
    refit = fit(rows, seconds)
    print(f"\n{'configuration':30s} {'CPU s':>8s} {'wall s':>8s} {'model s':>8s} {'refit s':>8s}")
    for (label, config), measured, wall, row in zip(configs, seconds, walls, rows):
        refit_s = sum(refit[name] * value for name, value in row.items())
        print(f"{label:30s} {measured:8.2f} {wall:8.2f} {estimate_seconds(config):8.2f} {refit_s:8.2f}")
    print("\nrefit coefficients (paste into mlp/cost.py COEFFICIENTS):")
    for name, value in refit.items():
        print(f'    "{name}": {value:.2g},')


if __name__ == "__main__":
    main()
