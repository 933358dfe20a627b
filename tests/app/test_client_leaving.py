"""A client that leaves in the middle of an event stream: FastAPI's keep-alive then sends into a
stream the server has closed, and the task group raises BrokenResourceError. The answer had
started and cannot change, so it is one log line, never a traceback; anything else still raises."""
import asyncio
import logging

import anyio
import pytest

from app.http_hygiene import HttpHygieneMiddleware


def run(app):
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/mlp/train", "headers": []}
    asyncio.run(HttpHygieneMiddleware(app)(scope, receive, send))
    return sent


def test_a_client_leaving_a_started_stream_is_one_log_line(caplog):
    async def stream(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise BaseExceptionGroup("unhandled errors in a TaskGroup", [anyio.BrokenResourceError()])

    with caplog.at_level(logging.INFO, logger="uvicorn.error"):
        sent = run(stream)
    assert sent[0]["status"] == 200
    assert [r.getMessage() for r in caplog.records] == ["POST /api/mlp/train: the client left before the answer ended"]


def test_other_errors_and_errors_before_the_answer_still_raise():
    async def before(scope, receive, send):
        raise BaseExceptionGroup("boom", [anyio.BrokenResourceError()])

    async def other(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise BaseExceptionGroup("boom", [anyio.BrokenResourceError(), ValueError("a real bug")])

    for app in (before, other):
        with pytest.raises(BaseExceptionGroup):
            run(app)
