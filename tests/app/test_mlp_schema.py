"""GET /api/mlp/options serves the configuration schema the page builds its form and links from:
every bound it states is exactly the edge of what POST /api/mlp/run accepts."""
import pytest

from app.mlp_schemas import MlpConfig

from .helpers import first_error

BASE = {"samples": 200, "epochs": 1}


@pytest.fixture(scope="module")
def options(client):
    return client.get("/api/mlp/options").json()


def fields(options, *kinds):
    return [f for f in options["schema"] if f["kind"] in kinds]


def test_schema_covers_every_field_with_its_default(options):
    schema = {f["name"]: f for f in options["schema"]}
    assert set(schema) == set(options["defaults"])
    for name, value in options["defaults"].items():
        assert schema[name]["default"] == value
        assert schema[name]["group"] in {"data", "network", "training"}
        assert schema[name]["title"] and "_" not in schema[name]["title"]


def test_numeric_bounds_are_the_edges_the_api_accepts(client, options):
    numbers = fields(options, "int", "float")
    assert {"samples", "epochs", "batch_size", "dropout", "patience"} <= {f["name"] for f in numbers}
    for field in numbers:
        step = 1 if field["kind"] == "int" else 1e-9
        for inside in (field["minimum"], field["maximum"]):
            MlpConfig(**{**BASE, field["name"]: inside})  # accepted by the request model
        for outside in (field["minimum"] - step, field["maximum"] + step):
            response = client.post("/api/mlp/run", json={"configs": [{**BASE, field["name"]: outside}]})
            assert response.status_code == 422, (field["name"], outside)
            assert first_error(response)["loc"][-1] == field["name"]


def test_units_bounds_are_the_edges_the_api_accepts(client, options):
    (hidden,) = fields(options, "units")
    MlpConfig(**{**BASE, "hidden": [hidden["maximum"]] * hidden["max_length"]})
    MlpConfig(**{**BASE, "hidden": [hidden["minimum"], 100, 37]})  # any integer in range, not only powers of two
    for bad in ([hidden["maximum"] + 1], [hidden["minimum"] - 1], [8] * (hidden["max_length"] + 1)):
        response = client.post("/api/mlp/run", json={"configs": [{**BASE, "hidden": bad}]})
        assert response.status_code == 422 and "hidden" in first_error(response)["loc"]


def test_choices_are_exactly_the_accepted_names(client, options):
    for field in fields(options, "choice"):
        for value in field["allowed"]:
            MlpConfig(**{**BASE, field["name"]: value})
        response = client.post("/api/mlp/run", json={"configs": [{**BASE, field["name"]: "no-such-name"}]})
        assert response.status_code == 422 and first_error(response)["loc"][-1] == field["name"]
        if "registry" in field and field["registry"] in options:
            assert [item["name"] for item in options[field["registry"]]] == field["allowed"]


def test_comparison_size_is_the_limit_the_api_enforces(client, options):
    limit = options["max_configs"]
    response = client.post("/api/mlp/run", json={"configs": [BASE] * (limit + 1)})
    assert response.status_code == 422 and first_error(response)["loc"][-1] == "configs"
