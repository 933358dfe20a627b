"""A typed surface's scene: the same rates, sweep and paths as the built-in surface it spells out,
and one point evaluated in plain floats equal to the same point in an array of points."""
import urllib.parse

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from surfaces import make_surface
from surfaces.formula import EXAMPLES, FormulaSurface

client = TestClient(create_app())
ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def typed_rosenbrock_query() -> str:
    built_in = make_surface("rosenbrock")
    (x0, x1), (y0, y1) = built_in.domain
    return urllib.parse.urlencode({"formula": ROSENBROCK, "domain": f"{x0},{x1},{y0},{y1}",
                                   "start": ",".join(map(str, built_in.start))})


def test_typed_rosenbrock_scene_has_the_built_in_rates_sweep_and_start():
    built_in = client.get("/api/surfaces/rosenbrock/scene").json()
    typed = client.get("/api/surfaces/custom/scene?" + typed_rosenbrock_query()).json()
    # Rosenbrock's class knows its Hessian in closed form; the typed one has sympy's exact Hessian.
    assert typed["suggested_lr"] == built_in["suggested_lr"]
    assert typed["sweep"] == built_in["sweep"]
    assert typed["start"] == built_in["start"] and typed["domain"] == built_in["domain"]
    [minimum] = typed["stationary_points"]
    assert minimum["kind"] == "minimum" and np.allclose(minimum["point"], [1, 1], atol=1e-9)


def typed_and_built_in_paths(optimizer):
    scene = client.get("/api/surfaces/rosenbrock/scene").json()
    built_in = make_surface("rosenbrock")
    run = {"optimizer": optimizer, "params": {"lr": scene["suggested_lr"][optimizer]}}
    ours = client.post("/api/trajectories", json={
        "surface": "custom", "formula": ROSENBROCK, "domain": [list(d) for d in built_in.domain],
        "start": list(built_in.start), "steps": 300, "runs": [run]}).json()["runs"][0]
    theirs = client.post("/api/trajectories", json={"surface": "rosenbrock", "steps": 300, "runs": [run]}).json()["runs"][0]
    return ours, theirs


# At the page's rates RMSProp, AdaDelta and L-BFGS bounce across the valley floor, where a
# difference in the last bit of the gradient (sympy's expanded polynomial rounds unlike the
# class's factored one) doubles every few steps: their paths agree until then (below).
CHAOTIC = ("rmsprop", "adadelta", "lbfgs")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adagrad", "adam", "amsgrad", "adamax", "nadam",
                                       "adamw", "radam", "lion", "newton", "schedule_free_sgd", "schedule_free_adamw"])
def test_typed_rosenbrock_in_the_api_takes_the_built_in_path_at_its_suggested_rate(optimizer):
    ours, theirs = typed_and_built_in_paths(optimizer)
    assert ours["status"] == theirs["status"] and ours["steps_taken"] == theirs["steps_taken"]
    assert np.allclose(ours["points"], theirs["points"], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("optimizer", CHAOTIC)
def test_bouncing_paths_agree_until_rounding_differences_grow(optimizer):
    ours, theirs = typed_and_built_in_paths(optimizer)
    assert np.allclose(ours["points"][:30], theirs["points"][:30], rtol=1e-9, atol=1e-12)
    # the oracle itself agrees to rounding all along the built-in path
    typed = make_surface("custom", {"formula": ROSENBROCK})
    points = np.array(theirs["points"])
    built_in = make_surface("rosenbrock")
    np.testing.assert_allclose(typed.grad(points), built_in.grad(points), rtol=1e-12, atol=1e-11)


ODD = ["log(x) + y^2", "sqrt(x) + y", "x^0.5*y", "exp(40*x) + y", "1/x + y", "abs(x) + abs(y)", "x^(1/3) + y^2"]


@pytest.mark.parametrize("formula", list(EXAMPLES.values()) + ODD)
def test_one_point_in_floats_equals_the_same_point_in_an_array(formula):
    surface = FormulaSurface(formula, ((-20, 20), (-20, 20)))
    rng = np.random.default_rng(1)
    points = np.concatenate([rng.uniform(-3, 3, (40, 2)), [[0.0, 0.0], [-1.0, 2.0], [20.0, 1.0], [0.0, -1.0]]])
    batch_f, batch_grad, batch_hessian = surface.f(points), surface.grad(points), surface.hessian(points)
    for i, point in enumerate(points):
        # nan where the array has nan, inf where it has inf, the same number elsewhere
        np.testing.assert_allclose(surface.f(point), batch_f[i], rtol=1e-13, atol=0)
        np.testing.assert_allclose(surface.grad(point), batch_grad[i], rtol=1e-13, atol=0)
        np.testing.assert_allclose(surface.hessian(point), batch_hessian[i], rtol=1e-13, atol=0)
    assert surface.grad(points[0]).shape == (2,) and surface.hessian(points[0]).shape == (2, 2)


# "1" and "nan,0" are not two numbers: the query's declared pattern refuses them, naming start
@pytest.mark.parametrize("start, message", [("9,9", "must lie in the plot"), ("1", '"loc":["query","start"]'),
                                            ("nan,0", '"loc":["query","start"]')])
def test_a_bad_scene_start_is_a_422_naming_it(start, message):
    query = urllib.parse.urlencode({"formula": "x^2 + y^2", "start": start})
    response = client.get("/api/surfaces/custom/scene?" + query)
    assert response.status_code == 422 and message in response.text
