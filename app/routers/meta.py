"""Read-only metadata: health, surfaces (and their grids), optimizers, schedules."""
from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Path, Query, Request

from optimizers import OPTIMIZERS, SCHEDULES
from surfaces import SURFACES

from .. import __version__
from ..cache import describe, surface_or_422
from ..errors import unprocessable
from ..mathml import with_mathml
from ..schemas import Grid, SurfaceName
from ..streams import registry

router = APIRouter(prefix="/api", tags=["metadata"])


@router.get("/health")
def health():
    return {"status": "ok", "version": __version__, "training_streams": registry.active}


@router.get("/surfaces")
def list_surfaces():
    return [with_mathml(describe(name, ()), "formula") for name in SURFACES]


@router.get("/optimizers")
def list_optimizers():
    return [with_mathml(spec.describe(), "update_rule") for spec in OPTIMIZERS.values()]


@router.get("/schedules")
def list_schedules():
    return [with_mathml(spec.describe(), "formula") for spec in SCHEDULES.values()]


def _surface_params(request: Request) -> dict:
    """Query parameters other than resolution are the surface's own (e.g. ?condition=100)."""
    params = {}
    for key, value in request.query_params.items():
        if key == "resolution":
            continue
        try:
            number = float(value)
        except ValueError:
            raise unprocessable(["query", key], f"{key} must be a number, got {value!r}") from None
        params[key] = number
    return params


@router.get("/surfaces/{name}/grid", response_model=Grid)
def surface_grid(request: Request, name: SurfaceName = Path(description="a surface from GET /api/surfaces"),
                 resolution: int = Query(100, ge=10, le=400, description="grid points per axis")):
    surface = surface_or_422(name, _surface_params(request), ["query"])
    (x0, x1), (y0, y1) = surface.domain
    x = np.linspace(x0, x1, resolution)
    y = np.linspace(y0, y1, resolution)
    z = surface.f(np.stack(np.meshgrid(x, y), axis=-1))  # z[j][i] = f(x[i], y[j])
    return Grid(x=x.tolist(), y=y.tolist(), z=z.tolist(), z_min=float(z.min()), z_max=float(z.max()))
