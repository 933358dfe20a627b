"""Starting learning rates that make each optimizer move visibly on a surface.

A shared lr shows nothing: gradient steps scale with 1/curvature, adaptive steps with
the size of the plot. Each surface states one rate of each kind; these factors turn
them into per-optimizer defaults (momentum's velocity grows ~1/(1-μ) = 10x, so it
starts lower; AdaGrad's steps shrink as 1/√t, so it starts higher).
"""
from __future__ import annotations

from optimizers import OPTIMIZERS

_FACTORS = {
    "sgd": ("gradient", 1.0), "momentum": ("gradient", 0.3), "nesterov": ("gradient", 0.3),
    "adagrad": ("adaptive", 10.0), "adadelta": ("adaptive", 40.0), "rmsprop": ("adaptive", 0.3),
    "adam": ("adaptive", 1.0), "amsgrad": ("adaptive", 1.0), "adamax": ("adaptive", 1.0), "nadam": ("adaptive", 1.0),
}


def suggested_learning_rates(surface) -> dict[str, float]:
    rates = {"gradient": surface.gradient_lr, "adaptive": surface.adaptive_lr}
    out = {}
    for name, spec in OPTIMIZERS.items():
        if name in _FACTORS:
            kind, factor = _FACTORS[name]
            lr = rates[kind] * factor
        else:
            lr = next(h.default for h in spec.hyperparameters if h.name == "lr")
        out[name] = float(f"{min(lr, 100.0):.3g}")  # rounded: these end up on a slider and in URLs
    return out
