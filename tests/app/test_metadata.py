import numpy as np
import pytest

from optimizers import FIRST_ORDER
from surfaces import SURFACES, make_surface

from .helpers import assert_finite_json, first_error


def test_health(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["version"]


def test_surfaces_list_everything_the_ui_needs(client):
    response = client.get("/api/surfaces")
    assert_finite_json(response)
    surfaces = response.json()
    assert [s["name"] for s in surfaces] == list(SURFACES)
    canyon = next(s for s in surfaces if s["name"] == "canyon")
    assert canyon["minima"][0]["point"] == [0.0, 0.0]
    assert {p["name"] for p in canyon["parameters"]} == {"condition", "angle"}
    assert canyon["formula_mathml"].startswith("<math")
    saddle = next(s for s in surfaces if s["name"] == "saddle")
    assert saddle["saddles"] == [[0.0, 0.0]]
    assert next(s for s in surfaces if s["name"] == "rosenbrock")["log_colour"] is True


def test_optimizers_carry_schemas_and_rendered_rules(client):
    optimizers = client.get("/api/optimizers").json()
    names = [o["name"] for o in optimizers]
    assert [n for n in names if n in FIRST_ORDER] == list(FIRST_ORDER) and "newton" in names
    adam = next(o for o in optimizers if o["name"] == "adam")
    betas = next(h for h in adam["hyperparameters"] if h["name"] == "betas")
    assert betas["default"] == [0.9, 0.999] and betas["kind"] == "pair"
    assert all(m.startswith("<math") and "<mfrac>" in "".join(adam["update_rule_mathml"])
               for m in adam["update_rule_mathml"])
    lr = next(h for h in adam["hyperparameters"] if h["name"] == "lr")
    assert lr["log"] is True and lr["default"] == 0.001


def test_schedules(client):
    schedules = client.get("/api/schedules").json()
    assert {s["name"] for s in schedules} >= {"constant", "inverse_time", "inverse_sqrt", "exponential", "power",
                                             "step", "linear", "cosine"}
    for schedule in schedules:
        assert any(h["name"] == "warmup_steps" for h in schedule["hyperparameters"])
        assert schedule["formula_mathml"].startswith("<math")


def test_grid_orientation_is_z_j_i(client):
    body = client.get("/api/surfaces/rosenbrock/grid?resolution=12").json()
    assert len(body["x"]) == len(body["y"]) == 12 and len(body["z"]) == 12
    surface = make_surface("rosenbrock")
    i, j = 3, 8
    assert np.isclose(body["z"][j][i], surface.f(np.array([body["x"][i], body["y"][j]])), rtol=1e-5)
    assert body["x"][0] == -2.0 and body["y"][-1] == 3.0
    # z carries 6 significant digits for display; z_min is exact
    assert body["z_min"] == pytest.approx(min(min(row) for row in body["z"]), rel=1e-6)


def test_grid_with_surface_parameters(client):
    plain = client.get("/api/surfaces/canyon/grid?resolution=10").json()
    steep = client.get("/api/surfaces/canyon/grid?resolution=10&condition=400").json()
    assert steep["z_max"] > plain["z_max"]


@pytest.mark.parametrize("name", SURFACES)
def test_every_grid_is_finite(client, name):
    response = client.get(f"/api/surfaces/{name}/grid?resolution=60")
    assert response.status_code == 200
    assert_finite_json(response)


@pytest.mark.parametrize("query, field, text", [
    ("resolution=9", "resolution", "greater than or equal to 10"),
    ("resolution=401", "resolution", "less than or equal to 400"),
    ("resolution=abc", "resolution", "valid integer"),
    ("condition=0.5", "query", "Invalid condition number: 0.5"),
    ("kappa=2", "query", "Unknown hyperparameter 'kappa' for surface canyon; valid: condition, angle"),
    ("condition=big", "condition", "condition must be a number"),
])
def test_bad_grid_queries(client, query, field, text):
    response = client.get(f"/api/surfaces/canyon/grid?{query}")
    assert response.status_code == 422
    error = first_error(response)
    assert field in error["loc"] and text in error["msg"]


def test_unknown_surface_lists_valid_names(client):
    response = client.get("/api/surfaces/bowl/grid")
    assert response.status_code == 422
    assert "'canyon'" in first_error(response)["msg"] and "'rosenbrock'" in first_error(response)["msg"]


def test_page_says_what_optviz_is_and_links_the_api_docs(client):
    page = client.get("/")
    assert page.status_code == 200 and "optviz" in page.text and "/docs" in page.text


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/health", "/api/surfaces", "/api/surfaces/{name}/grid", "/api/optimizers", "/api/schedules",
            "/api/trajectories"} <= set(paths)


