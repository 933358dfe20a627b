"""The notes' gradient check: the analytic gradient beside the numerical one.

The lecture estimates a slope by finite differences with h = 0.0001; the check here uses the
central difference (f(θ + h·e_i) − f(θ − h·e_i)) / 2h, whose error shrinks as h² instead of h,
so at the notes' h it agrees with a correct analytic gradient to about 1e-8 relative.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Surface

# The step the lecture notes use for their numerical gradient.
DEFAULT_H = 1e-4


class GradientCheck(NamedTuple):
    point: tuple[float, float]
    h: float
    analytic: tuple[float, float]
    numerical: tuple[float, float]
    relative_error: float   # ‖analytic − numerical‖ / max(‖analytic‖, ‖numerical‖), 0 where both vanish


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
    if not (np.all(np.isfinite(analytic)) and np.all(np.isfinite(numerical))):
        raise ValueError(f"the gradient is not finite at ({theta[0]:g}, {theta[1]:g})")
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numerical))
    error = float(np.linalg.norm(analytic - numerical) / scale) if scale > 0 else 0.0
    return GradientCheck(tuple(theta.tolist()), float(h), tuple(analytic.tolist()), tuple(numerical.tolist()), error)
