"""One definition of each coordinate-wise update rule, run on any number type.

Most update rules act on each coordinate independently, given a few numbers shared by
all coordinates at that step (Adam's bias corrections, the scheduled lr). Such a rule is
written once, as a `Rule`: its kernel is plain arithmetic, so the same function steps

- numpy arrays of any shape (a 2D point, a batch of start points (M, 2), an MLP's flat
  weights, leaf by leaf of a pytree), through the GradientTransformation `transformation`
  builds, and
- Python floats, one coordinate at a time, through `CoordinatePath`: a single 2D trajectory
  then costs what plain-float arithmetic costs, not numpy's per-call overhead on two numbers;
  and contiguous columns (x of every start, then y) for a batch of starts, where numpy's
  reductions over a last axis of length 2 would cost more than the rule.

IEEE-754 makes +, -, *, / and sqrt give the same bits on floats and on float64 arrays,
and the float `ops` below match numpy's maximum, abs and sign on every finite input, so
both paths take bit-for-bit the same steps (tests/optimizers/test_float_path.py checks it
for every optimizer and option). Kernels therefore use only those operations (no `**`,
whose float and array versions may round differently).
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from .tree import global_norm, tree_flatten

PARAM = "param"  # a per-coordinate state that starts as a copy of the parameter (schedule-free's z, x, y)


def _float_sign(x: float) -> float:
    # np.sign's values: ±1, and 0 (of either sign) or NaN returned as they are.
    return 1.0 if x > 0 else -1.0 if x < 0 else x


def _float_global_norm(values, batch_dims=0):
    total = 0.0
    for value in values:  # numpy sums 2 squares in this order too
        total = total + value * value
    return math.sqrt(total)


class Ops(NamedTuple):
    sqrt: Callable
    maximum: Callable
    minimum: Callable
    abs: Callable
    sign: Callable
    global_norm: Callable  # of the incoming values (clipping)


def _column_norms(values, batch_dims=1):
    """Each problem's norm, its coordinates given as columns (a batch is always one problem per row)."""
    total = 0.0
    for value in values:
        total = total + value * value
    return np.sqrt(total)


FLOATS = Ops(math.sqrt, max, min, abs, _float_sign, _float_global_norm)
ARRAYS = Ops(np.sqrt, np.maximum, np.minimum, np.abs, np.sign, global_norm)
COLUMNS = ARRAYS._replace(global_norm=_column_norms)


class Rule(NamedTuple):
    """A coordinate-wise transformation.

    state: its NamedTuple class, the `shared` fields first, then one field per entry of `leaves`
      (the per-coordinate state the plot can draw as arrows, named in the lecture's symbols).
    shared: the initial scalar state (a step count, NAdam's product of μ, ...).
    leaves: the initial value of each per-coordinate state: a number, PARAM, or None (unused
      with these options; it stays None).
    advance(shared, incoming, ops) -> (constants, shared): once per step, the numbers every
      coordinate shares; incoming is the direction entering this rule (only clipping reads it).
    kernel(ops) -> step(g, p, constants, leaves) -> (out, leaves): the rule itself, per coordinate
      (or on whole arrays: the same arithmetic broadcasts).
    """
    state: type
    shared: tuple
    leaves: tuple
    advance: Callable
    kernel: Callable


def transformation(rule: Rule):
    """The GradientTransformation running `rule` on numpy arrays and pytrees of them."""
    from .transform import GradientTransformation  # transform builds on this module

    step = rule.kernel(ARRAYS)
    shared_count = len(rule.shared)

    def init(params):
        leaves, rebuild = tree_flatten(params)

        def start(value):
            if value is None:
                return None
            if value is PARAM:
                return rebuild([np.array(p, dtype=np.float64) for p in leaves])
            return rebuild([np.full_like(p, value, dtype=np.float64) for p in leaves])

        return rule.state(*rule.shared, *(start(value) for value in rule.leaves))

    def update(grads, state, params=None, **context):
        constants, shared = rule.advance(tuple(state[:shared_count]), grads, ARRAYS)
        per_field = state[shared_count:]
        if isinstance(grads, np.ndarray):
            out, new_leaves = step(grads, params, constants, per_field)
            return out, rule.state(*shared, *new_leaves)
        grad_leaves, rebuild = tree_flatten(grads)
        param_leaves = tree_flatten(params)[0] if params is not None else [None] * len(grad_leaves)
        field_leaves = [tree_flatten(f)[0] if f is not None else [None] * len(grad_leaves) for f in per_field]
        results = [step(g, p, constants, tuple(f[i] for f in field_leaves))
                   for i, (g, p) in enumerate(zip(grad_leaves, param_leaves))]
        out = rebuild([r[0] for r in results])
        new_fields = [None if per_field[j] is None else rebuild([r[1][j] for r in results])
                      for j in range(len(per_field))]
        return out, rule.state(*shared, *new_fields)

    return GradientTransformation(init, update, (rule,))


class CoordinatePath:
    """A chain of rules stepping a 2D point coordinate by coordinate: each coordinate a Python
    float (one 2D path, ops=FLOATS), or a contiguous array of that coordinate over a batch of
    problems (ops=COLUMNS: x of every start, then y).

    `step(grads, point)` takes and returns a value per coordinate; `recorded()` names the
    per-coordinate state vectors as the array path's state does (a later rule's value wins
    under an earlier rule's name, as in the runner).
    """

    def __init__(self, rules, point, ops: Ops):
        self.rules = rules
        self.ops = ops
        self.pairs = [(rule.advance, rule.kernel(ops)) for rule in rules]
        self.shared = [rule.shared for rule in rules]
        copy = (lambda c: c) if ops is FLOATS else np.array
        x, y = point
        self.leaves = [(tuple(copy(x) if v is PARAM else v for v in rule.leaves),
                        tuple(copy(y) if v is PARAM else v for v in rule.leaves)) for rule in rules]

    def step(self, grads, point):
        # Written out for two coordinates: this loop is most of a single path's cost per step.
        gx, gy = grads
        x, y = point
        shared, leaves, ops = self.shared, self.leaves, self.ops
        for index, (advance, step) in enumerate(self.pairs):
            constants, shared[index] = advance(shared[index], (gx, gy), ops)
            held_x, held_y = leaves[index]
            gx, held_x = step(gx, x, constants, held_x)
            gy, held_y = step(gy, y, constants, held_y)
            leaves[index] = (held_x, held_y)
        return gx, gy

    def keep(self, mask) -> None:
        """Only the columns' entries where `mask` holds go on stepping (a batch's finished starts
        leave it); a state held as one number for every entry stays as it is."""
        def take(value):
            return value[mask] if isinstance(value, np.ndarray) and value.ndim else value
        self.leaves = [(tuple(map(take, held_x)), tuple(map(take, held_y))) for held_x, held_y in self.leaves]
        self.shared = [tuple(map(take, shared)) for shared in self.shared]

    def snapshot(self) -> list:
        """The per-coordinate state now (immutable tuples: keeping the list is enough)."""
        return list(self.leaves)

    def recorded(self) -> dict[str, tuple[int, int]]:
        """name -> (rule index, leaf index) of each per-coordinate state in use."""
        fields = {}
        for index, rule in enumerate(self.rules):
            names = rule.state._fields[len(rule.shared):]
            for position, (name, value) in enumerate(zip(names, rule.leaves)):
                if value is not None:
                    fields[name] = (index, position)
        return fields
