"""GET /api/surfaces/{name}/scene: the scene recomputed for the surface's parameters."""
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from surfaces import SURFACES, make_surface
from surfaces.presets import suggested_learning_rates


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_scene_follows_the_condition_number(client):
    low = client.get("/api/surfaces/canyon/scene", params={"condition": 10}).json()
    high = client.get("/api/surfaces/canyon/scene", params={"condition": 400}).json()
    # SGD's rate is 0.9 of its stability limit 2/κ, whatever κ the slider sets.
    assert low["suggested_lr"]["sgd"] == pytest.approx(1.8 / 10, rel=1e-2)
    assert high["suggested_lr"]["sgd"] == pytest.approx(1.8 / 400, rel=1e-2)
    assert set(low) == {"start", "suggested_lr", "sweep", "stationary_points", "domain"}
    assert low["sweep"]["sgd"]["labels"] == ["too small", "good", "too large"]


def test_scene_is_the_domain_scene_and_surfaces_list_carries_stationary_points(client):
    listed = {s["name"]: s for s in client.get("/api/surfaces").json()}
    for name in SURFACES:
        surface = make_surface(name)
        assert listed[name]["suggested_lr"] == suggested_learning_rates(surface)
        assert len(listed[name]["stationary_points"]) == len(surface.stationary_points())
    answer = client.get("/api/surfaces/quadratic/scene").json()  # a whole scene costs ~60 runs: one here
    assert answer["start"] == listed["quadratic"]["start"]
    assert answer["suggested_lr"] == listed["quadratic"]["suggested_lr"]
    assert answer["stationary_points"] == listed["quadratic"]["stationary_points"]
    assert {"sgd", "momentum", "adam"} <= set(answer["sweep"])


@pytest.mark.parametrize("query, field", [({"condition": 0.5}, "condition"), ({"kappa": 3}, "kappa"),
                                          ({"condition": "big"}, "condition")])
def test_bad_scene_parameters_are_422_naming_the_field(client, query, field):
    response = client.get("/api/surfaces/canyon/scene", params=query)
    assert response.status_code == 422 and field in response.text


def test_unknown_surface_scene_is_422(client):
    assert client.get("/api/surfaces/bowl/scene").status_code == 422
