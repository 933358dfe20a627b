"""Request models of the MLP endpoints, with the bounds of issue #4."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import Field

from mlp import ACTIVATIONS, DATASETS, INITIALIZERS, LOSSES
from mlp.config import LIMITS
from optimizers import FIRST_ORDER

from .schemas import ParamValue, ScheduleRequest, Strict

MAX_CONFIGS = 6


def bounded(name: str, default, **extra):
    """A field with the trainer's own bounds (mlp.config.LIMITS), so the two never disagree."""
    low, high = LIMITS[name]
    return Field(default, ge=low, le=high, **extra)


Units = Annotated[int, bounded("units", ...)]


class MlpConfig(Strict):
    dataset: Literal[tuple(DATASETS)] = "spiral"
    classes: int = bounded("classes", 3, description="classes of spiral and blobs (the others have 2)")
    samples: int = bounded("samples", 600)
    noise: float = bounded("noise", 0.1)
    standardize: bool = True
    hidden: list[Units] = Field(default_factory=lambda: [32, 32], max_length=LIMITS["layers"][1],
                                description="units per hidden layer, up to 10 layers of up to 256")
    activation: Literal[tuple(ACTIVATIONS)] = "tanh"
    init: Literal[tuple(INITIALIZERS)] = "xavier_normal"
    batchnorm: bool = False
    dropout: float = bounded("dropout", 0.0)
    weight_decay: float = bounded("weight_decay", 0.0)
    optimizer: Literal[FIRST_ORDER] = "sgd"
    params: dict[str, ParamValue] = Field(default_factory=lambda: {"lr": 0.1, "momentum": 0.9})
    schedule: Optional[ScheduleRequest] = None
    batch_size: int = bounded("batch_size", 32)
    epochs: int = bounded("epochs", 30)
    seed: int = bounded("seed", 0)
    loss: Literal[tuple(LOSSES)] = "cross_entropy"
    patience: Optional[int] = bounded("patience", None, description="early stopping patience in epochs")
    label: Optional[str] = Field(None, max_length=80)


class MlpRequest(Strict):
    configs: list[MlpConfig] = Field(min_length=1, max_length=MAX_CONFIGS)
