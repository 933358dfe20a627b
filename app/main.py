"""Assembles the application: routers, static files, plotly.js. Nothing else lives here."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from . import __version__
from .errors import validation_error_handler
from .paths import PLOTLY_JS, STATIC
from .routers import meta, mlp, pages, trajectories


def create_app() -> FastAPI:
    application = FastAPI(
        title="optviz", version=__version__,
        description="Optimizer trajectories on 2D loss surfaces and a small MLP trainer, for teaching deep learning.")
    # Trajectory answers are long lists of floats: gzip shrinks them about 3x on the wire.
    # Level 1 compresses nearly as well as 9 at a fraction of the CPU.
    application.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)
    application.add_exception_handler(RequestValidationError, validation_error_handler)
    application.include_router(meta.router)
    application.include_router(trajectories.router)
    application.include_router(mlp.router)
    application.include_router(pages.router)

    @application.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js():
        # Served from the installed plotly package: the page works with no internet.
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    application.mount("/static", StaticFiles(directory=STATIC), name="static")
    return application


app = create_app()
