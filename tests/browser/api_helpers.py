"""The tests' own calls to the server's API, beside what the page does."""
import json
import urllib.request


def api(server_url, path, body=None):
    """GET path, or POST body as JSON; the decoded answer (an HTTPError for a 4xx or 5xx)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{server_url}{path}", data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())
