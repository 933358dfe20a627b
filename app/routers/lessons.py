"""GET /api/lessons: the lecture's sequence of annotated scenes, in order."""
from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request

from lessons import LESSONS

from ..responses import METADATA_MAX_AGE, json_response, to_json

router = APIRouter(prefix="/api", tags=["lessons"])


@lru_cache(maxsize=None)
def _serialized() -> bytes:
    return to_json([lesson.describe() for lesson in LESSONS.values()])


@router.get("/lessons")
def list_lessons(request: Request):
    """Every lesson in lecture order: id, title, topic, tab ("paths" or "mlp"), narrative, what to
    notice, an optional next step to try, and the scene as a link query (open it as /?lesson=ID)."""
    return json_response(request, _serialized(), METADATA_MAX_AGE)
