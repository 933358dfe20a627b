"""Schedule-free averaging (Defazio et al. 2024, "The Road Less Scheduled").

Three sequences: z takes the base optimizer's steps, x is a weighted running average of
z (the iterate to evaluate and to ship), and gradients are taken at the interpolation
y = (1 − β) z + β x. The parameters the runner holds, plots and differentiates are y;
x and z travel in the state, named so the plot can show them.

Placed after the lr scaling in a chain, it turns the base optimizer's z-updates into
y-updates, exactly as the `schedulefree` package's reference implementations
(SGDScheduleFreeReference, AdamWScheduleFreeReference) step:

    lr_max = max(lr_max, lr_t);  w = (k + 1)^r · lr_max^weight_lr_power;  c = w / Σw
    z ← z + u;  x ← (1 − c) x + c z;  y ← (1 − β) z + β x
"""
from __future__ import annotations

from typing import NamedTuple

from .transform import GradientTransformation, Schedule
from .tree import tree_map


class ScheduleFreeState(NamedTuple):
    count: int
    z: object  # the base optimizer's own sequence
    evaluated: object  # x: the average, what the reference evaluates in eval() mode
    gradient_point: object  # y: where the gradient is taken (the plotted point)
    weight_sum: float
    lr_max: float


def schedule_free_average(momentum: float, learning_rate: Schedule, r: float = 0.0,
                          weight_lr_power: float = 2.0) -> GradientTransformation:
    def init(params):
        copy = tree_map(lambda p: p.astype(float, copy=True), params)
        return ScheduleFreeState(0, copy, copy, copy, 0.0, -1.0)

    def update(updates, state, params=None, **context):
        k = state.count
        lr_max = max(learning_rate(k), state.lr_max)
        weight = (k + 1) ** r * lr_max ** weight_lr_power
        weight_sum = state.weight_sum + weight
        c = weight / weight_sum if weight_sum else 0.0
        z = tree_map(lambda a, u: a + u, state.z, updates)
        x = tree_map(lambda a, b: a * (1 - c) + b * c, state.evaluated, z)
        y = tree_map(lambda a, b: a * momentum + b * (1 - momentum), x, z)
        step = tree_map(lambda new, old: new - old, y, params)
        return step, ScheduleFreeState(k + 1, z, x, y, weight_sum, lr_max)

    return GradientTransformation(init, update)
