"""Every optimizer against torch.optim's documented algorithm and hand-worked steps."""
import math

import numpy as np
import pytest

from optimizers import FIRST_ORDER, apply_updates, make_optimizer

from . import reference


def rosenbrock_grad(p):
    x, y = p[0], p[1]
    return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]


def run(name, params, grad, start, steps, **options):
    optimizer = make_optimizer(name, params, **options)
    x = np.array(start, dtype=np.float64)
    state = optimizer.transformation.init(x)
    path = [x]
    for _ in range(steps):
        updates, state = optimizer.transformation.update(np.array(grad(list(x))), state, x)
        x = apply_updates(x, updates)
        path.append(x)
    return np.array(path)


CASES = [
    ("sgd", {"lr": 2e-4}, lambda g, x, n: reference.sgd(g, x, n, 2e-4)),
    ("sgd", {"lr": 2e-4, "weight_decay": 0.5}, lambda g, x, n: reference.sgd(g, x, n, 2e-4, weight_decay=0.5)),
    ("momentum", {"lr": 1e-4}, lambda g, x, n: reference.sgd(g, x, n, 1e-4, momentum=0.9)),
    ("sgd", {"lr": 1e-4, "momentum": 0.7, "nesterov": True},
     lambda g, x, n: reference.sgd(g, x, n, 1e-4, momentum=0.7, nesterov=True)),
    ("momentum", {"lr": 1e-4, "momentum": 0.5, "dampening": 0.3},
     lambda g, x, n: reference.sgd(g, x, n, 1e-4, momentum=0.5, dampening=0.3)),
    ("nesterov", {"lr": 1e-4}, lambda g, x, n: reference.sgd(g, x, n, 1e-4, momentum=0.9, nesterov=True)),
    ("adagrad", {"lr": 0.1}, lambda g, x, n: reference.adagrad(g, x, n, 0.1)),
    ("adagrad", {"lr": 0.1, "lr_decay": 0.05, "initial_accumulator_value": 0.3},
     lambda g, x, n: reference.adagrad(g, x, n, 0.1, lr_decay=0.05, initial_accumulator_value=0.3)),
    ("adadelta", {}, lambda g, x, n: reference.adadelta(g, x, n)),
    ("adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-3}, lambda g, x, n: reference.adadelta(g, x, n, 0.5, 0.5, 1e-3)),
    ("rmsprop", {"lr": 0.01}, lambda g, x, n: reference.rmsprop(g, x, n, 0.01)),
    ("rmsprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "alpha": 0.9},
     lambda g, x, n: reference.rmsprop(g, x, n, 0.01, alpha=0.9, momentum=0.5, centered=True)),
    ("adam", {"lr": 0.02}, lambda g, x, n: reference.adam(g, x, n, 0.02)),
    ("adam", {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-3},
     lambda g, x, n: reference.adam(g, x, n, 0.02, 0.5, 0.9, 1e-3)),
    ("amsgrad", {"lr": 0.02}, lambda g, x, n: reference.adam(g, x, n, 0.02, amsgrad=True)),
    ("adamax", {"lr": 0.02}, lambda g, x, n: reference.adamax(g, x, n, 0.02)),
    ("nadam", {"lr": 0.02}, lambda g, x, n: reference.nadam(g, x, n, 0.02)),
    ("nadam", {"lr": 0.02, "momentum_decay": 0.1}, lambda g, x, n: reference.nadam(g, x, n, 0.02, momentum_decay=0.1)),
]


@pytest.mark.parametrize("name, params, algorithm", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_path_matches_torch_documented_algorithm(name, params, algorithm):
    ours = run(name, params, rosenbrock_grad, [-1.5, 2.0], 150)
    expected = np.array(algorithm(rosenbrock_grad, [-1.5, 2.0], 150))
    assert np.allclose(ours, expected, rtol=1e-12, atol=1e-12)
    assert not np.allclose(ours[-1], ours[0])  # the test problem really moved


def test_every_first_order_optimizer_has_a_reference_case():
    from .test_new_optimizers import CASES as NEW_CASES
    assert {c[0] for c in CASES + NEW_CASES} == set(FIRST_ORDER)


# Hand-worked first steps from (1, -2) on the gradient g = (3, -4).
G = [3.0, -4.0]


def first_step(name, params):
    return run(name, params, lambda x: G, [1.0, -2.0], 1)[1] - np.array([1.0, -2.0])


def test_sgd_first_step_is_minus_lr_g():
    assert np.allclose(first_step("sgd", {"lr": 0.1}), [-0.3, 0.4])


def test_adam_first_step_is_lr_times_sign():
    # m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps).
    assert np.allclose(first_step("adam", {"lr": 0.1}), [-0.1 * 3 / (3 + 1e-8), 0.1 * 4 / (4 + 1e-8)], rtol=1e-14)


def test_rmsprop_first_step_is_ten_times_lr():
    # v = 0.01 g², sqrt(v) = 0.1 |g|: the first step is lr / 0.1 = 10 lr per coordinate.
    assert np.allclose(first_step("rmsprop", {"lr": 0.01}), [-0.1, 0.1], rtol=1e-6)


def test_adagrad_first_step():
    assert np.allclose(first_step("adagrad", {"lr": 0.5}), [-0.5, 0.5], rtol=1e-9)


def test_adadelta_first_step():
    # v = 0.1 g², u = 0: step = sqrt(eps) / sqrt(0.1 g² + eps) * g.
    expected = [-math.sqrt(1e-6) / math.sqrt(0.1 * g * g + 1e-6) * g for g in G]
    assert np.allclose(first_step("adadelta", {}), expected, rtol=1e-12)


def test_adamax_first_step():
    assert np.allclose(first_step("adamax", {"lr": 0.2}), [-0.2 * 3 / (3 + 1e-8), 0.2 * 4 / (4 + 1e-8)], rtol=1e-14)


def test_nadam_first_step():
    mu1 = 0.9 * (1 - 0.5 * 0.96 ** 0.004)
    mu2 = 0.9 * (1 - 0.5 * 0.96 ** 0.008)
    # m = 0.1 g, v = 0.001 g², denominator sqrt(v / 0.001) = |g|.
    expected = [-0.1 * (g / abs(g)) * (1 + mu2 * 0.1 / (1 - mu1 * mu2)) for g in G]
    assert np.allclose(first_step("nadam", {"lr": 0.1}), expected, rtol=1e-7)


def test_nesterov_first_two_steps():
    # b1 = g, step1 = -lr (g + mu g); b2 = mu g + g, step2 = -lr (g + mu b2), on a constant gradient.
    path = run("nesterov", {"lr": 0.1, "momentum": 0.5}, lambda x: G, [0.0, 0.0], 2)
    g = np.array(G)
    assert np.allclose(path[1], -0.1 * 1.5 * g)
    assert np.allclose(path[2] - path[1], -0.1 * (g + 0.5 * 1.5 * g))


def test_amsgrad_keeps_the_largest_second_moment():
    grads = iter([[10.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    path = run("amsgrad", {"lr": 1.0, "betas": [0.0, 0.5], "eps": 1e-12}, lambda x: next(grads), [0.0, 0.0], 3)
    # b1 = 0: m = g. v: 50, 25.5, 13.25 -> max stays 50. Step 3: 1 / (sqrt(50 / (1 - 0.125)))
    assert math.isclose(path[3][0] - path[2][0], -1.0 / math.sqrt(50 / 0.875), rel_tol=1e-9)


def test_lecture_ema_momentum_option():
    path = run("momentum", {"lr": 1.0, "momentum": 0.9, "ema": True}, lambda x: G, [0.0, 0.0], 2)
    assert np.allclose(path[1], -0.1 * np.array(G))  # v1 = 0.1 g
    assert np.allclose(path[2] - path[1], -0.19 * np.array(G))  # v2 = 0.9 * 0.1 g + 0.1 g


def test_gd_on_quadratic_matches_closed_form():
    # f = a x² / 2: x_t = (1 - lr a)^t x_0.
    a, lr = 3.0, 0.1
    path = run("sgd", {"lr": lr}, lambda x: [a * x[0], a * x[1]], [2.0, -1.0], 40)
    t = np.arange(41)[:, None]
    assert np.allclose(path, (1 - lr * a) ** t * np.array([2.0, -1.0]), rtol=1e-12)


def test_heavy_ball_on_quadratic_matches_characteristic_roots():
    # x_{t+1} = (1 + mu - lr a) x_t - mu x_{t-1}: a linear recurrence with closed-form roots.
    a, lr, mu = 1.0, 0.1, 0.5
    path = run("momentum", {"lr": lr, "momentum": mu}, lambda x: [a * x[0], a * x[1]], [1.0, 0.0], 30)[:, 0]
    roots = np.roots([1, -(1 + mu - lr * a), mu])
    x0, x1 = 1.0, 1.0 - lr * a
    coefficients = np.linalg.solve(np.vander(roots, 2, increasing=True).T, [x0, x1])
    closed = [np.real(np.sum(coefficients * roots ** t)) for t in range(31)]
    assert np.allclose(path, closed, atol=1e-12)


def test_works_on_pytrees_like_separate_arrays():
    optimizer = make_optimizer("adam", {"lr": 0.1})
    tree = {"w": [np.ones((2, 3)), np.full(3, 2.0)], "b": np.zeros(4)}
    grads = {"w": [np.full((2, 3), 0.5), np.arange(3.0)], "b": -np.ones(4)}
    updates, _ = optimizer.transformation.update(grads, optimizer.transformation.init(tree), tree)
    single, _ = optimizer.transformation.update(np.arange(3.0), optimizer.transformation.init(np.full(3, 2.0)), None)
    assert np.allclose(updates["w"][1], single)
    assert updates["b"].shape == (4,) and np.allclose(updates["b"], 0.1 * 1 / (1 + 1e-8))


def test_batch_of_points_updates_row_by_row():
    optimizer = make_optimizer("rmsprop", {"lr": 0.01, "momentum": 0.3})
    rows = np.array([[1.0, -2.0], [0.5, 4.0], [-3.0, 0.1]])
    batched, _ = optimizer.transformation.update(rows, optimizer.transformation.init(rows), rows)
    for row, out in zip(rows, batched):
        alone, _ = optimizer.transformation.update(row, optimizer.transformation.init(row), row)
        assert np.allclose(alone, out)


def test_weight_decay_adds_lambda_theta_to_the_gradient():
    optimizer = make_optimizer("sgd", {"lr": 0.1, "weight_decay": 0.5})
    params = np.array([2.0, -4.0])
    updates, _ = optimizer.transformation.update(np.zeros(2), optimizer.transformation.init(params), params)
    assert np.allclose(updates, -0.1 * 0.5 * params)


def test_gradient_clipping_bounds_the_norm():
    optimizer = make_optimizer("sgd", {"lr": 1.0}, clip_norm=1.0)
    updates, _ = optimizer.transformation.update(np.array([30.0, 40.0]), optimizer.transformation.init(np.zeros(2)))
    assert np.allclose(updates, [-0.6, -0.8], atol=1e-6)
    small, _ = optimizer.transformation.update(np.array([0.3, 0.4]), optimizer.transformation.init(np.zeros(2)))
    assert np.allclose(small, [-0.3, -0.4])


def test_batched_clipping_is_per_start():
    optimizer = make_optimizer("sgd", {"lr": 1.0}, clip_norm=1.0, batch_dims=1)
    grads = np.array([[30.0, 40.0], [0.3, 0.4]])
    updates, _ = optimizer.transformation.update(grads, optimizer.transformation.init(grads))
    assert np.allclose(updates, [[-0.6, -0.8], [-0.3, -0.4]], atol=1e-6)


def test_newton_solves_a_quadratic_in_one_step():
    hessian = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([1.0, -1.0])
    optimizer = make_optimizer("newton")
    updates, _ = optimizer.transformation.update(hessian @ x, optimizer.transformation.init(x), x, hessian=hessian)
    assert np.allclose(x + updates, 0.0)


def test_newton_survives_a_singular_hessian():
    optimizer = make_optimizer("newton")
    x = np.array([1.0, 1.0])
    updates, _ = optimizer.transformation.update(np.array([1.0, 0.0]), optimizer.transformation.init(x), x,
                                                 hessian=np.array([[1.0, 0.0], [0.0, 0.0]]))
    assert np.allclose(updates, [-1.0, 0.0])
