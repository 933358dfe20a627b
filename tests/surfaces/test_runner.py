import numpy as np
import pytest

from optimizers import FIRST_ORDER, make_optimizer
from surfaces import SURFACES, make_surface, run_batch, run_trajectory
from surfaces.presets import suggested_learning_rates


def test_gd_on_the_quadratic_bowl_is_the_closed_form():
    surface = make_surface("quadratic")  # f = (x² + 4y²) / 2
    path = run_trajectory(surface, make_optimizer("sgd", {"lr": 0.1}), (2.0, 1.0), 20)
    t = np.arange(21)
    assert np.allclose(path.points[:, 0], 2.0 * 0.9 ** t)
    assert np.allclose(path.points[:, 1], 1.0 * 0.6 ** t)
    assert np.allclose(path.loss, surface.f(path.points))
    assert np.allclose(path.grad, surface.grad(path.points[:-1]))
    assert path.lr.tolist() == [0.1] * 20
    assert path.status == "max_steps" and path.steps_taken == 20 and path.event_step is None


def test_lr_above_two_over_l_diverges_with_its_step():
    surface = make_surface("quadratic")
    # |1 - 0.6 * 4| = 1.4: y grows 1.4x per step until it leaves 10 spans (60 units) outside the plot.
    path = run_trajectory(surface, make_optimizer("sgd", {"lr": 0.6}), (0.0, 1.0), 500)
    assert path.status == "diverged"
    # y_k = 1.4^k; the first k with y_k > 3 + 60 = 63 is k = 13.
    assert path.event_step == 13 and path.steps_taken == 12
    assert np.all(np.isfinite(path.points))


def test_overflow_is_divergence_never_infinity():
    surface = make_surface("rosenbrock")
    path = run_trajectory(surface, make_optimizer("sgd", {"lr": 50.0}), surface.start, 100)
    assert path.status == "diverged" and path.event_step == 1 and len(path.points) == 1


def test_converges_with_step_reported():
    surface = make_surface("quadratic")
    path = run_trajectory(surface, make_optimizer("sgd", {"lr": 0.2}), (1.0, 1.0), 1000)
    assert path.status == "converged"
    assert path.event_step == path.steps_taken < 1000
    assert np.linalg.norm(path.points[-1]) < 1e-5


def test_state_is_recorded_per_step():
    surface = make_surface("quadratic")
    path = run_trajectory(surface, make_optimizer("momentum", {"lr": 0.1, "momentum": 0.5}), (1.0, 0.0), 3)
    # velocity after step 1 is g0; after step 2, 0.5 g0 + g1.
    g = path.grad
    assert np.allclose(path.state["velocity"][0], g[0])
    assert np.allclose(path.state["velocity"][1], 0.5 * g[0] + g[1])
    adam = run_trajectory(surface, make_optimizer("amsgrad"), (1.0, 1.0), 4)
    assert set(adam.state) == {"m", "v", "v_max"} and adam.state["m"].shape == (4, 2)


def test_newton_is_drawn_into_the_saddle_and_gd_escapes():
    surface = make_surface("saddle")
    newton = run_trajectory(surface, make_optimizer("newton"), surface.start, 50)
    assert newton.status == "converged" and np.linalg.norm(newton.points[-1]) < 1e-6
    gd = run_trajectory(surface, make_optimizer("sgd", {"lr": 0.1}), surface.start, 400)
    assert np.allclose(np.abs(gd.points[-1]), [1.0, 0.0], atol=1e-3)
    # It stalls: after 40 steps it sits near the saddle (x grows only 1.1x per step from 1e-4).
    assert np.linalg.norm(gd.points[40]) < 0.05


def test_gradient_noise_is_seeded():
    surface = make_surface("quadratic")
    optimizer = make_optimizer("sgd", {"lr": 0.1})
    a = run_trajectory(surface, optimizer, (1.0, 1.0), 30, noise=0.5, seed=7)
    b = run_trajectory(surface, optimizer, (1.0, 1.0), 30, noise=0.5, seed=7)
    c = run_trajectory(surface, optimizer, (1.0, 1.0), 30, noise=0.5, seed=8)
    assert np.array_equal(a.points, b.points) and not np.allclose(a.points, c.points)
    assert not np.allclose(a.grad, surface.grad(a.points[:-1]))


