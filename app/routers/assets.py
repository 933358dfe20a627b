"""The page's assets: our static folder and plotly.js from the installed plotly package."""
from __future__ import annotations

import gzip
from functools import lru_cache

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from ..paths import PLOTLY_JS, STATIC

router = APIRouter(include_in_schema=False)


CACHE_FOR_A_DAY = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}


@lru_cache(maxsize=1)
def _plotly_gzipped() -> bytes:
    # 4.6 MB of JavaScript compressed once (about 1.4 MB), not once per student: when a whole
    # class opens the link together, per-request compression was most of the server's work.
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=9)


@router.get("/vendor/plotly.min.js")
def plotly_js(request: Request):
    # From the installed package, so the page works with no internet. The page asks for it
    # with ?v=<version>, so a browser may keep it for a day.
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(_plotly_gzipped(), media_type="text/javascript",
                        headers={**CACHE_FOR_A_DAY, "Content-Encoding": "gzip"})
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers=CACHE_FOR_A_DAY)


class RevalidatedStaticFiles(StaticFiles):
    """ES modules import each other without version tags: browsers must revalidate them (a
    cheap 304 thanks to the ETag) so an upgraded server never runs with a stale module."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def static_files() -> StaticFiles:
    return RevalidatedStaticFiles(directory=STATIC)
