"""Read-only metadata: health, surfaces (and their grids), optimizers, schedules."""
from __future__ import annotations

from functools import lru_cache
from typing import Literal, Optional

import numpy as np
from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from optimizers import OPTIMIZERS, SCHEDULES
from paramschema import ParameterError, parse_all
from surfaces import SURFACES
from surfaces.registry import CUSTOM
from surfaces.formula import capabilities as formula_capabilities
from surfaces.gradient_check import DEFAULT_H, StepTooSmall, gradient_check
from surfaces.planning import LIMIT_SECONDS, check_grid
from surfaces.presets import scene

from .. import __version__, work_pool
from ..built_surfaces import surface_or_422
from ..errors import REFUSALS, unprocessable
from ..mathml import with_mathml
from ..responses import METADATA_MAX_AGE, ResponseCache, cache_key, json_response, to_json
from ..schemas import TAKES_DATA, Grid, SurfaceName, SurfaceRequest
from ..settings import settings
from ..training_client import status as training_status

router = APIRouter(prefix="/api", tags=["metadata"])


@router.get("/health")
async def health():
    """Async, so it answers even when every worker thread is busy; trainings are the whole server's."""
    trainings = await training_status()
    return {"status": "ok", "version": __version__,
            "training_streams": trainings["running"] if trainings else None,
            "trainings_waiting": trainings["waiting"] if trainings else None}


# The registries never change while the server runs: serialize each list once.
_LISTS = {
    "surfaces": lambda: [with_mathml(surface_or_422(name, {}, ["path"]).describe(), "formula") for name in SURFACES],
    "optimizers": lambda: [with_mathml(spec.describe(), "update_rule") for spec in OPTIMIZERS.values()],
    "schedules": lambda: [with_mathml(spec.describe(), "formula") for spec in SCHEDULES.values()],
}


@lru_cache(maxsize=None)
def registry_json(name: str):
    return to_json(_LISTS[name]())


@router.get("/surfaces")
def list_surfaces(request: Request):
    """Every surface: lesson, formula, domain, start, minima, saddles, parameters, suggested rates."""
    return json_response(request, registry_json("surfaces"), METADATA_MAX_AGE)


@router.get("/optimizers")
def list_optimizers(request: Request):
    """Every optimizer: idea, update rule (LaTeX and MathML), reference, hyperparameter schema."""
    return json_response(request, registry_json("optimizers"), METADATA_MAX_AGE)


@router.get("/optimizers/{name}/rule")
def optimizer_rule(request: Request, name: Literal[tuple(OPTIMIZERS)] = Path(
        description="an optimizer from GET /api/optimizers")):
    """The update rule run with these hyperparameters (query keys, e.g. ?momentum=0.9&nesterov=true),
    as LaTeX and MathML lines: every option that is on adds its term."""
    return json_response(request, _rule_json(name, tuple(sorted(request.query_params.items()))), METADATA_MAX_AGE)


@lru_cache(maxsize=256)
def _rule_json(name: str, query: tuple):
    spec = OPTIMIZERS[name]
    try:
        latex = spec.update_rule(parse_all(spec.hyperparameters, dict(query), name))
    except ParameterError as error:
        raise unprocessable(["query", error.field], str(error)) from None
    except ValueError as error:
        raise unprocessable(["query"], str(error)) from None
    return to_json({"latex": latex, "mathml": with_mathml({"latex": latex}, "latex")["latex_mathml"]})


@router.get("/schedules")
def list_schedules(request: Request):
    """Every learning-rate schedule, with its formula and parameters."""
    return json_response(request, registry_json("schedules"), METADATA_MAX_AGE)


def _surface_params(request: Request, reserved: tuple = ("resolution",)) -> dict:
    """Query parameters other than the endpoint's own (`reserved`) are the surface's (e.g. ?condition=100)."""
    params = {}
    for key, value in request.query_params.items():
        if key in reserved:
            continue
        if key in ("formula", "domain", "start"):  # surface custom: ?formula=x^2-y^2&domain=-2,2,-1,3&start=1,2
            params[key] = {"formula": lambda text: text, "domain": _domain, "start": _start}[key](value)
            continue
        try:
            number = float(value)
        except ValueError:
            raise unprocessable(["query", key], f"{key} must be a number, got {value!r}") from None
        params[key] = number
    return params


def _domain(text: str) -> tuple:
    try:
        x0, x1, y0, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise unprocessable(["query", "domain"], f"domain must be x_min,x_max,y_min,y_max, got {text!r}") from None
    return (x0, x1), (y0, y1)


def _start(text: str) -> tuple:
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise unprocessable(["query", "start"], f"start must be x,y, got {text!r}") from None
    return x, y


