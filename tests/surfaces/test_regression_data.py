"""Your own data for linear regression: validated, fitted with every optimizer (mini-batches
included), with rates and sweep that follow the data, and the data points in the scene."""
import functools
import math

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from optimizers import OPTIMIZERS, make_optimizer
from surfaces import make_surface, run_trajectory
from surfaces.presets import scene, scene_run
from surfaces.regression import MAX_ROWS

client = TestClient(create_app())
# Temperatures: y = 32 + 1.8 x (Fahrenheit from Celsius) with a little noise, in the data's own units.
CELSIUS = np.linspace(-10, 40, 26)
FAHRENHEIT = 32 + 1.8 * CELSIUS + np.random.default_rng(5).normal(0, 1.5, CELSIUS.size)
DATA = [[float(x), float(y)] for x, y in zip(CELSIUS, FAHRENHEIT)]


def own(data=DATA):
    return make_surface("linear_regression", {"data": data})


@functools.cache
def own_scene():
    return scene(own())


def closed_form_largest_curvature(x) -> float:
    """λ_max of the Hessian 2/n XᵀX = 2 [[1, mean x], [mean x, mean x²]], by the 2x2 formula."""
    a, b, c = 2.0, 2 * np.mean(x), 2 * np.mean(np.square(x))
    return (a + c) / 2 + math.sqrt(((a - c) / 2) ** 2 + b * b)


def test_the_minimum_is_the_least_squares_line_of_your_data():
    x, y = CELSIUS, FAHRENHEIT
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    intercept = y.mean() - slope * x.mean()
    surface = own()
    [point] = surface.stationary_points()
    assert np.allclose(point["point"], [intercept, slope], rtol=1e-12)
    assert point["kind"] == "minimum" and math.isclose(point["value"], np.mean((intercept + slope * x - y) ** 2))
    assert point["global"] and point["marked"]  # the plot marks it (stationary.py's fields)
    (x0, x1), (y0, y1) = surface.domain
    assert x0 < intercept < x1 and y0 < slope < y1  # the plot is around your line, in your units
    assert x0 <= surface.start[0] < intercept and y0 <= surface.start[1] < slope


def test_suggested_rates_follow_the_curvature_of_your_data():
    for scale in (1.0, 10.0):  # x in other units: the curvature grows ~scale², the rate shrinks with it
        data = [[x * scale, y] for x, y in DATA]
        rates = scene(own(data))["suggested_lr"]
        largest = closed_form_largest_curvature(CELSIUS * scale)
        # plain gradient descent: half of the stability limit 2/λ_max
        assert rates["sgd"] == float(f"{0.5 * 2 / largest:.3g}")
        mu = 0.9  # torch's momentum default in the spec: Nesterov's stricter limit 2(1 + μ)/((1 + 2μ)λ_max)
        assert rates["momentum"] == float(f"{0.5 * 2 * (1 + mu) / ((1 + 2 * mu) * largest):.3g}")


def test_the_sweep_on_your_data_shows_what_its_labels_say():
    surface = own()
    chosen = scene(surface)
    sweep = chosen["sweep"]["sgd"]
    lr = chosen["suggested_lr"]["sgd"]
    small, good, large = (scene_run(surface, "sgd", lr * f) for f in sweep["factors"])
    assert lr * sweep["factors"][2] > 2 / closed_form_largest_curvature(CELSIUS)  # past the stability limit
    assert large.status == "diverged" or large.loss[-1] > good.loss[-1]
    assert small.loss[-1] > good.loss[-1]
    assert good.loss[-1] < good.loss[0] / 10


@pytest.mark.parametrize("optimizer", [name for name, spec in OPTIMIZERS.items() if spec.surfaces])
def test_every_optimizer_fits_your_data_in_the_api_with_mini_batches_equal_to_the_engine(optimizer):
    rate = own_scene()["suggested_lr"][optimizer]
    body = {"surface": "linear_regression", "data": DATA, "steps": 60, "seed": 4,
            "runs": [{"optimizer": optimizer, "params": {"lr": rate}}]}
    batch = 8 if optimizer not in ("lbfgs", "newton") else None  # a line search and Newton want full batches
    if batch:
        body["batch_size"] = batch
    answer = client.post("/api/trajectories", json=body)
    assert answer.status_code == 200, answer.text
    run = answer.json()["runs"][0]
    expected = run_trajectory(own(), make_optimizer(optimizer, {"lr": rate}), own().start, 60, batch_size=batch, seed=4)
    assert np.allclose(run["points"], expected.points, rtol=1e-12, atol=1e-12)
    assert run["points"][0] == list(own().start)


