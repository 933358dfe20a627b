"""The OpenAPI document says exactly what the server accepts: for every optimizer, schedule and
surface, a value at and just past each declared bound, and every combination of the options the
registry refuses together, are valid per the published schema exactly when the domain's own
validation (make_optimizer, make_schedule, make_surface, TrainConfig) accepts them."""
import itertools

import jsonschema
import pytest

from app.main import create_app
from app.schemas import TAKES_DATA
from optimizers import MLP_OPTIMIZERS, OPTIMIZERS, SCHEDULES, make_optimizer, make_schedule
from surfaces import SURFACES, make_surface

OPENAPI = create_app().openapi()


def validator(component: str):
    root = {"$ref": f"#/components/schemas/{component}", "components": OPENAPI["components"]}
    return jsonschema.Draft202012Validator(root)


RUN = validator("RunRequest")
SCHEDULE = validator("ScheduleRequest")
TRAJECTORY = validator("TrajectoryRequest")
MLP_CONFIG = validator("MlpConfig")


def accepted(build) -> bool:
    try:
        build()
    except ValueError:
        return False
    return True


def probes(h):
    """Values at and just past each bound of a declared hyperparameter, and one of another type."""
    if h.kind == "bool":
        return [True, False, 1, "true"]
    inside, low, high = [], h.minimum, h.maximum
    step = max(abs(high - low) * 1e-3, 1e-9)
    values = [low, low - step, high - step, high + step] + ([] if h.maximum_exclusive else [high])
    if h.kind == "int":
        values = [int(low), int(low) - 1, int(high), int(high) + 1, low + 0.5]
    if h.kind == "pair":
        return [[v, h.default[1]] for v in values] + [[h.default[0]], [h.default[0], h.default[1], 0.5], "x"]
    return values + inside + ["1"]


CASES = [(name, h.name, value) for name, spec in OPTIMIZERS.items() if spec.surfaces
         for h in spec.hyperparameters for value in probes(h)]


@pytest.mark.parametrize("optimizer, field, value", CASES)
def test_an_optimizers_hyperparameter_is_valid_per_schema_exactly_when_the_registry_accepts_it(optimizer, field, value):
    run = {"optimizer": optimizer, "params": {field: value}}
    by_schema = RUN.is_valid(run)
    by_registry = accepted(lambda: make_optimizer(optimizer, {field: value}))
    assert by_schema == by_registry, f"{optimizer} {field}={value!r}: schema {by_schema}, registry {by_registry}"


OPTION_VALUES = {"nesterov": [None, True, False], "momentum": [None, 0.0, 0.5], "dampening": [None, 0.0, 0.3],
                 "ema": [None, True, False]}


@pytest.mark.parametrize("optimizer", [name for name, spec in OPTIMIZERS.items() if spec.surfaces])
def test_option_combinations_the_registry_refuses_are_refused_by_the_schema(optimizer):
    """Nesterov without momentum, or with dampening; the EMA form with dampening: every
    combination, with omitted options at the optimizer's own defaults."""
    own = [name for name in OPTION_VALUES if OPTIMIZERS[optimizer].accepts(name)]
    for values in itertools.product(*(OPTION_VALUES[name] for name in own)):
        params = {name: value for name, value in zip(own, values) if value is not None}
        by_schema = RUN.is_valid({"optimizer": optimizer, "params": params})
        by_registry = accepted(lambda: make_optimizer(optimizer, params))
        assert by_schema == by_registry, f"{optimizer} {params}: schema {by_schema}, registry {by_registry}"


def test_an_unknown_hyperparameter_is_refused_by_the_schema():
    assert RUN.is_valid({"optimizer": "adam", "params": {"betas": [0.9, 0.99]}})
    assert not RUN.is_valid({"optimizer": "adam", "params": {"momentum": 0.9}})
    assert not RUN.is_valid({"optimizer": "muon"})  # needs weight matrices: the MLP tab only


@pytest.mark.parametrize("schedule, field, value", [(name, h.name, value) for name, spec in SCHEDULES.items()
                                                    for h in spec.hyperparameters for value in probes(h)])
def test_a_schedules_parameter_is_valid_per_schema_exactly_when_the_registry_accepts_it(schedule, field, value):
    by_schema = SCHEDULE.is_valid({"name": schedule, "params": {field: value}})
    by_registry = accepted(lambda: make_schedule(schedule, 0.1, {field: value}))
    assert by_schema == by_registry, f"{schedule} {field}={value!r}: schema {by_schema}, registry {by_registry}"


@pytest.mark.parametrize("surface, field, value", [(name, h.name, value) for name, cls in SURFACES.items()
                                                   for h in cls.parameters for value in probes(h)])
def test_a_surfaces_parameter_is_valid_per_schema_exactly_when_the_surface_accepts_it(surface, field, value):
    body = {"surface": surface, "surface_params": {field: value}, "runs": [{"optimizer": "sgd"}]}
    assert TRAJECTORY.is_valid(body) == accepted(lambda: make_surface(surface, {field: value}))


