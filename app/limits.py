"""Refuse oversized request bodies with a 413 that says the limit."""
from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The largest valid request, 10,000 start points at full float precision, is about 450 KiB.
MAX_BODY_BYTES = 640 * 1024


class _TooLarge(BaseException):
    """Not an Exception: FastAPI turns any Exception raised while reading a body into a 400."""


class BodySizeLimitMiddleware:
    """A declared Content-Length over the limit is refused before reading; a body without one
    (chunked) is counted as it arrives and refused as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self._refuse(send)
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body too large: the limit is {self.limit // 1024} KiB"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
