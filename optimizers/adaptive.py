"""Per-coordinate adaptive scalings, written as torch.optim computes them.

Each transformation returns the direction that `scale_by_learning_rate` then
multiplies by -lr. Moment names follow the lecture notes (m, v, ...) so the UI can
draw them as arrows; the docstrings give torch's algorithm step by step.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .transform import GradientTransformation, zeros_like_tree
from .tree import tree_map


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
    m: object
    v: object
    mu_product: float


def _ema(average, value, decay):
    return decay * average + (1.0 - decay) * value


def scale_by_adagrad(lr_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                     eps: float = 1e-10) -> GradientTransformation:
    """sum_t = sum_{t-1} + g^2;  out = g / (sqrt(sum_t) + eps) / (1 + (t - 1) lr_decay)."""

    def init(params):
        return AdagradState(0, tree_map(lambda p: np.full_like(p, initial_accumulator_value, dtype=np.float64), params))

    def update(grads, state, params=None, **context):
        count = state.count + 1
        decay = 1.0 / (1.0 + (count - 1) * lr_decay)
        accumulated = tree_map(lambda s, g: s + g * g, state.sum, grads)
        out = tree_map(lambda g, s: decay * g / (np.sqrt(s) + eps), grads, accumulated)
        return out, AdagradState(count, accumulated)

    return GradientTransformation(init, update)


def scale_by_adadelta(rho: float = 0.9, eps: float = 1e-6) -> GradientTransformation:
    """v_t = rho v + (1-rho) g^2;  d = sqrt(u + eps) / sqrt(v_t + eps) * g;  u_t = rho u + (1-rho) d^2."""

    def init(params):
        return AdadeltaState(zeros_like_tree(params), zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        v = tree_map(lambda a, g: _ema(a, g * g, rho), state.v, grads)
        delta = tree_map(lambda g, a, u: np.sqrt(u + eps) / np.sqrt(a + eps) * g, grads, v, state.u)
        u = tree_map(lambda a, d: _ema(a, d * d, rho), state.u, delta)
        return delta, AdadeltaState(v, u)

    return GradientTransformation(init, update)


def scale_by_rms(alpha: float = 0.99, eps: float = 1e-8, centered: bool = False) -> GradientTransformation:
    """v_t = alpha v + (1-alpha) g^2;  out = g / (sqrt(v_t - g_avg^2 if centered else v_t) + eps)."""

    def init(params):
        return RMSState(zeros_like_tree(params), zeros_like_tree(params) if centered else None)

    def update(grads, state, params=None, **context):
        v = tree_map(lambda a, g: _ema(a, g * g, alpha), state.v, grads)
        if centered:
            g_avg = tree_map(lambda a, g: _ema(a, g, alpha), state.g_avg, grads)
            out = tree_map(lambda g, s, c: g / (np.sqrt(s - c * c) + eps), grads, v, g_avg)
        else:
            g_avg = None
            out = tree_map(lambda g, s: g / (np.sqrt(s) + eps), grads, v)
        return out, RMSState(v, g_avg)

    return GradientTransformation(init, update)


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
                  amsgrad: bool = False, bias_correction: bool = True) -> GradientTransformation:
    """m_t = b1 m + (1-b1) g;  v_t = b2 v + (1-b2) g^2;
    out = (m_t / (1-b1^t)) / (sqrt(v') / sqrt(1-b2^t) + eps), v' = v_t, or with amsgrad
    v' = max(v'_{t-1}, v_t): torch keeps the maximum of the raw second moment and
    bias-corrects it afterwards. bias_correction=False (not torch's; for the lecture's
    "what happens at the first step?") divides m_t by sqrt(v_t) + eps as they are.
    """

    def init(params):
        return AdamState(0, zeros_like_tree(params), zeros_like_tree(params),
                         zeros_like_tree(params) if amsgrad else None)

    def update(grads, state, params=None, **context):
        count = state.count + 1
        m = tree_map(lambda a, g: b1 * a + (1.0 - b1) * g, state.m, grads)
        v = tree_map(lambda a, g: b2 * a + (1.0 - b2) * (g * g), state.v, grads)
        v_max = tree_map(np.maximum, state.v_max, v) if amsgrad else None
        correction1 = 1.0 - b1 ** count if bias_correction else 1.0
        sqrt_correction2 = math.sqrt(1.0 - b2 ** count) if bias_correction else 1.0
        out = tree_map(lambda a, s: (a / correction1) / (np.sqrt(s) / sqrt_correction2 + eps),
                       m, v_max if amsgrad else v)
        return out, AdamState(count, m, v, v_max)

    return GradientTransformation(init, update)


def scale_by_adamax(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> GradientTransformation:
    """m_t = b1 m + (1-b1) g;  u_t = max(b2 u, |g| + eps);  out = m_t / (1-b1^t) / u_t."""

    def init(params):
        return AdamaxState(0, zeros_like_tree(params), zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        count = state.count + 1
        m = tree_map(lambda a, g: _ema(a, g, b1), state.m, grads)
        u = tree_map(lambda a, g: np.maximum(b2 * a, np.abs(g) + eps), state.u, grads)
        correction1 = 1.0 - b1 ** count
        out = tree_map(lambda a, n: a / correction1 / n, m, u)
        return out, AdamaxState(count, m, u)

    return GradientTransformation(init, update)


def scale_by_nadam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
                   momentum_decay: float = 4e-3) -> GradientTransformation:
    """torch.optim.NAdam (Dozat 2016, with the momentum warm-up schedule):

    mu_t = b1 (1 - 0.5 * 0.96^(t psi)),  psi = momentum_decay;  P_t = prod_{i<=t} mu_i
    m_t, v_t as Adam;  d = sqrt(v_t / (1-b2^t)) + eps
    out = (1-mu_t)/(1-P_t) * g/d + mu_{t+1}/(1-P_t mu_{t+1}) * m_t/d
    """

    def init(params):
        return NadamState(0, zeros_like_tree(params), zeros_like_tree(params), 1.0)

    def update(grads, state, params=None, **context):
        count = state.count + 1
        mu = b1 * (1.0 - 0.5 * 0.96 ** (count * momentum_decay))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((count + 1) * momentum_decay))
        mu_product = state.mu_product * mu
        m = tree_map(lambda a, g: _ema(a, g, b1), state.m, grads)
        v = tree_map(lambda a, g: _ema(a, g * g, b2), state.v, grads)
        correction2 = 1.0 - b2 ** count
        grad_weight = (1.0 - mu) / (1.0 - mu_product)
        momentum_weight = mu_next / (1.0 - mu_product * mu_next)
        out = tree_map(
            lambda g, a, s: (grad_weight * g + momentum_weight * a) / (np.sqrt(s / correction2) + eps),
            grads, m, v)
        return out, NadamState(count, m, v, mu_product)

    return GradientTransformation(init, update)


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

    def init(params):
        return RAdamState(0, zeros_like_tree(params), zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        count = state.count + 1
        m = tree_map(lambda a, g: _ema(a, g, b1), state.m, grads)
        v = tree_map(lambda a, g: _ema(a, g * g, b2), state.v, grads)
        correction1 = 1.0 - b1 ** count
        correction2 = 1.0 - b2 ** count
        rho = rho_inf - 2.0 * count * b2 ** count / correction2
        if rho > 5.0:
            rect = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            out = tree_map(lambda a, s: (a / correction1) * (math.sqrt(correction2) / (np.sqrt(s) + eps)) * rect, m, v)
        else:
            out = tree_map(lambda a: a / correction1, m)
        return out, RAdamState(count, m, v)

    return GradientTransformation(init, update)


class LionState(NamedTuple):
    m: object


def scale_by_lion(b1: float = 0.9, b2: float = 0.99) -> GradientTransformation:
    """Lion (Chen et al. 2023, Algorithm 2): c = b1 m + (1-b1) g;  out = sign(c);  m <- b2 m + (1-b2) g.
    Every coordinate moves by exactly lr (or 0): the sign discards the gradient's size."""

    def init(params):
        return LionState(zeros_like_tree(params))

    def update(grads, state, params=None, **context):
        out = tree_map(lambda a, g: np.sign(b1 * a + (1.0 - b1) * g), state.m, grads)
        m = tree_map(lambda a, g: _ema(a, g, b2), state.m, grads)
        return out, LionState(m)

    return GradientTransformation(init, update)
