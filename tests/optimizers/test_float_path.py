"""A single 2D path steps in Python floats, batches and the MLP in numpy arrays, through the same
kernels (optimizers/elementwise.py). These tests prove the two give the same bits, for every
coordinate-wise optimizer and option, on every kind of surface, and that the float path follows
torch's documented algorithms (tests/optimizers/reference.py) like the array path does."""
import numpy as np
import pytest

from optimizers import FIRST_ORDER, make_optimizer
from surfaces import make_surface, run_batch, run_trajectory
from surfaces.runner import _run_in_arrays

from . import reference
from .test_new_optimizers import CASES as NEW_CASES
from .test_update_rules import CASES as CLASSIC_CASES, rosenbrock_grad

CASES = [case for case in CLASSIC_CASES + NEW_CASES if case[0] != "lbfgs"]  # L-BFGS is not coordinate-wise
IDS = [f"{case[0]}-{index}" for index, case in enumerate(CASES)]
# Options the reference cases leave out: the lecture's EMA momentum, Adam without bias correction,
# RMSProp centered without momentum, decay where torch couples it, schedules, warm-up and clipping.
EXTRA = [
    ("momentum", {"lr": 1e-3, "ema": True}, {}),
    ("adam", {"lr": 0.05, "bias_correction": False}, {}),
    ("rmsprop", {"lr": 0.01, "centered": True}, {}),
    ("adagrad", {"lr": 0.1, "weight_decay": 0.2}, {}),
    ("adam", {"lr": 0.05, "weight_decay": 0.1}, {"schedule": ("exponential", {"gamma": 0.99, "warmup_steps": 10})}),
    ("nadam", {"lr": 0.02}, {"schedule": ("cosine", {"period": 100})}),
    ("sgd", {"lr": 5e-3, "momentum": 0.9}, {"clip_norm": 1.0}),
    ("adamw", {"lr": 0.02, "amsgrad": True}, {"clip_norm": 0.5}),
]
SURFACES = ["rosenbrock", "himmelblau", "rastrigin", "quadratic",  # written once on x, y (floats)
            "beale", "canyon", "plateau", "saddle"]  # evaluated through numpy arrays


def same_bits(a, b):
    assert a.shape == b.shape and np.array_equal(a, b), np.max(np.abs(a - b)) if a.shape == b.shape else a.shape


def assert_identical(floats, arrays):
    for field in ("points", "loss", "grad", "lr"):
        same_bits(getattr(floats, field), getattr(arrays, field))
    assert list(floats.state) == list(arrays.state)
    for name in floats.state:
        same_bits(floats.state[name], arrays.state[name])
    assert (floats.status, floats.event_step, floats.end_kind) == (arrays.status, arrays.event_step, arrays.end_kind)


def test_every_coordinate_wise_optimizer_runs_in_floats():
    singles = {name for name in FIRST_ORDER if make_optimizer(name).transformation.rules is not None}
    assert singles == set(FIRST_ORDER) - {"lbfgs"}
    assert make_optimizer("newton").transformation.rules is None  # it needs the Hessian: arrays only


@pytest.mark.parametrize("surface_name", SURFACES)
@pytest.mark.parametrize("name, params, algorithm", CASES, ids=IDS)
def test_float_path_gives_the_array_paths_bits(surface_name, name, params, algorithm):
    surface = make_surface(surface_name)
    optimizer = make_optimizer(name, params)
    floats = run_trajectory(surface, optimizer, surface.start, 200)
    arrays = surface_runner_in_arrays(surface, optimizer, surface.start, 200)
    assert_identical(floats, arrays)
    assert floats.steps_taken > 0


@pytest.mark.parametrize("surface_name", ["rosenbrock", "canyon", "rastrigin"])
@pytest.mark.parametrize("name, params, options", EXTRA, ids=[f"{e[0]}-{i}" for i, e in enumerate(EXTRA)])
def test_options_give_the_same_bits_in_floats(surface_name, name, params, options):
    surface = make_surface(surface_name)
    optimizer = make_optimizer(name, params, **options)
    assert_identical(run_trajectory(surface, optimizer, surface.start, 200),
                     surface_runner_in_arrays(surface, optimizer, surface.start, 200))


