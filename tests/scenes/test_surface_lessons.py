"""Each surface's lesson sentence, checked by running its default scene (the page's start,
steps and suggested learning rates) through the real engine."""
import numpy as np
import pytest

from surfaces import SURFACES, make_surface

from .helpers import PAGE_STEPS, default_run, first_step_below, inside_plot


def steps_to(path, level):
    """Steps to get below level; a run that never does counts as more than the page's steps."""
    step = first_step_below(path, level)
    return PAGE_STEPS + 1 if step is None else step


def test_canyon_gd_zigzags_and_crawls_while_momentum_speeds_along_the_floor():
    sgd = default_run("canyon", "sgd")
    across = sgd.points[:31, 1]  # the floor is the x axis (angle 0): crossing it flips y's sign
    assert np.sum(np.sign(across[1:]) != np.sign(across[:-1])) >= 8
    momentum = default_run("canyon", "momentum")
    assert steps_to(momentum, 1e-3) * 2 <= steps_to(sgd, 1e-3)


def test_canyon_momentum_wins_for_any_condition_number_the_slider_defaults_to():
    # The scene is recomputed when κ changes: at κ = 300 SGD's rate 1.8/κ still converges.
    sgd = default_run("canyon", "sgd", surface_params={"condition": 300.0}, steps=60)
    assert sgd.status != "diverged" and sgd.loss[-1] < sgd.loss[0]


def test_plateau_gradient_steps_crawl_and_adaptive_steps_cross():
    floor = 0.1  # the basin: f < 0.1 is within ~0.55 of the centre
    sgd = steps_to(default_run("plateau", "sgd"), floor)
    for name in ("adam", "rmsprop"):
        assert 3 * steps_to(default_run("plateau", name), floor) <= sgd, name
    assert steps_to(default_run("plateau", "momentum"), floor) < sgd


def test_saddle_gd_stalls_near_it_and_newton_is_stuck_in_it():
    sgd = default_run("saddle", "sgd")
    near = np.linalg.norm(sgd.points[:-1], axis=1) < 0.1
    assert near.sum() >= sgd.steps_taken / 4
    assert sgd.end_kind == "minimum"  # it does escape in the end
    newton = default_run("saddle", "newton")
    assert newton.status == "converged" and np.linalg.norm(newton.points[-1]) < 1e-6
    assert newton.end_kind == "saddle" and newton.message.startswith("stuck at a saddle point")


def test_local_minima_default_runs_end_in_different_basins_momentum_in_the_deepest():
    surface = make_surface("local_minima")
    minima = [p for p in surface.stationary_points() if p["kind"] == "minimum"]
    centres = np.array([p["point"] for p in minima])
    ends = {}
    for name in ("sgd", "momentum", "adam"):  # the page's default runs
        path = default_run("local_minima", name)
        basin = int(np.argmin(np.linalg.norm(centres - path.points[-1], axis=1)))
        assert np.linalg.norm(centres[basin] - path.points[-1]) < 0.05, name  # it settled there
        ends[name] = basin
    assert len(set(ends.values())) == 3
    assert minima[ends["momentum"]]["global"] and not minima[ends["sgd"]]["global"]


def test_cliff_unclipped_step_explodes_and_clipping_keeps_the_path_in_the_plot():
    plain = default_run("cliff", "sgd")
    steps = np.linalg.norm(np.diff(plain.points, axis=0), axis=1)
    assert steps.max() > 20 * np.median(steps[:10])  # the step off the wall
    assert not inside_plot("cliff", plain.points)
    clipped = default_run("cliff", "sgd", clip_norm=1.0)  # the page's clip value when switched on
    assert inside_plot("cliff", clipped.points)
    assert np.linalg.norm(np.diff(clipped.points, axis=0), axis=1).max() <= 1.0 + 1e-9


def test_cliff_gradient_at_the_wall_is_about_100_times_the_slope():
    surface = make_surface("cliff")
    gentle = np.linalg.norm(surface.grad(np.array(surface.start)))
    wall = np.linalg.norm(surface.grad(np.array([0.0, 0.0])))
    assert 50 < wall / gentle < 200


def test_quadratic_gd_converges_below_two_over_lambda_and_diverges_above():
    below = default_run("quadratic", "sgd", params={"lr": 0.49}, steps=2000)
    above = default_run("quadratic", "sgd", params={"lr": 0.51})
    assert below.status == "converged" and below.end_kind == "minimum"
    assert above.status == "diverged"
    assert default_run("quadratic", "sgd").status == "converged"  # the suggested rate is below the limit


def test_rosenbrock_is_easy_to_fall_into_and_slow_to_follow():
    surface = make_surface("rosenbrock")
    for name in ("sgd", "momentum", "adam"):
        path = default_run("rosenbrock", name)
        x, y = path.points[30]
        assert 100 * (y - x * x) ** 2 < 0.1 * path.loss[0], name  # in the valley within 30 steps
        assert np.linalg.norm(path.points[-1] - [1.0, 1.0]) > 0.3, name  # still far along it
    assert surface.stationary_points()[0]["point"] == pytest.approx([1.0, 1.0])


def test_beale_gradients_differ_by_orders_of_magnitude():
    surface = make_surface("beale")
    (x0, x1), (y0, y1) = surface.domain
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 91), np.linspace(y0, y1, 91)), axis=-1)
    norms = np.linalg.norm(surface.grad(grid), axis=-1)
    assert np.percentile(norms, 95) > 1000 * np.percentile(norms, 5)


def test_himmelblau_the_start_decides_the_minimum_and_newton_climbs_to_the_maximum():
    ends = []
    for start in ([1.0, 1.0], [-1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]):  # one click into each quadrant
        path = default_run("himmelblau", "sgd", start=start)
        assert path.end_kind == "minimum" and abs(path.loss[-1]) < 1e-9
        ends.append(tuple(np.round(path.points[-1], 3)))
    assert len(set(ends)) == 4
    newton = default_run("himmelblau", "newton")
    assert newton.end_kind == "maximum" and newton.message.startswith("reached a local maximum")


def test_rastrigin_small_steps_are_trapped_and_only_the_centre_is_global():
    surface = make_surface("rastrigin")
    minima = [p for p in surface.stationary_points() if p["kind"] == "minimum"]
    assert len(minima) > 1 and [p["point"] for p in minima if p["global"]] == [[0.0, 0.0]]
    for name in ("sgd", "momentum", "adam"):
        path = default_run("rastrigin", name)
        assert path.loss[-1] > 1.0, name  # trapped in a ripple, not at f = 0
        assert path.message == f"converged to a local minimum at step {path.event_step}" or \
            path.status == "max_steps", name


def test_linear_regression_smaller_batches_end_noisier():
    surface = make_surface("linear_regression")
    best = np.array(surface.minima()[0]["point"])
    spread = {}
    for batch in (1, 10, len(surface.x)):
        path = default_run("linear_regression", "sgd", batch_size=batch)
        spread[batch] = np.linalg.norm(path.points[-100:] - best, axis=1).mean()
    assert spread[1] > 2 * spread[10] > 4 * spread[len(surface.x)]


@pytest.mark.parametrize("name", SURFACES)
def test_every_default_start_is_inside_the_plot_and_every_parameter_default_in_range(name):
    surface = make_surface(name)
    assert inside_plot(name, np.array([surface.start]))
    for parameter in surface.parameters:
        assert parameter.minimum <= parameter.default <= parameter.maximum
