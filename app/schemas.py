"""Request and response models of the HTTP API. Bounds live here, next to the fields."""
from __future__ import annotations

import typing
from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator, model_validator

from optimizers import OPTIMIZERS, SCHEDULES
from surfaces.regression import MAX_ABS, MAX_ROWS
from optimizers.schedules import WARMUP
from surfaces import SURFACES, make_surface
from surfaces.registry import CUSTOM

from .param_schemas import branches, optimizer_params_schema, params_schema, point_schema, schedule_branches

MAX_STEPS = 5000
MAX_RUNS = 12
MAX_STARTS = 10_000

SurfaceName = Literal[tuple(SURFACES)]
# "custom": a surface typed as a formula (surfaces/formula.py), given in the request itself.
SurfaceOrCustom = Literal[tuple(SURFACES) + (CUSTOM,)]
# The 2D surfaces run every optimizer that does not need weight matrices (Muon does).
SURFACE_OPTIMIZERS = tuple(name for name, spec in OPTIMIZERS.items() if spec.surfaces)
OptimizerName = Literal[SURFACE_OPTIMIZERS]
ScheduleName = Literal[tuple(SCHEDULES)]

Coordinate = Annotated[float, Field(ge=-1e6, le=1e6)]
# A list of two, not a tuple: the models validate strictly (no bool-as-int, no "3" as 3), and
# strict validation takes a JSON array only as a list.
Point = Annotated[list[Coordinate], Field(min_length=2, max_length=2)]
Domain = Annotated[list[Point], Field(min_length=2, max_length=2, description="[[x_min, x_max], [y_min, y_max]]")]
Number = Annotated[float, Field(ge=-1e12, le=1e12)]
# Your own (x, y) pairs for a surface that takes data (linear_regression): finite, bounded, at
# most MAX_ROWS of them; the surface itself asks for 2 distinct x.
DataRow = Annotated[list[Annotated[float, Field(ge=-MAX_ABS, le=MAX_ABS)]], Field(min_length=2, max_length=2)]
Data = Annotated[list[DataRow], Field(min_length=2, max_length=MAX_ROWS,
                                      description="your own [x, y] pairs (linear_regression), used for this request only")]
TAKES_DATA = tuple(name for name, surface in SURFACES.items() if hasattr(surface, "own_data"))
# Hyperparameter values are range-checked by each optimizer's own schema, whose message
# names the allowed range; here only their JSON type is.
ParamValue = Union[StrictBool, float, list[float]]


def _lone_surrogate(text: str) -> bool:
    # JSON's \ud800 escape decodes to a str no UTF-8 encoder accepts: echoing it would fail later.
    return any("\ud800" <= char <= "\udfff" for char in text)


def _text_items(data: dict):
    """The strings of one model's own input: its keys, string values, and a dict's or list's
    strings one level down (nested models check their own); lists of numbers are skipped fast."""
    for key, value in data.items():
        yield key, key
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, dict):
            for inner, item in value.items():
                yield key, inner
                if isinstance(item, str):
                    yield key, item
        elif isinstance(value, list) and value and isinstance(value[0], str):
            for item in value:
                if isinstance(item, str):
                    yield key, item


def _is_int(annotation) -> bool:
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is int


def _integer_fields(model) -> dict[str, bool]:
    """The model's integer fields, each with whether it is a list of integers."""
    found = {}
    for name, info in model.model_fields.items():
        annotation, args = info.annotation, typing.get_args(info.annotation)
        if _is_int(annotation) or (typing.get_origin(annotation) is Union and any(_is_int(a) for a in args)):
            found[name] = False
        elif typing.get_origin(annotation) is list and args and _is_int(args[0]):
            found[name] = True
    return found


