"""Security headers on every response, static files confined to their folder, CORS only on request."""
import http.client
import re
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.mark.parametrize("method, path, body, status", [
    ("GET", "/", None, 200),
    ("GET", "/static/js/main.js", None, 200),
    ("GET", "/vendor/plotly.min.js", None, 200),
    ("GET", "/api/health", None, 200),
    ("GET", "/api/surfaces", None, 200),
    ("GET", "/api/nothing-here", None, 404),
    ("POST", "/api/trajectories", {"surface": "nope"}, 422),
    ("POST", "/api/trajectories", "x" * (700 * 1024), 413),
    ("GET", "/docs", None, 200),
])
def test_every_response_carries_the_security_headers(client, method, path, body, status):
    kwargs = {"content": body} if isinstance(body, str) else {"json": body} if body else {}
    response = client.request(method, path, **kwargs)
    assert response.status_code == status
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-eval'" not in script and "http" not in script
    if not path.startswith("/docs"):
        assert script.strip() == "script-src 'self'"  # no inline script anywhere in the app
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("base_url, sent", [
    ("http://127.0.0.1:8000", True), ("http://localhost:8000", True), ("http://[::1]:8000", True),
    ("https://optviz.example.org", True),
    # A student's browser at the lecturer's http://<address>: browsers ignore the header from such an
    # origin and log an error in the console (tests/browser/test_classroom_network.py).
    ("http://192.168.1.20:8000", False), ("http://lecture-room.test:8000", False),
])
def test_the_opener_policy_is_sent_only_to_origins_that_honour_it(base_url, sent):
    with TestClient(create_app(), base_url=base_url) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert (response.headers.get("cross-origin-opener-policy") == "same-origin") is sent
    assert response.headers["x-frame-options"] == "DENY"


def test_the_page_has_no_inline_script_or_external_resource(client):
    page = client.get("/").text
    assert "<script>" not in page  # every script has a src
    # no inline event handler attribute (onclick=...): words like "on the clipboard" in a tooltip are text
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)
    for marker in ("http://", "https://", "//cdn"):
        assert marker not in page


def raw_get(server_url, path):
    """http.client sends the path exactly as given (no normalisation of .. or %2e)."""
    location = urlparse(server_url)
    connection = http.client.HTTPConnection(location.hostname, location.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("path", [
    "/static/../app/main.py",
    "/static/../../etc/passwd",
    "/static/%2e%2e/app/main.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2fapp%2fmain.py",
    "/static/%2e%2e%2fapp%2fmain.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/css/../../pyproject.toml",
    "/static/....//....//etc/passwd",
])
def test_static_files_cannot_escape_their_folder(server_url, path):
    status, body = raw_get(server_url, path)
    assert status in (400, 404)
    assert b"root:" not in body and b"create_app" not in body and b"[project]" not in body


def test_cors_is_off_by_default(client):
    response = client.get("/api/health", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/trajectories", headers={"origin": "https://evil.example",
                                                             "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_a_named_origin():
    client = TestClient(create_app(cors_origins=["https://course.example.org"]))
    allowed = client.get("/api/health", headers={"origin": "https://course.example.org"})
    assert allowed.headers["access-control-allow-origin"] == "https://course.example.org"
    other = client.get("/api/health", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cli_passes_its_settings_to_the_workers_and_guards_connections(monkeypatch):
    import os

    import uvicorn

    from app import cli
    from app.settings import Settings
    seen = {}

    def fake_run(target, **options):
        seen.update(options, target=target, environment=dict(os.environ))
        # the supervisor is up while the server runs
        import socket
        with socket.socket(socket.AF_UNIX) as probe:
            probe.connect(os.environ["OPTVIZ_SUPERVISOR"])

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if not k.startswith("OPTVIZ_")})
    cli.main(["serve", "--port", "9999", "--workers", "3", "--cors-origin", "https://a.example",
              "--cors-origin", "https://b.example", "--training-slots", "5"])
    shared = Settings.from_environment(seen["environment"])
    assert shared.cors_origins == ("https://a.example", "https://b.example")
    assert shared.training_slots == 5 and len(shared.secret) == 32 and shared.supervisor
    assert seen["workers"] == 3 and seen["port"] == 9999 and seen["target"] == "app.main:app"
    assert seen["http"] == "app.connections:GuardedH11Protocol"


def test_cors_preflight_allows_the_headers_the_page_sends():
    client = TestClient(create_app(cors_origins=["https://course.example.org"]))
    preflight = client.options("/api/mlp/train", headers={
        "origin": "https://course.example.org", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-optviz-client"})
    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "x-optviz-client" in allowed and "content-type" in allowed
    refused = client.options("/api/mlp/train", headers={
        "origin": "https://evil.example", "access-control-request-method": "POST",
        "access-control-request-headers": "x-optviz-client"})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


def test_redirects_do_not_echo_the_host_header(client):
    response = client.get("/api/surfaces/", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (301, 307, 308)
    assert response.headers["location"] == "/api/surfaces"


@pytest.mark.parametrize("path", ["/", "/api/health", "/api/surfaces", "/api/optimizers", "/api/mlp/options",
                                  "/api/surfaces/canyon/grid?resolution=20", "/static/js/main.js"])
def test_head_answers_wherever_get_does(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-security-policy"]
