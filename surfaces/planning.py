"""Plan a trajectory request before running it: its kind (one path or a batch of starts) and a
prediction of its CPU time, so an oversized request is refused before any work starts, with a
message that says how long it would have taken.

The model is linear in a few counts, per optimizer run: point-steps of a single path (Python
overhead dominates), point-steps of a batch (numpy work per point), for surfaces with data the
per-sample work of each gradient (a data surface's gradient costs one pass over its samples, or
over the mini-batch), and for an optimizer that walks a history at every step (L-BFGS's pairs)
the history slots its steps walk: 10,000 starts x 500 steps of L-BFGS with m = 100 cost 44 s,
where the point-steps alone predict 1.9 s. Coefficients are fitted by benchmarks/work_model.py on the lecture
machine (2 cores), which prints predicted against measured seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

# CPU seconds per unit of each feature (benchmarks/work_model.py, fitted on this machine)
COEFFICIENTS = {
    "path_steps": 5.7e-5,  # one step of one single path
    "path_sample_steps": 1.7e-8,  # ... times the samples its gradient reads (data surfaces)
    "batch_point_steps": 3.7e-7,  # one step of one start in a batch
    "batch_sample_steps": 1.7e-8,  # ... times the samples its gradient reads
    "path_history_steps": 3.0e-6,  # one history slot walked in one step of a single path
    "batch_history_steps": 3.0e-7,  # ... of one start in a batch (both rounded up from a fit under load)
}
LIMIT_SECONDS = 2.5  # one trajectory request, predicted CPU seconds (10,000 starts x 500 steps fit)


def samples_per_gradient(surface, batch_size: int | None) -> int:
    """The rows one gradient reads: 0 for an analytic surface, else the mini-batch or all data."""
    if not hasattr(surface, "minibatch_grad"):
        return 0
    return min(batch_size, len(surface.x)) if batch_size else len(surface.x)


def history_slots(history: int, steps: int) -> int:
    """Slots walked over `steps` steps by an optimizer keeping up to `history` vectors: step k
    walks min(k, history) of them (none on the first step)."""
    if steps <= history + 1:
        return steps * (steps - 1) // 2
    return history * (history + 1) // 2 + history * (steps - 1 - history)


def features(surface, runs: int, starts: int, steps: int, batch_size: int | None,
             histories: tuple[int, ...] = ()) -> dict[str, float]:
    """The model's counts; `histories`: each run's history length (OptimizerSpec.history), 0 or absent for most."""
    samples = samples_per_gradient(surface, batch_size)
    # the loss is evaluated on all samples at every step, the gradient on the mini-batch
    reads = samples + (len(surface.x) if samples else 0)
    slots = sum(history_slots(history, steps) for history in histories)
    if starts == 1:
        return {"path_steps": runs * steps, "path_sample_steps": runs * steps * reads,
                "batch_point_steps": 0.0, "batch_sample_steps": 0.0,
                "path_history_steps": slots, "batch_history_steps": 0.0}
    return {"path_steps": 0.0, "path_sample_steps": 0.0, "batch_point_steps": runs * starts * steps,
            "batch_sample_steps": runs * starts * steps * reads,
            "path_history_steps": 0.0, "batch_history_steps": starts * slots}


def predicted_seconds(surface, runs: int, starts: int, steps: int, batch_size: int | None,
                      histories: tuple[int, ...] = ()) -> float:
    counts = features(surface, runs, starts, steps, batch_size, histories)
    return sum(COEFFICIENTS[name] * value for name, value in counts.items())


def describe_seconds(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.1f} hours"


def check_grid(surface, resolution: int, limit: float = LIMIT_SECONDS) -> float:
    """A contour grid evaluates f at resolution² points (each reading every sample of a data
    surface): refused beyond `limit`, naming the largest resolution that fits."""
    per_point = COEFFICIENTS["batch_point_steps"] + COEFFICIENTS["batch_sample_steps"] * samples_per_gradient(surface, None)
    seconds = per_point * resolution ** 2
    if seconds > limit:
        largest = int((limit / per_point) ** 0.5)
        raise ValueError(f"a {resolution}x{resolution} grid of this surface would take about {describe_seconds(seconds)}; "
                         f"the limit is {describe_seconds(limit)}: use a resolution of at most {largest}")
    return seconds


@dataclass(frozen=True)
class Plan:
    batched: bool
    starts: list  # the start points to run: one for a path, many for a batch
    seconds: float  # predicted CPU time


def plan_request(surface, runs: int, start, starts, steps: int, batch_size: int | None,
                 limit: float = LIMIT_SECONDS, histories: tuple[int, ...] = ()) -> Plan:
    """One path (from `start`, or the surface's own) or a batch of `starts`; raises ValueError
    when the prediction passes `limit`, saying how long it would take."""
    batched = starts is not None
    points = list(starts) if batched else [start if start is not None else list(surface.start)]
    seconds = predicted_seconds(surface, runs, len(points) if batched else 1, steps, batch_size, histories)
    if seconds > limit:
        raise ValueError(f"this request would take about {describe_seconds(seconds)}; the limit is "
                         f"{describe_seconds(limit)}: use fewer runs, starts, steps or samples")
    return Plan(batched, points, seconds)
