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


def _one_cycle(lr, total_steps, pct_start, div_factor, final_div_factor, linear_anneal, three_phase):
    """torch's OneCycleLR with max_lr = the optimizer's lr (its lr only: momentum is not cycled)."""
    initial, peak = lr / div_factor, lr
    floor = initial / final_div_factor
    if three_phase:
        phases = [(pct_start * total_steps - 1, initial, peak), (2 * pct_start * total_steps - 2, peak, initial),
                  (total_steps - 1, initial, floor)]
    else:
        phases = [(pct_start * total_steps - 1, initial, peak), (total_steps - 1, peak, floor)]

    def anneal(start, end, pct):
        if linear_anneal:
            return (end - start) * pct + start
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)

    def schedule(t):
        t = min(t, total_steps)  # torch refuses to step past total_steps; hold its last value
        start_step = 0.0
        for i, (end_step, start, end) in enumerate(phases):
            if t <= end_step or i == len(phases) - 1:
                return anneal(start, end, (t - start_step) / (end_step - start_step))
            start_step = end_step
    return schedule


def _cosine_restarts(lr, T_0, T_mult, eta_min):  # noqa: N803 (torch's names)
    """torch's CosineAnnealingWarmRestarts stepped once per update: T_cur counts up to T_i, then restarts
    with T_i ← T_mult · T_i."""
    def schedule(t):
        period, position = T_0, t
        while position >= period:
            position, period = position - period, period * T_mult
        return eta_min + (lr - eta_min) * (1 + math.cos(math.pi * position / period)) / 2
    return schedule


def _wsd(lr, total_steps, decay_fraction, final_fraction, sqrt_decay):
    """Warm-up (warmup_steps), stable, decay: hold α0, then decay over the last decay_fraction of
    total_steps to final_fraction · α0, linearly or as 1 − √ (Hägele et al. 2024)."""
    decay_steps = max(1, round(decay_fraction * total_steps))
    decay_start = total_steps - decay_steps
    final = final_fraction * lr

    def schedule(t):
        if t < decay_start:
            return lr
        progress = min(t - decay_start, decay_steps) / decay_steps
        shape = math.sqrt(progress) if sqrt_decay else progress
        return lr + (final - lr) * shape
    return schedule


def _polynomial(lr, total_iters, power):
    """torch's PolynomialLR (its closed form): α0 (1 − min(t, T)/T)^power."""
    return lambda t: lr * (1.0 - min(total_iters, t) / total_iters) ** power


def _fraction(name, default, meaning, title):
    return Hyperparameter(name, f"{name} value", default, meaning, minimum=0.0, maximum=1.0, title=title)


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
    ScheduleSpec("one_cycle", "One cycle",
                 r"\alpha_t: \tfrac{\alpha_0}{d} \nearrow \alpha_0 \text{ over } p\,T \text{ steps, then } "
                 r"\searrow \tfrac{\alpha_0}{d\, d_f} \text{ by } t = T \text{ (cosine or linear)}",
                 "Smith's super-convergence schedule, as torch's OneCycleLR with max_lr = the optimizer's lr: "
                 "climb from α0/d to α0, then anneal far below the start (the lr only; momentum is not cycled).",
                 (_horizon("total_steps", 300, "steps T of the whole cycle", "cycle length T"),
                  _fraction("pct_start", 0.3, "fraction p of the cycle spent climbing", "climbing fraction p"),
                  Hyperparameter("div_factor", "div_factor value", 25.0, "d: the cycle starts at α0/d",
                                 minimum=1.0, maximum=1e4, log=True, title="start divisor d"),
                  Hyperparameter("final_div_factor", "final_div_factor value", 1e4,
                                 "d_f: the cycle ends at α0/(d·d_f)", minimum=1.0, maximum=1e6, log=True,
                                 title="final divisor d_f"),
                  Hyperparameter("linear_anneal", "linear_anneal flag", False,
                                 "anneal linearly (torch's anneal_strategy='linear') instead of by a cosine",
                                 kind="bool", title="linear annealing"),
                  Hyperparameter("three_phase", "three_phase flag", False,
                                 "come back down to α0/d symmetrically before the final anneal", kind="bool",
                                 title="three phases")),
                 _one_cycle),
    ScheduleSpec("cosine_restarts", "Cosine with warm restarts",
                 r"\alpha_t = \eta_{min} + \tfrac{1}{2}(\alpha_0 - \eta_{min})\left(1 + \cos\tfrac{\pi T_{cur}}{T_i}\right),"
                 r"\ T_i = T_0 T_{mult}^i",
                 "SGDR (Loshchilov & Hutter 2017), as torch's CosineAnnealingWarmRestarts: a cosine down to a floor, "
                 "then back to α0, each cycle T_mult times longer.",
                 (_horizon("T_0", 100, "steps T_0 of the first cycle", "first cycle T₀"),
                  Hyperparameter("T_mult", "T_mult value", 1, "each cycle is T_mult times longer than the last",
                                 kind="int", minimum=1, maximum=10, title="cycle growth T_mult"),
                  Hyperparameter("eta_min", "eta_min value", 0.0, "η_min: the floor, an absolute learning rate "
                                 "as torch's eta_min", minimum=0.0, maximum=100.0, title="floor η_min")),
                 _cosine_restarts),
    ScheduleSpec("wsd", "Warm-up, stable, decay",
                 r"\alpha_t = \alpha_0 \text{ until } (1-f)T, \text{ then } \alpha_0 + (\alpha_T - \alpha_0)\, s"
                 r"\left(\tfrac{t - (1-f)T}{f T}\right),\ s(u) = u \text{ or } \sqrt{u}",
                 "The schedule of recent large-model training: a warm-up (warm-up steps), a long stable phase at α0, "
                 "and a short final decay; the run can be extended from any stable point.",
                 (_horizon("total_steps", 300, "steps T, the end of the decay", "total steps T"),
                  _fraction("decay_fraction", 0.2, "fraction f of the steps spent decaying", "decay fraction f"),
                  _final_fraction(0.0),
                  Hyperparameter("sqrt_decay", "sqrt_decay flag", False,
                                 "decay as 1 − √ (Hägele et al. 2024) instead of linearly", kind="bool",
                                 title="1 − √ decay")),
                 _wsd),
    ScheduleSpec("polynomial", "Polynomial decay",
                 r"\alpha_t = \alpha_0 \left(1 - \tfrac{\min(t, T)}{T}\right)^{p}",
                 "torch's PolynomialLR: decay to zero over T steps, linearly for p = 1, faster at first for p > 1.",
                 (_horizon("total_iters", 300, "steps T to reach zero", "decay steps T"),
                  Hyperparameter("power", "power value", 1.0, "the exponent p", minimum=0.0, maximum=10.0,
                                 title="power p")),
                 _polynomial),
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
