"""AdamW, RAdam, Lion, L-BFGS and schedule-free against torch's documented algorithms and the
papers' reference code (tests/optimizers/reference.py), hundreds of steps on several surfaces,
one start and a batch of starts through the same implementation."""
import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, apply_updates, make_optimizer
from optimizers.registry import FIRST_ORDER
from surfaces import make_surface, run_batch, run_trajectory

from . import reference


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def rosenbrock_grad(p):
    x, y = p[0], p[1]
    return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]


def himmelblau(p):
    x, y = p[0], p[1]
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def himmelblau_grad(p):
    x, y = p[0], p[1]
    a, b = x * x + y - 11, x + y * y - 7
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b]


# An ill-conditioned quadratic, rotated by 30°: f = ½ pᵀ A p.
_C, _S = math.cos(math.pi / 6), math.sin(math.pi / 6)
_A = [[20 * _C * _C + _S * _S, (20 - 1) * _C * _S], [(20 - 1) * _C * _S, 20 * _S * _S + _C * _C]]


def canyon(p):
    return 0.5 * sum(p[i] * _A[i][j] * p[j] for i in range(2) for j in range(2))


def canyon_grad(p):
    return [_A[0][0] * p[0] + _A[0][1] * p[1], _A[1][0] * p[0] + _A[1][1] * p[1]]


SURFACES = {"rosenbrock": (rosenbrock, rosenbrock_grad, [-1.5, 2.0]),
            "himmelblau": (himmelblau, himmelblau_grad, [0.5, -0.5]),
            "canyon": (canyon, canyon_grad, [2.0, 1.5])}
STEPS = 300


def run(name, params, grad, start, steps):
    optimizer = make_optimizer(name, params)
    x = np.array(start, dtype=np.float64)
    state = optimizer.transformation.init(x)
    path, states = [x], []
    for _ in range(steps):
        updates, state = optimizer.transformation.update(np.array(grad(list(x))), state, x)
        x = apply_updates(x, updates)
        path.append(x)
        states.append(state)
    return np.array(path), states


def run_rows(name, params, grad, starts, steps):
    """The same optimizer stepping several starts at once, as run_batch does."""
    optimizer = make_optimizer(name, params, batch_dims=1)
    x = np.array(starts, dtype=np.float64)
    state = optimizer.transformation.init(x)
    for _ in range(steps):
        g = np.array([grad(list(row)) for row in x])
        updates, state = optimizer.transformation.update(g, state, x)
        x = x + updates
    return x


def close(ours, expected):
    """1e-9 relative (and an absolute floor near zero)."""
    ours, expected = np.asarray(ours), np.asarray(expected)
    assert np.all(np.abs(ours - expected) <= 1e-9 * np.abs(expected) + 1e-12), np.max(np.abs(ours - expected))


