"""Step an optimizer on a surface: one start with a full record, or a batch of starts.

Every step records where the optimizer was, what gradient it saw and what its
internal state became. A run ends `converged` (the step and the gradient are both
negligible), `diverged` (a non-finite value or a point far outside the plot) or
after `max_steps`. Nothing non-finite is ever returned: a diverged path stops at
its last finite point, and `event_step` says which step broke it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from optimizers import Optimizer
from optimizers.elementwise import COLUMNS, FLOATS, CoordinatePath

from .stationary import classify

GRAD_TOLERANCE = 1e-6
STEP_TOLERANCE = 1e-7  # times the plot's span
FAR_OUTSIDE = 10.0  # spans beyond the plot that count as diverged
# A run that used all its steps without meeting both tolerances (momentum still circling by a
# micrometre) but ends this close to a minimum, in spans of the plot, is said to end near it:
# on screen it is there, and "ran all 300 steps" beside a "converged" run read as a failure.
NEAR_MINIMUM = 1e-4


@dataclass
class Trajectory:
    points: np.ndarray  # (k + 1, 2): the start and one point per step taken
    loss: np.ndarray  # (k + 1,)
    grad: np.ndarray  # (k, 2): the gradient the optimizer saw at points[i]
    lr: np.ndarray  # (k,): the learning rate of step i
    state: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (k, 2), after step i
    status: str = "max_steps"
    event_step: int | None = None  # the step that converged, or that diverged (not taken)
    end_kind: str | None = None  # a converged run's end: "minimum" | "saddle" | "maximum"
    reached: str = ""  # what a converged run reached, e.g. "converged to a local minimum"
    near: str = ""  # the minimum a run that ran all its steps ended near, e.g. "a local minimum"

    @property
    def steps_taken(self) -> int:
        return len(self.points) - 1

    @property
    def message(self) -> str:
        """What the run reached, in the words the page shows."""
        if self.status == "diverged":
            return f"diverged at step {self.event_step}"
        if self.status == "max_steps":
            return f"ran all {self.steps_taken} steps" + (f", ending near {self.near}" if self.near else "")
        return f"{self.reached} at step {self.event_step}"


@dataclass
class BatchResult:
    finals: np.ndarray  # (M, 2): last finite point of each start
    final_loss: np.ndarray  # (M,)
    statuses: list[str]
    steps_taken: np.ndarray  # (M,)


def check_batch_size(surface, batch_size: int | None) -> None:
    """Mini-batches need a surface with data. A batch_size of more rows than it has takes them
    all (full batch), as torch's DataLoader does with a batch larger than its dataset."""
    if batch_size is None:
        return
    if not hasattr(surface, "minibatch_grad"):
        raise ValueError(f"batch_size applies only to linear_regression (a surface with data), not {surface.name!r}")


class GradientOracle:
    """The gradient the optimizer sees: exact, mini-batch, and/or with Gaussian noise."""

    def __init__(self, surface, noise: float = 0.0, batch_size: int | None = None, seed: int = 0):
        check_batch_size(surface, batch_size)
        self.surface = surface
        self.noise = noise
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)

    def function(self):
        """The cheapest callable computing this oracle (the exact gradient needs no wrapper)."""
        return self.surface.grad if self.batch_size is None and not self.noise else self

    def __call__(self, points):
        if self.batch_size is None:
            grads = self.surface.grad(points)
        else:
            rows = self.rng.choice(len(self.surface.x), size=min(self.batch_size, len(self.surface.x)), replace=False)
            grads = self.surface.minibatch_grad(points, rows)
        if self.noise:
            grads = grads + self.noise * self.rng.standard_normal(grads.shape)
        return grads


def _vector_fields(state, shape, prefix=()):
    """Paths to the arrays in a (nested) optimizer state that have the parameters' shape."""
    found = []
    if hasattr(state, "_fields"):
        for name, value in zip(state._fields, state):
            if isinstance(value, np.ndarray) and value.shape == shape:
                found.append((name, prefix + (name,)))
            elif isinstance(value, tuple):
                found += _vector_fields(value, shape, prefix + (name,))
    elif isinstance(state, tuple):
        for index, item in enumerate(state):
            found += _vector_fields(item, shape, prefix + (index,))
    return found


