"""Analytic gradients and Hessians against central differences; landmarks against their definitions."""
import numpy as np
import pytest

from surfaces import SURFACES, make_surface

VARIANTS = [(name, {}) for name in SURFACES] + [
    ("canyon", {"condition": 200.0, "angle": 30.0}),
    ("linear_regression", {"samples": 7, "noise": 2.0, "data_seed": 3}),
]
IDS = [f"{name}{'-' + '-'.join(map(str, params.values())) if params else ''}" for name, params in VARIANTS]


def sample_points(surface, count=40, seed=0):
    (x0, x1), (y0, y1) = surface.domain
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(x0, x1, count), rng.uniform(y0, y1, count)], axis=-1)


def central_difference(fn, points, h):
    columns = []
    for axis in range(2):
        step = np.zeros(2)
        step[axis] = h
        columns.append((fn(points + step) - fn(points - step)) / (2 * h))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("name, params", VARIANTS, ids=IDS)
def test_gradient_matches_central_differences(name, params):
    surface = make_surface(name, params)
    points = sample_points(surface)
    numeric = central_difference(surface.f, points, 1e-6)
    analytic = surface.grad(points)
    scale = np.maximum(1.0, np.abs(numeric))
    assert np.all(np.abs(analytic - numeric) / scale < 1e-5)


@pytest.mark.parametrize("name, params", VARIANTS, ids=IDS)
def test_hessian_matches_differences_of_the_gradient(name, params):
    surface = make_surface(name, params)
    points = sample_points(surface, 15, seed=1)
    numeric = np.swapaxes(central_difference(surface.grad, points, 1e-5), -1, -2)
    hessian = surface.hessian(points)
    assert hessian.shape == (15, 2, 2)
    assert np.allclose(hessian, np.swapaxes(hessian, -1, -2), atol=1e-4 * np.abs(hessian).max())
    assert np.all(np.abs(hessian - numeric) <= 1e-4 * np.maximum(1.0, np.abs(numeric)))


@pytest.mark.parametrize("name, params", VARIANTS, ids=IDS)
def test_functions_accept_any_leading_shape(name, params):
    surface = make_surface(name, params)
    grid = sample_points(surface, 12).reshape(3, 4, 2)
    assert surface.f(grid).shape == (3, 4)
    assert surface.grad(grid).shape == (3, 4, 2)
    single = grid[1, 2]
    assert np.isclose(surface.f(single), surface.f(grid)[1, 2])
    assert np.allclose(surface.grad(single), surface.grad(grid)[1, 2])


@pytest.mark.parametrize("name, params", VARIANTS, ids=IDS)
def test_minima_are_stationary_with_the_stated_value(name, params):
    surface = make_surface(name, params)
    minima = surface.minima()
    assert minima and sum(m["kind"] == "global" for m in minima) >= 1
    for m in minima:
        point = np.array(m["point"])
        assert np.linalg.norm(surface.grad(point)) < 1e-4
        assert np.isclose(surface.f(point), m["value"], atol=1e-8)
        assert np.all(np.linalg.eigvalsh(surface.hessian(point)) > 0)  # a real minimum
    best = min(m["value"] for m in minima)
    assert all(m["value"] <= best + 1e-9 for m in minima if m["kind"] == "global")


@pytest.mark.parametrize("name", SURFACES)
def test_saddles_are_saddles(name):
    surface = make_surface(name)
    for point in surface.saddles():
        assert np.linalg.norm(surface.grad(np.array(point))) < 1e-3
        eigenvalues = np.linalg.eigvalsh(surface.hessian(np.array(point)))
        assert eigenvalues[0] < 0 < eigenvalues[1]


@pytest.mark.parametrize("name", SURFACES)
def test_metadata_is_complete_and_start_inside_domain(name):
    described = make_surface(name).describe()
    assert described["title"] and described["lesson"] and described["formula"]
    (x0, x1), (y0, y1) = described["domain"]
    assert x0 <= described["start"][0] <= x1 and y0 <= described["start"][1] <= y1
    for m in described["minima"]:
        assert x0 <= m["point"][0] <= x1 and y0 <= m["point"][1] <= y1


def test_known_values():
    assert make_surface("rosenbrock").f(np.array([0.0, 0.0])) == 1.0
    assert make_surface("himmelblau").f(np.array([0.0, 0.0])) == 170.0
    assert np.isclose(make_surface("beale").f(np.array([0.0, 0.0])), 1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2)
    assert make_surface("rastrigin").f(np.array([1.0, 1.0])) == pytest.approx(2.0)
    assert make_surface("saddle").f(np.array([1.0, 0.0])) == -0.25


