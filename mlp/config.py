"""A training configuration, validated with messages that name the field and the allowed values."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from optimizers import MLP_OPTIMIZERS, OPTIMIZERS, SCHEDULES, make_schedule

from .activations import ACTIVATIONS
from .datasets import DATASETS
from .initializers import INITIALIZERS
from .losses import LOSSES

SCHEDULE_UNITS = ("epoch", "step")
LIMITS = {"samples": (20, 5000), "classes": (2, 8), "noise": (0.0, 1.0), "layers": (0, 10), "units": (1, 256),
          "dropout": (0.0, 0.9), "weight_decay": (0.0, 1.0), "batch_size": (1, 5000), "epochs": (1, 2000),
          "seed": (0, 2 ** 32 - 1), "patience": (1, 2000)}


@dataclass
class TrainConfig:
    dataset: str = "spiral"
    classes: int = 3
    samples: int = 600
    noise: float = 0.1
    standardize: bool = True
    hidden: list[int] = field(default_factory=lambda: [32, 32])
    activation: str = "tanh"
    init: str = "xavier_normal"
    batchnorm: bool = False
    dropout: float = 0.0
    weight_decay: float = 0.0
    optimizer: str = "sgd"
    params: dict = field(default_factory=lambda: {"lr": 0.1, "momentum": 0.9})
    schedule: dict | None = None  # {"name": ..., "params": {...}}
    # What the schedule's step t counts: "epoch" (the lecture slides' convention: η changes once per
    # pass over the data) or "step" (every mini-batch update, as a torch scheduler stepped per batch).
    schedule_unit: str = "epoch"
    # A batch_size larger than the training set trains on all of it each step (full batch), as
    # torch's DataLoader does with a batch larger than its dataset.
    batch_size: int = 32
    epochs: int = 30
    seed: int = 0
    loss: str = "cross_entropy"
    patience: int | None = None  # early stopping: epochs without a better validation loss
    label: str | None = None

    def __post_init__(self):
        self.validate()

    def validate(self):
        _choice("dataset", self.dataset, DATASETS)
        _choice("activation", self.activation, ACTIVATIONS)
        _choice("init", self.init, INITIALIZERS)
        _choice("loss", self.loss, LOSSES)
        if self.optimizer not in MLP_OPTIMIZERS:
            raise ValueError(f"optimizer: {self.optimizer!r} is not available for the MLP; "
                             f"valid: {', '.join(MLP_OPTIMIZERS)}")
        if self.weight_decay and not OPTIMIZERS[self.optimizer].accepts("weight_decay"):
            raise ValueError(f"weight_decay: {self.optimizer} has no weight decay; set it to 0")
        flag = OPTIMIZERS[self.optimizer].objective_flag
        if flag and self.params.get(flag):
            raise ValueError(f"params.{flag}: not on the MLP tab ({OPTIMIZERS[self.optimizer].note})")
        if "weight_decay" in self.params:
            raise ValueError("params.weight_decay: set the configuration's weight_decay instead "
                             "(one decay, applied to the weight matrices only)")
        _choice("schedule_unit", self.schedule_unit, SCHEDULE_UNITS)
        if self.schedule is not None and self.schedule.get("name") not in SCHEDULES:
            raise ValueError(f"schedule: unknown schedule {self.schedule.get('name')!r}; valid: {', '.join(SCHEDULES)}")
        for name in ("samples", "classes", "noise", "dropout", "weight_decay", "batch_size", "epochs", "seed"):
            _bounded(name, getattr(self, name))
        if self.patience is not None:
            _bounded("patience", self.patience)
        _bounded("layers", len(self.hidden), label="hidden (number of layers)")
        for units in self.hidden:
            _bounded("units", units, label="hidden (units per layer)")
        self._validate_hyperparameters()

    def _validate_hyperparameters(self):
        """The optimizer's and schedule's values against their declared schemas, as building the
        training would check them, without building it (the web worker validates every request)."""
        spec = OPTIMIZERS[self.optimizer]
        params = {**self.params, "weight_decay": self.weight_decay} if spec.accepts("weight_decay") else self.params
        spec.update_rule(params)  # resolves every value and the option rules; raises ValueError naming one
        if self.schedule is not None:
            make_schedule(self.schedule["name"], 1.0, self.schedule.get("params") or {})

    def describe(self) -> dict:
        return asdict(self)


def _choice(name, value, registry):
    if value not in registry:
        raise ValueError(f"{name}: unknown value {value!r}; valid: {', '.join(registry)}")


def _bounded(name, value, label=None):
    low, high = LIMITS[name]
    if isinstance(value, bool) or not (low <= value <= high):
        raise ValueError(f"{label or name}: {value!r} is out of range [{low}, {high}]")


def auto_label(config: TrainConfig) -> str:
    """"tanh · N(0, 0.01) · no BN", plus whatever else differs from the usual."""
    parts = [ACTIVATIONS[config.activation].title, INITIALIZERS[config.init].title,
             "BN" if config.batchnorm else "no BN"]
    if config.dropout:
        parts.append(f"dropout {config.dropout:g}")
    if not config.standardize:
        parts.append("raw inputs")
    return " · ".join(parts)
