"""The update rule shown is the rule run: each option that is on adds its term, and the texts hold."""
import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, SCHEDULES, make_optimizer, make_schedule


def rule(name, **params):
    return " ".join(OPTIMIZERS[name].update_rule(params))


@pytest.mark.parametrize("name, params, term, absent_by_default", [
    ("sgd", {"momentum": 0.9}, r"\mu v_{t-1}", True),
    ("sgd", {"momentum": 0.9, "nesterov": True}, r"g_t + \mu v_t", True),
    ("sgd", {"momentum": 0.9, "dampening": 0.3}, r"(1 - \tau)\, g_t", True),
    ("momentum", {"dampening": 0.3}, r"(1 - \tau)\, g_t", True),
    ("momentum", {"ema": True}, r"(1 - \mu)\, g_t", True),
    ("sgd", {"weight_decay": 0.1}, r"+ \lambda\, \theta_{t-1}", True),
    ("adam", {"weight_decay": 0.1}, r"+ \lambda\, \theta_{t-1}", True),
    ("rmsprop", {"centered": True}, r"\sqrt{v_t - \bar g_t^2}", True),
    ("rmsprop", {"momentum": 0.5}, r"b_t = \mu b_{t-1}", True),
    ("adagrad", {"lr_decay": 0.1}, r"(t-1)\,\delta", True),
    ("adagrad", {"initial_accumulator_value": 0.1}, r"G_0 = G_{\mathrm{init}}", True),
    ("amsgrad", {}, r"\max(v^{\max}_{t-1}, v_t)", False),
    ("newton", {"damping": 1.0}, r"\lambda I", True),
])
def test_each_option_that_is_on_adds_its_term(name, params, term, absent_by_default):
    assert term in rule(name, **params)
    if absent_by_default:
        assert term not in rule(name)


def test_nesterov_optimizer_always_shows_the_look_ahead():
    assert r"g_t + \mu v_t" in rule("nesterov")
    assert r"g_t + \mu v_t" not in rule("momentum")


def test_options_that_would_be_ignored_are_refused_like_the_run():
    for params in ({"nesterov": True}, {"momentum": 0.9, "dampening": 0.1, "nesterov": True}):
        with pytest.raises(ValueError, match="Nesterov"):
            OPTIMIZERS["sgd"].update_rule(params)
        with pytest.raises(ValueError, match="Nesterov"):
            make_optimizer("sgd", params)
    with pytest.raises(ValueError, match="dampening does not apply"):
        make_optimizer("momentum", {"ema": True, "dampening": 0.5})


def test_every_rule_converts_and_the_metadata_shows_the_default_rule():
    for spec in OPTIMIZERS.values():
        assert spec.describe()["update_rule"] == spec.update_rule()
        assert all(line.strip() for line in spec.update_rule())


@pytest.mark.parametrize("name, field", [("rmsprop", "alpha"), ("adadelta", "rho"), ("momentum", "momentum"),
                                         ("sgd", "momentum"), ("rmsprop", "momentum")])
def test_decay_factors_are_bounded_below_one_like_torch(name, field):
    with pytest.raises(ValueError, match="allowed: \\[0, 1\\)"):
        make_optimizer(name, {field: 1.0})
    make_optimizer(name, {field: 0.999})


def test_rmsprop_alpha_one_would_divide_by_zero_at_step_one():
    # Why α = 1 is refused: v_1 = α·0 + (1 − α) g² = 0, so the first step is g / ε.
    g, eps = 3.0, 1e-8
    v1 = 1.0 * 0 + (1 - 1.0) * g * g
    assert g / (math.sqrt(v1) + eps) > 1e8


def test_amsgrad_running_maximum_never_decreases_but_the_corrected_denominator_can_shrink():
    optimizer = make_optimizer("amsgrad", {"lr": 0.01})
    x = np.array([1.0])
    state = optimizer.transformation.init(x)
    v_max, denominators = [], []
    for t, g in enumerate([5.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], start=1):
        _, state = optimizer.transformation.update(np.array([g]), state, x)
        adam_state = state[0]
        v_max.append(float(adam_state.v_max[0]))
        denominators.append(math.sqrt(v_max[-1] / (1 - 0.999 ** t)))
    assert all(b >= a for a, b in zip(v_max, v_max[1:]))
    assert denominators[-1] < denominators[1]  # so "the denominator never shrinks" would be false
    assert "never decreases" in OPTIMIZERS["amsgrad"].idea


def test_inverse_sqrt_text_its_large_t_form_is_the_slides_with_factor_one_over_root_k():
    lr, k = 0.4, 0.1
    schedule = make_schedule("inverse_sqrt", lr, {"k": k})
    t = 10 ** 7
    assert math.isclose(schedule(t) * math.sqrt(t), lr / math.sqrt(k), rel_tol=1e-6)
    assert "1/√k" in SCHEDULES["inverse_sqrt"].idea


def test_sgd_defaults_are_torch_sgd_lr():
    for name in ("sgd", "momentum", "nesterov"):
        assert {h.name: h.default for h in OPTIMIZERS[name].hyperparameters}["lr"] == 1e-3


def test_help_texts_do_not_speak_of_one_course():
    for spec in list(OPTIMIZERS.values()) + list(SCHEDULES.values()):
        texts = [spec.idea] + [h.meaning for h in spec.hyperparameters]
        assert not any("The slides" in text or "the slides'" in text for text in texts), spec.name


@pytest.mark.parametrize("name, params, term", [
    ("adamw", {"weight_decay": 0.1}, r"+ \lambda\, \theta_{t-1}\right)"),  # decoupled: outside the fraction
    ("adamw", {"amsgrad": True}, r"v^{\max}_t"),
    ("lion", {"weight_decay": 0.1}, r"\operatorname{sign}(c_t) + \lambda\, \theta_{t-1}"),
    ("lbfgs", {"strong_wolfe": True}, "strong Wolfe"),
    ("schedule_free_sgd", {"weight_decay": 0.1}, r"g_t + \lambda\, y_t"),
    ("schedule_free_adamw", {"weight_decay": 0.1}, r"+ \lambda\, y_t"),
    ("muon", {"nesterov": True}, r"(1 - \mu)\, g_t + \mu B_t"),
])
def test_new_optimizers_rules_follow_their_options(name, params, term):
    shown = rule(name, **params)
    assert term in shown
    assert r"\nabla f(\theta_{t-1}) + \lambda" not in shown  # no coupled L2 line for these
    assert term not in rule(name, **{key: False if isinstance(v, bool) else 0.0 for key, v in params.items()})
