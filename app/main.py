"""Assembles the application: middleware, routers and static files. Nothing else lives here."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .errors import http_error_handler, validation_error_handler
from .http_hygiene import HttpHygieneMiddleware
from .identity import ClientIdentityMiddleware
from .limits import BodySizeLimitMiddleware
from .routers import assets, lessons, meta, mlp, pages, trajectories
from .security import SecurityHeadersMiddleware
from .settings import settings
from .warmup import lifespan


def create_app(cors_origins: list[str] | None = None) -> FastAPI:
    """cors_origins: origins allowed to call the API from other sites (none by default; `optviz serve
    --cors-origin` puts them in the settings every worker reads)."""
    if cors_origins is None:
        cors_origins = list(settings().cors_origins)
    # FastAPIOffline serves Swagger UI from its package instead of a CDN: /docs works offline too.
    application = FastAPIOffline(
        title="optviz", version=__version__, lifespan=lifespan,
        description="Optimizer trajectories on 2D loss surfaces and a small MLP trainer, for teaching deep learning.")
    # Trajectory answers are long lists of floats: gzip shrinks them about 3x on the wire.
    # Level 1 compresses nearly as well as 9 at a fraction of the CPU.
    application.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)
    application.add_exception_handler(RequestValidationError, validation_error_handler)
    application.add_exception_handler(StarletteHTTPException, http_error_handler)
    if cors_origins:
        # The headers the page itself sends (its per-tab client id, revalidation), so a course
        # site embedding the API can do what the page does; preflights ask for exactly these.
        application.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "HEAD", "POST"],
                                   allow_headers=["content-type", "x-optviz-client", "if-none-match", "last-event-id"],
                                   expose_headers=["etag", "retry-after"])
    application.add_middleware(ClientIdentityMiddleware)
    application.add_middleware(BodySizeLimitMiddleware)
    application.add_middleware(HttpHygieneMiddleware)
    application.add_middleware(SecurityHeadersMiddleware)  # outermost: every response, 413s included
    application.include_router(meta.router)
    application.include_router(trajectories.router)
    application.include_router(mlp.router)
    application.include_router(lessons.router)
    application.include_router(pages.router)
    application.include_router(assets.router)
    application.mount("/static", assets.static_files(), name="static")
    return application


app = create_app()
