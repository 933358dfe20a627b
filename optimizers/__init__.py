"""Optimizers as pure (init, update) transformations over numpy arrays and pytrees.

    >>> from optimizers import make_optimizer, apply_updates
    >>> opt = make_optimizer("adam", {"lr": 0.1})
    >>> state = opt.transformation.init(params)
    >>> updates, state = opt.transformation.update(grads, state, params)
    >>> params = apply_updates(params, updates)
"""
from .registry import FIRST_ORDER, MLP_OPTIMIZERS, OPTIMIZERS, Optimizer, OptimizerSpec, make_optimizer
from .schedules import SCHEDULES, make_schedule
from .transform import GradientTransformation, apply_updates, chain

__all__ = ["FIRST_ORDER", "MLP_OPTIMIZERS", "OPTIMIZERS", "SCHEDULES", "GradientTransformation", "Optimizer",
           "OptimizerSpec", "apply_updates", "chain", "make_optimizer", "make_schedule"]
