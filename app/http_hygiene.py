"""HTTP details every route should get right without thinking about them: HEAD answers wherever
GET does (the same headers, no body), redirects never echo the Host header a client sent, and a
client that leaves in the middle of an answer is one log line, not a traceback."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import anyio

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _relative(location: bytes) -> bytes:
    # Starlette builds trailing-slash redirects from the request's Host header: keep only the
    # path and query, which a browser resolves against the address it actually used.
    parts = urlsplit(location.decode("latin-1"))
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)).encode("latin-1")


class HttpHygieneMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_cleanly(message: Message) -> None:
            if message["type"] == "http.response.start":
                if 300 <= message["status"] < 400:
                    message = {**message, "headers": [(k, _relative(v) if k.lower() == b"location" else v)
                                                      for k, v in message.get("headers", [])]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_cleanly(message)

        try:
            await self.app(scope, receive, send_tracked)
        except BaseExceptionGroup as group:
            # FastAPI's event streams send a keep-alive into a stream the server already closed when
            # the client left: nothing is wrong with the answer, which has started and cannot change.
            _, other = group.split((anyio.BrokenResourceError, anyio.ClosedResourceError))
            if other is not None or not started:
                raise
            LOG.info("%s %s: the client left before the answer ended", scope["method"], scope["path"])


LOG = logging.getLogger("uvicorn.error")
