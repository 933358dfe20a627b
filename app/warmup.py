"""Work every page load needs, done when a worker starts rather than when the class arrives:
the first requests would otherwise each pay for it while a hundred others wait."""
from __future__ import annotations

from contextlib import asynccontextmanager

from starlette.concurrency import run_in_threadpool

from lessons import DEFAULT_SCENE

PAGE_GRID_RESOLUTION = 160  # the contour the page asks for (GRID_RESOLUTION in trajectories.js)


def warm_up() -> None:
    from . import work_pool
    from .routers import assets, meta, mlp
    from .training_client import supervisor_path
    work_pool.warm_up()  # the long computations' fork server
    supervisor_path()  # the server's training supervisor, or this process's own, with its fork server
    assets.compress_page_bundles()
    for name in ("surfaces", "optimizers", "schedules"):
        meta.registry_json(name).gzipped
    mlp.options_json().gzipped
    meta.grid_json(DEFAULT_SCENE.surface, (), PAGE_GRID_RESOLUTION).gzipped  # the default scene's contour


@asynccontextmanager
async def lifespan(application):
    await run_in_threadpool(warm_up)
    yield
