import pytest

from optimizers import OPTIMIZERS, make_optimizer
from optimizers.registry import FIRST_ORDER


def test_first_order_optimizers_and_newton():
    assert FIRST_ORDER == ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "amsgrad",
                           "adamax", "nadam", "adamw", "radam", "lion", "lbfgs", "schedule_free_sgd",
                           "schedule_free_adamw")
    assert "newton" in OPTIMIZERS and OPTIMIZERS["newton"].needs_hessian


@pytest.mark.parametrize("name, defaults", [
    ("sgd", {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0}),
    ("momentum", {"lr": 1e-3}),
    ("nesterov", {"lr": 1e-3}),
    ("momentum", {"momentum": 0.9, "dampening": 0.0}),
    ("nesterov", {"momentum": 0.9}),
    ("adagrad", {"lr": 0.01, "lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}),
    ("adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.0, "centered": False}),
    ("adam", {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}),
    ("amsgrad", {"lr": 0.001, "betas": (0.9, 0.999)}),
    ("adamax", {"lr": 0.002, "eps": 1e-8}),
    ("nadam", {"lr": 0.002, "momentum_decay": 4e-3}),
])
def test_defaults_are_torch_defaults(name, defaults):
    schema = {h.name: h.default for h in OPTIMIZERS[name].hyperparameters}
    for key, value in defaults.items():
        assert schema[key] == value


@pytest.mark.parametrize("params, message", [
    ({"lr": -1.0}, "Invalid learning rate: -1.0"),
    ({"lr": float("nan")}, "Invalid learning rate: nan"),
    ({"betas": [0.9, 1.0]}, "Invalid beta parameter at index 1: 1.0"),
    ({"betas": [0.9]}, "Invalid beta parameter"),
    ({"eps": 0}, "Invalid epsilon value: 0"),
    ({"weight_decay": -0.1}, "Invalid weight_decay value: -0.1"),
    ({"momentum": 0.9}, "Unknown hyperparameter 'momentum' for adam; valid: lr, betas, eps, weight_decay"),
])
def test_bad_hyperparameters_raise_naming_the_value(params, message):
    with pytest.raises(ValueError) as error:
        make_optimizer("adam", params)
    assert message in str(error.value)


def test_bad_boolean_and_name():
    with pytest.raises(ValueError, match="Invalid centered flag: 'yes'"):
        make_optimizer("rmsprop", {"centered": "yes"})
    with pytest.raises(ValueError, match="Unknown optimizer 'adamx'; valid: sgd, momentum"):
        make_optimizer("adamx")
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        make_optimizer("sgd", {"nesterov": True})
    with pytest.raises(ValueError, match="Invalid clip_norm"):
        make_optimizer("sgd", clip_norm=0)


def test_metadata_describes_every_hyperparameter():
    for spec in OPTIMIZERS.values():
        described = spec.describe()
        assert described["update_rule"] and described["reference"] and described["idea"]
        for h in described["hyperparameters"]:
            assert h["meaning"]
            if h["kind"] != "bool":
                assert h["minimum"] < h["maximum"]


def test_every_optimizer_declares_how_its_lr_scales_and_every_parameter_a_human_title():
    from optimizers import SCHEDULES
    from optimizers.registry import LR_FAMILIES
    for spec in OPTIMIZERS.values():
        assert spec.describe()["lr_family"] in LR_FAMILIES
    assert OPTIMIZERS["sgd"].lr_family == "gradient" and OPTIMIZERS["adam"].lr_family == "adaptive"
    assert OPTIMIZERS["newton"].lr_family == "newton"
    for spec in list(OPTIMIZERS.values()) + list(SCHEDULES.values()):
        for h in spec.hyperparameters:
            assert h.title, f"{spec.name}.{h.name} has no title"
