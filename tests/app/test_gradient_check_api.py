"""GET /api/surfaces/{name}/gradient_check: the step inspector's numerical gradient."""
import math

import pytest


def test_answers_both_gradients_with_its_step(client):
    # f = ½(x² + 4y²): ∇f(−2.5, 2) = (−2.5, 8), by hand.
    body = client.get("/api/surfaces/quadratic/gradient_check?x=-2.5&y=2").json()
    assert body["h"] == 1e-4 and body["point"] == [-2.5, 2.0]
    assert body["analytic"] == pytest.approx([-2.5, 8.0], rel=1e-12)
    assert body["numerical"] == pytest.approx([-2.5, 8.0], rel=1e-8)
    assert 0 <= body["relative_error"] < 1e-8


def test_surface_parameters_and_h_are_honoured(client):
    # canyon f = ½(x² + κy²): at (1, 1) with κ = 100 the y-slope is 100.
    body = client.get("/api/surfaces/canyon/gradient_check?x=1&y=1&condition=100&h=0.01").json()
    assert body["h"] == 0.01
    assert body["analytic"][1] == pytest.approx(100.0)
    assert body["numerical"][1] == pytest.approx(100.0, rel=1e-9)


@pytest.mark.parametrize("query, field", [
    ("x=1", "y"), ("x=nan&y=0", "x"), ("x=1&y=2e7", "y"), ("x=1&y=1&h=0", "h"), ("x=1&y=1&h=-1", "h"),
    ("x=1&y=1&condition=abc", "condition"), ("x=1e200&y=0", "x"),
    # found by the fuzz test: the rounding estimate 2.2e-16·|f| / h overflowed at h = 5e-324 (a 500)
    ("x=-1000000&y=-1000000&h=5e-324", "h"), ("x=1&y=1&h=1e-13", "h"),
])
def test_bad_input_is_a_422_naming_the_field(client, query, field):
    response = client.get(f"/api/surfaces/rosenbrock/gradient_check?{query}")
    if field == "condition":
        response = client.get(f"/api/surfaces/canyon/gradient_check?{query}")
    assert response.status_code == 422
    assert field in str(response.json()["detail"][0]["loc"])


def test_far_points_are_refused_not_answered_with_infinity(client):
    response = client.get("/api/surfaces/rosenbrock/gradient_check?x=1e6&y=-1e6")
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert all(math.isfinite(v) for v in response.json()["numerical"] + response.json()["analytic"])


def test_unknown_surface_is_a_422(client):
    response = client.get("/api/surfaces/nope/gradient_check?x=0&y=0")
    assert response.status_code == 422
