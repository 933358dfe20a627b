"""Learning-rate schedules: plain functions step -> lr, step = 0 for the first update.

Every schedule scales the optimizer's base learning rate α0 and can be preceded by
a linear warm-up (`warmup_steps`), during which lr climbs from α0/w to α0 before the
schedule itself starts at its own step 0.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from paramschema import Hyperparameter, resolve

Schedule = Callable[[int], float]

WARMUP = Hyperparameter("warmup_steps", "warmup_steps value", 0,
                        "steps of linear warm-up from α0/w to α0 before the schedule starts",
                        kind="int", minimum=0, maximum=5000, title="warm-up steps")


def _rate(default, meaning, maximum=10.0):
    return Hyperparameter("k", "decay rate k", default, meaning, minimum=0.0, maximum=maximum, title="decay rate k")


def _final_fraction(default):
    return Hyperparameter("final_fraction", "final_fraction value", default,
                          "the floor as a fraction of α0 (α_τ = final_fraction · α0)",
                          minimum=0.0, maximum=1.0, title="floor (fraction of α0)")


def _horizon(name, default, meaning, title):
    return Hyperparameter(name, f"{name} value", default, meaning, kind="int", minimum=1, maximum=100000, title=title)


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    title: str
    formula: str  # LaTeX, in the lecture notes' symbols
    idea: str
    hyperparameters: tuple[Hyperparameter, ...]
    make: Callable[..., Schedule]  # make(base_lr, **params) -> schedule

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "formula": self.formula, "idea": self.idea,
                "hyperparameters": [h.describe() for h in self.hyperparameters + (WARMUP,)]}


def _exponential(lr, k, gamma):
    # torch's ExponentialLR multiplies by gamma each step: gamma = e^{-k}.
    if gamma is not None:
        k = -math.log(gamma)
    return lambda t: lr * math.exp(-k * t)


def _linear(lr, tau, final_fraction):
    final = final_fraction * lr
    return lambda t: (1 - min(t, tau) / tau) * lr + min(t, tau) / tau * final


def _cosine(lr, period, final_fraction):
    final = final_fraction * lr
    return lambda t: final + (lr - final) * (1 + math.cos(math.pi * min(t, period) / period)) / 2


SCHEDULES: dict[str, ScheduleSpec] = {spec.name: spec for spec in (
    ScheduleSpec("constant", "Constant", r"\alpha_t = \alpha_0", "The same step size throughout.", (),
                 lambda lr: lambda t: lr),
    ScheduleSpec("inverse_time", "1/t decay", r"\alpha_t = \frac{\alpha_0}{1 + k t}",
                 "Decays like 1/t: the classic condition for SGD to converge under noise.",
                 (_rate(0.01, "how fast α decays"),),
                 lambda lr, k: lambda t: lr / (1 + k * t)),
    ScheduleSpec("inverse_sqrt", "1/√t decay", r"\alpha_t = \frac{\alpha_0}{\sqrt{1 + k t}}",
                 "Decays like 1/√t, more gently than 1/t. Lecture slides often write k·α0/√t with k an overall factor; "
                 "here k sets when the decay begins (1 + kt keeps t = 0 finite), and for large t "
                 "α_t ≈ (α0/√k)/√t: that form, with the overall factor 1/√k.",
                 (_rate(0.1, "how fast α decays"),),
                 lambda lr, k: lambda t: lr / math.sqrt(1 + k * t)),
    ScheduleSpec("exponential", "Exponential decay", r"\alpha_t = \alpha_0 e^{-k t}",
                 "Multiplies α by the same factor e^{-k} every step.",
                 (_rate(0.01, "decay rate per step"),
                  Hyperparameter("gamma", "gamma value", None,
                                 "alternative to k, as torch's ExponentialLR: γ = e^{-k}",
                                 minimum=1e-6, maximum=1.0, title="γ (instead of k)")),
                 _exponential),
    ScheduleSpec("power", "Power decay", r"\alpha_t = \alpha_0 k^{t}",
                 "α shrinks geometrically by the base k each step.",
                 (Hyperparameter("k", "base k", 0.99, "factor applied every step", minimum=1e-6, maximum=1.0,
                                 title="base k"),),
                 lambda lr, k: lambda t: lr * k ** t),
    ScheduleSpec("step", "Step decay", r"\alpha_t = \alpha_0 \, d^{\lfloor t / n \rfloor}",
                 "A staircase: drop α by a factor d every n steps.",
                 (Hyperparameter("drop", "drop factor", 0.5, "factor d applied at every drop", minimum=1e-6, maximum=1.0,
                                 title="drop factor d"),
                  _horizon("every", 100, "steps n between drops", "steps between drops n")),
                 lambda lr, drop, every: lambda t: lr * drop ** (t // every)),
    ScheduleSpec("linear", "Linear decay to a floor",
                 r"\alpha_t = (1 - \tfrac{t}{\tau})\,\alpha_0 + \tfrac{t}{\tau}\,\alpha_\tau \text{ for } t \le \tau,\ \alpha_\tau \text{ after}",
                 "The lecture notes' schedule: decay linearly over τ steps, then hold α_τ (about 1% of α0).",
                 (_horizon("tau", 200, "steps τ of the linear decay", "decay steps τ"), _final_fraction(0.01)),
                 _linear),
    ScheduleSpec("cosine", "Cosine annealing",
                 r"\alpha_t = \alpha_{min} + \tfrac{1}{2}(\alpha_0 - \alpha_{min})\left(1 + \cos\tfrac{\pi t}{T}\right)",
                 "Half a cosine from α0 down to a floor over T steps (SGDR without restarts).",
                 (_horizon("period", 300, "steps T to reach the floor", "period T"), _final_fraction(0.0)),
                 _cosine),
)}


def with_warmup(schedule: Schedule, warmup_steps: int) -> Schedule:
    if warmup_steps == 0:
        return schedule
    peak = schedule(0)
    return lambda t: peak * (t + 1) / warmup_steps if t < warmup_steps else schedule(t - warmup_steps)


def make_schedule(name: str, base_lr: float, params: dict | None = None) -> Schedule:
    """Build a schedule by registry name; raises ValueError naming a bad name or value."""
    if name not in SCHEDULES:
        raise ValueError(f"Unknown schedule {name!r}; valid: {', '.join(SCHEDULES)}")
    spec = SCHEDULES[name]
    values = resolve(spec.hyperparameters + (WARMUP,), params, f"schedule {name}")
    warmup = values.pop("warmup_steps")
    return with_warmup(spec.make(base_lr, **values), warmup)