def _get(state, path):
    for key in path:
        state = state[key] if isinstance(key, int) else getattr(state, key)
    return state


class _Bounds:
    def __init__(self, surface):
        (x0, x1), (y0, y1) = surface.domain
        margin = FAR_OUTSIDE * surface.span()
        self.low = np.array([x0 - margin, y0 - margin])
        self.high = np.array([x1 + margin, y1 + margin])
        self.step_tolerance = STEP_TOLERANCE * surface.span()

    def point_broken(self, x: float, y: float, loss: float) -> bool:
        """The single-point test in plain floats: numpy calls on 2 numbers cost microseconds."""
        return not (math.isfinite(loss) and self.low[0] <= x <= self.high[0] and self.low[1] <= y <= self.high[1])

    def broken(self, points, loss):
        """Rows that are non-finite or far outside the plot."""
        finite = np.isfinite(points).all(axis=-1) & np.isfinite(loss)
        with np.errstate(invalid="ignore"):
            inside = ((points >= self.low) & (points <= self.high)).all(axis=-1)
        return ~(finite & inside)


def _step_context(optimizer: Optimizer, surface, points, oracle):
    context = {"hessian": surface.hessian(points)} if optimizer.needs_hessian else {}
    if optimizer.needs_objective:  # L-BFGS's line search evaluates the function along its direction
        context["value_and_grad"] = lambda p: (surface.f(p), oracle(p))
    return context


def run_trajectory(surface, optimizer: Optimizer, start, steps: int, *, noise: float = 0.0,
                   batch_size: int | None = None, seed: int = 0) -> Trajectory:
    rules = optimizer.transformation.rules
    if rules is not None and not optimizer.needs_hessian and not optimizer.needs_objective:
        trajectory = _run_in_floats(surface, optimizer, rules, start, steps, noise, batch_size, seed)
    else:
        trajectory = _run_in_arrays(surface, optimizer, start, steps, noise, batch_size, seed)
    return _classify_end(surface, _cut_at_overflowing_state(trajectory))


def _run_in_floats(surface, optimizer, rules, start, steps, noise, batch_size, seed) -> Trajectory:
    """A coordinate-wise optimizer steps one point in Python floats (optimizers/elementwise.py):
    the same kernels as the array path, bit for bit, without numpy's per-call cost on two numbers."""
    if noise or batch_size is not None:
        oracle = GradientOracle(surface, noise, batch_size, seed)

        def gradient(x, y):
            return oracle(np.array((x, y))).tolist()
    else:
        gradient = surface.grad_at
    value = surface.value_at
    bounds = _Bounds(surface)
    low_x, low_y = bounds.low.tolist()
    high_x, high_y = bounds.high.tolist()
    step_tolerance = bounds.step_tolerance
    x, y = (float(c) for c in np.asarray(start, dtype=np.float64))
    path = CoordinatePath(rules, (x, y), FLOATS)
    points, losses, grads, states = [(x, y)], [float(value(x, y))], [], []
    status, event_step = "max_steps", None
    isfinite, hypot = math.isfinite, math.hypot
    with np.errstate(all="ignore"):
        for step in range(steps):
            gx, gy = gradient(x, y)
            ux, uy = path.step((gx, gy), (x, y))
            nx, ny = x + ux, y + uy
            loss = float(value(nx, ny))
            if not (isfinite(gx + gy) and isfinite(loss) and low_x <= nx <= high_x and low_y <= ny <= high_y):
                status, event_step = "diverged", step + 1
                break
            points.append((nx, ny))
            losses.append(loss)
            grads.append((gx, gy))
            states.append(path.snapshot())
            x, y = nx, ny
            if hypot(gx, gy) < GRAD_TOLERANCE and hypot(ux, uy) < step_tolerance:
                status, event_step = "converged", step + 1
                break
    taken = len(grads)
    recorded = {name: np.array([[held[rule][0][leaf], held[rule][1][leaf]] for held in states],
                               dtype=np.float64).reshape(taken, 2)
                for name, (rule, leaf) in path.recorded().items()}
    return Trajectory(
        points=np.array(points, dtype=np.float64), loss=np.array(losses), grad=np.array(grads, dtype=np.float64).reshape(taken, 2),
        lr=np.array([optimizer.learning_rate(step) for step in range(taken)]), state=recorded,
        status=status, event_step=event_step)


