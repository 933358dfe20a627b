"""Run a lesson's scene through the real engine and trainer, as the page would ask the server."""
from __future__ import annotations

from optimizers import make_optimizer
from surfaces import make_surface, run_trajectory
from mlp import train

from .links import Link, PathScene


def run_paths(scene: PathScene) -> dict:
    """The trajectory of every run of the scene, keyed by the run's label."""
    surface = make_surface(scene.surface, scene.surface_params)
    batch_size = scene.batch_size if hasattr(surface, "minibatch_grad") else None
    out = {}
    for run in scene.runs:
        optimizer = make_optimizer(run.optimizer, run.params, scene.schedule, scene.clip_norm)
        out[run.label] = run_trajectory(surface, optimizer, scene.start, scene.steps, noise=scene.noise,
                                        batch_size=batch_size, seed=scene.seed)
    return out


def train_comparison(link: Link) -> list[tuple[list[dict], dict]]:
    """(history, summary) of every configuration in the link's MLP comparison."""
    return [train(config) for config in link.mlp_runs]
