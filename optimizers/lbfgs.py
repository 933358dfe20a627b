"""torch.optim.LBFGS with max_iter = 1: one quasi-Newton step per update, its history kept.

The parameters are one vector on the last axis (a 2D point, a batch of them (M, 2), or an
MLP's flat weights), so the same code serves single runs, batched starts and the MLP.
Without a line search the step is t·d with t = lr (t = min(1, 1/‖g‖₁)·lr on the first step),
exactly torch's arithmetic row by row. With torch's strong-Wolfe line search the step
length comes from function values: context["value_and_grad"](point) -> (f, g) must be
given, and only one problem at a time (different starts need different numbers of
evaluations, so a batch cannot step together).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .transform import GradientTransformation, Schedule

CURVATURE_TOLERANCE = 1e-10  # torch keeps a pair (s, y) only if y·s exceeds this


class LBFGSState(NamedTuple):
    count: int  # calls to update (the lr schedule's clock)
    iterations: np.ndarray  # (...,) torch's n_iter per problem: a problem at rest does not count
    direction: np.ndarray  # (..., n) torch's d
    step_length: np.ndarray  # (...,) torch's t
    previous_grad: np.ndarray  # (..., n)
    steps: np.ndarray  # (..., m, n) the last m steps s, oldest first; unused rows are zero
    grad_changes: np.ndarray  # (..., m, n) the matching gradient changes y
    rho: np.ndarray  # (..., m) 1 / y·s, zero where unused
    hessian_scale: np.ndarray  # (...,) torch's H_diag = y·s / y·y of the newest pair


def _dot(a, b):
    return np.sum(a * b, axis=-1)


def lbfgs(learning_rate: Schedule, history_size: int = 100, tolerance_grad: float = 1e-7,
          tolerance_change: float = 1e-9, strong_wolfe: bool = False, max_eval: int = 25) -> GradientTransformation:
    """Returns the whole step (it applies the learning rate itself, as torch's t = lr)."""

    def init(params):
        params = np.asarray(params, dtype=np.float64)
        lead, n = params.shape[:-1], params.shape[-1]
        return LBFGSState(0, np.zeros(lead, dtype=np.int64), np.zeros_like(params), np.zeros(lead),
                          np.zeros_like(params), np.zeros(lead + (history_size, n)),
                          np.zeros(lead + (history_size, n)), np.zeros(lead + (history_size,)), np.ones(lead))

    def update(grads, state, params=None, **context):
        lr = learning_rate(state.count)
        g = np.asarray(grads, dtype=np.float64)
        active = np.abs(g).max(axis=-1) > tolerance_grad  # torch returns at once at a point of rest
        iterations = state.iterations + active
        first = active & (iterations == 1)
        later = active & (iterations > 1)

        # Memory update with the previous step s = d·t and the change of gradient y.
        y = g - state.previous_grad
        s = state.direction * state.step_length[..., None]
        ys = _dot(y, s)
        keep = later & (ys > CURVATURE_TOLERANCE)
        shift = keep[..., None, None]
        steps = np.where(shift, np.concatenate([state.steps[..., 1:, :], s[..., None, :]], axis=-2), state.steps)
        changes = np.where(shift, np.concatenate([state.grad_changes[..., 1:, :], y[..., None, :]], axis=-2),
                           state.grad_changes)
        safe_ys = np.where(keep, ys, 1.0)
        rho = np.where(keep[..., None], np.concatenate([state.rho[..., 1:], (1.0 / safe_ys)[..., None]], axis=-1),
                       state.rho)
        yy = _dot(y, y)
        hessian_scale = np.where(keep, ys / np.where(keep, yy, 1.0), state.hessian_scale)

        # Two-loop recursion, newest pair first. Pairs are appended at the end, so the used slots
        # are the last `used`; a slot unused by one problem of a batch has rho = 0 and adds exactly 0.
        used = int((rho != 0).reshape(-1, history_size).sum(axis=1).max(initial=0))
        if g.shape == (2,):
            r = _two_loop_floats(g, steps[-used:] if used else steps[:0], changes[-used:] if used else changes[:0],
                                 rho[-used:] if used else rho[:0], float(hessian_scale))
        else:
            r = _two_loop(g, steps, changes, rho, hessian_scale, used)

        direction = np.where(first[..., None], -g, np.where(later[..., None], r, state.direction))
        first_length = np.minimum(1.0, 1.0 / np.maximum(np.abs(g).sum(axis=-1), 1e-300)) * lr
        length = np.where(first, first_length, np.where(later, lr, state.step_length))
        previous_grad = np.where(active[..., None], g, state.previous_grad)
        descends = active & (_dot(g, direction) <= -tolerance_change)  # else torch stops before moving

        if strong_wolfe:
            if g.ndim != 1:
                raise ValueError("lbfgs with the strong-Wolfe line search runs one problem at a time")
            if "value_and_grad" not in context:
                raise ValueError("lbfgs with the strong-Wolfe line search needs function values "
                                 "(context value_and_grad)")
            if bool(descends):
                value, _ = context["value_and_grad"](params)
                length = np.asarray(strong_wolfe_search(context["value_and_grad"], params, float(length), direction,
                                                        float(value), g, float(_dot(g, direction)),
                                                        tolerance_change=tolerance_change, max_ls=max_eval - 1))
        step = np.where(descends[..., None], direction * length[..., None], 0.0)
        new_state = LBFGSState(state.count + 1, iterations, direction, length, previous_grad, steps, changes, rho,
                               hessian_scale)
        return step, new_state

    return GradientTransformation(init, update)


def _two_loop(g, steps, changes, rho, hessian_scale, used):
    """torch's two-loop recursion over the last `used` slots, row by row of a batch."""
    history_size = rho.shape[-1]
    q = -g
    alphas = {}
    for i in range(history_size - 1, history_size - used - 1, -1):
        alphas[i] = _dot(steps[..., i, :], q) * rho[..., i]
        q = q - alphas[i][..., None] * changes[..., i, :]
    r = q * hessian_scale[..., None]
    for i in range(history_size - used, history_size):
        beta = _dot(changes[..., i, :], r) * rho[..., i]
        r = r + (alphas[i] - beta)[..., None] * steps[..., i, :]
    return r


def _two_loop_floats(g, steps, changes, rho, hessian_scale):
    """The same recursion for one 2D point in plain floats, written out: numpy's per-call cost on
    two numbers would make each step cost milliseconds with a history of 100 pairs."""
    s0, s1 = steps[:, 0].tolist(), steps[:, 1].tolist()
    y0, y1 = changes[:, 0].tolist(), changes[:, 1].tolist()
    rho = rho.tolist()
    q0, q1 = -float(g[0]), -float(g[1])
    alphas = [0.0] * len(rho)
    for i in range(len(rho) - 1, -1, -1):
        alpha = alphas[i] = (s0[i] * q0 + s1[i] * q1) * rho[i]
        q0, q1 = q0 - alpha * y0[i], q1 - alpha * y1[i]
    r0, r1 = q0 * hessian_scale, q1 * hessian_scale
    for i in range(len(rho)):
        factor = alphas[i] - (y0[i] * r0 + y1[i] * r1) * rho[i]
        r0, r1 = r0 + factor * s0[i], r1 + factor * s1[i]
    return np.array([r0, r1])


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """torch.optim.lbfgs._cubic_interpolate: the minimizer of the cubic through two points
    with their slopes, clamped to the bounds (the midpoint if the cubic has none)."""
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = d2_square ** 0.5
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def strong_wolfe_search(value_and_grad, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """torch.optim.lbfgs._strong_wolfe, transcribed: bracket, then zoom, until
    f(x + t d) <= f + c1 t g·d and |g(x + t d)·d| <= -c2 g·d. Returns the step length t."""
    d_norm = float(np.abs(d).max())

    def evaluate(step):
        value, grad = value_and_grad(x + step * d)
        return float(value), np.asarray(grad, dtype=np.float64)

    f_new, g_new = evaluate(t)
    gtd_new = float(_dot(g_new, d))
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    ls_iter = 0
    bracket = bracket_f = bracket_gtd = None
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f, bracket_gtd = [t_prev, t], [f_prev, f_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f = [t], [f_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f, bracket_gtd = [t_prev, t], [f_prev, f_new], [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        previous = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, gtd_prev = previous, f_new, gtd_new
        f_new, g_new = evaluate(t)
        gtd_new = float(_dot(g_new, d))
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f = [0.0, t], [f, f_new]

    insufficient_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insufficient_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insufficient_progress = False
            else:
                insufficient_progress = True
        else:
            insufficient_progress = False
        f_new, g_new = evaluate(t)
        gtd_new = float(_dot(g_new, d))
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high], bracket_gtd[high] = t, f_new, gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high], bracket_gtd[high] = bracket[low], bracket_f[low], bracket_gtd[low]
            bracket[low], bracket_f[low], bracket_gtd[low] = t, f_new, gtd_new
    return bracket[low]