def _run_in_arrays(surface, optimizer, start, steps, noise, batch_size, seed) -> Trajectory:
    oracle = GradientOracle(surface, noise, batch_size, seed).function()
    bounds = _Bounds(surface)
    transformation = optimizer.transformation
    point = np.array(start, dtype=np.float64)
    state = transformation.init(point)
    fields = _vector_fields(state, point.shape)
    points, losses, grads, states = [point], [float(surface.f(point))], [], []
    status, event_step = "max_steps", None
    with np.errstate(all="ignore"):
        for step in range(steps):
            grad = oracle(point)
            update, state = transformation.update(grad, state, point, **_step_context(optimizer, surface, point, oracle))
            new_point = point + update
            loss = float(surface.f(new_point))
            gx, gy = grad.tolist()  # plain floats: math on two numbers is cheaper than numpy's
            if not math.isfinite(gx + gy) or bounds.point_broken(*new_point.tolist(), loss):
                status, event_step = "diverged", step + 1
                break
            points.append(new_point)
            losses.append(loss)
            grads.append(grad)
            states.append(state)
            point = new_point
            if math.hypot(gx, gy) < GRAD_TOLERANCE and math.hypot(*update.tolist()) < bounds.step_tolerance:
                status, event_step = "converged", step + 1
                break
    taken = len(grads)
    return Trajectory(
        points=np.array(points), loss=np.array(losses), grad=np.array(grads).reshape(taken, 2),
        lr=np.array([optimizer.learning_rate(step) for step in range(taken)]),
        state={name: np.array([_get(s, path) for s in states]).reshape(taken, 2) for name, path in fields},
        status=status, event_step=event_step)


def _classify_end(surface, trajectory: Trajectory) -> Trajectory:
    """A converged run stopped where the gradient vanishes: the Hessian there says whether
    that is a minimum, a saddle (Newton's favourite trap) or a maximum. A run that ran all its
    steps may still have ended next to a minimum: which one is said too."""
    end = trajectory.points[-1]
    if trajectory.status == "max_steps":
        # Only a run next to a minimum pays for the search of the surface's minima (as a
        # converged run does): a few Newton steps from its end say whether it is.
        if _next_to_a_minimum(surface, end):
            nearest = min(_minima(surface), key=lambda p: math.dist(p["point"], end), default=None)
            if nearest is not None and math.dist(nearest["point"], end) <= NEAR_MINIMUM * surface.span():
                trajectory.near = _which_minimum(surface, nearest["value"])
        return trajectory
    if trajectory.status != "converged":
        return trajectory
    trajectory.end_kind = classify(surface.hessian(end))
    trajectory.reached = {"saddle": "stuck at a saddle point", "maximum": "reached a local maximum",
                          None: "stopped where the surface is flat"}.get(trajectory.end_kind, "")
    if trajectory.end_kind == "minimum":
        trajectory.reached = f"converged to {_which_minimum(surface, float(surface.f(end)))}"
    return trajectory


def _next_to_a_minimum(surface, point, iterations: int = 8) -> bool:
    """Newton's method from `point` settles, within NEAR_MINIMUM spans of it, on a point where
    the Hessian is positive definite."""
    here = np.asarray(point, dtype=np.float64)
    reach = NEAR_MINIMUM * surface.span()
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            hessian = surface.hessian(here)
            try:
                move = np.linalg.solve(hessian, surface.grad(here))
            except np.linalg.LinAlgError:
                return False
            if not np.isfinite(move).all():
                return False
            here = here - move
            if math.dist(here, point) > reach:
                return False
            if math.hypot(*move) <= 1e-12 * surface.span():
                break
        return classify(surface.hessian(here)) == "minimum"


def _minima(surface) -> list[dict]:
    return [p for p in surface.stationary_points() if p["kind"] == "minimum"]


