"""GET /api/optimizers/{name}/rule: the rule for the options that are on, or a 422 naming the field."""
from fastapi.testclient import TestClient

from app.main import create_app

client = TestClient(create_app())


def test_rule_follows_the_options_and_comes_as_latex_and_mathml():
    plain = client.get("/api/optimizers/sgd/rule").json()
    nesterov = client.get("/api/optimizers/sgd/rule?momentum=0.9&nesterov=true&weight_decay=0.01").json()
    assert plain["latex"] == [r"\theta_t = \theta_{t-1} - \eta\, g_t"]
    assert any(r"g_t + \mu v_t" in line for line in nesterov["latex"])
    assert any(r"\lambda\, \theta_{t-1}" in line for line in nesterov["latex"])
    assert len(nesterov["mathml"]) == len(nesterov["latex"]) and nesterov["mathml"][0].startswith("<math")


def test_bad_rule_requests_are_422_naming_the_field():
    cases = {"/api/optimizers/sgd/rule?momentum=1": ["query", "momentum"],
             "/api/optimizers/sgd/rule?bogus=1": ["query", "bogus"],
             "/api/optimizers/rmsprop/rule?centered=maybe": ["query", "centered"],
             "/api/optimizers/adam/rule?betas=0.9": ["query", "betas"],
             "/api/optimizers/sgd/rule?lr=nan": ["query", "lr"],
             "/api/optimizers/sgd/rule?nesterov=true": ["query"],
             "/api/optimizers/nope/rule": ["path", "name"]}
    for url, location in cases.items():
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["detail"][0]["loc"] == location, url
