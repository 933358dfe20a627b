"""How many seconds a training will take, before it starts: a linear model of its work.

A training's time is not its flops alone. Every mini-batch step pays a fixed Python and
numpy overhead per layer (which dominates for batch 1 and small nets); every step pays
flops in proportion to batch x parameters; every epoch's record pays a fixed cost per
layer (histograms, statistics) plus full passes over the data and the decision grid;
the finished run pays its loss slice. Each term is one feature below; the coefficients
are seconds per unit of it, fitted by benchmarks/mlp_cost_model.py on the server (the
script prints measured against predicted seconds for a spread of configurations).
"""
from __future__ import annotations

import math

from optimizers import OPTIMIZERS

from .activations import ACTIVATIONS
from .config import TrainConfig
from .datasets import DATASETS, VALIDATION_FRACTION
from .landscape import SLICE_POINTS
from .trainer import DECISION_RESOLUTION, DECISION_SNAPSHOTS

# Seconds per unit of each feature, fitted by benchmarks/mlp_cost_model.py on the 2-core CI
# machine with one BLAS thread per process, in CPU seconds (2026-12-01; see the script's table;
# step_flops kept above the refit's 0, so that big batches are not free).
COEFFICIENTS = {
    "layer_steps": 6.6e-5,            # per mini-batch step and layer: call overhead (kept above the refit's 4.4e-5, which under-predicted batch-1 runs by 25 %)
    "batchnorm_layer_steps": 5.4e-4,  # the extra of a BatchNorm layer per step
    "step_parameters": 1.4e-8,        # per step and parameter: the optimizer's update of every weight
    "step_flops": 2e-10,              # per example-parameter in training steps (forward + backward)
    "layer_records": 6e-4,            # per epoch record and layer: statistics, histograms
    "record_flops": 1.9e-10,          # per example-parameter in the records' passes and the loss slice
    # An optimizer that keeps a history of past steps (L-BFGS's history_size) pays, per step, for
    # its extra passes over the parameters and for its two-loop recursion over the history
    # (measured 2026-12-01 on [32, 32] and [128, 128] networks, history 10 and 100; the larger
    # network's per-parameter cost, the higher one, is kept).
    "history_optimizer_parameter_steps": 1.5e-6,
    "history_parameter_steps": 1.5e-8,
}


def parameter_count(inputs: int, hidden: list[int], outputs: int, activation: str, batchnorm: bool) -> int:
    """MLP(...).size by arithmetic, in mlp/network.py's layout (tests/mlp/test_cost.py compares
    the two): a request is priced without building its network."""
    pieces = ACTIVATIONS[activation].pieces
    total, width = 0, inputs
    for units in hidden:
        total += (width + 1) * units * pieces  # weights and biases of the hidden Linear
        total += 2 * units * pieces if batchnorm else 0  # BatchNorm's scale and shift
        width = units
    return total + (width + 1) * outputs


def features(config: TrainConfig) -> dict[str, float]:
    """The work of one training, in the units COEFFICIENTS prices."""
    n_val = max(1, int(round(config.samples * VALIDATION_FRACTION)))  # as make_dataset splits
    n_train = config.samples - n_val
    classes = DATASETS[config.dataset].fixed_classes or config.classes
    parameters = parameter_count(2, config.hidden, classes, config.activation, config.batchnorm)
    layers = len(config.hidden) + 1
    batch = min(config.batch_size, n_train)  # a larger batch is the whole training set
    steps = config.epochs * math.ceil(n_train / batch)
    records = config.epochs + 1
    every = max(1, config.epochs // DECISION_SNAPSHOTS)  # as Training.decision_every
    decisions = config.epochs // every + 1 + (1 if config.epochs % every else 0)
    # Per record: evaluation of train and validation, and a measuring forward + backward of train.
    record_examples = records * (3 * n_train + n_val) + decisions * DECISION_RESOLUTION ** 2
    slice_examples = SLICE_POINTS * (n_train + n_val)
    return {"layer_steps": steps * layers, "batchnorm_layer_steps": steps * len(config.hidden) * config.batchnorm,
            "step_parameters": steps * parameters,
            "step_flops": steps * batch * parameters,
            "layer_records": records * layers, "record_flops": (record_examples + slice_examples) * parameters,
            **_history_features(config, steps * parameters)}


def _history_features(config: TrainConfig, parameter_steps: int) -> dict[str, float]:
    spec = OPTIMIZERS[config.optimizer]
    if not spec.accepts("history_size"):
        return {"history_optimizer_parameter_steps": 0.0, "history_parameter_steps": 0.0}
    history = config.params.get("history_size", next(h.default for h in spec.hyperparameters if h.name == "history_size"))
    return {"history_optimizer_parameter_steps": parameter_steps, "history_parameter_steps": parameter_steps * history}


def estimate_seconds(config: TrainConfig) -> float:
    return sum(COEFFICIENTS[name] * value for name, value in features(config).items())


RUN_LIMIT_SECONDS = 20.0  # one /api/mlp/run request: the whole comparison, predicted
STREAM_LIMIT_SECONDS = 120.0  # a stream: its client watches it and can stop it


def check_time_budget(configs: list[TrainConfig], limit: float = RUN_LIMIT_SECONDS) -> float:
    """The predicted seconds of training all configs; ValueError saying how long it would take
    when that is over the limit."""
    seconds = sum(estimate_seconds(config) for config in configs)
    if seconds > limit:
        raise ValueError(f"this would take {describe_seconds(seconds)}; the limit is {limit:g} s: "
                         "use fewer epochs, samples, units or configurations, or a larger batch")
    return seconds


def describe_seconds(seconds: float) -> str:
    """"about 40 s", "about 4 minutes": how a refusal states the time."""
    if seconds < 90:
        return f"about {seconds:.0f} s"
    return f"about {seconds / 60:.0f} minutes"