def _which_minimum(surface, value: float) -> str:
    """'the minimum', 'the global minimum', 'a global minimum' or 'a local minimum': a minimum
    with this loss, named against the surface's known minima."""
    minima = _minima(surface)
    lowest = min((p["value"] for p in minima if p["global"]), default=-math.inf)
    if value > lowest + 1e-6 * max(1.0, abs(lowest)):
        return "a local minimum"
    if len(minima) <= 1:
        return "the minimum"
    return "the global minimum" if sum(p["global"] for p in minima) == 1 else "a global minimum"


def _cut_at_overflowing_state(trajectory: Trajectory) -> Trajectory:
    """An accumulator can overflow while the point stays finite (AdaGrad's sum of g^2 at a
    cliff): that step counts as the divergence, so no Infinity leaves the runner."""
    bad_rows = [np.flatnonzero(~np.isfinite(values).all(axis=1)) for values in trajectory.state.values()]
    first_bad = min((rows[0] for rows in bad_rows if len(rows)), default=None)
    if first_bad is None:
        return trajectory
    return Trajectory(
        points=trajectory.points[:first_bad + 1], loss=trajectory.loss[:first_bad + 1],
        grad=trajectory.grad[:first_bad], lr=trajectory.lr[:first_bad],
        state={name: values[:first_bad] for name, values in trajectory.state.items()},
        status="diverged", event_step=first_bad + 1)


def run_batch(surface, optimizer: Optimizer, starts, steps: int, *, noise: float = 0.0,
              batch_size: int | None = None, seed: int = 0) -> BatchResult:
    """All starts stepped together; `optimizer` must be built with batch_dims=1 if it clips
    gradients. Finished starts are frozen at their final point.

    The points are held as two contiguous columns, x of every start and y of every start: a
    coordinate-wise optimizer steps each column with the same kernels as every other path, and
    the checks are element-wise on whole columns (on (M, 2) arrays, numpy's reductions over
    the last axis of length 2 cost more than the optimizer step)."""
    if optimizer.needs_objective:
        raise ValueError(f"{optimizer.name} with a line search runs one start at a time, not in a batch of starts")
    oracle = GradientOracle(surface, noise, batch_size, seed)
    bounds = _Bounds(surface)
    points = np.array(starts, dtype=np.float64).reshape(-1, 2)
    x, y = points[:, 0].copy(), points[:, 1].copy()
    rules = optimizer.transformation.rules
    if rules is not None and not optimizer.needs_hessian:
        propose, path = _column_steps(surface, rules, oracle, x, y)
    else:
        propose, path = _array_steps(surface, optimizer, oracle), None
    # A finished start leaves the columns (with its share of the optimizer's state): every later
    # step computes and checks only the starts still running. That needs a coordinate-wise
    # optimizer and a gradient of each start alone; a noisy or minibatch gradient draws for every
    # start, and L-BFGS and Newton hold their state in the (M, 2) array: there a finished start
    # stays in place, frozen.
    drops_finished = path is not None and not noise and batch_size is None
    count = len(x)
    running = np.arange(count)  # the start in each column position
    active = None if drops_finished else np.ones(count, dtype=bool)
    final_x, final_y = x.copy(), y.copy()
    outcome = np.zeros(count, dtype=np.int8)  # 0 max_steps, 1 converged, 2 diverged
    taken = np.full(count, steps)
    checks = _BatchChecks(surface, bounds)
    with np.errstate(all="ignore"):
        for step in range(steps):
            gx, gy, ux, uy = propose(x, y)
            nx, ny = x + ux, y + uy
            broken = checks.broken(nx, ny, gx, gy)
            settled = checks.settled(gx, gy, ux, uy)
            if active is not None:
                broken = None if broken is None else broken & active
                settled = None if settled is None else settled & active
            if broken is None and settled is None:  # nearly every step: no start finishes
                if active is None:
                    x, y = nx, ny
                else:
                    x, y = np.where(active, nx, x), np.where(active, ny, y)
                continue
            moves = ~broken if broken is not None else np.ones(len(x), dtype=bool)
            if active is not None:
                moves &= active
            x, y = np.where(moves, nx, x), np.where(moves, ny, y)
            finished = np.zeros(len(x), dtype=bool)
            if broken is not None:
                outcome[running[broken]], taken[running[broken]] = 2, step
                finished |= broken
            if settled is not None:
                converged = moves & settled
                outcome[running[converged]], taken[running[converged]] = 1, step + 1
                finished |= converged
            if not finished.any():
                continue
            final_x[running[finished]], final_y[running[finished]] = x[finished], y[finished]
            if active is not None:
                active &= ~finished
                if not active.any():
                    break
                continue
            keep = ~finished
            running, x, y = running[keep], x[keep], y[keep]
            path.keep(keep)
            if not len(running):
                break
    if active is None:
        final_x[running], final_y[running] = x, y
    else:  # the columns still hold every start, in order
        final_x[active], final_y[active] = x[active], y[active]
    names = np.array(["max_steps", "converged", "diverged"])
    finals = np.stack((final_x, final_y), axis=-1)
    return BatchResult(finals, surface.f(finals), names[outcome].tolist(), taken)