@router.get("/formula")
def typed_surface(request: Request):
    """Surfaces typed as formulas (surface "custom"): what a formula may hold and examples; with
    ?formula= (and domain, start as for the grid) it is parsed and differentiated, and answers its
    LaTeX, MathML, domain and start, or a 422 pointing at the offending character."""
    params = _surface_params(request, reserved=())
    if not params:
        return json_response(request, _capabilities_json(), METADATA_MAX_AGE)
    if "formula" not in params:
        raise unprocessable(["query", "formula"], "give formula, and optionally domain and start")
    surface = surface_or_422(CUSTOM, params, ["query", "formula"])
    return json_response(request, to_json(with_mathml(surface.outline(), "formula")), METADATA_MAX_AGE)


@lru_cache(maxsize=None)
def _capabilities_json():
    return to_json(formula_capabilities())


# A custom surface's query: its formula, its plot as four numbers (?domain=-2,2,-1,3), its start (?start=1,2).
_NUMBER = r"-?(10000(\.0{1,6})?|(0|[1-9][0-9]{0,3})(\.[0-9]{1,6})?)"  # within ±10000, as formula domains
Formula = Query(min_length=1, max_length=200, description='f(x, y), e.g. "(1 - x)^2 + 100*(y - x^2)^2"')
DomainText = Query(None, pattern=f"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$",
                   description="the plot: x_min,x_max,y_min,y_max (min < max), default -3,3,-3,3")
StartText = Query(None, pattern=f"^{_NUMBER},{_NUMBER}$", description="the scene's start x,y")
Resolution = Query(100, ge=10, le=400, description="grid points per axis")
# The page draws the contour at equal aspect filling its plot box, so along one axis it shows
# more than the domain: the grid it asks for covers that view. Bounded to a sane multiple of the
# domain (a view far larger would only blur the contour and cost the same).
MAX_VIEW_SPANS = 10
_FLOAT = r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?"  # what JavaScript's String(number) writes
ViewText = Query(None, max_length=200, pattern=f"^{_FLOAT},{_FLOAT},{_FLOAT},{_FLOAT}$", description="the area the grid covers: x_min,x_max,y_min,y_max (min < max), "
                 f"within {MAX_VIEW_SPANS // 2} domain widths (heights) of the domain's centre; default the domain")
LONG_WORK = {429: {"description": "the server is busy with long computations; see Retry-After"},
             503: {"description": "a long computation passed the server's wall-clock cap; see Retry-After"}}


def _custom_params(formula: str, domain: str | None, start: str | None = None) -> dict:
    params = {"formula": formula}
    if domain is not None:
        params["domain"] = _domain(domain)
    if start is not None:
        params["start"] = _start(start)
    return params


def view_of(surface, text: str | None, location: list):
    """The area a grid covers: the surface's domain, or a view given as x_min,x_max,y_min,y_max:
    four finite numbers, min < max, within MAX_VIEW_SPANS / 2 spans of the domain's centre."""
    if text is None:
        return None
    try:
        x0, x1, y0, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise unprocessable(location, f"view must be four numbers x_min,x_max,y_min,y_max, got {text!r}") from None
    if not all(np.isfinite([x0, x1, y0, y1])) or not (x0 < x1 and y0 < y1):
        raise unprocessable(location, f"view must be finite with x_min < x_max and y_min < y_max, got {text!r}")
    (dx0, dx1), (dy0, dy1) = surface.domain
    half = MAX_VIEW_SPANS / 2
    xs = ((dx0 + dx1) / 2 - half * (dx1 - dx0), (dx0 + dx1) / 2 + half * (dx1 - dx0))
    ys = ((dy0 + dy1) / 2 - half * (dy1 - dy0), (dy0 + dy1) / 2 + half * (dy1 - dy0))
    if not (xs[0] <= x0 and x1 <= xs[1] and ys[0] <= y0 and y1 <= ys[1]):
        raise unprocessable(location, f"view {text!r} is too far from the surface's domain: allowed x in "
                                      f"[{xs[0]:g}, {xs[1]:g}], y in [{ys[0]:g}, {ys[1]:g}]")
    return (x0, x1), (y0, y1)


def _cached_or_short_grid(name: str, params: tuple, resolution: int, view_text: str | None):
    """The grid if cached or quick to compute here; None for a long one (the work pool's)."""
    surface = surface_or_422(name, dict(params), ["query"])  # a bad parameter is a 422 before any caching
    view = view_of(surface, view_text, ["query", "view"])
    try:
        seconds = check_grid(surface, resolution, limit=settings().work_budget or LIMIT_SECONDS)
    except ValueError as error:
        raise unprocessable(["query", "resolution"], str(error)) from None
    key = cache_key("grid", name, params, resolution, view)
    if seconds >= work_pool.POOL_THRESHOLD_SECONDS and _grids.get(key) is None:
        return None
    return grid_json(name, params, resolution, view)


