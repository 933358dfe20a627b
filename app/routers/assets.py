"""The page's assets: our static folder and plotly.js from the installed plotly package."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from ..paths import PLOTLY_JS, STATIC

router = APIRouter(include_in_schema=False)


@router.get("/vendor/plotly.min.js")
def plotly_js():
    # From the installed package, so the page works with no internet. The page asks for it
    # with ?v=<version>, so a browser may keep it for a day.
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


class RevalidatedStaticFiles(StaticFiles):
    """ES modules import each other without version tags: browsers must revalidate them (a
    cheap 304 thanks to the ETag) so an upgraded server never runs with a stale module."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def static_files() -> StaticFiles:
    return RevalidatedStaticFiles(directory=STATIC)
