"""Imported by the training supervisor's fork server (its preload), so that every training process
forked from it starts warm.

The first training in a fresh interpreter pays for lazily loaded numpy submodules, OpenBLAS's
first buffers, the random generators' set-up and first-touch of the heap: measured ~20 ms of
CPU, a third of a whole small-network /api/mlp/run. A training process is a fork of the fork
server, so work done here once is inherited by all of them instead of repeated by each.
"""
from __future__ import annotations

from mlp import TrainConfig, Training

from .heap import keep_freed_memory

keep_freed_memory()  # the malloc policy is inherited by every fork as well


def _train_a_tiny_network() -> None:
    # Every code path a training takes: BatchNorm and plain layers, Adam, a record with its decision
    # surface and histograms, the loss slice of the finished run.
    for batchnorm in (True, False):
        training = Training(TrainConfig(samples=40, hidden=[4], batchnorm=batchnorm, optimizer="adam",
                                        params={"lr": 0.01}, batch_size=16, epochs=1))
        for _ in training.run():
            pass
        training.summary()


_train_a_tiny_network()