def test_full_batch_is_gradient_descent_and_small_batches_are_noisy():
    surface = make_surface("linear_regression", {"samples": 20})
    optimizer = make_optimizer("sgd", {"lr": 0.05})
    full = run_trajectory(surface, optimizer, surface.start, 50, batch_size=20)
    exact = run_trajectory(surface, optimizer, surface.start, 50)
    assert np.allclose(full.points, exact.points)
    noisy = run_trajectory(surface, optimizer, surface.start, 50, batch_size=1)
    assert not np.allclose(noisy.points, exact.points)


def test_batch_size_only_where_there_is_data():
    with pytest.raises(ValueError, match="batch_size applies only"):
        run_trajectory(make_surface("canyon"), make_optimizer("sgd"), (1, 1), 5, batch_size=4)


@pytest.mark.parametrize("name", FIRST_ORDER + ("newton",))
def test_batch_agrees_with_single_runs(name):
    surface = make_surface("himmelblau")
    lr = 1.0 if name in ("adadelta", "newton") else 0.01
    optimizer = make_optimizer(name, {"lr": lr}, clip_norm=50.0, batch_dims=1)
    starts = np.array([[-4.0, 4.0], [0.5, -0.5], [3.0, 2.0], [4.9, -4.9]])
    batch = run_batch(surface, optimizer, starts, 80)
    for index, start in enumerate(starts):
        single = run_trajectory(surface, make_optimizer(name, {"lr": lr}, clip_norm=50.0), start, 80)
        assert batch.statuses[index] == single.status
        assert batch.steps_taken[index] == single.steps_taken
        assert np.allclose(batch.finals[index], single.points[-1], atol=1e-9)


def test_batch_marks_divergence_per_start():
    surface = make_surface("quadratic")  # curvatures 1 (x) and 4 (y)
    # lr 0.6: |1 - 0.6| < 1 along x but |1 - 2.4| > 1 along y, so only a start with y != 0 diverges.
    starts = [[1.0, 0.0], [1.0, 1.0]]
    result = run_batch(surface, make_optimizer("sgd", {"lr": 0.6}), starts, 100)
    assert result.statuses == ["converged", "diverged"]
    # y_k = 1.4^k passes 3 + 60 at k = 13, a step that is not taken.
    assert result.steps_taken.tolist()[1] == 12
    assert np.all(np.isfinite(result.finals)) and np.allclose(result.finals[0], [0.0, 0.0], atol=1e-6)


def test_converged_runs_say_what_they_reached():
    saddle = make_surface("saddle")
    newton = run_trajectory(saddle, make_optimizer("newton"), saddle.start, 50)
    assert newton.end_kind == "saddle" and newton.message == f"stuck at a saddle point at step {newton.event_step}"
    himmelblau = make_surface("himmelblau")  # Newton from (-0.5, -0.5) is drawn to the local maximum
    top = run_trajectory(himmelblau, make_optimizer("newton"), himmelblau.start, 50)
    assert top.end_kind == "maximum" and np.allclose(top.points[-1], [-0.270845, -0.923039], atol=1e-5)
    assert top.message == f"reached a local maximum at step {top.event_step}"
    bowl = make_surface("quadratic")
    gd = run_trajectory(bowl, make_optimizer("sgd", {"lr": 0.2}), (1.0, 1.0), 1000)
    assert gd.end_kind == "minimum" and gd.message == f"converged to the minimum at step {gd.event_step}"
    wells = make_surface("local_minima")
    deep = run_trajectory(wells, make_optimizer("sgd", {"lr": 0.3}), (2.0, -1.5), 2000)
    shallow = run_trajectory(wells, make_optimizer("sgd", {"lr": 0.3}), (-2.0, 1.5), 2000)
    assert deep.message.startswith("converged to the global minimum")
    assert shallow.message.startswith("converged to a local minimum")
    diverged = run_trajectory(bowl, make_optimizer("sgd", {"lr": 0.6}), (0.0, 1.0), 500)
    assert diverged.end_kind is None and diverged.message == "diverged at step 13"


