"""POST /api/trajectories: translate the request, run the domain code, translate back."""
from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from lessons import DEFAULT_SCENE
from optimizers import make_optimizer
from surfaces import check_batch_size, run_batch, run_trajectory
from surfaces.planning import LIMIT_SECONDS, plan_request

from .. import work_pool
from ..built_surfaces import surface_or_422
from ..errors import REFUSALS, unprocessable
from .meta import MAX_VIEW_SPANS
from ..responses import ResponseCache, cache_key, json_response, to_json
from ..settings import settings
from ..schemas import MAX_RUNS, MAX_STARTS, MAX_STEPS, TrajectoryRequest, TrajectoryResponse

router = APIRouter(prefix="/api", tags=["trajectories"], responses=REFUSALS)
answers = ResponseCache(max_bytes=96 * 1024 * 1024)


def _check_inside(surface, point, location):
    (x0, x1), (y0, y1) = surface.domain
    width, height = x1 - x0, y1 - y0
    if not (x0 - width <= point[0] <= x1 + width and y0 - height <= point[1] <= y1 + height):
        raise unprocessable(location, f"start {list(point)} is too far from the plot: allowed x in "
                                      f"[{x0 - width:g}, {x1 + width:g}], y in [{y0 - height:g}, {y1 + height:g}]")


def _optimizer(run, index, batched):
    schedule = (run.schedule.name, run.schedule.params) if run.schedule else None
    try:
        return make_optimizer(run.optimizer, run.params, schedule, run.clip_norm, batch_dims=int(batched))
    except ValueError as error:
        raise unprocessable(["body", "runs", index, "params"], str(error)) from None


def work_budget() -> float:
    return settings().work_budget or LIMIT_SECONDS


@router.get("/limits")
def limits():
    """The trajectory request's bounds (contract item 5), for the page to read instead of literals:
    runs, steps and starts per request, and the predicted CPU seconds one request may take
    (surfaces/planning.py's model; the 422 of a larger request says its prediction), and how far
    a grid's view may reach beyond the domain (the page widens its view up to it). With them,
    the scene a link means where it is silent (lessons/links.py), so the page declares none."""
    return {"trajectories": {"max_runs": MAX_RUNS, "max_steps": MAX_STEPS, "max_starts": MAX_STARTS,
                             "max_seconds": work_budget()},
            # the grid endpoints' view: at most this many domain spans about the domain's centre
            "grid": {"max_view_spans": MAX_VIEW_SPANS},
            "default_scene": DEFAULT_SCENE.describe()}


@router.post("/trajectories", response_model=TrajectoryResponse,
             responses={503: {"description": "a long computation passed the server's wall-clock cap; see Retry-After"}})
async def trajectories(request: TrajectoryRequest, http: Request):
    """Paths of up to 12 runs, or the final points of a batch of starts (basins of attraction).
    Identical requests are answered from a cache: the answer depends on the request alone.
    A request the time model predicts to be long runs in a child process (app/work_pool.py),
    ended if its client leaves; a slider drag stays in this worker, answered in milliseconds."""
    key = cache_key("trajectories", request.model_dump_json())
    body = await run_in_threadpool(_cached_or_short, request, key)  # one thread hop for a slider drag
    if body is None:
        body = answers.put(key, await work_pool.run(encoded_trajectories, (request,), http))
    return json_response(http, body)


def _cached_or_short(request: TrajectoryRequest, key: str):
    """The answer, if cached or short enough to compute here; None for a long one (the pool's)."""
    cached = answers.get(key)
    if cached is not None:
        return cached
    if _prepare(request)[1].seconds >= work_pool.POOL_THRESHOLD_SECONDS:
        return None
    return answers.get_or_compute(key, lambda: encoded_trajectories(request))


def encoded_trajectories(request: TrajectoryRequest):
    return to_json(compute_trajectories(request), gzip_level=1)


def _prepare(request: TrajectoryRequest):
    """The surface and the plan of a request; every 422 a request can earn is raised here,
    before any work (and before a long one is handed to a child process)."""
    if request.surface == "custom":
        domain = tuple(map(tuple, request.domain)) if request.domain else None
        surface = surface_or_422("custom", {"formula": request.formula, "domain": domain}, ["body", "formula"])
    elif request.data is not None:
        surface = surface_or_422(request.surface, request.surface_params | {"data": request.data}, ["body", "data"])
    else:
        surface = surface_or_422(request.surface, request.surface_params, ["body", "surface_params"])
    try:
        check_batch_size(surface, request.batch_size)
    except ValueError as error:
        raise unprocessable(["body", "batch_size"], str(error)) from None
    batched = request.starts is not None
    optimizers = [_optimizer(run, index, batched) for index, run in enumerate(request.runs)]
    try:
        plan = plan_request(surface, len(request.runs), request.start, request.starts, request.steps,
                            request.batch_size, limit=work_budget(),
                            histories=tuple(optimizer.history for optimizer in optimizers))
    except ValueError as error:
        raise unprocessable(["body", "steps"], str(error)) from None
    starts = plan.starts
    for index, point in enumerate(starts):
        _check_inside(surface, point, ["body", "starts", index] if batched else ["body", "start"])
    with np.errstate(all="ignore"):
        undefined = np.flatnonzero(~np.isfinite(surface.f(np.array(starts, dtype=np.float64))))
    if len(undefined):  # a typed formula may be undefined there (log of a negative number, ...)
        index = int(undefined[0])
        raise unprocessable(["body", "starts", index] if batched else ["body", "start"],
                            f"f is not a finite number at the start {list(starts[index])}: choose another start")
    return surface, plan, optimizers


def compute_trajectories(request: TrajectoryRequest) -> dict:
    """The answer as plain dicts of numpy arrays, in the shape of TrajectoryResponse (the schema
    the docs show and the fuzz test checks): building pydantic models of long float lists only
    to dump them again costs more than the optimization itself."""
    surface, plan, optimizers = _prepare(request)
    batched, starts = plan.batched, plan.starts
    options = dict(noise=request.noise, batch_size=request.batch_size, seed=request.seed)
    results = []
    for run, optimizer in zip(request.runs, optimizers):
        label = run.label or run.optimizer
        if batched:
            outcome = run_batch(surface, optimizer, np.array(starts), request.steps, **options)
            results.append({"optimizer": run.optimizer, "label": label, "finals": outcome.finals,
                            "final_loss": outcome.final_loss, "statuses": outcome.statuses,
                            "steps_taken": outcome.steps_taken})
        else:
            path = run_trajectory(surface, optimizer, starts[0], request.steps, **options)
            results.append({"optimizer": run.optimizer, "label": label, "status": path.status,
                            "message": path.message, "end_kind": path.end_kind, "event_step": path.event_step,
                            "steps_taken": path.steps_taken, "points": path.points, "loss": path.loss,
                            "grad": path.grad, "lr": path.lr, "state": path.state})
    return {"runs": results}