async def _grid_answer(request: Request, name: str, params: dict, resolution: int, view_text: str | None = None):
    params = tuple(sorted(params.items()))
    body = await run_in_threadpool(_cached_or_short_grid, name, params, resolution, view_text)
    if body is None:
        view = view_of(surface_or_422(name, dict(params), ["query"]), view_text, ["query", "view"])
        body = _grids.put(cache_key("grid", name, params, resolution, view),
                          await work_pool.run(_compute_grid, (name, params, resolution, view), request))
    return json_response(request, body, METADATA_MAX_AGE)


LONG_WORK = {429: {"description": "the server is busy with long computations; see Retry-After"},
             503: {"description": "a long computation passed the server's wall-clock cap; see Retry-After"}}


# Declared before /surfaces/{name}/...: the custom surface's query differs from the named ones'.
@router.get("/surfaces/custom/grid", response_model=Grid, responses=LONG_WORK)
async def custom_surface_grid(request: Request, formula: str = Formula, domain: Optional[str] = DomainText,
                              start: Optional[str] = StartText, resolution: int = Resolution,
                              view: Optional[str] = ViewText):
    """The contour grid of a surface typed as a formula (over its domain, or over `view`)."""
    return await _grid_answer(request, CUSTOM, _custom_params(formula, domain, start), resolution, view)


@router.get("/surfaces/custom/scene")
def custom_surface_scene(request: Request, formula: str = Formula, domain: Optional[str] = DomainText,
                         start: Optional[str] = StartText):
    """The default scene of a surface typed as a formula (see the named surfaces' scene)."""
    params = _custom_params(formula, domain, start)
    surface_or_422(CUSTOM, params, ["query"])
    return json_response(request, _scene_json(CUSTOM, tuple(sorted(params.items()))), METADATA_MAX_AGE)


@router.get("/surfaces/{name}/grid", response_model=Grid, responses=LONG_WORK)
async def surface_grid(request: Request, name: SurfaceName = Path(description="a surface from GET /api/surfaces"),
                       resolution: int = Resolution, view: Optional[str] = ViewText):
    """The contour grid, z[j][i] = f(x[i], y[j]), over the surface's domain or over `view`; other
    query keys are the surface's parameters."""
    return await _grid_answer(request, name, _surface_params(request, reserved=("resolution", "view")), resolution, view)


@router.get("/surfaces/{name}/scene")
def surface_scene(request: Request, name: SurfaceName = Path(description="a surface from GET /api/surfaces")):
    """The default scene for these surface parameters (query keys, as for the grid): start,
    suggested learning rates, sweep factors and labels, stationary points, domain."""
    params = _surface_params(request)
    surface_or_422(name, params, ["query"])
    return json_response(request, _scene_json(name, tuple(sorted(params.items()))), METADATA_MAX_AGE)


@lru_cache(maxsize=256)
def _scene_json(name: str, params: tuple):
    return _scene_of(surface_or_422(name, dict(params), ["query"]))


def _scene_of(surface):
    try:
        return to_json(scene(surface))
    except (ValueError, ArithmeticError) as error:  # a typed formula the scene machinery cannot measure
        raise unprocessable(["query", "formula"], f"no scene for this surface: {error!r}") from None


# Surfaces given in a body (your own data): POST, as the rows do not fit in a URL. The answers
# sit in byte-bounded memory caches like every other answer; the data are written nowhere.
DataSurfaceName = Literal[TAKES_DATA]
_data_scenes = ResponseCache(max_bytes=16 * 1024 * 1024)


def _surface_in_body(name: str, body: SurfaceRequest):
    if body.data is None:
        return surface_or_422(name, body.surface_params, ["body", "surface_params"]), dict(body.surface_params)
    params = body.surface_params | {"data": body.data}
    return surface_or_422(name, params, ["body", "data"]), params


# Their own path, not POST on /surfaces/{name}/grid: a URL then has one set of methods whatever
# the name ("custom" has its own GET routes), as OpenAPI clients expect.
@router.post("/surfaces/{name}/data/grid", response_model=Grid, responses=REFUSALS)
def surface_grid_from_body(request: Request, body: SurfaceRequest,
                           name: DataSurfaceName = Path(description="a surface that takes data"),
                           resolution: int = Query(100, ge=10, le=400, description="grid points per axis"),
                           view: Optional[str] = ViewText):
    """The contour grid of a surface with your own data in the body ({"data": [[x, y], ...]}),
    over its domain or over `view`."""
    surface, params = _surface_in_body(name, body)
    area = view_of(surface, view, ["query", "view"])
    try:
        check_grid(surface, resolution)
    except ValueError as error:
        raise unprocessable(["query", "resolution"], str(error)) from None
    key = cache_key("grid", name, sorted(params.items()), resolution, area)
    return json_response(request, _grids.get_or_compute(key, lambda: _grid_of(surface, resolution, area)),
                         METADATA_MAX_AGE)


