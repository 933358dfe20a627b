"""The notes' gradient check: the analytic gradient beside the numerical one.

The lecture estimates a slope by finite differences with h = 0.0001; the check here uses the
central difference (f(θ + h·e_i) − f(θ − h·e_i)) / 2h, whose error shrinks as h² instead of h,
so at the notes' h it agrees with a correct analytic gradient to about 1e-8 relative.

Near a minimum both gradients vanish, and what is left of their difference is the central
difference's own error (its h² truncation, ~4e-6 at Rosenbrock's minimum, and rounding, about
2.2e-16·|f(θ)| / h): divided by two vanishing norms it reads like a disagreement ("0.006" at a
converged point). So the check also estimates that error, by Richardson's comparison of the
steps h and 2h (D(2h) − D(h) ≈ 3·(D(h) − ∇f)), and says when the two gradients agree within it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Surface

# The step the lecture notes use for their numerical gradient.
DEFAULT_H = 1e-4
EPSILON = float(np.finfo(float).eps)
# A difference within this many times the estimated error of the numerical gradient is that error.
WITHIN = 3.0


class StepTooSmall(ValueError):
    """h so small that the central difference's rounding error is not a finite number."""


class GradientCheck(NamedTuple):
    point: tuple[float, float]
    h: float
    analytic: tuple[float, float]
    numerical: tuple[float, float]
    relative_error: float   # ‖analytic − numerical‖ / max(‖analytic‖, ‖numerical‖), 0 where both vanish
    difference: float       # ‖analytic − numerical‖
    numerical_error: float  # estimated error of the numerical gradient (truncation + rounding)
    within_error: bool      # difference <= WITHIN · numerical_error: nothing the check can resolve


def central_difference(f, point: np.ndarray, h: float) -> np.ndarray:
    """(f(θ + h e_i) − f(θ − h e_i)) / 2h for each coordinate i, all 4 evaluations in one call."""
    steps = h * np.eye(point.size)
    values = f(np.concatenate([point + steps, point - steps]))
    return (values[: point.size] - values[point.size:]) / (2 * h)


def gradient_check(surface: Surface, point, h: float = DEFAULT_H) -> GradientCheck:
    """Compare the surface's analytic ∇f with central differences at `point` (raises ValueError
    when h is not positive or either gradient is not finite there)."""
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive number, got {h}")
    theta = np.asarray(point, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # far out, overflow is reported below
        analytic = np.asarray(surface.grad(theta), dtype=float)
        numerical = central_difference(surface.f, theta, h)
        coarser = central_difference(surface.f, theta, 2 * h)
        value = float(surface.f(theta))
    if not all(np.all(np.isfinite(v)) for v in (analytic, numerical, coarser, value)):
        raise ValueError(f"the gradient is not finite at ({theta[0]:g}, {theta[1]:g})")
    difference = float(np.linalg.norm(analytic - numerical))
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numerical))
    truncation = float(np.linalg.norm(coarser - numerical)) / 3
    rounding = 4 * EPSILON * max(1.0, abs(value)) / h
    numerical_error = truncation + rounding
    if not np.isfinite(numerical_error):
        raise StepTooSmall(f"h = {h:g} is too small for central differences at this point: their rounding "
                           f"error, about 2.2e-16·|f| / h, is not a finite number; use a larger h (the notes use {DEFAULT_H:g})")
    return GradientCheck(tuple(theta.tolist()), float(h), tuple(analytic.tolist()), tuple(numerical.tolist()),
                         difference / scale if scale > 0 else 0.0, difference, numerical_error,
                         difference <= WITHIN * numerical_error)