def test_plotly_is_served_locally(client):
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200 and "plotly" in response.text[:2000].lower()


def test_metadata_carries_an_etag_and_revalidates(client):
    first = client.get("/api/optimizers")
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get("/api/optimizers", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    grid = client.get("/api/surfaces/canyon/grid?resolution=20")
    assert client.get("/api/surfaces/canyon/grid?resolution=20",
                      headers={"if-none-match": grid.headers["etag"]}).status_code == 304
    other = client.get("/api/surfaces/canyon/grid?resolution=21")
    assert other.headers["etag"] != grid.headers["etag"]


def test_static_modules_revalidate_and_plotly_is_cached(client):
    module = client.get("/static/js/main.js")
    assert module.status_code == 200 and module.headers["cache-control"] == "no-cache" and module.headers["etag"]
    assert client.get("/vendor/plotly.min.js").headers["cache-control"] == "public, max-age=86400"


def test_plotly_is_compressed_once_and_served_as_gzip(client):
    import gzip

    from app.paths import PLOTLY_JS
    response = client.get("/vendor/plotly.min.js", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == PLOTLY_JS.read_bytes()  # httpx decoded it: the same file
    raw = client.get("/vendor/plotly.min.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers and raw.content == PLOTLY_JS.read_bytes()
    assert len(gzip.compress(PLOTLY_JS.read_bytes())) < 0.4 * len(raw.content)


def test_a_grid_of_a_data_surface_is_bounded_by_its_cost(client):
    """Each grid point of linear regression reads every sample: 400x400 over 1000 samples would
    take seconds and hold 160 million numbers; refused with the largest resolution that fits."""
    response = client.get("/api/surfaces/linear_regression/grid?resolution=400&samples=1000")
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert "the limit is 2.5 s" in message and "at most" in message
    largest = int(message.rsplit("at most ", 1)[1])
    assert client.get(f"/api/surfaces/linear_regression/grid?resolution={largest}&samples=1000").status_code == 200
    assert client.get("/api/surfaces/canyon/grid?resolution=400").status_code == 200


def test_the_grid_cache_is_bounded_in_bytes(client, monkeypatch):
    from app.routers.meta import _grids
    monkeypatch.setattr(_grids, "max_bytes", 4 * 1024 * 1024)  # a few grids' worth, so the test is quick
    asked, condition = 0, 2.0
    while asked < 1.5 * _grids.max_bytes:  # more distinct grids than fit
        response = client.get(f"/api/surfaces/canyon/grid?resolution=200&condition={condition}")
        assert response.status_code == 200
        asked += len(response.content)
        condition += 1.0
    assert 0 < _grids.size <= _grids.max_bytes
    assert len(_grids._entries) < condition - 2.0  # the oldest grids were evicted


def test_every_served_parameter_has_a_human_title(client):
    """A control's label is its schema's title: "data seed", not the code name "data_seed"."""
    served = [(f"surface {s['name']}", p) for s in client.get("/api/surfaces").json() for p in s["parameters"]]
    served += [(f"optimizer {o['name']}", h) for o in client.get("/api/optimizers").json() for h in o["hyperparameters"]]
    served += [(f"schedule {s['name']}", h) for s in client.get("/api/schedules").json() for h in s["hyperparameters"]]
    untitled = [(where, p["name"]) for where, p in served
                if p["title"] == p["name"] and not p["name"].isalpha()]  # a plain word may be its own title
    assert untitled == []
    assert len(served) > 60


def test_the_page_loads_the_cartesian_bundle_and_not_the_full_one(client):
    page = client.get("/").text
    assert "/vendor/plotly-cartesian.min.js" in page and 'data-gl3d="/vendor/plotly-gl3d.min.js' in page
    assert "/vendor/plotly.min.js" not in page


def test_plotly_bundles_match_the_installed_plotly_and_are_served_gzipped(client):
    import gzip
    import re

    from plotly.offline import get_plotlyjs_version

    from app.paths import STATIC
    for name, kind in (("plotly-cartesian.min.js", "cartesian"), ("plotly-gl3d.min.js", "gl3d")):
        source = (STATIC / "vendor" / "plotly" / name).read_bytes()
        banner = re.search(rb"plotly\.js \((\w+) - minified\) v([\d.]+)", source[:400])
        assert banner and banner.group(1).decode() == kind and banner.group(2).decode() == get_plotlyjs_version()
        zipped = client.get(f"/vendor/{name}", headers={"accept-encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.content == source
        assert zipped.headers["cache-control"] == "public, max-age=86400"
        assert len(gzip.compress(source)) < 0.4 * len(source)
    assert client.get("/vendor/nothing.js").status_code == 404


def test_a_grid_covers_the_view_it_is_asked_for(client):
    """The page's equal-aspect plot shows more than the domain along one axis: the grid covers
    that view, each point still f(x[i], y[j])."""
    body = client.get("/api/surfaces/plateau/grid?resolution=20&view=-8,8,-4,4").json()
    assert body["x"][0] == -8.0 and body["x"][-1] == 8.0 and body["y"][0] == -4.0 and body["y"][-1] == 4.0
    surface = make_surface("plateau")
    i, j = 1, 13
    assert np.isclose(body["z"][j][i], surface.f(np.array([body["x"][i], body["y"][j]])), rtol=1e-5)
    domain = client.get("/api/surfaces/plateau/grid?resolution=20").json()
    assert domain["x"][0] == surface.domain[0][0] and domain["x"][-1] == surface.domain[0][1]


def test_a_typed_formula_and_your_own_data_take_a_view(client):
    typed = client.get("/api/surfaces/custom/grid?formula=x^2%2By^2&domain=-1,1,-1,1&resolution=11&view=-3,3,-1,1").json()
    assert typed["x"][0] == -3.0 and typed["z"][5][0] == pytest.approx(9.0)
    data = {"data": [[0.0, 1.0], [1.0, 3.0], [2.0, 5.0]]}
    mine = client.post("/api/surfaces/linear_regression/data/grid?resolution=10&view=-10,10,-5,5", json=data)
    assert mine.status_code == 200 and mine.json()["x"][0] == -10.0 and mine.json()["y"][-1] == 5.0


@pytest.mark.parametrize("view, text", [
    # the schema's pattern: four numbers as JavaScript writes them (no nan, no inf)
    ("1,2,3", "should match pattern"),
    ("a,b,c,d", "should match pattern"),
    ("nan,1,0,1", "should match pattern"),
    ("-inf,1,0,1", "should match pattern"),
    ("2,1,0,1", "x_min < x_max"),
    ("0,1,1,1", "y_min < y_max"),
    ("-1000,1000,-4,4", "too far from the surface's domain"),
    ("0,1,1e300,1e301", "too far from the surface's domain"),
])
def test_bad_views_are_refused_naming_the_field(client, view, text):
    for response in (client.get(f"/api/surfaces/plateau/grid?view={view}"),
                     client.get(f"/api/surfaces/custom/grid?formula=x*y&view={view}"),
                     client.post(f"/api/surfaces/linear_regression/data/grid?view={view}",
                                 json={"data": [[0.0, 1.0], [1.0, 3.0]]})):
        assert response.status_code == 422, (view, response.text)
        error = first_error(response)
        assert error["loc"] == ["query", "view"] and text in error["msg"], error


def test_the_served_view_bound_is_the_one_the_grid_enforces(client):
    # The page widens its view up to GET /api/limits' grid.max_view_spans (plots.js viewLimit):
    # a view reaching exactly that far is accepted, a hair farther is refused.
    spans = client.get("/api/limits").json()["grid"]["max_view_spans"]
    (x0, x1), _ = make_surface("plateau").domain
    half = spans / 2
    edge = (x0 + x1) / 2 + half * (x1 - x0)
    assert client.get(f"/api/surfaces/plateau/grid?resolution=10&view={x0},{edge},-4,4").status_code == 200
    beyond = edge * (1 + 1e-9)
    refused = client.get(f"/api/surfaces/plateau/grid?resolution=10&view=-4,{beyond},-4,4")
    assert refused.status_code == 422 and first_error(refused)["loc"] == ["query", "view"]
