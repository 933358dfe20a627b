"""Per-coordinate adaptive scalings, written as torch.optim computes them.

Each transformation returns the direction that `scale_by_learning_rate` then
multiplies by -lr. Each is one Rule (optimizers/elementwise.py): `advance` computes the
numbers all coordinates share at step t, `kernel` the per-coordinate arithmetic, which runs
unchanged on Python floats (one 2D path) and on numpy arrays (batches, the MLP). Moment names follow the lecture notes (m, v, ...) so the UI can
draw them as arrows; the docstrings give torch's algorithm step by step.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from .elementwise import Rule, transformation
from .transform import GradientTransformation


class AdagradState(NamedTuple):
    count: int
    sum: object


class AdadeltaState(NamedTuple):
    v: object  # running average of g^2 (torch: square_avg)
    u: object  # running average of squared updates (torch: acc_delta)


class RMSState(NamedTuple):
    v: object  # torch: square_avg
    g_avg: object  # torch: grad_avg, only when centered (else None)


class AdamState(NamedTuple):
    count: int
    m: object
    v: object
    v_max: object  # only with amsgrad (else None)


class AdamaxState(NamedTuple):
    count: int
    m: object
    u: object  # exponentially weighted infinity norm (torch: exp_inf)


class NadamState(NamedTuple):
    count: int
    mu_product: float
    m: object
    v: object


def _ema(average, value, decay):
    return decay * average + (1.0 - decay) * value


def _counted(shared, incoming, ops):
    count = shared[0] + 1
    return (count,), (count,)


def scale_by_adagrad(lr_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                     eps: float = 1e-10) -> GradientTransformation:
    """sum_t = sum_{t-1} + g^2;  out = g / (sqrt(sum_t) + eps) / (1 + (t - 1) lr_decay)."""

    def advance(shared, incoming, ops):
        count = shared[0] + 1
        return (1.0 / (1.0 + (count - 1) * lr_decay),), (count,)

    def kernel(ops):
        sqrt = ops.sqrt

        def step(g, p, constants, leaves):
            accumulated = leaves[0] + g * g
            return constants[0] * g / (sqrt(accumulated) + eps), (accumulated,)
        return step

    return transformation(Rule(AdagradState, (0,), (initial_accumulator_value,), advance, kernel))


def scale_by_adadelta(rho: float = 0.9, eps: float = 1e-6) -> GradientTransformation:
    """v_t = rho v + (1-rho) g^2;  d = sqrt(u + eps) / sqrt(v_t + eps) * g;  u_t = rho u + (1-rho) d^2."""

    def advance(shared, incoming, ops):
        return (), ()

    def kernel(ops):
        sqrt = ops.sqrt

        def step(g, p, constants, leaves):
            v, u = leaves
            v = _ema(v, g * g, rho)
            delta = sqrt(u + eps) / sqrt(v + eps) * g
            return delta, (v, _ema(u, delta * delta, rho))
        return step

    return transformation(Rule(AdadeltaState, (), (0.0, 0.0), advance, kernel))


def scale_by_rms(alpha: float = 0.99, eps: float = 1e-8, centered: bool = False) -> GradientTransformation:
    """v_t = alpha v + (1-alpha) g^2;  out = g / (sqrt(v_t - g_avg^2 if centered else v_t) + eps)."""

    def advance(shared, incoming, ops):
        return (), ()

    def kernel(ops):
        sqrt = ops.sqrt

        def step(g, p, constants, leaves):
            v, g_avg = leaves
            v = _ema(v, g * g, alpha)
            if centered:
                g_avg = _ema(g_avg, g, alpha)
                return g / (sqrt(v - g_avg * g_avg) + eps), (v, g_avg)
            return g / (sqrt(v) + eps), (v, g_avg)
        return step

    return transformation(Rule(RMSState, (), (0.0, 0.0 if centered else None), advance, kernel))


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
                  amsgrad: bool = False, bias_correction: bool = True) -> GradientTransformation:
    """m_t = b1 m + (1-b1) g;  v_t = b2 v + (1-b2) g^2;
    out = (m_t / (1-b1^t)) / (sqrt(v') / sqrt(1-b2^t) + eps), v' = v_t, or with amsgrad
    v' = max(v'_{t-1}, v_t): torch keeps the maximum of the raw second moment and
    bias-corrects it afterwards. bias_correction=False (not torch's; for the lecture's
    "what happens at the first step?") divides m_t by sqrt(v_t) + eps as they are.
    """

    def advance(shared, incoming, ops):
        count = shared[0] + 1
        correction1 = 1.0 - b1 ** count if bias_correction else 1.0
        sqrt_correction2 = math.sqrt(1.0 - b2 ** count) if bias_correction else 1.0
        return (correction1, sqrt_correction2), (count,)

    def kernel(ops):
        sqrt, maximum = ops.sqrt, ops.maximum

        def step(g, p, constants, leaves):
            correction1, sqrt_correction2 = constants
            m, v, v_max = leaves
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * (g * g)
            if amsgrad:
                v_max = maximum(v_max, v)
                return (m / correction1) / (sqrt(v_max) / sqrt_correction2 + eps), (m, v, v_max)
            return (m / correction1) / (sqrt(v) / sqrt_correction2 + eps), (m, v, v_max)
        return step

    return transformation(Rule(AdamState, (0,), (0.0, 0.0, 0.0 if amsgrad else None), advance, kernel))


def scale_by_adamax(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """m_t = b1 m + (1-b1) g;  u_t = max(b2 u, |g| + eps);  out = m_t / (1-b1^t) / u_t."""

    def advance(shared, incoming, ops):
        count = shared[0] + 1
        return (1.0 - b1 ** count,), (count,)

    def kernel(ops):
        maximum, absolute = ops.maximum, ops.abs

        def step(g, p, constants, leaves):
            m, u = leaves
            m = _ema(m, g, b1)
            u = maximum(b2 * u, absolute(g) + eps)
            return m / constants[0] / u, (m, u)
        return step

    return transformation(Rule(AdamaxState, (0,), (0.0, 0.0), advance, kernel))


def scale_by_nadam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
                   momentum_decay: float = 4e-3) -> GradientTransformation:
    """torch.optim.NAdam (Dozat 2016, with the momentum warm-up schedule):

    mu_t = b1 (1 - 0.5 * 0.96^(t psi)),  psi = momentum_decay;  P_t = prod_{i<=t} mu_i
    m_t, v_t as Adam;  d = sqrt(v_t / (1-b2^t)) + eps
    out = (1-mu_t)/(1-P_t) * g/d + mu_{t+1}/(1-P_t mu_{t+1}) * m_t/d
    """

    def advance(shared, incoming, ops):
        count, mu_product = shared
        count += 1
        mu = b1 * (1.0 - 0.5 * 0.96 ** (count * momentum_decay))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((count + 1) * momentum_decay))
        mu_product = mu_product * mu
        correction2 = 1.0 - b2 ** count
        grad_weight = (1.0 - mu) / (1.0 - mu_product)
        momentum_weight = mu_next / (1.0 - mu_product * mu_next)
        return (correction2, grad_weight, momentum_weight), (count, mu_product)

    def kernel(ops):
        sqrt = ops.sqrt

        def step(g, p, constants, leaves):
            correction2, grad_weight, momentum_weight = constants
            m, v = leaves
            m = _ema(m, g, b1)
            v = _ema(v, g * g, b2)
            return (grad_weight * g + momentum_weight * m) / (sqrt(v / correction2) + eps), (m, v)
        return step

    return transformation(Rule(NadamState, (0, 1.0), (0.0, 0.0), advance, kernel))


class RAdamState(NamedTuple):
    count: int
    m: object
    v: object


def scale_by_radam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """torch.optim.RAdam (Liu et al. 2020): Adam with the variance of its adaptive step rectified.

    rho_inf = 2/(1-b2) - 1;  rho_t = rho_inf - 2 t b2^t / (1-b2^t)
    rho_t > 5: out = m_t/(1-b1^t) * sqrt(1-b2^t)/(sqrt(v_t) + eps) * r_t,
               r_t = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t))
    else (the first steps, while v is too noisy to trust): out = m_t/(1-b1^t), momentum SGD.
    """
    rho_inf = 2.0 / (1.0 - b2) - 1.0

    def advance(shared, incoming, ops):
        count = shared[0] + 1
        correction1 = 1.0 - b1 ** count
        correction2 = 1.0 - b2 ** count
        rho = rho_inf - 2.0 * count * b2 ** count / correction2
        if rho > 5.0:
            rect = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            return (correction1, math.sqrt(correction2), rect), (count,)
        return (correction1, None, None), (count,)

    def kernel(ops):
        sqrt = ops.sqrt

        def step(g, p, constants, leaves):
            correction1, sqrt_correction2, rect = constants
            m, v = leaves
            m = _ema(m, g, b1)
            v = _ema(v, g * g, b2)
            if rect is None:
                return m / correction1, (m, v)
            return (m / correction1) * (sqrt_correction2 / (sqrt(v) + eps)) * rect, (m, v)
        return step

    return transformation(Rule(RAdamState, (0,), (0.0, 0.0), advance, kernel))


class LionState(NamedTuple):
    m: object


def scale_by_lion(b1: float = 0.9, b2: float = 0.99) -> GradientTransformation:
    """Lion (Chen et al. 2023, Algorithm 2): c = b1 m + (1-b1) g;  out = sign(c);  m <- b2 m + (1-b2) g.
    Every coordinate moves by exactly lr (or 0): the sign discards the gradient's size."""

    def advance(shared, incoming, ops):
        return (), ()

    def kernel(ops):
        sign = ops.sign

        def step(g, p, constants, leaves):
            m, = leaves
            return sign(b1 * m + (1.0 - b1) * g), (_ema(m, g, b2),)
        return step

    return transformation(Rule(LionState, (), (0.0,), advance, kernel))
