"""Security headers on every response, and CORS only when asked for."""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The app's pages: scripts from this server only, no inline script, no eval (so no WebGL trace
# type that compiles shaders with new Function: the page uses SVG scatter plots). Styles from
# this server, plus the inline ones plotly.js writes at run time: it injects its own stylesheet
# and sets style attributes while drawing, and breaks without them. Exports use data:/blob: URLs.
APP_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
              "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
              "form-action 'self'; frame-ancestors 'none'")
# Swagger UI's page starts itself with an inline script; it holds no user data.
DOCS_POLICY = APP_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
DOCS_PATHS = ("/docs", "/redoc")

COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
# Browsers honour Cross-Origin-Opener-Policy only from a potentially trustworthy origin (https,
# localhost, loopback addresses); from a student's http://<laptop's address> they ignore it and
# print an error in the console. It is sent where it counts.
OPENER_POLICY = (b"cross-origin-opener-policy", b"same-origin")
LOOPBACK_HOSTS = ("localhost", "127.", "[::1]")


def trustworthy_origin(scope: Scope) -> bool:
    if scope.get("scheme") in ("https", "wss"):
        return True
    host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "").lower()
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[: host.find("]") + 1]
    return name == "localhost" or name.endswith(".localhost") or name.startswith(LOOPBACK_HOSTS)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = DOCS_POLICY if scope["path"].startswith(DOCS_PATHS) else APP_POLICY
        common = COMMON_HEADERS + [OPENER_POLICY] if trustworthy_origin(scope) else COMMON_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += common + [(b"content-security-policy", policy.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
