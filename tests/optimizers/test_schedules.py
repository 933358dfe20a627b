import math

import pytest

from optimizers import SCHEDULES, make_optimizer, make_schedule


@pytest.mark.parametrize("name, params, t, expected", [
    ("constant", {}, 50, 0.1),
    ("inverse_time", {"k": 0.5}, 4, 0.1 / 3),
    ("inverse_sqrt", {"k": 1.0}, 3, 0.1 / 2),
    ("exponential", {"k": 0.1}, 10, 0.1 * math.exp(-1)),
    ("exponential", {"gamma": 0.5}, 3, 0.1 / 8),
    ("power", {"k": 0.5}, 2, 0.025),
    ("step", {"drop": 0.1, "every": 10}, 9, 0.1),
    ("step", {"drop": 0.1, "every": 10}, 10, 0.01),
    ("step", {"drop": 0.1, "every": 10}, 25, 0.001),
    # lecture notes: eps_k = (1 - k/tau) eps_0 + (k/tau) eps_tau, then constant
    ("linear", {"tau": 100, "final_fraction": 0.01}, 50, 0.5 * 0.1 + 0.5 * 0.001),
    ("linear", {"tau": 100, "final_fraction": 0.01}, 500, 0.001),
    ("cosine", {"period": 100, "final_fraction": 0.0}, 50, 0.05),
    ("cosine", {"period": 100, "final_fraction": 0.1}, 100, 0.01),
    ("cosine", {"period": 100}, 400, 0.0),
])
def test_schedule_values(name, params, t, expected):
    assert math.isclose(make_schedule(name, 0.1, params)(t), expected, rel_tol=1e-12, abs_tol=1e-15)


def test_schedules_start_at_the_base_rate():
    for name in SCHEDULES:
        start = 0.3 / 25 if name == "one_cycle" else 0.3  # one cycle climbs from α0/div_factor by design
        assert math.isclose(make_schedule(name, 0.3)(0), start)


def test_linear_warmup_then_schedule():
    schedule = make_schedule("exponential", 1.0, {"k": 0.5, "warmup_steps": 4})
    assert [schedule(t) for t in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert math.isclose(schedule(6), math.exp(-1.0))


def test_schedule_validation_names_the_value():
    with pytest.raises(ValueError, match="Unknown schedule 'cyclic'"):
        make_schedule("cyclic", 0.1)
    with pytest.raises(ValueError, match=r"Invalid drop factor: 2.0 \(allowed: \[1e-06, 1\]\)"):
        make_schedule("step", 0.1, {"drop": 2.0})
    with pytest.raises(ValueError, match="Invalid every value: 2.5"):
        make_schedule("step", 0.1, {"every": 2.5})
    with pytest.raises(ValueError, match="Unknown hyperparameter 'gama'"):
        make_schedule("exponential", 0.1, {"gama": 0.9})


def test_optimizer_steps_with_its_schedule():
    import numpy as np
    optimizer = make_optimizer("sgd", {"lr": 1.0}, schedule=("step", {"drop": 0.5, "every": 1}))
    state = optimizer.transformation.init(np.zeros(1))
    steps = []
    for _ in range(3):
        updates, state = optimizer.transformation.update(np.ones(1), state)
        steps.append(float(updates[0]))
    assert steps == [-1.0, -0.5, -0.25]
