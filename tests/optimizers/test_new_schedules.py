"""one_cycle, cosine_restarts, wsd and polynomial against torch's schedulers, transcribed as torch
steps them (once per update, the lr of update t being the scheduler's value after t steps)."""
import math

import pytest

from optimizers import SCHEDULES, make_optimizer, make_schedule


def torch_one_cycle(max_lr, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4,
                    anneal_strategy="cos", three_phase=False):
    """torch.optim.lr_scheduler.OneCycleLR.get_lr for last_epoch = 0..total_steps (cycle_momentum aside)."""
    initial = max_lr / div_factor
    low = initial / final_div_factor
    if three_phase:
        phases = [(float(pct_start * total_steps) - 1, initial, max_lr),
                  (float(2 * pct_start * total_steps) - 2, max_lr, initial), (total_steps - 1, initial, low)]
    else:
        phases = [(float(pct_start * total_steps) - 1, initial, max_lr), (total_steps - 1, max_lr, low)]
    out = []
    for step in range(total_steps + 1):
        start_step = 0.0
        for i, (end_step, start, end) in enumerate(phases):
            if step <= end_step or i == len(phases) - 1:
                pct = (step - start_step) / (end_step - start_step)
                if anneal_strategy == "cos":
                    out.append(end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1))
                else:
                    out.append((end - start) * pct + start)
                break
            start_step = end_step
    return out


def torch_warm_restarts(base, T_0, T_mult, eta_min, steps):  # noqa: N803
    """CosineAnnealingWarmRestarts.step() without an epoch argument, called steps times."""
    t_cur, t_i, out = 0, T_0, []
    for _ in range(steps):
        out.append(eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
        t_cur += 1
        if t_cur >= t_i:
            t_cur -= t_i
            t_i *= T_mult
    return out


def torch_polynomial(base, total_iters, power, steps):
    """PolynomialLR's chainable get_lr: lr_t = lr_{t-1} ((1 - t/T) / (1 - (t-1)/T))^power until T."""
    lr, out = base, [base]
    for t in range(1, steps):
        if t <= total_iters:
            lr = lr * ((1.0 - t / total_iters) / (1.0 - (t - 1) / total_iters)) ** power
        out.append(lr)
    return out


def close(ours, expected):
    for a, b in zip(ours, expected):
        assert abs(a - b) <= 1e-9 * abs(b) + 1e-15, (a, b)


@pytest.mark.parametrize("params, torch_args", [
    ({}, {}),
    ({"total_steps": 500, "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0},
     {"pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0}),
    ({"total_steps": 500, "linear_anneal": True}, {"anneal_strategy": "linear"}),
    ({"total_steps": 400, "three_phase": True, "pct_start": 0.2}, {"three_phase": True, "pct_start": 0.2}),
])
def test_one_cycle_is_torchs_one_cycle_lr_with_max_lr_the_optimizers_lr(params, torch_args):
    total = params.get("total_steps", 300)
    schedule = make_schedule("one_cycle", 0.2, params)
    close([schedule(t) for t in range(total + 1)], torch_one_cycle(0.2, total, **torch_args))
    assert max(schedule(t) for t in range(total)) == pytest.approx(0.2, rel=1e-3)


@pytest.mark.parametrize("T_0, T_mult, eta_min", [(100, 1, 0.0), (50, 2, 0.001), (7, 3, 0.01)])
def test_cosine_restarts_is_torchs_warm_restarts(T_0, T_mult, eta_min):  # noqa: N803
    schedule = make_schedule("cosine_restarts", 0.1, {"T_0": T_0, "T_mult": T_mult, "eta_min": eta_min})
    close([schedule(t) for t in range(700)], torch_warm_restarts(0.1, T_0, T_mult, eta_min, 700))


@pytest.mark.parametrize("total_iters, power", [(300, 1.0), (120, 2.0), (50, 0.5)])
def test_polynomial_is_torchs_polynomial_lr(total_iters, power):
    schedule = make_schedule("polynomial", 0.1, {"total_iters": total_iters, "power": power})
    close([schedule(t) for t in range(400)], torch_polynomial(0.1, total_iters, power, 400))


def test_wsd_holds_then_decays_in_its_last_fraction():
    schedule = make_schedule("wsd", 0.1, {"total_steps": 100, "decay_fraction": 0.2, "final_fraction": 0.1,
                                          "warmup_steps": 10})
    values = [schedule(t) for t in range(130)]
    assert values[:10] == pytest.approx([0.01 * (t + 1) for t in range(10)])  # warm-up composes as usual
    assert values[10:90] == pytest.approx([0.1] * 80)  # stable: schedule steps 0..79
    assert values[90] == pytest.approx(0.1) and values[100] == pytest.approx(0.1 + (0.01 - 0.1) * 0.5)
    assert values[110:] == pytest.approx([0.01] * 20)
    sqrt = make_schedule("wsd", 0.1, {"total_steps": 100, "decay_fraction": 0.2, "sqrt_decay": True})
    assert sqrt(85) == pytest.approx(0.1 * (1 - math.sqrt(0.25)))  # 1 − √ decays faster at first


def test_new_schedules_drive_an_optimizer_and_describe_their_parameters():
    optimizer = make_optimizer("adamw", {"lr": 0.05}, schedule=("one_cycle", {"total_steps": 100}))
    assert optimizer.learning_rate(0) == pytest.approx(0.05 / 25)
    for name in ("one_cycle", "cosine_restarts", "wsd", "polynomial"):
        described = SCHEDULES[name].describe()
        assert described["formula"] and described["idea"]
        assert "warmup_steps" in [h["name"] for h in described["hyperparameters"]]
