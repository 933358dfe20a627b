"""The HTML page."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from lessons import LESSONS

from .. import __version__
from ..paths import TEMPLATES

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=TEMPLATES)


# Keys that say how to show a scene, not which scene: /?lesson=ID may carry them along.
_PRESENTATION_KEYS = {"lesson", "present", "controls"}


@router.get("/", response_class=HTMLResponse)
def index(request: Request, lesson: str | None = None):
    # /?lesson=ID becomes the lesson's own link plus lesson=ID, so the page's link reader builds
    # every lesson's scene (one code path for links and lessons). A query that already holds a
    # scene (a copied lesson link, a modified lesson) and an unknown id are served as they are:
    # the page says which lesson it is, or that there is no such lesson.
    if lesson in LESSONS and set(request.query_params) <= _PRESENTATION_KEYS:
        extra = [(key, request.query_params[key]) for key in ("present", "controls") if key in request.query_params]
        query = "&".join([LESSONS[lesson].link, urlencode(extra + [("lesson", lesson)])])
        return RedirectResponse(f"/?{query}", status_code=307)
    return templates.TemplateResponse(request, "index.html", {"version": __version__})