@pytest.mark.parametrize("noise, batch_size", [(0.5, None), (0.0, 5), (0.2, 8)])
def test_noisy_and_mini_batch_gradients_give_the_same_bits(noise, batch_size):
    surface = make_surface("linear_regression")
    optimizer = make_optimizer("adam", {"lr": 0.05})
    options = dict(noise=noise, batch_size=batch_size, seed=3)
    floats = run_trajectory(surface, optimizer, surface.start, 150, **options)
    arrays = _run_in_arrays(surface, optimizer, surface.start, 150, noise, batch_size, 3)
    from surfaces.runner import _classify_end, _cut_at_overflowing_state
    assert_identical(floats, _classify_end(surface, _cut_at_overflowing_state(arrays)))


def surface_runner_in_arrays(surface, optimizer, start, steps):
    from surfaces.runner import _classify_end, _cut_at_overflowing_state
    return _classify_end(surface, _cut_at_overflowing_state(_run_in_arrays(surface, optimizer, start, steps, 0.0,
                                                                          None, 0)))


@pytest.mark.parametrize("name, params, algorithm", CASES, ids=IDS)
def test_the_float_path_follows_the_reference_algorithm(name, params, algorithm):
    surface = make_surface("rosenbrock")
    path = run_trajectory(surface, make_optimizer(name, params), [-1.5, 2.0], 150)
    expected = np.array(algorithm(rosenbrock_grad, [-1.5, 2.0], 150))[:path.steps_taken + 1]
    assert np.allclose(path.points, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("surface_name", ["rosenbrock", "himmelblau", "rastrigin"])
@pytest.mark.parametrize("name", ["sgd", "adam", "amsgrad", "nadam", "lion", "schedule_free_adamw"])
def test_a_batch_ends_where_each_single_path_ends(surface_name, name):
    surface = make_surface(surface_name)
    lr = {"sgd": 1e-4}.get(name, 0.01)
    starts = np.random.default_rng(1).uniform(*np.array(surface.domain).T, size=(6, 2))
    batch = run_batch(surface, make_optimizer(name, {"lr": lr}, batch_dims=1), starts, 120)
    for start, final, status, taken in zip(starts, batch.finals, batch.statuses, batch.steps_taken):
        single = run_trajectory(surface, make_optimizer(name, {"lr": lr}), start, 120)
        if status == single.status == "max_steps":
            same_bits(final, single.points[-1])
            assert taken == single.steps_taken


def test_reference_cases_cover_every_coordinate_wise_optimizer():
    assert {case[0] for case in CASES} | {"lbfgs"} == set(FIRST_ORDER)
    assert reference  # the algorithms come from the transcribed torch references


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
def test_starts_that_finish_early_leave_the_others_stepping_as_alone(name):
    # On the quadratic bowl (curvatures 1 and 4) with lr 0.6 SGD converges along x alone and
    # diverges wherever y != 0; the adaptive optimizers' steps stay bounded. A batch mixing starts
    # that converge, diverge and run on must end each start exactly where its single path ends:
    # the starts that finish leave the batch (surfaces/runner.py) and must take nothing with them.
    surface = make_surface("quadratic")
    lr = {"sgd": 0.6, "momentum": 0.05}.get(name, 0.05)
    starts = np.array([[1.0, 0.0], [1.0, 1.0], [-3.0, 2.0], [0.0, 0.0], [2.0, -0.5], [1e-9, 0.0], [-2.0, 0.0]])
    batch = run_batch(surface, make_optimizer(name, {"lr": lr}, batch_dims=1), starts, 400)
    # the scene does mix outcomes or finishing steps, with starts still running after others end
    assert len(set(zip(batch.statuses, batch.steps_taken))) >= 3, (batch.statuses, batch.steps_taken)
    for start, final, status, taken in zip(starts, batch.finals, batch.statuses, batch.steps_taken):
        single = run_trajectory(surface, make_optimizer(name, {"lr": lr}), start, 400)
        assert (status, taken) == (single.status, single.steps_taken)
        same_bits(final, single.points[-1])
