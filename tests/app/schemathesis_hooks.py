"""What schemathesis may not send as "schema-valid" data: the few limits JSON Schema cannot state.

Everything a JSON Schema can say is in the OpenAPI document (names, ranges, each optimizer's,
schedule's and surface's own parameters, exclusive fields, option rules). Three limits are not
expressible there, and the schema's descriptions say so: the time model (a product of counts,
surfaces/planning.py and mlp/cost.py), a typed formula's grammar, a custom surface's start
inside its own typed domain, and your own data's two distinct x. A generated *positive* case that breaks one of them is dropped here,
so the positive-data check tests every other promise; negative cases are all kept.
Loaded by the schemathesis CLI through SCHEMATHESIS_HOOKS (tests/app/test_fuzz.py)."""
from __future__ import annotations

import os

import numpy as np
import schemathesis
from fastapi import HTTPException
from pydantic import ValidationError

from app.mlp_schemas import MlpRequest
from app.routers.meta import view_of
from app.schemas import TAKES_DATA, TrajectoryRequest
from mlp import TrainConfig
from mlp.cost import check_time_budget
from optimizers import make_optimizer
from surfaces import make_surface
from surfaces.planning import LIMIT_SECONDS, check_grid, plan_request

MLP_BUDGET = float(os.environ.get("OPTVIZ_RUN_BUDGET", "0") or 0)
WORK_BUDGET = float(os.environ.get("OPTVIZ_WORK_BUDGET", "0") or 0) or LIMIT_SECONDS


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _custom_surface(formula, domain):
    return make_surface("custom", {"formula": formula, "domain": tuple(map(tuple, domain)) if domain else None})


def _inside(surface, points) -> bool:
    (x0, x1), (y0, y1) = surface.domain
    width, height = x1 - x0, y1 - y0
    return all(x0 - width <= x <= x1 + width and y0 - height <= y <= y1 + height for x, y in points)


def _trajectory_fits(body) -> bool:
    try:
        request = TrajectoryRequest.model_validate(body)
    except ValidationError:
        return True  # the schema's own business
    try:
        if request.surface == "custom":
            surface = _custom_surface(request.formula, request.domain)
            points = request.starts or [request.start or surface.start]
            if not _inside(surface, points):
                return False
            with np.errstate(all="ignore"):
                if not np.isfinite(surface.f(np.array(points, dtype=float))).all():
                    return False
        else:
            params = request.surface_params | ({"data": request.data} if request.data is not None else {})
            try:
                surface = make_surface(request.surface, params)
            except ValueError:
                return True  # a refusal the schema should have stated: kept, for the check to report
            if request.surface in TAKES_DATA and not _inside(surface, request.starts or [request.start or surface.start]):
                return False  # your own data's plot: a start area the schema cannot state
        histories = tuple(_history(run, batched=request.starts is not None) for run in request.runs)
        plan_request(surface, len(request.runs), request.start, request.starts, request.steps, request.batch_size,
                     limit=WORK_BUDGET, histories=histories)
    except (ValueError, ArithmeticError):
        return False
    return True


def _history(run, batched: bool) -> int:
    """The run's history length, as the server's time model counts it (a run the server refuses
    for its parameters counts none: that refusal is for the check to report)."""
    try:
        return make_optimizer(run.optimizer, run.params, batch_dims=int(batched)).history
    except ValueError:
        return 0


def _distinct_x(data) -> bool:
    """Your own data need two distinct x for a line through them: a rule JSON Schema cannot state."""
    return data is None or len({row[0] for row in data if isinstance(row, list) and row}) >= 2


def _data_surface_fits(case) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    if not _distinct_x(body.get("data")):
        return False
    if case.operation.path.endswith("/grid") and isinstance(body.get("data"), list):
        try:
            surface = make_surface("linear_regression", {"data": body["data"]})
            check_grid(surface, int((case.query or {}).get("resolution", 100)), limit=WORK_BUDGET)
        except (ValueError, TypeError):
            return False  # the time model's limit, or data the schema's own checks refuse
    return True


def _mlp_fits(body) -> bool:
    try:
        request = MlpRequest.model_validate(body)
    except ValidationError:
        return True
    configs = []
    try:
        for config in request.configs:
            values = config.model_dump()
            values["schedule"] = config.schedule.model_dump() if config.schedule else None
            configs.append(TrainConfig(**values))
    except ValueError:
        return True  # a refusal the schema should have stated: kept, for the check to report
    try:
        check_time_budget(configs, MLP_BUDGET)
    except ValueError:
        return False
    return True


def _query_domain(query):
    """A typed formula's domain from its query text x0,x1,y0,y1, or None for the default."""
    domain = query.get("domain")
    if not isinstance(domain, str):
        return None
    x0, x1, y0, y1 = (float(v) for v in domain.split(","))
    return (x0, x1), (y0, y1)


def _custom_grid_fits(query) -> bool:
    formula = (query or {}).get("formula")
    if not isinstance(formula, str):
        return True
    try:
        surface = _custom_surface(formula, _query_domain(query))
        check_grid(surface, int(query.get("resolution", 100)), limit=WORK_BUDGET)
    except (ValueError, ArithmeticError, TypeError):
        return False
    return True


def _grid_surface(case):
    """The surface a grid request is for, or None if it cannot be built here (the server's call)."""
    query = case.query or {}
    path = case.operation.path
    try:
        if path.startswith("/api/surfaces/custom/"):
            return _custom_surface(query.get("formula"), _query_domain(query))
        name = (case.path_parameters or {}).get("name")
        if path.endswith("/data/grid"):
            body = case.body if isinstance(case.body, dict) else {}
            params = body.get("surface_params") or {}
            return make_surface(name, params | ({"data": body["data"]} if body.get("data") else {}))
        params = {key: float(value) for key, value in query.items() if key not in ("resolution", "view")}
        return make_surface(name, params)
    except (ValueError, TypeError, ArithmeticError, KeyError):
        return None


def _view_fits(case) -> bool:
    """A grid's view must be ordered and near the surface's domain: rules JSON Schema cannot state."""
    text = (case.query or {}).get("view")
    if not isinstance(text, str) or not case.operation.path.endswith("/grid"):
        return True
    try:
        x0, x1, y0, y1 = (float(v) for v in text.split(","))
    except ValueError:
        return True  # the pattern's business
    if not (x0 < x1 and y0 < y1 and np.isfinite([x0, x1, y0, y1]).all()):
        return False
    surface = _grid_surface(case)
    if surface is None:
        return True
    try:
        view_of(surface, text, ["query", "view"])
    except HTTPException:
        return False
    return True


@schemathesis.hook
def filter_case(context, case) -> bool:
    if not _positive(case):
        return True
    path = case.operation.path
    if not _view_fits(case):
        return False
    if path == "/api/trajectories":
        return _distinct_x((case.body or {}).get("data") if isinstance(case.body, dict) else None) \
            and _trajectory_fits(case.body)
    if path.startswith("/api/surfaces/{name}/data/"):
        return _data_surface_fits(case)
    if path.startswith("/api/mlp/") and case.operation.method.upper() == "POST":
        return _mlp_fits(case.body)
    if path.startswith("/api/surfaces/custom/"):
        return _custom_grid_fits(case.query)
    return True