def _newton_polish(surface, point, iterations=20, h=1e-5):
    """The stationary point next to `point`, by Newton's method on central differences of f
    (independent of the surface's own gradient, Hessian and stationary-point search)."""
    p = np.array(point, dtype=float)
    f = lambda q: float(surface.f(np.asarray(q)))
    for _ in range(iterations):
        e = np.eye(2) * h
        g = np.array([(f(p + e[i]) - f(p - e[i])) / (2 * h) for i in range(2)])
        H = np.array([[(f(p + e[i] + e[j]) - f(p + e[i] - e[j]) - f(p - e[i] + e[j]) + f(p - e[i] - e[j])) / (4 * h * h)
                       for j in range(2)] for i in range(2)])
        p = p - np.linalg.solve(H, g)
    return p, np.linalg.eigvalsh(H)


def test_a_run_out_of_steps_says_it_ended_near_a_minimum_only_when_it_did():
    # The nesterov lesson's scene: momentum still circles the canyon's minimum (0, 0) by a
    # micrometre after 300 steps (no convergence: its step is above tolerance) while Nesterov
    # converged; "ran all 300 steps" alone read as a failure beside it.
    canyon = make_surface("canyon", {"condition": 100})
    span = 20.0  # the canyon's plot: x and y in [-10, 10]
    momentum = run_trajectory(canyon, make_optimizer("momentum", {"lr": 0.01, "momentum": 0.9}), (-9, 2.5), 300)
    assert momentum.status == "max_steps" and np.hypot(*momentum.points[-1]) < 1e-4 * span
    assert momentum.message == "ran all 300 steps, ending near the minimum"
    # SGD in the same scene is still 0.03 short of it (1.4e-3 of the plot): no claim is made.
    sgd = run_trajectory(canyon, make_optimizer("sgd", {"lr": 0.019}), (-9, 2.5), 300)
    assert sgd.status == "max_steps" and np.hypot(*sgd.points[-1]) > 1e-4 * span
    assert sgd.message == "ran all 300 steps"
    # Four wells: which minimum it ended near is said as for a converged run. The global one
    # is the lowest of the four (each found here by Newton on central differences).
    wells = make_surface("local_minima")
    rule = make_optimizer("momentum", {"lr": 0.05, "momentum": 0.9})
    wells_minima = [_newton_polish(wells, guess)[0] for guess in [(2, -1.5), (-1.9, 1.5), (-1.7, -2.1), (1.3, 2.1)]]
    lowest = min(float(wells.f(m)) for m in wells_minima)
    for start, steps, words in [((1.5, -0.5), 150, "the global minimum"), ((2.0, 1.5), 150, "a local minimum")]:
        path = run_trajectory(wells, rule, start, steps)
        end = path.points[-1]
        nearest, curvatures = _newton_polish(wells, end)
        assert curvatures.min() > 0 and np.linalg.norm(end - nearest) < 1e-4 * 8.0  # the plot is 8 wide
        assert (float(wells.f(nearest)) <= lowest + 1e-9) == (words == "the global minimum")
        assert path.status == "max_steps" and path.message == f"ran all {steps} steps, ending near {words}"
    far = run_trajectory(wells, rule, (1.5, -0.5), 60)  # 0.018 from the global minimum
    assert far.message == "ran all 60 steps"


@pytest.mark.parametrize("surface_name", SURFACES)
@pytest.mark.parametrize("name", FIRST_ORDER)
def test_every_optimizer_on_every_surface_returns_finite_output(surface_name, name):
    surface = make_surface(surface_name)
    lr = suggested_learning_rates(surface)[name]
    path = run_trajectory(surface, make_optimizer(name, {"lr": lr}), surface.start, 200, noise=0.1)
    for array in (path.points, path.loss, path.grad, path.lr, *path.state.values()):
        assert np.all(np.isfinite(array))
    assert len(path.points) == path.steps_taken + 1 == len(path.grad) + 1