class _BatchChecks:
    """The end-of-run tests of run_batch on whole columns, each None when no start meets it, which
    a few reductions decide for nearly every step (a dozen element-wise passes over 10,000 starts
    cost more than the optimizer's step). Where a start may meet a test, the element-wise test
    says which: bounds as the single path's (a NaN fails every comparison, so it also catches
    non-finite points), and the norms as sqrt(u0² + u1²), what linalg.norm computes."""

    def __init__(self, surface, bounds):
        self.surface = surface
        (self.low_x, self.low_y), (self.high_x, self.high_y) = bounds.low.tolist(), bounds.high.tolist()
        self.step_tolerance = bounds.step_tolerance
        # Where f and ∇f are finite inside the bounds, the bounds are all there is to test.
        self.check_values = not surface.finite_in_bounds

    def broken(self, nx, ny, gx, gy):
        if not self.check_values and (self.low_x <= nx.min() and nx.max() <= self.high_x
                                      and self.low_y <= ny.min() and ny.max() <= self.high_y):
            return None  # a NaN anywhere makes min or max NaN, and the comparison False
        broken = ~((nx >= self.low_x) & (nx <= self.high_x) & (ny >= self.low_y) & (ny <= self.high_y))
        if self.check_values:
            broken |= ~(np.isfinite(self.surface.f_columns(nx, ny)) & np.isfinite(gx) & np.isfinite(gy))
        return broken if broken.any() else None

    def settled(self, gx, gy, ux, uy):
        squared_grad = gx * gx + gy * gy
        # sqrt is monotonic and correctly rounded: if the smallest squared norm's root is not
        # under the tolerance, no start's is (fmin passes over NaNs: a broken start's NaN must
        # not hide another start that settled)
        if not math.sqrt(np.fmin.reduce(squared_grad)) < GRAD_TOLERANCE:
            return None
        settled = (np.sqrt(ux * ux + uy * uy) < self.step_tolerance) & (np.sqrt(squared_grad) < GRAD_TOLERANCE)
        return settled if settled.any() else None


def _column_steps(surface, rules, oracle, x, y):
    if oracle.batch_size is None and not oracle.noise:
        gradient = surface.grad_columns
    else:
        def gradient(x, y):
            grads = oracle(np.stack((x, y), axis=-1))
            return grads[:, 0], grads[:, 1]
    path = CoordinatePath(rules, (x, y), COLUMNS)

    def propose(x, y):
        gx, gy = gradient(x, y)
        ux, uy = path.step((gx, gy), (x, y))
        return gx, gy, ux, uy
    return propose, path


def _array_steps(surface, optimizer, oracle):
    """Optimizers that are not coordinate-wise (L-BFGS, Newton) step the (M, 2) array."""
    transformation = optimizer.transformation
    state = None

    def propose(x, y):
        nonlocal state
        points = np.stack((x, y), axis=-1)
        if state is None:
            state = transformation.init(points)
        grads = oracle(points)
        updates, state = transformation.update(grads, state, points, **_step_context(optimizer, surface, points, oracle))
        return grads[:, 0], grads[:, 1], updates[:, 0], updates[:, 1]
    return propose
