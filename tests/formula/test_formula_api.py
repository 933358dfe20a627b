"""GET /api/formula: what the page's formula box needs (limits, examples) and its live check."""
import urllib.parse

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from surfaces.formula import MAX_LENGTH, FormulaError, parse

client = TestClient(create_app())


def test_capabilities_name_the_typed_surface_and_offer_examples_that_draw():
    answer = client.get("/api/formula").json()
    assert answer["name"] == "custom" and answer["max_length"] == MAX_LENGTH
    assert {"Rosenbrock", "Himmelblau", "saddle"} <= {e["name"] for e in answer["examples"]}
    for example in answer["examples"]:
        grid = client.get("/api/surfaces/custom/grid?resolution=10&formula=" + urllib.parse.quote(example["formula"]))
        assert grid.status_code == 200, example


def test_a_valid_formula_answers_its_latex_mathml_domain_and_start():
    answer = client.get("/api/formula?" + urllib.parse.urlencode({"formula": "x^2 - y^2", "domain": "-2,2,-1,1"})).json()
    assert answer["formula"] == "x^{2} - y^{2}" and answer["formula_mathml"].startswith("<math")
    assert answer["domain"] == [[-2, 2], [-1, 1]] and answer["start"] == [-1.2, 0.6]


@pytest.mark.parametrize("formula", ["x +* y", "sin(x", "x + zed", "x $ y", "x^11", "3 + 4", ""])
def test_a_bad_formula_is_a_422_with_the_position_of_the_offending_character(formula):
    try:
        parse(formula)
        expected = 0  # parses, but refused after: "must depend on x or y"
    except FormulaError as error:
        expected = error.position
    for response in (client.get("/api/formula?formula=" + urllib.parse.quote(formula)),
                     client.post("/api/trajectories", json={"surface": "custom", "formula": formula,
                                                            "runs": [{"optimizer": "sgd"}]})):
        assert response.status_code == 422
        detail = response.json()["detail"][0]
        if formula == "":  # the request schema refuses an empty string before the parser sees it
            assert detail["loc"][-1] == "formula"
            continue
        assert detail["loc"][-1] == "formula" and detail["ctx"]["position"] == expected
        assert f"at position {expected + 1}" in detail["msg"]


def test_formula_endpoint_refuses_parameters_without_a_formula():
    response = client.get("/api/formula?domain=-1,1,-1,1")
    assert response.status_code == 422 and "give formula" in response.text
