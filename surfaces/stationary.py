"""Every stationary point of a surface inside its plot, and what kind each is.

A stationary point is a root of the analytic gradient. Newton's iteration on the
gradient, started from a dense grid of seeds over the plot, converges to the roots
near each seed (minima, saddles and maxima alike: Newton on the gradient does not
care which); the roots are then deduplicated and classified by the signs of the
Hessian's eigenvalues. The tests check the result against closed forms (Himmelblau's
local maximum, Beale's saddle, Rastrigin's grid of 17 x 17 points).
"""
from __future__ import annotations

import numpy as np

SEEDS_PER_AXIS = 72  # Rastrigin's roots are 0.5 apart over 8 units: ~4 seeds between neighbours
NEWTON_ITERATIONS = 60
MAX_STEP = 0.05  # times the plot's span: keeps a seed near the root it started by
GRAD_TOLERANCE = 1e-7
CURVATURE_TOLERANCE = 1e-9  # eigenvalues below this (relative to the largest) count as flat
# A plot stays readable with a couple of dozen marks; Rastrigin's 289 stationary points would
# bury the paths, so a surface with more marks its global minima only (the rest are counted).
MAX_MARKED = 24


def classify(hessian) -> str | None:
    """"minimum", "saddle" or "maximum" from the Hessian's eigenvalues; None where a
    direction is flat (a degenerate point the second-order test cannot decide)."""
    eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, dtype=np.float64))
    flat = CURVATURE_TOLERANCE * max(float(np.abs(eigenvalues).max()), 1e-300)
    if np.any(np.abs(eigenvalues) <= flat):
        return None
    if eigenvalues[0] > 0:
        return "minimum"
    if eigenvalues[-1] < 0:
        return "maximum"
    return "saddle"


def _inside(surface, points):
    (x0, x1), (y0, y1) = surface.domain
    return (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)


def _solve_2x2(h, g):
    """H^-1 g for a stack of 2x2 matrices, written out (np.linalg on thousands of tiny
    matrices costs more than the surfaces). Singular rows (Beale's x = 0 line) give
    non-finite steps, which leave those seeds where they are."""
    a, b, c, d = h[:, 0, 0], h[:, 0, 1], h[:, 1, 0], h[:, 1, 1]
    det = a * d - b * c
    return np.stack([d * g[:, 0] - b * g[:, 1], a * g[:, 1] - c * g[:, 0]], axis=-1) / det[:, None]


def _newton_roots(surface, seeds):
    """Newton's iteration from every seed; a seed stops once its step is negligible or it has
    left the plot far behind (only the still-moving ones are evaluated: most settle in a few
    iterations)."""
    points = seeds.copy()
    span = surface.span()
    (x0, x1), (y0, y1) = surface.domain
    low, high = np.array([x0, y0]) - span, np.array([x1, y1]) + span
    moving = np.arange(len(points))
    with np.errstate(all="ignore"):
        for _ in range(NEWTON_ITERATIONS):
            current = points[moving]
            step = _solve_2x2(surface.hessian(current), surface.grad(current))
            length = np.linalg.norm(step, axis=-1, keepdims=True)
            step = np.where(length > MAX_STEP * span, step * (MAX_STEP * span / np.maximum(length, 1e-300)), step)
            finite = np.isfinite(step).all(axis=-1)
            current = np.where(finite[:, None], current - step, current)
            points[moving] = current
            far = ~((current >= low) & (current <= high)).all(axis=-1)
            done = ~finite | far | (length[:, 0] < 1e-13 * span)
            moving = moving[~done]
            if not len(moving):
                break
    return points


def find_stationary_points(surface) -> list[dict]:
    """[{"point", "kind", "value", "global", "marked"}], minima first by value, then saddles, then
    maxima. `marked`: whether the plot marks it (all of them, unless there are over MAX_MARKED)."""
    (x0, x1), (y0, y1) = surface.domain
    xs = np.linspace(x0, x1, SEEDS_PER_AXIS)
    ys = np.linspace(y0, y1, SEEDS_PER_AXIS)
    seeds = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    roots = _newton_roots(surface, seeds)
    with np.errstate(all="ignore"):
        settled = np.isfinite(roots).all(axis=1) & _inside(surface, np.nan_to_num(roots))
        roots = roots[settled]
        roots = roots[np.linalg.norm(surface.grad(roots), axis=-1) < GRAD_TOLERANCE]
    # Seeds that found the same root agree to ~1e-12; cells of 1e-6 spans merge them
    # (a root on a cell border may appear twice, so neighbours are merged again below).
    cells = np.round(roots / (1e-6 * surface.span()))
    _, first = np.unique(cells, axis=0, return_index=True)
    merge = 1e-5 * surface.span()
    distinct: list[np.ndarray] = []
    for root in roots[np.sort(first)]:
        if all(np.linalg.norm(root - other) > merge for other in distinct):
            distinct.append(root)
    found = []
    for root in distinct:
        kind = classify(surface.hessian(root))
        if kind is not None:
            found.append({"point": [float(root[0]), float(root[1])], "kind": kind, "value": float(surface.f(root))})
    lowest = min((p["value"] for p in found if p["kind"] == "minimum"), default=None)
    tolerance = 1e-9 * max(1.0, abs(lowest)) if lowest is not None else 0.0
    for point in found:
        point["global"] = point["kind"] == "minimum" and point["value"] <= lowest + tolerance
        point["marked"] = len(found) <= MAX_MARKED or point["global"]
    order = {"minimum": 0, "saddle": 1, "maximum": 2}
    return sorted(found, key=lambda p: (order[p["kind"]], p["value"], p["point"]))
