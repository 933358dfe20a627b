"""HTTP details every route should get right without thinking about them: HEAD answers wherever
GET does (the same headers, no body), and redirects never echo the Host header a client sent."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

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

        await self.app(scope, receive, send_cleanly)
