"""Error responses: domain ValueErrors and request validation both answer 422 in
FastAPI's shape ({"detail": [{"loc", "msg", "type"}]}), and never echo a value that
JSON cannot carry."""
from __future__ import annotations

import math

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def unprocessable(location: list, message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=[{"loc": location, "msg": message, "type": "value_error"}])


def _json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)[:200]


async def validation_error_handler(request: Request, error: RequestValidationError) -> JSONResponse:
    # The default handler echoes the offending input, which may be NaN (json.loads accepts
    # it) and would make the error response itself fail to serialize.
    details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", ""),
                "input": _json_safe(e.get("input"))} for e in error.errors()]
    return JSONResponse(status_code=422, content={"detail": details})