def test_canyon_condition_number_is_the_hessian_ratio():
    surface = make_surface("canyon", {"condition": 80.0, "angle": 25.0})
    eigenvalues = np.linalg.eigvalsh(surface.hessian(np.zeros(2)))
    assert np.isclose(eigenvalues[1] / eigenvalues[0], 80.0)


def test_plateau_is_flat_at_the_start_and_steep_in_the_basin():
    surface = make_surface("plateau")
    assert np.linalg.norm(surface.grad(np.array(surface.start))) < 0.02
    assert np.linalg.norm(surface.grad(np.array([1.0, 0.5]))) > 0.3


def test_cliff_gradient_explodes_at_the_wall():
    surface = make_surface("cliff")
    gentle = np.linalg.norm(surface.grad(np.array(surface.start)))
    wall = np.linalg.norm(surface.grad(np.array([0.0, 0.0])))
    assert wall > 90 * gentle  # "about 100 times", as the lesson says


def test_local_minima_has_one_global_and_three_local():
    kinds = sorted(m["kind"] for m in make_surface("local_minima").minima())
    assert kinds == ["global", "local", "local", "local"]


def test_linear_regression_minimum_is_least_squares_and_minibatch_is_unbiased():
    surface = make_surface("linear_regression", {"samples": 30})
    x, y = surface.x, surface.y
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    intercept = y.mean() - slope * x.mean()
    assert np.allclose(surface.minima()[0]["point"], [intercept, slope])
    point = np.array([0.3, -0.7])
    singles = np.mean([surface.minibatch_grad(point, [i]) for i in range(30)], axis=0)
    assert np.allclose(singles, surface.grad(point))


def test_bad_surface_parameters():
    with pytest.raises(ValueError, match="Invalid condition number: 0.5"):
        make_surface("canyon", {"condition": 0.5})
    with pytest.raises(ValueError, match="Unknown hyperparameter 'kappa' for surface canyon"):
        make_surface("canyon", {"kappa": 3})
    with pytest.raises(ValueError, match="Unknown surface 'bowl'"):
        make_surface("bowl")


@pytest.mark.parametrize("name", SURFACES)
def test_suggested_learning_rates_descend_without_diverging(name):
    from optimizers import FIRST_ORDER, make_optimizer
    from surfaces import run_trajectory

    surface = make_surface(name)
    suggested = surface.describe()["suggested_lr"]
    start_loss = surface.f(np.array(surface.start))
    for optimizer in FIRST_ORDER:
        path = run_trajectory(surface, make_optimizer(optimizer, {"lr": suggested[optimizer]}), surface.start, 300)
        assert path.status != "diverged", optimizer
        # It descends (on the plateau SGD only crawls: that is the lesson, tests/scenes).
        assert path.loss[-1] < start_loss, optimizer


def test_surfaces_written_on_coordinates_give_the_same_bits_on_floats_and_arrays():
    """The single-path runner evaluates f and the gradient on two Python floats; batches on arrays."""
    from surfaces.base import ComponentSurface
    rng = np.random.default_rng(7)
    checked = []
    # Every built-in surface but the regression (whose loss is a sum over its data) is written on (x, y).
    names = [name for name in SURFACES if name != "linear_regression"]
    for name in names:
        surface = make_surface(name)
        assert isinstance(surface, ComponentSurface), name
        points = rng.uniform(*np.array(surface.domain).T, size=(2000, 2))
        values, grads = surface.f(points), surface.grad(points)
        floats = [(surface.value_at(x, y), *surface.grad_at(x, y)) for x, y in points.tolist()]
        assert np.array_equal(np.array(floats), np.column_stack([values, grads]))
        single = surface.grad(points[0])  # a single (2,) point through the array formula
        assert single.shape == (2,) and np.array_equal(single, grads[0])
        checked.append(name)
    assert checked == names and len(names) == 10


def test_surfaces_said_finite_in_bounds_are_finite_over_the_runners_bounds():
    """run_batch skips its finiteness checks on these (surfaces/runner.py): a grid over the whole
    region the runners keep points in, corners included, must give finite values and gradients."""
    from surfaces.runner import FAR_OUTSIDE
    checked = []
    for name in SURFACES:
        surface = make_surface(name)
        if not surface.finite_in_bounds:
            continue
        (x0, x1), (y0, y1) = surface.domain
        margin = FAR_OUTSIDE * surface.span()
        xs = np.linspace(x0 - margin, x1 + margin, 401)
        ys = np.linspace(y0 - margin, y1 + margin, 401)
        points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        with np.errstate(all="raise", under="ignore"):  # exp(-r²) underflowing to 0 is exact enough
            assert np.isfinite(surface.f(points)).all() and np.isfinite(surface.grad(points)).all(), name
        checked.append(name)
    assert len(checked) == 10 and "linear_regression" not in checked
