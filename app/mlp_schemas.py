"""Request models of the MLP endpoints, with the bounds of issue #4."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import ConfigDict, Field, model_validator

from mlp import ACTIVATIONS, DATASETS, INITIALIZERS, LOSSES
from mlp.config import LIMITS, SCHEDULE_UNITS, TrainConfig
from optimizers import MLP_OPTIMIZERS, OPTIMIZERS

from .param_schemas import branches, optimizer_params_schema
from .schemas import ParamValue, ScheduleRequest, Strict

MAX_CONFIGS = 10  # the lecture's deep-network comparison holds nine networks


def bounded(name: str, default, **extra):
    """A field with the trainer's own bounds (mlp.config.LIMITS), so the two never disagree."""
    low, high = LIMITS[name]
    return Field(default, ge=low, le=high, **extra)


Units = Annotated[int, bounded("units", ...)]


def shown(group: str, **extra) -> dict:
    """Where the page puts a field's control; for names, which registry describes the values; for
    an optional field, the value its control offers when switched on."""
    return {"json_schema_extra": {"group": group, **extra}}


def _optimizer_branches() -> dict:
    """Each MLP optimizer's own hyperparameters (weight decay is the configuration's own field,
    and an optimizer without it takes none; a flag that makes the optimizer evaluate the loss
    itself, L-BFGS's line search, stays off on this tab)."""
    variants = {}
    for name in MLP_OPTIMIZERS:
        spec = OPTIMIZERS[name]
        fixed = {spec.objective_flag: False} if spec.objective_flag else None
        variants[name] = {"params": optimizer_params_schema(spec, fixed=fixed, omitted=("weight_decay",))}
        if not spec.accepts("weight_decay"):
            variants[name]["weight_decay"] = {"const": 0}
    return branches("optimizer", variants, default=TrainConfig.optimizer)


class MlpConfig(Strict):
    model_config = ConfigDict(json_schema_extra=_optimizer_branches())

    dataset: Literal[tuple(DATASETS)] = Field("spiral", **shown("data", registry="datasets"))
    classes: int = bounded("classes", 3, description="number of classes (spiral and blobs; the others have 2)",
                           **shown("data"))
    samples: int = bounded("samples", 600, description="number of points (20% held out for validation)",
                           **shown("data"))
    noise: float = bounded("noise", 0.1, description="how much the classes overlap", **shown("data"))
    standardize: bool = Field(True, title="standardize inputs", description="zero mean, unit variance",
                              **shown("data"))
    hidden: list[Units] = Field(default_factory=lambda: [32, 32], max_length=LIMITS["layers"][1],
                                title="hidden layers", description="units per hidden layer, up to 10 layers of up to 256",
                                **shown("network"))
    activation: Literal[tuple(ACTIVATIONS)] = Field("tanh", **shown("network", registry="activations"))
    init: Literal[tuple(INITIALIZERS)] = Field("xavier_normal", title="weight initialization",
                                               **shown("network", registry="initializers"))
    batchnorm: bool = Field(False, title="BatchNorm", description="after each hidden linear layer",
                            **shown("network"))
    dropout: float = bounded("dropout", 0.0, description="probability of zeroing a hidden unit in training "
                                                         "(inverted dropout)", **shown("network"))
    weight_decay: float = bounded("weight_decay", 0.0, description="L2 penalty on the weight matrices",
                                  **shown("network"))
    optimizer: Literal[MLP_OPTIMIZERS] = Field("sgd", **shown("training", registry="optimizers"))
    params: dict[str, ParamValue] = Field(default_factory=lambda: {"lr": 0.1, "momentum": 0.9}, title="hyperparameters",
                                          description="the optimizer's hyperparameters (GET /api/optimizers); without them, "
                                                      "SGD takes lr 0.1 and momentum 0.9, any other optimizer its own defaults",
                                          **shown("training", kind="hyperparameters", of="optimizer"))
    schedule: Optional[ScheduleRequest] = Field(None, title="learning-rate schedule",
                                                **shown("training", kind="schedule"))
    schedule_unit: Literal[SCHEDULE_UNITS] = Field(
        "epoch", title="schedule counts", description="what the schedule's t counts: epochs (the lecture slides' "
        "convention) or mini-batch steps", **shown("training", titles={"epoch": "epochs", "step": "mini-batch steps"}))
    batch_size: int = bounded("batch_size", 32, description="examples per mini-batch", **shown("training"))
    epochs: int = bounded("epochs", 30, description="passes over the training set", **shown("training"))
    seed: int = bounded("seed", 0, description="seeds the data, the initial weights, shuffling and dropout",
                        **shown("training"))
    loss: Literal[tuple(LOSSES)] = Field("cross_entropy", **shown(
        "training", titles={"cross_entropy": "softmax cross-entropy", "mse": "mean squared error (one-hot targets)"}))
    patience: Optional[int] = bounded("patience", None, title="early stopping",
                                      description="patience: stop after this many epochs without a better "
                                                  "validation loss",
                                      **shown("training", suggested=10))
    label: Optional[str] = Field(None, max_length=80, description="a name for this configuration in the comparison",
                                 **shown("training"))

    @model_validator(mode="before")
    @classmethod
    def _own_defaults_for_other_optimizers(cls, data):
        # The default params are the panel's SGD with momentum; another optimizer given without
        # params takes its own defaults (torch's), not SGD's momentum it does not have.
        if isinstance(data, dict) and "params" not in data and data.get("optimizer", "sgd") != "sgd":
            data = {**data, "params": {}}
        return data


class MlpRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"configs": [
        {"dataset": "spiral", "samples": 200, "hidden": [16], "activation": "tanh", "epochs": 3},
        {"dataset": "spiral", "samples": 200, "hidden": [16], "activation": "relu", "init": "he_normal",
         "optimizer": "adam", "params": {"lr": 0.01}, "epochs": 3}]}]})

    configs: list[MlpConfig] = Field(min_length=1, max_length=MAX_CONFIGS)


def config_schema() -> list[dict]:
    """Every configuration field with its default, bounds and allowed values, read off MlpConfig
    (so the page's form, links and validation can never disagree with what the API accepts)."""
    defaults = MlpConfig().model_dump()
    properties = MlpConfig.model_json_schema()["properties"]
    return [_field_schema(name, spec, defaults[name]) for name, spec in properties.items()]


def _field_schema(name: str, spec: dict, default) -> dict:
    variants = spec.get("anyOf", [spec])
    body = next(v for v in variants if v.get("type") != "null")
    kinds = {"string": "choice" if "enum" in body else "text", "boolean": "bool", "integer": "int",
             "number": "float", "array": "units"}
    out = {"name": name, "title": MlpConfig.model_fields[name].title or name.replace("_", " "),
           "meaning": spec.get("description", ""), "group": spec.get("group"),
           "kind": spec.get("kind") or kinds.get(body.get("type"), "object"), "default": default,
           "nullable": any(v.get("type") == "null" for v in variants)}
    for key, source in (("minimum", "minimum"), ("maximum", "maximum"), ("allowed", "enum"),
                        ("max_length", "maxLength"), ("registry", "registry"), ("of", "of"),
                        ("titles", "titles"), ("suggested", "suggested")):
        value = spec.get(source, body.get(source))
        if value is not None:
            out[key] = value
    if out["kind"] == "units":
        out.update(minimum=body["items"]["minimum"], maximum=body["items"]["maximum"], max_length=body["maxItems"])
    return out