CASES = [
    ("adamw", {"lr": 0.02}, lambda g, x, n: reference.adamw(g, x, n, 0.02)),
    ("adamw", {"lr": 0.02, "weight_decay": 0.5, "betas": [0.8, 0.99], "amsgrad": True},
     lambda g, x, n: reference.adamw(g, x, n, 0.02, 0.8, 0.99, weight_decay=0.5, amsgrad=True)),
    ("radam", {"lr": 0.02}, lambda g, x, n: reference.radam(g, x, n, 0.02)),
    ("radam", {"lr": 0.01, "weight_decay": 0.1, "betas": [0.9, 0.99]},
     lambda g, x, n: reference.radam(g, x, n, 0.01, 0.9, 0.99, weight_decay=0.1)),
    ("lion", {"lr": 0.01}, lambda g, x, n: reference.lion(g, x, n, 0.01)),
    ("lion", {"lr": 0.01, "weight_decay": 0.3, "betas": [0.95, 0.98]},
     lambda g, x, n: reference.lion(g, x, n, 0.01, 0.95, 0.98, weight_decay=0.3)),
    ("lbfgs", {"lr": 1.0}, lambda g, x, n: reference.lbfgs(g, x, n, 1.0)),
    ("lbfgs", {"lr": 0.5, "history_size": 3}, lambda g, x, n: reference.lbfgs(g, x, n, 0.5, history_size=3)),
    ("schedule_free_sgd", {"lr": 0.002}, lambda g, x, n: reference.schedule_free_sgd(g, x, n, 0.002)[0]),
    ("schedule_free_sgd", {"lr": 0.002, "momentum": 0.8, "weight_decay": 0.1, "warmup_steps": 20, "r": 1.0},
     lambda g, x, n: reference.schedule_free_sgd(g, x, n, 0.002, 0.8, 0.1, 20, 1.0)[0]),
    ("schedule_free_adamw", {"lr": 0.02}, lambda g, x, n: reference.schedule_free_adamw(g, x, n, 0.02)[0]),
    ("schedule_free_adamw", {"lr": 0.02, "weight_decay": 0.2, "warmup_steps": 30, "weight_lr_power": 1.0},
     lambda g, x, n: reference.schedule_free_adamw(g, x, n, 0.02, weight_decay=0.2, warmup_steps=30,
                                                    weight_lr_power=1.0)[0]),
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("name, params, algorithm", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_path_matches_the_reference_algorithm(name, params, algorithm, surface):
    _, grad, start = SURFACES[surface]
    ours, _ = run(name, params, grad, start, STEPS)
    expected = np.array(algorithm(grad, start, STEPS))
    close(ours, expected)
    assert not np.allclose(ours[-1], ours[0])  # it really moved


@pytest.mark.parametrize("name, params, algorithm", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_batch_of_starts_steps_each_start_like_the_reference(name, params, algorithm):
    _, grad, _ = SURFACES["himmelblau"]
    starts = [[0.5, -0.5], [-1.0, 2.5], [3.5, -3.0]]
    finals = run_rows(name, params, grad, starts, STEPS)
    for start, final in zip(starts, finals):
        close(final, algorithm(grad, start, STEPS)[-1])


@pytest.mark.parametrize("surface", SURFACES)
def test_lbfgs_strong_wolfe_matches_torchs_line_search(surface):
    f, grad, start = SURFACES[surface]
    surface_fn = lambda p: f(list(p))  # noqa: E731
    optimizer = make_optimizer("lbfgs", {"strong_wolfe": True})
    assert optimizer.needs_objective
    x = np.array(start, dtype=np.float64)
    state = optimizer.transformation.init(x)
    path = [x]
    for _ in range(60):
        value_and_grad = lambda p: (surface_fn(p), np.array(grad(list(p))))  # noqa: E731
        updates, state = optimizer.transformation.update(np.array(grad(list(x))), state, x,
                                                         value_and_grad=value_and_grad)
        x = x + updates
        path.append(x)
    close(np.array(path), reference.lbfgs(grad, start, 60, f=f))


def test_lbfgs_line_search_through_the_runner_and_refused_in_a_batch():
    surface = make_surface("rosenbrock")
    path = run_trajectory(surface, make_optimizer("lbfgs", {"strong_wolfe": True}), surface.start, 100)
    assert surface.f(path.points[-1]) < 1e-8  # the line search finds the minimum (1, 1)
    with pytest.raises(ValueError, match="one start at a time"):
        make_optimizer("lbfgs", {"strong_wolfe": True}, batch_dims=1)
    with pytest.raises(ValueError, match="one start at a time"):
        run_batch(surface, make_optimizer("lbfgs", {"strong_wolfe": True}), [surface.start], 10)


def test_schedule_free_exposes_the_average_it_evaluates_and_the_gradient_point():
    _, grad, start = SURFACES["rosenbrock"]
    _, states = run("schedule_free_sgd", {"lr": 0.002}, grad, start, STEPS)
    ys, xs = reference.schedule_free_sgd(grad, start, STEPS, 0.002)
    averaging = states[-1][-1]
    close(averaging.evaluated, xs[-1])
    close(averaging.gradient_point, ys[-1])
    surface = make_surface("rosenbrock")
    trajectory = run_trajectory(surface, make_optimizer("schedule_free_sgd", {"lr": 0.002}), surface.start, 50)
    assert {"evaluated", "gradient_point", "z"} <= set(trajectory.state)
    assert np.allclose(trajectory.state["gradient_point"], trajectory.points[1:], rtol=1e-12)


def test_adamw_decay_pulls_toward_the_origin_where_the_gradient_is_zero():
    # On a flat region Adam's step is 0; AdamW still shrinks θ by ηλθ per step.
    path, _ = run("adamw", {"lr": 0.1, "weight_decay": 0.5}, lambda x: [0.0, 0.0], [2.0, -1.0], 10)
    assert np.allclose(path[-1], np.array([2.0, -1.0]) * (1 - 0.05) ** 10)


def test_lion_moves_every_coordinate_by_exactly_lr():
    path, _ = run("lion", {"lr": 0.01}, rosenbrock_grad, [-1.5, 2.0], 20)
    assert np.allclose(np.abs(np.diff(path, axis=0)), 0.01, rtol=1e-12)


def test_radam_first_steps_are_momentum_sgd_until_the_variance_is_tractable():
    # rho_t > 5 first at t = 6 for β2 = 0.999: steps 1..5 are lr · m̂ (gradient-sized), then adaptive.
    b2, rho_inf = 0.999, 2 / (1 - 0.999) - 1
    rho = [rho_inf - 2 * t * b2 ** t / (1 - b2 ** t) for t in range(1, 8)]
    assert [r > 5 for r in rho] == [False] * 5 + [True] * 2
    path, _ = run("radam", {"lr": 0.001}, lambda x: [300.0, -300.0], [0.0, 0.0], 6)
    assert np.allclose(np.diff(path, axis=0)[:5], [-0.3, 0.3])  # lr · m̂ = lr · g


def test_lbfgs_is_not_drawn_to_the_saddle_that_attracts_newton():
    surface = make_surface("saddle")
    newton = run_trajectory(surface, make_optimizer("newton"), surface.start, 50)
    quasi = run_trajectory(surface, make_optimizer("lbfgs", {"lr": 0.1}), surface.start, 50)
    assert np.linalg.norm(newton.points[-1]) < 1e-6  # Newton lands on the saddle at the origin
    assert surface.f(quasi.points[-1]) < surface.f(np.array(surface.start)) - 0.1  # L-BFGS went downhill


def test_new_optimizers_are_registered_with_their_capabilities():
    for name in ("adamw", "radam", "lion", "lbfgs", "schedule_free_sgd", "schedule_free_adamw"):
        assert name in FIRST_ORDER and OPTIMIZERS[name].surfaces
    assert "muon" in OPTIMIZERS and "muon" not in FIRST_ORDER
    assert not OPTIMIZERS["muon"].describe()["surfaces"] and "normalized momentum" in OPTIMIZERS["muon"].note
    with pytest.raises(ValueError, match="needs weight matrices"):
        make_optimizer("muon")
