"""Measurements the lesson claims are stated in, computed from the engine's trajectories."""
from __future__ import annotations

import functools
import math

import numpy as np

from lessons import LESSONS, parse_link, run_paths


@functools.cache
def paths(link: str) -> dict:
    return run_paths(parse_link(link).paths)


def lesson_paths(lesson_id: str) -> dict:
    return paths(LESSONS[lesson_id].link)


def try_paths(lesson_id: str) -> dict:
    return paths(LESSONS[lesson_id].try_link)


def step_lengths(path) -> np.ndarray:
    return np.linalg.norm(np.diff(path.points, axis=0), axis=1)


def first_below(path, threshold: float) -> float:
    """The first step whose loss is below threshold (infinity if never: "sooner than" stays comparable)."""
    hits = np.flatnonzero(path.loss < threshold)
    return int(hits[0]) if len(hits) else math.inf


def tail_spread(path, point, last: int) -> float:
    """Mean distance of the last `last` points from `point`."""
    return float(np.mean(np.linalg.norm(path.points[-last:] - np.asarray(point), axis=1)))


def nearest(points_with_kind, point):
    return min(points_with_kind, key=lambda m: np.hypot(*(np.asarray(m["point"]) - point)))
