"""Composable gradient transformations (optax's idea, torch.optim's arithmetic).

A transformation is a pair of pure functions:

    init(params) -> state
    update(grads, state, params=None, **context) -> (updates, state)

State is an immutable NamedTuple. An optimizer is a chain of transformations that
ends with a learning-rate scale, and `apply_updates` adds the result to the
parameters. `context` carries extra per-step information only some
transformations need (Newton's method takes the Hessian from it).
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional, Union

import numpy as np

from .elementwise import Rule, transformation
from .tree import tree_map

Schedule = Callable[[int], float]
LearningRate = Union[float, Schedule]


class GradientTransformation(NamedTuple):
    init: Callable
    update: Callable
    # The coordinate-wise Rules this transformation runs, in order (optimizers/elementwise.py),
    # or None if some part is not coordinate-wise (L-BFGS, Newton, Muon): then only the array
    # path exists, and a single 2D path cannot run in Python floats.
    rules: Optional[tuple] = None


class EmptyState(NamedTuple):
    pass


class CountState(NamedTuple):
    count: int


class TraceState(NamedTuple):
    count: int
    velocity: object


def zeros_like_tree(params):
    return tree_map(lambda p: np.zeros_like(p, dtype=np.float64), params)


def as_schedule(learning_rate: LearningRate) -> Schedule:
    if callable(learning_rate):
        return learning_rate
    constant = float(learning_rate)
    return lambda step: constant


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    if len(transforms) == 1:
        return transforms[0]

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(grads, state, params=None, **context):
        new_state = []
        for transform, sub_state in zip(transforms, state):
            grads, sub_state = transform.update(grads, sub_state, params, **context)
            new_state.append(sub_state)
        return grads, tuple(new_state)

    coordinate_wise = all(t.rules is not None for t in transforms)
    rules = tuple(rule for t in transforms for rule in t.rules) if coordinate_wise else None
    return GradientTransformation(init, update, rules)


def apply_updates(params, updates):
    return tree_map(lambda p, u: p + u, params, updates)


def _count_only(shared, incoming, ops):
    count, = shared
    return (count,), (count + 1,)


def _stateless(shared, incoming, ops):
    return (), ()


def scale_by_learning_rate(learning_rate: LearningRate) -> GradientTransformation:
    """Multiply by -lr(t), t = 0 for the first update (a torch scheduler stepped after each update)."""
    schedule = as_schedule(learning_rate)

    def advance(shared, incoming, ops):
        count, = shared
        return (-schedule(count),), (count + 1,)

    def kernel(ops):
        def step(g, p, constants, leaves):
            return constants[0] * g, leaves
        return step

    return transformation(Rule(CountState, (0,), (), advance, kernel))


def add_decayed_weights(weight_decay: float, mask=None) -> GradientTransformation:
    """u <- u + weight_decay * mask * param (optax's add_decayed_weights).

    Placed before the scaling it is torch's coupled L2 penalty (SGD, Adam: the decay is
    divided by Adam's denominator too); placed after the scaling and before the lr it is
    decoupled decay (AdamW, Lion: θ shrinks by η·λ·θ each step). mask is an array like the
    parameters of 0/1 weights (None: decay everything); an MLP masks off its biases.
    """

    def kernel(ops):
        def step(g, p, constants, leaves):
            if weight_decay == 0.0:
                return g, leaves
            if mask is None:
                return g + weight_decay * p, leaves
            return g + weight_decay * mask * p, leaves
        return step

    return transformation(Rule(EmptyState, (), (), _stateless, kernel))


def clip_by_global_norm(max_norm: float, batch_dims: int = 0) -> GradientTransformation:
    """Rescale the gradient so its norm is at most max_norm (torch.nn.utils.clip_grad_norm_).

    batch_dims=1 clips each independent problem of a batch (each start point) on its own.
    """

    def advance(shared, incoming, ops):
        norm = ops.global_norm(incoming, batch_dims)
        # torch multiplies by max_norm / (norm + 1e-6), clamped to 1.
        return (ops.minimum(1.0, max_norm / (norm + 1e-6)),), ()

    def kernel(ops):
        def step(g, p, constants, leaves):
            return g * constants[0], leaves
        return step

    return transformation(Rule(EmptyState, (), (), advance, kernel))


def trace(momentum: float, dampening: float = 0.0, nesterov: bool = False) -> GradientTransformation:
    """torch.optim.SGD's momentum buffer.

    b_1 = g_1;  b_t = mu * b_{t-1} + (1 - dampening) * g_t
    output: g_t + mu * b_t if nesterov else b_t
    """

    def kernel(ops):
        def step(g, p, constants, leaves):
            velocity = g if constants[0] == 0 else momentum * leaves[0] + (1.0 - dampening) * g
            return (g + momentum * velocity if nesterov else velocity), (velocity,)
        return step

    return transformation(Rule(TraceState, (0,), (0.0,), _count_only, kernel))


def scale_by_ema_momentum(beta: float) -> GradientTransformation:
    """The lecture notes' momentum: v_t = beta v_{t-1} + (1 - beta) g_t, v_0 = 0.

    Unlike torch's buffer it starts from zero, so the first steps are (1 - beta) times shorter.
    """

    def kernel(ops):
        def step(g, p, constants, leaves):
            velocity = beta * leaves[0] + (1.0 - beta) * g
            return velocity, (velocity,)
        return step

    return transformation(Rule(TraceState, (0,), (0.0,), _count_only, kernel))