def _whole(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Strict(BaseModel):
    # strict: JSON types are taken as they are; true is not 1 and "30" is not 30. One exception:
    # JSON Schema's "integer" is any number without a fraction (3.0 is one), so integer fields
    # take 3.0 as 3 (in a model validator: a field validator would hide the bounds from OpenAPI).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _whole_numbers_as_integers(cls, data):
        if isinstance(data, dict):
            integers = cls.__dict__.get("_integers_cache")
            if integers is None:
                integers = _integer_fields(cls)
                setattr(cls, "_integers_cache", integers)
            for name, is_list in integers.items():
                value = data.get(name)
                if is_list and isinstance(value, list) and any(isinstance(v, float) for v in value):
                    data = {**data, name: [_whole(v) for v in value]}
                elif isinstance(value, float):
                    data = {**data, name: _whole(value)}
        return data

    @model_validator(mode="before")
    @classmethod
    def _refuse_lone_surrogates(cls, data):
        if isinstance(data, dict):
            for field, text in _text_items(data):
                if isinstance(text, str) and _lone_surrogate(text):
                    field = "a field name" if _lone_surrogate(str(field)) else field
                    raise ValueError(f"{field}: text must be valid Unicode (it holds a lone surrogate \\uD800-\\uDFFF)")
        return data


class ScheduleRequest(Strict):
    # each schedule's own parameters, in the schema (checked by optimizers.make_schedule)
    model_config = ConfigDict(json_schema_extra=schedule_branches(SCHEDULES, WARMUP))

    name: ScheduleName = Field(description="a schedule from GET /api/schedules")
    params: dict[str, ParamValue] = Field(default_factory=dict,
                                          description="the schedule's parameters; omitted ones take its defaults")


class RunRequest(Strict):
    # each optimizer's own hyperparameters, in the schema (checked by optimizers.make_optimizer)
    model_config = ConfigDict(json_schema_extra=branches("optimizer", {
        name: {"params": optimizer_params_schema(OPTIMIZERS[name])} for name in SURFACE_OPTIMIZERS}))

    optimizer: OptimizerName
    params: dict[str, ParamValue] = Field(default_factory=dict,
                                          description="hyperparameters; omitted ones take the optimizer's defaults")
    schedule: Optional[ScheduleRequest] = None
    clip_norm: Optional[float] = Field(None, gt=0, le=1e6, description="clip each gradient to this norm")
    label: Optional[str] = Field(None, max_length=80)


def _surface_branches() -> dict:
    """One branch per surface name (surfaces/registry.py): its surface_params, where a start may
    lie, mini-batches only on a surface with data; the custom surface takes a formula instead."""
    null = {"type": "null"}
    variants = {}
    for name, surface_class in SURFACES.items():
        surface = make_surface(name)
        point = point_schema(surface.domain)
        variants[name] = {"surface_params": params_schema(surface_class.parameters),
                          "start": {"anyOf": [point, null]}, "starts": {"anyOf": [{"type": "array", "items": point}, null]},
                          "formula": null, "domain": null}
        if name in TAKES_DATA:  # your own data move the plot (and the start area) around their fit
            del variants[name]["start"], variants[name]["starts"]
        else:
            variants[name]["data"] = null
        if not hasattr(surface, "minibatch_grad"):
            variants[name]["batch_size"] = null
    variants[CUSTOM] = {"formula": {"type": "string"}, "surface_params": {"type": "object", "maxProperties": 0},
                        "batch_size": null, "data": null}
    schema = branches("surface", variants)
    schema["anyOf"][-1]["required"] += ["formula"]
    return schema


class TrajectoryRequest(Strict):
    surface: SurfaceOrCustom
    formula: Optional[str] = Field(None, min_length=1, max_length=200,
                                   description='with surface "custom": f(x, y), e.g. "(1 - x)^2 + 100*(y - x^2)^2"')
    domain: Optional[Domain] = Field(None, description='with surface "custom": the plot, default [[-3, 3], [-3, 3]]')
    surface_params: dict[str, Number] = Field(default_factory=dict)
    start: Optional[Point] = Field(None, description="defaults to the surface's start")
    starts: Optional[list[Point]] = Field(None, min_length=1, max_length=MAX_STARTS,
                                          description="a batch of starts: answers finals, not paths")
    steps: int = Field(300, ge=1, le=MAX_STEPS)
    noise: float = Field(0.0, ge=0.0, le=100.0, description="std of Gaussian noise added to each gradient")
    seed: int = Field(0, ge=0, le=2 ** 32 - 1)
    batch_size: Optional[int] = Field(None, ge=1, le=MAX_ROWS, description="mini-batch size (linear_regression only)")
    data: Optional[Data] = None
    runs: list[RunRequest] = Field(min_length=1, max_length=MAX_RUNS)

    # Said in the schema too (OpenAPI clients and the fuzz tests read it there), checked here:
    # start and starts exclude each other; each surface's own parameters, start area, and
    # whether it takes mini-batches or a formula.
    model_config = ConfigDict(json_schema_extra={
        "not": {"required": ["start", "starts"],
                "properties": {"start": {"type": "array"}, "starts": {"type": "array"}}},
        **_surface_branches(),
        # DESIGN.md's example, and a basin of attraction: schemathesis' examples phase sends them
        "examples": [{"surface": "rosenbrock", "start": [-1.5, 2.0], "steps": 300, "noise": 0.0, "seed": 0,
                      "runs": [{"optimizer": "adam", "params": {"lr": 0.05, "betas": [0.9, 0.999]},
                                "schedule": {"name": "exponential", "params": {"gamma": 0.99}}}]},
                     {"surface": "himmelblau", "starts": [[0.0, 0.0], [-4.0, 4.0], [4.0, -4.0]], "steps": 200,
                      "runs": [{"optimizer": "sgd", "params": {"lr": 0.01}}]}]})

    @field_validator("starts")
    @classmethod
    def _one_kind_of_start(cls, starts, info: ValidationInfo):
        if starts is not None and info.data.get("start") is not None:
            raise ValueError("give either start or starts, not both")
        return starts

    @model_validator(mode="after")
    def _formula_with_custom(self):
        if (self.surface == "custom") != (self.formula is not None):
            raise ValueError("formula is required with surface custom, and only with it")
        if self.domain is not None and self.surface != "custom":
            raise ValueError("domain applies only to surface custom")
        _data_only_where_taken(self.surface, self.data)
        if self.surface_params and self.surface == "custom":
            raise ValueError("surface_params apply to the named surfaces; a custom surface is its formula")
        return self


def _data_only_where_taken(surface: str, data):
    if data is not None and surface not in TAKES_DATA:
        raise ValueError(f"data applies only to a surface that takes data: {', '.join(TAKES_DATA)}")


def _data_surface_params() -> dict:
    """The parameters of the surfaces that take data (one today: linear_regression)."""
    declared = {h.name: h for name in TAKES_DATA for h in SURFACES[name].parameters}
    return params_schema(tuple(declared.values()))


class SurfaceRequest(Strict):
    """A surface described in a body rather than a query: your own data do not fit in a URL.
    Either your data, or the parameters of the generated data: not both."""
    surface_params: dict[str, Number] = Field(default_factory=dict)
    data: Optional[Data] = None

    @staticmethod
    def _schema(schema: dict) -> None:
        schema["properties"]["surface_params"] = _data_surface_params()
        schema["not"] = {"required": ["data", "surface_params"],
                         "properties": {"data": {"type": "array"}, "surface_params": {"minProperties": 1}}}

    model_config = ConfigDict(json_schema_extra=_schema)


class RunResult(BaseModel):
    optimizer: str
    label: str
    status: Literal["max_steps", "converged", "diverged"]
    message: str  # built by the domain (surfaces.Trajectory.message): what the run reached
    end_kind: Optional[Literal["minimum", "saddle", "maximum"]] = None  # a converged run's end
    event_step: Optional[int] = None
    steps_taken: int
    points: list[list[float]] = []
    loss: list[float] = []
    grad: list[list[float]] = []
    lr: list[float] = []
    state: dict[str, list[list[float]]] = {}


class BatchRunResult(BaseModel):
    optimizer: str
    label: str
    finals: list[list[float]]
    final_loss: list[float]
    statuses: list[Literal["max_steps", "converged", "diverged"]]
    steps_taken: list[int]


class TrajectoryResponse(BaseModel):
    runs: list[Union[RunResult, BatchRunResult]]


class Grid(BaseModel):
    x: list[float]
    y: list[float]
    z: list[list[float]]
    z_min: float
    z_max: float
