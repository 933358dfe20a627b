"""Error responses: domain ValueErrors and request validation both answer 422 in
FastAPI's shape ({"detail": [{"loc", "msg", "type"}]}), and never echo a value that
JSON cannot carry."""
from __future__ import annotations

import json
import math

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class AsciiJSONResponse(JSONResponse):
    """Error answers echo what the client sent; \\u-escaping every non-ASCII character keeps a
    lone surrogate (valid in JSON text, not in UTF-8) from turning a 422 into a 500."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


# Answers the POST endpoints give besides 200 and 422, declared so the schema tells the truth.
REFUSALS = {400: {"description": "the body is not valid JSON text"},
            413: {"description": "the body is larger than the server accepts"},
            429: {"description": "this client or the server has as many trainings or long computations as it "
                               "may run; see Retry-After"}}


def unprocessable(location: list, message: str, context: dict | None = None) -> HTTPException:
    """A 422 in FastAPI's shape; `context` (its "ctx") carries machine-readable details, such as
    the 0-based position of a bad formula's offending character."""
    detail = {"loc": location, "msg": message, "type": "value_error"} | ({"ctx": context} if context else {})
    return HTTPException(status_code=422, detail=[detail])


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
    return AsciiJSONResponse(status_code=422, content={"detail": details})


async def http_error_handler(request: Request, error: StarletteHTTPException):
    headers = getattr(error, "headers", None)
    if error.status_code in (204, 304) or error.status_code < 200:
        return JSONResponse(status_code=error.status_code, content=None, headers=headers)
    return AsciiJSONResponse(status_code=error.status_code, content={"detail": error.detail}, headers=headers)