# A surface that takes your own data has its plot (and start area) around their fit: not stated
# in the schema (tests/app/schemathesis_hooks.py keeps such starts out of positive cases).
@pytest.mark.parametrize("surface", [name for name in SURFACES if name not in TAKES_DATA])
def test_a_start_is_valid_per_schema_exactly_where_the_server_runs_it(client, surface):
    (x0, x1), (y0, y1) = make_surface(surface).domain
    left, top = x0 - (x1 - x0), y1 + (y1 - y0)
    for start, inside in (([left, top], True), ([left - 1e-6, y0], False), ([x0, top + 1e-6], False)):
        body = {"surface": surface, "start": start, "steps": 2, "runs": [{"optimizer": "sgd", "params": {"lr": 1e-6}}]}
        assert TRAJECTORY.is_valid(body) == inside
        assert client.post("/api/trajectories", json=body).status_code == (200 if inside else 422)


def test_batch_size_formula_and_surface_params_belong_to_their_surfaces():
    runs = [{"optimizer": "sgd"}]
    assert TRAJECTORY.is_valid({"surface": "linear_regression", "batch_size": 5, "runs": runs})
    assert not TRAJECTORY.is_valid({"surface": "rosenbrock", "batch_size": 5, "runs": runs})
    assert not TRAJECTORY.is_valid({"surface": "rosenbrock", "formula": "x^2", "runs": runs})
    assert not TRAJECTORY.is_valid({"surface": "custom", "runs": runs})
    assert TRAJECTORY.is_valid({"surface": "custom", "formula": "x^2 + y^2", "runs": runs})
    assert not TRAJECTORY.is_valid({"surface": "custom", "formula": "x^2", "surface_params": {"condition": 2}, "runs": runs})
    assert not TRAJECTORY.is_valid({"surface": "rosenbrock", "surface_params": {"condition": 2}, "runs": runs})


def test_the_server_refuses_surface_params_on_a_custom_surface(client):
    body = {"surface": "custom", "formula": "x^2 + y^2", "surface_params": {"condition": 2.0},
            "runs": [{"optimizer": "sgd"}]}
    assert client.post("/api/trajectories", json=body).status_code == 422


@pytest.mark.parametrize("optimizer", MLP_OPTIMIZERS)
def test_an_mlp_configuration_is_valid_per_schema_exactly_when_the_trainer_accepts_it(optimizer):
    from mlp import TrainConfig, Training
    spec = OPTIMIZERS[optimizer]
    variants = [{}, {"weight_decay": 0.1}, {"params": {"weight_decay": 0.1}}]
    if spec.objective_flag:
        variants += [{"params": {spec.objective_flag: True}}, {"params": {spec.objective_flag: False}}]
    for extra in variants:
        config = {"optimizer": optimizer, "samples": 40, "epochs": 1, "hidden": [2], **extra}
        by_schema = MLP_CONFIG.is_valid(config)
        # without params, the API's SGD is the panel's (lr 0.1, momentum 0.9), any other its own defaults
        defaults = {} if "params" in config else {"params": {"lr": 0.1, "momentum": 0.9} if optimizer == "sgd" else {}}
        by_trainer = accepted(lambda: Training(TrainConfig(**{**defaults, **config})))
        assert by_schema == by_trainer, f"{config}: schema {by_schema}, trainer {by_trainer}"


def test_a_configuration_without_an_optimizer_is_checked_as_the_default_sgd():
    assert MLP_CONFIG.is_valid({"params": {"lr": 0.1, "momentum": 0.9, "nesterov": True}})
    assert not MLP_CONFIG.is_valid({"params": {"lr": 0.1, "nesterov": True}})  # sgd's momentum defaults to 0
    assert not MLP_CONFIG.is_valid({"params": {"betas": [0.9, 0.99]}})


def test_integer_fields_take_whole_numbers_written_with_a_fraction(client):
    """JSON Schema's integer includes 3.0; text and booleans stay refused."""
    body = {"surface": "quadratic", "steps": 3.0, "seed": 1.0, "runs": [{"optimizer": "sgd"}]}
    assert TRAJECTORY.is_valid(body)
    assert client.post("/api/trajectories", json=body).json()["runs"][0]["steps_taken"] == 3
    for steps in (3.5, "3", True):
        assert not TRAJECTORY.is_valid({**body, "steps": steps})
        assert client.post("/api/trajectories", json={**body, "steps": steps}).status_code == 422


@pytest.mark.parametrize("path, component", [("/api/trajectories", "TrajectoryRequest"), ("/api/mlp/run", "MlpRequest")])
def test_the_schemas_own_examples_are_answered(client, path, component):
    examples = OPENAPI["components"]["schemas"][component]["examples"]
    for example in examples:
        assert validator(component).is_valid(example)
        response = client.post(path, json=example)
        assert response.status_code == 200, response.text
