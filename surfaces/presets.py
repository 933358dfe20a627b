"""Learning rates that follow the surface, and the sweep that shows what too small and too
large look like there.

A shared lr shows nothing: how far a step goes depends on how the optimizer scales
the gradient, which each optimizer spec states as its `lr_family`:

- "gradient" (the step is η g): the rate comes from the curvature. Plain gradient
  descent is stable for η < 2/λ_max; a surface states which fraction of that limit
  its scene uses. With momentum μ (the spec's default) the limit is heavy ball's
  2(1 + μ)/λ_max or Nesterov's stricter 2(1 + μ)/((1 + 2μ) λ_max); the stricter one
  serves both, at the same fraction. Every direction then contracts at heavy ball's
  best rate √μ as long as ηλ_min ≥ (1 − √μ)², i.e. for κ up to a few hundred.
- "adaptive" (the step is about η per coordinate, whatever the slope): the rate comes
  from the distance to cover. A probe runs the optimizer on a steady unit gradient and
  measures how far it travels per unit lr in the surface's `adaptive_steps` steps; η is
  set so that distance is the start's distance to the nearest global minimum.
- "newton" and "fixed": the optimizer's own default (Newton's full step is η = 1).

The sweep shows "too small · good · too large" only where its labels are true: the
factors start from the theory (0.1x; past the stability limit, or a step the size of
the distance to cover) and are checked by running the page's scene, stepping further
out until the run visibly crawls or visibly fails. An optimizer whose sweep cannot
show both within the page's steps and the lr bound is not offered for this surface.

Curvatures are the Hessian's eigenvalues at the global minimum; λ_max also looks at
the start, where a path's first steps are taken (Rosenbrock's rim is 5x steeper).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from optimizers import OPTIMIZERS, make_optimizer

from .runner import run_trajectory

SWEEP_LABELS = ["too small", "good", "too large"]
PAGE_STEPS = 300  # what the page runs by default (static/js/state.js)
SMALL_FACTORS = (0.1, 0.03, 0.01)
LARGE_STEPS = (1.0, 2.5, 6.0)  # multiples of the theoretical "too large" factor to try
MAX_HALVINGS = 6
# "Too large" for a gradient step: this far past the stability limit, so it visibly diverges.
PAST_THE_LIMIT = 1.3
# For an adaptive step, the run visibly bounces once η is a sizeable part of the distance to
# cover; this is the fraction of the start's distance to the minimum that one step then takes.
ADAPTIVE_BOUNCE = 0.5


def _default(spec, name, fallback=None):
    return next((h.default for h in spec.hyperparameters if h.name == name), fallback)


def _largest_curvature(surface) -> float:
    """λ_max, the curvature that bounds a gradient step's stability on the default path."""
    at_minimum = np.linalg.eigvalsh(surface.hessian(np.asarray(_target(surface))))
    at_start = np.linalg.eigvalsh(surface.hessian(np.asarray(surface.start, dtype=np.float64)))
    return float(max(at_minimum.max(), at_start.max()))


def _target(surface) -> list[float]:
    """The global minimum nearest the start."""
    minima = surface.minima()
    if not minima:  # a typed surface may have none in the plot (x^2 - y^2): aim at its lowest grid point
        (x0, x1), (y0, y1) = surface.domain
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)), axis=-1).reshape(-1, 2)
        with np.errstate(all="ignore"):
            values = surface.f(grid)
        values = np.where(np.isfinite(values), values, np.inf)  # log(0) = -inf is no target
        return grid[int(np.argmin(values))].tolist() if np.isfinite(values).any() else list(surface.start)
    lowest = min(m["value"] for m in minima)
    best = [m["point"] for m in minima if m["value"] <= lowest + 1e-9 * max(1.0, abs(lowest))]
    return min(best, key=lambda p: math.dist(p, surface.start))


@lru_cache(maxsize=None)
def _travel_per_unit_lr(name: str, steps: int) -> float:
    """How far an adaptive optimizer with lr = 1 moves one coordinate in `steps` steps of a
    steady unit gradient (Adam: ~steps; AdaGrad: ~2√steps; RMSProp: more, its first steps
    divide by a still-small average)."""
    optimizer = make_optimizer(name, {"lr": 1.0})
    point = np.zeros(2)
    state = optimizer.transformation.init(point)
    gradient = np.ones(2)
    travelled = 0.0
    for _ in range(steps):
        update, state = optimizer.transformation.update(gradient, state, point)
        travelled += abs(float(update[0]))
    return travelled


def _gradient_rate(surface, spec) -> tuple[float, float]:
    """(suggested lr, the stability limit it is a fraction of)."""
    high = _largest_curvature(surface)
    mu = _default(spec, "momentum", 0.0) or 0.0
    limit = 2 * (1 + mu) / ((1 + 2 * mu) * high) if mu > 0 else 2 / high
    return surface.gradient_fraction * limit, limit


def _lr_range(spec) -> tuple[float, float]:
    lr = next(h for h in spec.hyperparameters if h.name == "lr")
    return lr.minimum, lr.maximum


def _rounded(lr: float, spec) -> float:
    """Three digits (these end up on a slider and in URLs), inside the optimizer's lr range: data
    in large units (x in years, say) can need a rate below its minimum, whose run then diverges
    and is not offered a sweep."""
    low, high = _lr_range(spec)
    return float(f"{min(max(lr, low), high):.3g}")


