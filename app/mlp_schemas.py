"""Request models of the MLP endpoints, with the bounds of issue #4."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from mlp import ACTIVATIONS, DATASETS, INITIALIZERS, LOSSES
from optimizers import FIRST_ORDER

from .schemas import ParamValue, ScheduleRequest, Strict

MAX_CONFIGS = 6


class MlpConfig(Strict):
    dataset: Literal[tuple(DATASETS)] = "spiral"
    classes: int = Field(3, ge=2, le=8, description="classes of spiral and blobs (the others have 2)")
    samples: int = Field(600, ge=20, le=5000)
    noise: float = Field(0.1, ge=0.0, le=1.0)
    standardize: bool = True
    hidden: list[int] = Field(default_factory=lambda: [32, 32], max_length=10,
                              description="units per hidden layer, up to 10 layers of up to 256")
    activation: Literal[tuple(ACTIVATIONS)] = "tanh"
    init: Literal[tuple(INITIALIZERS)] = "xavier_normal"
    batchnorm: bool = False
    dropout: float = Field(0.0, ge=0.0, le=0.9)
    weight_decay: float = Field(0.0, ge=0.0, le=1.0)
    optimizer: Literal[FIRST_ORDER] = "sgd"
    params: dict[str, ParamValue] = Field(default_factory=lambda: {"lr": 0.1, "momentum": 0.9})
    schedule: Optional[ScheduleRequest] = None
    batch_size: int = Field(32, ge=1, le=5000)
    epochs: int = Field(30, ge=1, le=2000)
    seed: int = Field(0, ge=0, le=2 ** 32 - 1)
    loss: Literal[tuple(LOSSES)] = "cross_entropy"
    patience: Optional[int] = Field(None, ge=1, le=2000, description="early stopping patience in epochs")
    label: Optional[str] = Field(None, max_length=80)


class MlpRequest(Strict):
    configs: list[MlpConfig] = Field(min_length=1, max_length=MAX_CONFIGS)
