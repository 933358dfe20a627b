"""Who is asking for a training: an identity the server issues, bound to the client's address.

A header the client sets could be rotated at will to multiply one laptop's share. Instead the
server hands each browser a signed cookie (HMAC over a random id and the address); a missing,
forged or foreign cookie gets a new one, and new ones per address are rate-limited, so a script
that throws its cookie away is soon sharing the address's anonymous identity. The address itself
comes from the connection (or from X-Forwarded-For, which uvicorn only trusts from loopback).
A class behind one NAT address still gets an identity per browser, up to the issuing rate.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import settings

COOKIE = "optviz_client"
ISSUE_BURST = 240  # a whole lecture hall opening the link at once
ISSUE_PER_SECOND = 2.0
_TRACKED_ADDRESSES = 10_000


def _signature(identity: str, address: str) -> str:
    return hmac.new(settings().secret.encode(), f"{identity}|{address}".encode(), hashlib.sha256).hexdigest()[:24]


def verify(cookie: str, address: str) -> str | None:
    identity, _, signature = cookie.partition(".")
    if len(identity) == 16 and hmac.compare_digest(signature, _signature(identity, address)):
        return identity
    return None


class _IssuingRate:
    """A token bucket per address (per worker: a few workers multiply the burst, not the share)."""

    def __init__(self):
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, then = self._buckets.get(address, (ISSUE_BURST, now))
            tokens = min(ISSUE_BURST, tokens + (now - then) * ISSUE_PER_SECOND)
            if len(self._buckets) > _TRACKED_ADDRESSES:
                self._buckets.clear()  # memory stays bounded; forgetting only refills buckets
            allowed = tokens >= 1
            self._buckets[address] = (tokens - 1 if allowed else tokens, now)
            return allowed


_issuing = _IssuingRate()


def _cookie_of(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, content = part.strip().partition("=")
                if name == COOKIE:
                    return content
    return ""


class ClientIdentityMiddleware:
    """Sets scope["state"]["client"] = (identity, address) for the training endpoints."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/mlp/"):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        address = scope["client"][0] if scope.get("client") else "unknown"
        identity = verify(_cookie_of(scope), address)
        issued = None
        if identity is None:
            if _issuing.allow(address):
                identity = secrets.token_hex(8)
                issued = f"{identity}.{_signature(identity, address)}"
            else:
                identity = "anonymous"
        scope.setdefault("state", {})["client"] = (f"{address}/{identity}", address)

        async def send_with_cookie(message: Message) -> None:
            if issued and message["type"] == "http.response.start":
                cookie = f"{COOKIE}={issued}; Path=/api/mlp; HttpOnly; SameSite=Strict; Max-Age=86400"
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