def _rate_and_large_factor(surface, name: str) -> tuple[float, float]:
    spec = OPTIMIZERS[name]
    if spec.lr_family == "gradient":
        lr, limit = _gradient_rate(surface, spec)
        lr = _rounded(lr, spec)
        return lr, PAST_THE_LIMIT * limit / lr
    if spec.lr_family == "adaptive":
        distance = math.dist(_target(surface), surface.start)
        lr = _rounded(distance / _travel_per_unit_lr(name, surface.adaptive_steps), spec)
        return lr, ADAPTIVE_BOUNCE * distance / lr
    lr = _rounded(_default(spec, "lr"), spec)
    return lr, 2.0 if spec.lr_family == "newton" else 10.0


def _on_surfaces() -> list[str]:
    return [name for name, spec in OPTIMIZERS.items() if spec.surfaces]  # Muon needs weight matrices


def _safe_rate(surface, name: str) -> tuple[float, float]:
    """The derived rate; a Newton-family default (a full step, with no margin from the curvature)
    is halved while the page's default run diverges with it (L-BFGS from beside Himmelblau's
    maximum, say). The "too large" factor keeps its target rate."""
    lr, large = _rate_and_large_factor(surface, name)
    target = lr * large
    checked = OPTIMIZERS[name].lr_family in ("newton", "fixed")
    for _ in range(MAX_HALVINGS if checked else 0):
        if scene_run(surface, name, lr).status != "diverged":
            break
        lr = _rounded(lr / 2, OPTIMIZERS[name])
    return lr, target / lr


def suggested_learning_rates(surface) -> dict[str, float]:
    return {name: _safe_rate(surface, name)[0] for name in _on_surfaces()}


def _settled_loss(path) -> float:
    return float(np.mean(path.loss[-50:]))


def _leaves_plot(surface, path) -> bool:
    (x0, x1), (y0, y1) = surface.domain
    x, y = path.points[:, 0], path.points[:, 1]
    return bool(np.any((x < x0) | (x > x1) | (y < y0) | (y > y1)))


def visibly_fails(surface, path, good) -> bool:
    """Diverged, thrown out of the plot where the good rate stays in it, or ends clearly above
    where the good rate ends (bouncing)."""
    descent = good.loss[0] - _settled_loss(good)
    return (path.status == "diverged" or (_leaves_plot(surface, path) and not _leaves_plot(surface, good))
            or _settled_loss(path) > _settled_loss(good) + 0.1 * abs(descent))


def visibly_crawls(path, good) -> bool:
    """Covers under half the good rate's descent, or needs 3x its steps for 90 % of it."""
    descent = good.loss[0] - _settled_loss(good)
    if path.status == "diverged" or descent <= 0:
        return False
    target = good.loss[0] - 0.9 * descent
    reached = np.flatnonzero(path.loss <= target)
    good_steps = max(int(np.flatnonzero(good.loss <= target)[0]), 1)
    return (path.loss[0] - _settled_loss(path) < 0.5 * descent) or not len(reached) or reached[0] >= 3 * good_steps


def scene_run(surface, name: str, lr: float):
    """The page's run of one optimizer at one rate (its defaults otherwise). Memoized on the
    surface, and gone with it (your own data are kept nowhere): the sweep check and the tests
    that re-check it ask for the same deterministic runs."""
    runs = surface.__dict__.setdefault("_scene_runs", {})
    if (name, lr) not in runs:
        runs[name, lr] = run_trajectory(surface, make_optimizer(name, {"lr": lr}), surface.start, PAGE_STEPS)
    return runs[name, lr]


def _sweep(surface, name) -> dict | None:
    lr, large = _safe_rate(surface, name)
    good = scene_run(surface, name, lr)
    if good.status == "diverged":
        return None
    low, high = _lr_range(OPTIMIZERS[name])
    small = next((f for f in SMALL_FACTORS
                  if lr * f >= low and visibly_crawls(scene_run(surface, name, lr * f), good)), None)
    candidates = [float(f"{max(large, 2.0) * step:.2g}") for step in LARGE_STEPS]
    too_large = next((f for f in candidates
                      if lr * f <= high and visibly_fails(surface, scene_run(surface, name, lr * f), good)), None)
    if small is None or too_large is None:
        return None
    return {"factors": [small, 1.0, too_large], "labels": list(SWEEP_LABELS)}


def sweeps(surface) -> dict[str, dict]:
    """Per optimizer offered: the factors of its suggested rate the sweep shows, and their labels."""
    found = {name: _sweep(surface, name) for name in _on_surfaces()}
    return {name: sweep for name, sweep in found.items() if sweep is not None}


def scene(surface) -> dict:
    """The page's default scene for this surface and its parameters (GET /api/surfaces/{name}/scene)."""
    answer = {"start": list(surface.start), "suggested_lr": suggested_learning_rates(surface),
              "sweep": sweeps(surface), "stationary_points": surface.stationary_points(),
              "domain": [list(surface.domain[0]), list(surface.domain[1])]}
    data = surface.data()
    return answer | {"data": data} if data is not None else answer
