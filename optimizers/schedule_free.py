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

from .elementwise import PARAM, Rule, transformation
from .transform import GradientTransformation, Schedule


class ScheduleFreeState(NamedTuple):
    count: int
    weight_sum: float
    lr_max: float
    z: object  # the base optimizer's own sequence
    evaluated: object  # x: the average, what the reference evaluates in eval() mode
    gradient_point: object  # y: where the gradient is taken (the plotted point)


def schedule_free_average(momentum: float, learning_rate: Schedule, r: float = 0.0,
                          weight_lr_power: float = 2.0) -> GradientTransformation:
    def advance(shared, incoming, ops):
        k, weight_sum, lr_max = shared
        lr_max = max(learning_rate(k), lr_max)
        weight = (k + 1) ** r * lr_max ** weight_lr_power
        weight_sum = weight_sum + weight
        c = weight / weight_sum if weight_sum else 0.0
        return (c,), (k + 1, weight_sum, lr_max)

    def kernel(ops):
        def step(u, p, constants, leaves):
            c, = constants
            z, x, _ = leaves
            z = z + u
            x = x * (1 - c) + z * c
            y = x * momentum + z * (1 - momentum)
            return y - p, (z, x, y)
        return step

    return transformation(Rule(ScheduleFreeState, (0, 0.0, -1.0), (PARAM, PARAM, PARAM), advance, kernel))