@router.post("/surfaces/{name}/data/scene", responses=REFUSALS)
def surface_scene_from_body(request: Request, body: SurfaceRequest,
                            name: DataSurfaceName = Path(description="a surface that takes data")):
    """The default scene of a surface with your own data in the body, with the data points."""
    surface, params = _surface_in_body(name, body)
    key = cache_key("scene", name, sorted(params.items()))
    return json_response(request, _data_scenes.get_or_compute(key, lambda: _scene_of(surface)), METADATA_MAX_AGE)


def _display(values: np.ndarray) -> list:
    # Six significant digits are plenty for a contour plot and halve the answer's size.
    return [[float(f"{v:.6g}") for v in row] for row in values.tolist()]


# Bounded in bytes, not entries: one 400x400 grid is ~2.6 MB, and 256 of them took 670 MB.
_grids = ResponseCache(max_bytes=48 * 1024 * 1024)


def grid_json(name: str, params: tuple, resolution: int, view=None):
    """The serialized contour grid (cached: the whole class asks for the same one)."""
    return _grids.get_or_compute(cache_key("grid", name, params, resolution, view),
                                 lambda: _compute_grid(name, params, resolution, view))


def _compute_grid(name: str, params: tuple, resolution: int, view=None):
    return _grid_of(surface_or_422(name, dict(params), ["query"]), resolution, view)


def _grid_of(surface, resolution: int, view=None):
    (x0, x1), (y0, y1) = view or surface.domain
    x = np.linspace(x0, x1, resolution)
    y = np.linspace(y0, y1, resolution)
    # a row at a time: a data surface's f reads every sample per point, so the whole grid at once
    # would hold resolution² x samples numbers
    z = np.stack([surface.f(np.stack([x, np.full_like(x, row)], axis=-1)) for row in y])  # z[j][i] = f(x[i], y[j])
    finite = np.isfinite(z)
    if not finite.all():  # a typed formula may overflow in the plot: draw it at the top of the colour scale
        z = np.where(finite, z, z[finite].max() if finite.any() else 0.0)
    grid = Grid(x=x.tolist(), y=y.tolist(), z=_display(z), z_min=float(z.min()), z_max=float(z.max()))
    return to_json(grid.model_dump())


def _gradient_check_answer(request: Request, surface, x: float, y: float, h: float):
    try:
        check = gradient_check(surface, (x, y), h)
    except StepTooSmall as error:
        raise unprocessable(["query", "h"], str(error)) from None
    except ValueError as error:
        raise unprocessable(["query", "x"], str(error)) from None
    return json_response(request, to_json(check._asdict()), METADATA_MAX_AGE)


ThetaX = Query(ge=-1e6, le=1e6, description="first coordinate of θ")
ThetaY = Query(ge=-1e6, le=1e6, description="second coordinate of θ")
# Below 1e-12 a central difference is rounding alone (2.2e-16·|f| / h), and at the smallest floats
# its error estimate overflows.
StepH = Query(DEFAULT_H, ge=1e-12, le=1, description="step of the central difference (at least 1e-12)")


# Declared before /surfaces/{name}/gradient_check, as for the grid and the scene.
@router.get("/surfaces/custom/gradient_check")
def custom_surface_gradient_check(request: Request, formula: str = Formula, domain: Optional[str] = DomainText,
                                  x: float = ThetaX, y: float = ThetaY, h: float = StepH):
    """The gradient check (see the named surfaces') of a surface typed as a formula."""
    surface = surface_or_422(CUSTOM, _custom_params(formula, domain), ["query"])
    return _gradient_check_answer(request, surface, x, y, h)


@router.get("/surfaces/{name}/gradient_check")
def surface_gradient_check(request: Request, name: SurfaceName = Path(description="a surface from GET /api/surfaces"),
                           x: float = ThetaX, y: float = ThetaY, h: float = StepH):
    """The analytic gradient at θ = (x, y) beside the numerical one, (f(θ + h e_i) − f(θ − h e_i)) / 2h,
    and their relative difference; other query keys are the surface's parameters, as for the grid."""
    surface = surface_or_422(name, _surface_params(request, reserved=("x", "y", "h")), ["query"])
    return _gradient_check_answer(request, surface, x, y, h)
