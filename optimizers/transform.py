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

from typing import Callable, NamedTuple, Union

import numpy as np

from .tree import global_norm, tree_map

Schedule = Callable[[int], float]
LearningRate = Union[float, Schedule]


class GradientTransformation(NamedTuple):
    init: Callable
    update: Callable


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

    return GradientTransformation(init, update)


def apply_updates(params, updates):
    return tree_map(lambda p, u: p + u, params, updates)


def scale_by_learning_rate(learning_rate: LearningRate) -> GradientTransformation:
    """Multiply by -lr(t), t = 0 for the first update (a torch scheduler stepped after each update)."""
    schedule = as_schedule(learning_rate)

    def init(params):
        return CountState(0)

    def update(grads, state, params=None, **context):
        factor = -schedule(state.count)
        return tree_map(lambda g: factor * g, grads), CountState(state.count + 1)

    return GradientTransformation(init, update)


def add_decayed_weights(weight_decay: float, mask=None) -> GradientTransformation:
    """u <- u + weight_decay * mask * param (optax's add_decayed_weights).

    Placed before the scaling it is torch's coupled L2 penalty (SGD, Adam: the decay is
    divided by Adam's denominator too); placed after the scaling and before the lr it is
    decoupled decay (AdamW, Lion: θ shrinks by η·λ·θ each step). mask is a tree like the
    parameters of 0/1 weights (None: decay everything); an MLP masks off its biases.
    """

    def init(params):
        return EmptyState()

    def update(grads, state, params=None, **context):
        if weight_decay == 0.0:
            return grads, state
        if mask is None:
            return tree_map(lambda g, p: g + weight_decay * p, grads, params), state
        return tree_map(lambda g, p, m: g + weight_decay * m * p, grads, params, mask), state

    return GradientTransformation(init, update)


def clip_by_global_norm(max_norm: float, batch_dims: int = 0) -> GradientTransformation:
    """Rescale the gradient so its norm is at most max_norm (torch.nn.utils.clip_grad_norm_).

    batch_dims=1 clips each independent problem of a batch (each start point) on its own.
    """

    def init(params):
        return EmptyState()

    def update(grads, state, params=None, **context):
        norm = global_norm(grads, batch_dims)
        # torch multiplies by max_norm / (norm + 1e-6), clamped to 1.
        factor = np.minimum(1.0, max_norm / (norm + 1e-6))
        return tree_map(lambda g: g * factor, grads), state

    return GradientTransformation(init, update)


def trace(momentum: float, dampening: float = 0.0, nesterov: bool = False) -> GradientTransformation:
    """torch.optim.SGD's momentum buffer.

    b_1 = g_1;  b_t = mu * b_{t-1} + (1 - dampening) * g_t
    output: g_t + mu * b_t if nesterov else b_t
    """

    def init(params):
        return TraceState(0, zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        if state.count == 0:
            velocity = tree_map(np.copy, grads)
        else:
            velocity = tree_map(
                lambda b, g: momentum * b + (1.0 - dampening) * g, state.velocity, grads
            )
        if nesterov:
            out = tree_map(lambda g, b: g + momentum * b, grads, velocity)
        else:
            out = velocity
        return out, TraceState(state.count + 1, velocity)

    return GradientTransformation(init, update)


def scale_by_ema_momentum(beta: float) -> GradientTransformation:
    """The lecture notes' momentum: v_t = beta v_{t-1} + (1 - beta) g_t, v_0 = 0.

    Unlike torch's buffer it starts from zero, so the first steps are (1 - beta) times shorter.
    """

    def init(params):
        return TraceState(0, zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        velocity = tree_map(lambda v, g: beta * v + (1.0 - beta) * g, state.velocity, grads)
        return velocity, TraceState(state.count + 1, velocity)

    return GradientTransformation(init, update)
