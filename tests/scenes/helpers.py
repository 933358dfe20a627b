"""The page's default scene, run through the real engine.

The page (static/js/trajectories.js) sends: the scene's start, 300 steps, noise 0, seed 0,
each optimizer's defaults with lr = the scene's suggested rate, no clipping, full batch.
The scene is what GET /api/surfaces/{name}/scene serves (surfaces.presets.scene).
"""
from functools import lru_cache

import numpy as np

from optimizers import make_optimizer
from surfaces import make_surface, run_trajectory
from surfaces.presets import scene, scene_run, suggested_learning_rates

PAGE_STEPS = 300


@lru_cache(maxsize=None)
def _surface(name, params: tuple):
    return make_surface(name, dict(params))  # built once, as the server's surface cache does


@lru_cache(maxsize=None)
def _surface_and_scene(name, params: tuple):
    surface = _surface(name, params)
    return surface, scene(surface)


@lru_cache(maxsize=None)
def _surface_and_rates(name, params: tuple):
    """The scene's start and suggested rates, without its sweep (which costs ~60 runs)."""
    surface = _surface(name, params)
    return surface, {"start": list(surface.start), "suggested_lr": suggested_learning_rates(surface)}


def default_run(surface_name, optimizer, *, params=None, lr_factor=1.0, surface_params=None, steps=PAGE_STEPS,
                start=None, clip_norm=None, **options):
    """The page's run of `optimizer`; `start` stands for a click on the plot (the rates stay the scene's)."""
    surface, chosen = _surface_and_rates(surface_name, tuple(sorted((surface_params or {}).items())))
    lr = chosen["suggested_lr"][optimizer] * lr_factor
    if not (params or options or clip_norm or start or steps != PAGE_STEPS):
        return scene_run(surface, optimizer, lr)  # the same run the sweep check made, memoized
    hyper = {"lr": lr, **(params or {})}
    optimizer = make_optimizer(optimizer, hyper, clip_norm=clip_norm)
    return run_trajectory(surface, optimizer, start or chosen["start"], steps, **options)


def first_step_below(path, level):
    """The first step whose loss is below level, or None."""
    below = np.flatnonzero(path.loss < level)
    return int(below[0]) if len(below) else None


def inside_plot(surface_name, points, surface_params=None):
    (x0, x1), (y0, y1) = make_surface(surface_name, surface_params).domain
    return bool(np.all((points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)))