def test_the_scene_carries_the_data_points_seeded_and_your_own():
    seeded = client.get("/api/surfaces/linear_regression/scene?samples=7&data_seed=3").json()["data"]
    built = make_surface("linear_regression", {"samples": 7, "data_seed": 3})
    assert seeded == {"x": built.x.tolist(), "y": built.y.tolist()}
    answer = client.post("/api/surfaces/linear_regression/data/scene", json={"data": DATA}).json()
    assert answer["data"] == {"x": CELSIUS.tolist(), "y": FAHRENHEIT.tolist()}
    assert answer["start"] == list(own().start)
    grid = client.post("/api/surfaces/linear_regression/data/grid?resolution=11", json={"data": DATA}).json()
    surface = own()
    assert math.isclose(grid["z"][3][5], float(surface.f([grid["x"][5], grid["y"][3]])), rel_tol=1e-5)
    assert "data" not in client.get("/api/surfaces/rosenbrock/scene").json()


@pytest.mark.parametrize("data, location, message", [
    ([[1, 2], [1, 5]], ["body", "data"], "at least 2 distinct x"),
    ([[1, 2]], ["body", "data"], "at least 2 items"),
    ([[0, 1], [1, 2e7]], ["body", "data", 1, 1], "less than or equal to 1000000"),
    ([[0, 1], [1, True]], ["body", "data", 1, 1], "valid number"),
    ([[0, 1], [1, 2, 3]], ["body", "data", 1], "at most 2 items"),
    ([[float(i), 1.0] for i in range(MAX_ROWS + 1)], ["body", "data"], f"at most {MAX_ROWS} items"),
])
def test_bad_data_is_a_422_naming_the_field(data, location, message):
    for response in (client.post("/api/trajectories", json={"surface": "linear_regression", "data": data,
                                                            "runs": [{"optimizer": "sgd"}]}),
                     client.post("/api/surfaces/linear_regression/data/scene", json={"data": data})):
        assert response.status_code == 422
        detail = response.json()["detail"][0]
        assert detail["loc"] == location and message in detail["msg"]


def test_non_finite_data_and_data_elsewhere_are_refused():
    text = '{"surface": "linear_regression", "data": [[0, 1], [1, NaN]], "runs": [{"optimizer": "sgd"}]}'
    response = client.post("/api/trajectories", content=text, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "data", 1, 1]
    response = client.post("/api/trajectories", json={"surface": "rosenbrock", "data": DATA, "runs": [{"optimizer": "sgd"}]})
    assert response.status_code == 422 and "data applies only to a surface that takes data" in response.text
    response = client.post("/api/surfaces/linear_regression/data/scene", json={"data": DATA, "surface_params": {"samples": 9}})
    assert response.status_code == 422 and "samples do not apply" in response.text
    assert client.post("/api/surfaces/rosenbrock/data/grid", json={"data": DATA}).status_code == 422


def test_data_in_large_units_get_the_smallest_rate_and_no_sweep_rather_than_an_error():
    years = np.arange(1990, 2020, dtype=float)
    chosen = scene(own([[x, 0.1 * (x - 2000)] for x in years]))
    # 2 XᵀX/n is ~8e6 here: gradient descent would need η ~ 1e-7, below every optimizer's lr range
    assert chosen["suggested_lr"]["sgd"] == 1e-6 and "sgd" not in chosen["sweep"]
    assert "newton" in chosen["sweep"]  # Newton's step does not care about the units


def test_the_surface_list_says_which_surface_takes_data_and_its_bounds():
    surfaces = client.get("/api/surfaces").json()
    taking = [s for s in surfaces if s.get("own_data")]
    assert [s["name"] for s in taking] == ["linear_regression"]
    assert taking[0]["own_data"] == {"max_rows": MAX_ROWS, "max_abs": 1e6}


@pytest.mark.parametrize("params", [{}, {"samples": 1000, "noise": 3.0}, {"data": DATA},
                                    {"data": [[x, 0.1 * (x - 2000) + (x % 3)] for x in range(1990, 2020)]}])
def test_the_closed_form_loss_and_gradient_equal_the_mean_over_the_rows(params):
    surface = make_surface("linear_regression", params)
    theta = np.concatenate([np.random.default_rng(2).normal(surface.minima()[0]["point"], 3.0, (30, 2)),
                            [surface.minima()[0]["point"]]])
    residuals = theta[:, :1] + theta[:, 1:] * surface.x - surface.y  # the definition, row by row
    loss = np.mean(residuals ** 2, axis=1)
    grad = np.stack([2 * residuals.mean(axis=1), 2 * (residuals * surface.x).mean(axis=1)], axis=1)
    np.testing.assert_allclose(surface.f(theta), loss, rtol=1e-9)
    scale = np.abs(grad).max()  # at θ* the gradient is zero: compare against the gradient's scale
    np.testing.assert_allclose(surface.grad(theta), grad, rtol=1e-8, atol=1e-9 * scale)
    np.testing.assert_allclose(surface.grad(theta[3]), surface.minibatch_grad(theta[3], np.arange(len(surface.x))),
                               rtol=1e-8, atol=1e-9 * scale)
