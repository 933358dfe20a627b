"""The page's assets: our static folder and plotly.js, compressed once and cached by browsers.

The page loads plotly's cartesian bundle (every 2D trace type it draws: contour, heatmap, scatter,
bar) and fetches the gl3d bundle (surface, scatter3d) the first time a 3D figure is drawn; both
are vendored from the npm registry in static/vendor/plotly/ (see VENDORED.md there). The full
bundle of the installed plotly package stays served for scripts and notebooks that ask for it."""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from ..paths import PLOTLY_JS, STATIC

router = APIRouter(include_in_schema=False)


CACHE_FOR_A_DAY = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}

PLOTLY_BUNDLES: dict[str, Path] = {
    "plotly.min.js": PLOTLY_JS,
    "plotly-cartesian.min.js": STATIC / "vendor" / "plotly" / "plotly-cartesian.min.js",
    "plotly-gl3d.min.js": STATIC / "vendor" / "plotly" / "plotly-gl3d.min.js",
}
# What a page load needs, compressed when a worker starts (app/warmup.py).
PAGE_BUNDLES = ("plotly-cartesian.min.js", "plotly-gl3d.min.js")


@lru_cache(maxsize=len(PLOTLY_BUNDLES))
def gzipped_bundle(name: str) -> bytes:
    # Megabytes of JavaScript compressed once, not once per student: when a whole class opens
    # the link together, per-request compression was most of the server's work.
    return gzip.compress(PLOTLY_BUNDLES[name].read_bytes(), compresslevel=9)


def compress_page_bundles() -> None:
    for name in PAGE_BUNDLES:
        gzipped_bundle(name)


@router.get("/vendor/{name}")
def plotly_js(name: str, request: Request):
    # Offline: from this server, never a CDN. The page asks with ?v=<version>, so a browser
    # may keep a bundle for a day.
    if name not in PLOTLY_BUNDLES:
        raise HTTPException(404, f"no such asset: {name}; served: {', '.join(PLOTLY_BUNDLES)}")
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzipped_bundle(name), media_type="text/javascript",
                        headers={**CACHE_FOR_A_DAY, "Content-Encoding": "gzip"})
    return FileResponse(PLOTLY_BUNDLES[name], media_type="text/javascript", headers=CACHE_FOR_A_DAY)


class RevalidatedStaticFiles(StaticFiles):
    """ES modules import each other without version tags: browsers must revalidate them (a
    cheap 304 thanks to the ETag) so an upgraded server never runs with a stale module."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def static_files() -> StaticFiles:
    return RevalidatedStaticFiles(directory=STATIC)
