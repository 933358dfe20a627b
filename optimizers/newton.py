"""Damped Newton's method, for the 2D surfaces (it needs the Hessian).

out = (H + damping I)^{-1} g, then scaled by -lr. It jumps straight to the
stationary point of the local quadratic model, which is why it is attracted to
saddle points: the lecture point no first-order method shows.
"""
from __future__ import annotations

import numpy as np

from .transform import EmptyState, GradientTransformation


def scale_by_newton(damping: float = 0.0) -> GradientTransformation:
    def init(params):
        return EmptyState()

    def update(grads, state, params=None, *, hessian=None, **context):
        if hessian is None:
            raise ValueError("Newton's method needs the Hessian: pass hessian= to update()")
        system = hessian + damping * np.eye(grads.shape[-1])
        try:
            direction = np.linalg.solve(system, grads[..., None])[..., 0]
        except np.linalg.LinAlgError:
            # A singular Hessian (a flat direction): take the minimum-norm Newton step.
            direction = (np.linalg.pinv(system) @ grads[..., None])[..., 0]
        return direction, state

    return GradientTransformation(init, update)
