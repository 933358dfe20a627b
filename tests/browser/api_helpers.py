"""The tests' own calls to the server's API, beside what the page does."""
import json
import urllib.request


def api(server_url, path, body=None):
    """GET path, or POST body as JSON; the decoded answer (an HTTPError for a 4xx or 5xx)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server_url}{path}", data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def assert_contour_over(contour, domain):
    """The contour drawn over `domain` ((x0, x1), (y0, y1)) as the page shows it at equal aspect:
    one axis spans the domain exactly, the other is the domain widened about its centre to the
    plot box's aspect."""
    (x0, x1), (y0, y1) = domain
    xs, ys = contour["x"], contour["y"]
    exact = [abs(xs[0] - x0) + abs(xs[-1] - x1) <= 1e-9 * (x1 - x0), abs(ys[0] - y0) + abs(ys[-1] - y1) <= 1e-9 * (y1 - y0)]
    assert any(exact), (xs[0], xs[-1], ys[0], ys[-1], domain)
    for (a, b), values in (((x0, x1), xs), ((y0, y1), ys)):
        assert values[0] <= a + 1e-9 and values[-1] >= b - 1e-9, (values[0], values[-1], domain)
        assert abs((values[0] + values[-1]) / 2 - (a + b) / 2) <= 1e-9 * (b - a), (values[0], values[-1], domain)
