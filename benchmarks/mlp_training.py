"""Time the MLP trainer: a 2 -> 16 -> 16 -> 3 network with BatchNorm on 1,000 points, batch 32.

    python benchmarks/mlp_training.py

Prints milliseconds per epoch and microseconds per mini-batch step (forward, backward and the
shared Adam update), and, if torch is installed, the same network in torch on the same data.
Target: at least 5x faster than torch on this CPU.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mlp import TrainConfig, Training  # noqa: E402

EPOCHS = 20
CONFIG = TrainConfig(dataset="spiral", classes=3, samples=1250, hidden=[16, 16], activation="relu", init="he_normal",
                     batchnorm=True, optimizer="adam", params={"lr": 0.01}, batch_size=32, epochs=1000)


def time_steps(training, steps_per_epoch):
    """Only the mini-batch steps (no per-epoch measurements), as torch's loop does."""
    x, y = training.x_train, training.data.y_train
    update = training.optimizer.transformation.update
    flat, state = training.flat, training.opt_state
    start = time.perf_counter()
    for _ in range(EPOCHS):
        order = training.rng.permutation(len(x))
        for begin in range(0, len(x), 32):
            rows = order[begin:begin + 32]
            forward = training.net.forward(flat, training.buffers, x[rows], "train", training.rng)
            _, grad_out = training.loss_fn(forward.outputs, y[rows])
            grad = training.net.backward(flat, forward, grad_out)
            updates, state = update(grad, state, flat)
            flat += updates
    return (time.perf_counter() - start) / (EPOCHS * steps_per_epoch)


def torch_step_time(x, y, steps_per_epoch, dtype, threads):
    import torch
    torch.set_num_threads(threads)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(),
                                torch.nn.Linear(16, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(),
                                torch.nn.Linear(16, 3)).to(dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x).to(dtype), torch.from_numpy(y).long()
    start = time.perf_counter()
    for _ in range(EPOCHS):
        order = torch.randperm(len(xt))
        for begin in range(0, len(xt), 32):
            rows = order[begin:begin + 32]
            optimizer.zero_grad()
            loss = loss_fn(model(xt[rows]), yt[rows])
            loss.backward()
            optimizer.step()
    return (time.perf_counter() - start) / (EPOCHS * steps_per_epoch)


def main():
    training = Training(CONFIG)
    n = len(training.x_train)
    steps = -(-n // 32)
    print(f"2 -> 16 -> 16 -> 3 with BatchNorm, ReLU, Adam; {n} training points, batch 32 ({steps} steps per epoch)")
    best_step = min(time_steps(training, steps) for _ in range(3))
    start = time.perf_counter()
    for _ in range(EPOCHS):
        training.train_epoch()
    epoch_full = (time.perf_counter() - start) / EPOCHS
    print(f"{'':<28} {'µs/step':>9} {'ms/epoch':>9}")
    print(f"{'optviz (steps only)':<28} {best_step * 1e6:9.1f} {best_step * steps * 1e3:9.2f}")
    print(f"{'optviz (with measurements)':<28} {'':>9} {epoch_full * 1e3:9.2f}   "
          "(+ per-epoch stats, histograms, decision surface)")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch not installed: no comparison")
        return
    import os

    import torch
    for label, dtype, threads in (("torch (1 thread, float64)", torch.float64, 1),
                                  (f"torch ({os.cpu_count()} threads, float32)", torch.float32, os.cpu_count())):
        torch_step = min(torch_step_time(training.x_train, training.data.y_train, steps, dtype, threads)
                         for _ in range(3))
        print(f"{label:<28} {torch_step * 1e6:9.1f} {torch_step * steps * 1e3:9.2f}   "
              f"optviz is {torch_step / best_step:.1f}x faster (target >= 5x)")


if __name__ == "__main__":
    main()
