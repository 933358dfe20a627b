"""2D loss surfaces and the trajectory runner.

    >>> from surfaces import make_surface, run_trajectory
    >>> from optimizers import make_optimizer
    >>> path = run_trajectory(make_surface("canyon"), make_optimizer("momentum", {"lr": 0.05}),
    ...                       start=(-9, 2.5), steps=200)
"""
from .base import Surface
from .registry import SURFACES, make_surface
from .runner import BatchResult, GradientOracle, Trajectory, check_batch_size, run_batch, run_trajectory

__all__ = ["SURFACES", "BatchResult", "GradientOracle", "Surface", "Trajectory", "check_batch_size", "make_surface",
           "run_batch", "run_trajectory"]
