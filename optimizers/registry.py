"""The optimizers by name: metadata for the API and UI, and a builder for each.

Hyperparameter names, defaults and conventions are torch.optim's; each builder
chains the shared transformations, so AMSGrad, Nesterov and NAdam are options of
a common core rather than copies.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from paramschema import WEIGHT_DECAY, Hyperparameter, betas, epsilon, learning_rate, resolve

from . import adaptive, rules, transform
from .newton import scale_by_newton
from .schedules import make_schedule
from .transform import GradientTransformation, Schedule, as_schedule, chain

MOMENTUM = Hyperparameter("momentum", "momentum value", 0.9, "momentum factor μ: how much velocity is kept",
                          minimum=0.0, maximum=1.0, maximum_exclusive=True, title="momentum μ")
DAMPENING = Hyperparameter("dampening", "dampening value", 0.0,
                           "τ: scales new gradients by (1 − τ) in the velocity (not with Nesterov)",
                           minimum=0.0, maximum=1.0, title="dampening τ")
EMA = Hyperparameter("ema", "ema flag", False,
                     "lecture-notes convention v = μv + (1 − μ)g, from v₀ = 0, instead of torch's v = μv + g",
                     kind="bool", title="average (EMA) form")


LR_FAMILIES = ("gradient", "adaptive", "newton", "fixed")


@dataclass(frozen=True)
class OptimizerSpec:
    name: str
    title: str
    idea: str
    rule: Callable[[dict], tuple[str, ...]]  # resolved hyperparameters -> LaTeX lines (optimizers/rules.py)
    reference: str
    hyperparameters: tuple[Hyperparameter, ...]
    build: Callable[..., GradientTransformation]  # build(**hyperparameters without lr)
    # How a good lr scales with the surface: "gradient" (steps ∝ slope, so lr ∝ 1/curvature),
    # "adaptive" (per-coordinate steps of about lr, so lr ∝ the plot's size), "newton"
    # (curvature-scaled steps, lr ≈ 1), "fixed" (the step sets its own units: keep the default).
    lr_family: str = "gradient"
    # Where the weight_decay hyperparameter acts: "coupled" (torch's L2 added to the gradient
    # before any scaling), "decoupled" (AdamW's θ ← θ − ηλθ, after the scaling) or None (no
    # such hyperparameter, or the optimizer applies it itself). make_optimizer inserts it, so
    # every optimizer and the MLP's masked decay share one add_decayed_weights.
    weight_decay: str | None = "coupled"
    needs_hessian: bool = False

    def __post_init__(self):
        if self.lr_family not in LR_FAMILIES:
            raise ValueError(f"lr_family of {self.name} must be one of {LR_FAMILIES}, not {self.lr_family!r}")

    def update_rule(self, params: dict | None = None) -> list[str]:
        """The rule make_optimizer runs for these hyperparameters (defaults if None), as LaTeX lines.
        Raises ValueError naming a bad value, like make_optimizer."""
        values = resolve(self.hyperparameters, params, self.name)
        check_options(self.name, values)
        decay = rules.gradient_line(values) if self.weight_decay == "coupled" else ()
        return list(decay + self.rule(values))

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "idea": self.idea,
                "update_rule": self.update_rule(), "reference": self.reference,
                "needs_hessian": self.needs_hessian, "lr_family": self.lr_family,
                "hyperparameters": [h.describe() for h in self.hyperparameters]}


class Optimizer(NamedTuple):
    """A ready-to-run optimizer: its transformation plus the schedule it steps with."""
    name: str
    transformation: GradientTransformation
    learning_rate: Schedule
    needs_hessian: bool


def check_options(name: str, values: dict) -> None:
    """Combinations torch refuses, or that would silently ignore an option."""
    if values.get("nesterov") and (values.get("momentum", 0) <= 0 or values.get("dampening", 0) != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    if values.get("ema") and values.get("dampening"):
        raise ValueError("dampening does not apply to the EMA form of momentum (its (1 − μ) already scales g)")


def _sgd(momentum=0.0, dampening=0.0, nesterov=False, ema=False):
    parts = []
    if ema:
        parts.append(transform.scale_by_ema_momentum(momentum))
    elif momentum > 0 or nesterov:
        parts.append(transform.trace(momentum, dampening, nesterov))
    return chain(*parts)


def _rmsprop(alpha, eps, momentum, centered):
    parts = [adaptive.scale_by_rms(alpha, eps, centered)]
    if momentum > 0:
        parts.append(transform.trace(momentum))
    return chain(*parts)


def _adam_like(scaling, **fixed):
    def build(betas, eps, **options):
        return scaling(betas[0], betas[1], eps, **fixed, **options)
    return build


OPTIMIZERS: dict[str, OptimizerSpec] = {spec.name: spec for spec in (
    OptimizerSpec(
        "sgd", "SGD", "Step straight down the gradient; the step shrinks with the slope.",
        rules.sgd,
        "Robbins & Monro (1951); torch.optim.SGD",
        (learning_rate(1e-3),
         Hyperparameter("momentum", "momentum value", 0.0, "momentum factor μ (0: plain SGD)", minimum=0.0, maximum=1.0,
                        maximum_exclusive=True, title="momentum μ"),
         DAMPENING,
         Hyperparameter("nesterov", "nesterov flag", False, "Nesterov's look-ahead (needs momentum > 0, no dampening)",
                        kind="bool", title="Nesterov"),
         WEIGHT_DECAY),
        lambda momentum, dampening, nesterov: _sgd(momentum, dampening, nesterov, False),
        lr_family="gradient"),
    OptimizerSpec(
        "momentum", "Momentum", "Accumulate a velocity: speeds along consistent directions, damps zig-zags.",
        rules.sgd,
        "Polyak (1964); torch.optim.SGD(momentum=0.9)",
        (learning_rate(1e-3), MOMENTUM, DAMPENING, EMA, WEIGHT_DECAY),
        lambda momentum, dampening, ema: _sgd(momentum, dampening, False, ema),
        lr_family="gradient"),
    OptimizerSpec(
        "nesterov", "Nesterov momentum", "Momentum that looks ahead: corrects the velocity before it overshoots.",
        lambda values: rules.sgd({**values, "nesterov": True}),
        "Nesterov (1983); Sutskever et al. (2013); torch.optim.SGD(momentum=0.9, nesterov=True)",
        (learning_rate(1e-3), MOMENTUM, WEIGHT_DECAY),
        lambda momentum: _sgd(momentum, 0.0, True, False),
        lr_family="gradient"),
    OptimizerSpec(
        "adagrad", "AdaGrad", "Divide by the root of all past squared gradients: steep directions slow down for good.",
        rules.adagrad,
        "Duchi, Hazan & Singer (2011); torch.optim.Adagrad",
        (learning_rate(0.01),
         Hyperparameter("lr_decay", "lr_decay value", 0.0, "δ: the step also decays as 1/(1 + (t−1)δ)",
                        minimum=0.0, maximum=10.0, title="lr decay δ"),
         WEIGHT_DECAY,
         Hyperparameter("initial_accumulator_value", "initial_accumulator_value", 0.0,
                        "starting value of G", minimum=0.0, maximum=10.0, title="initial accumulator G₀"),
         epsilon(1e-10)),
        adaptive.scale_by_adagrad,
        lr_family="adaptive"),
    OptimizerSpec(
        "adadelta", "AdaDelta", "RMSProp with units fixed: the step is scaled by the RMS of past steps, not by η alone.",
        rules.adadelta,
        "Zeiler (2012); torch.optim.Adadelta",
        (learning_rate(1.0),
         Hyperparameter("rho", "rho value", 0.9, "decay ρ of both running averages", minimum=0.0, maximum=1.0,
                        maximum_exclusive=True,
                        title="ρ"),
         epsilon(1e-6), WEIGHT_DECAY),
        adaptive.scale_by_adadelta,
        lr_family="adaptive"),
    OptimizerSpec(
        "rmsprop", "RMSProp", "AdaGrad with a leaky memory: divide by a running RMS of recent gradients.",
        rules.rmsprop,
        "Hinton, Coursera lecture 6e (2012); torch.optim.RMSprop",
        (learning_rate(0.01),
         Hyperparameter("alpha", "alpha value", 0.99, "decay α of the squared-gradient average", minimum=0.0, maximum=1.0,
                        maximum_exclusive=True,
                        title="α"),
         epsilon(1e-8), WEIGHT_DECAY,
         Hyperparameter("momentum", "momentum value", 0.0, "momentum on the scaled step", minimum=0.0, maximum=1.0,
                        maximum_exclusive=True,
                        title="momentum μ"),
         Hyperparameter("centered", "centered flag", False, "divide by the variance estimate instead of the raw second moment", kind="bool",
                        title="centered")),
        _rmsprop,
        lr_family="adaptive"),
    OptimizerSpec(
        "adam", "Adam", "Momentum plus RMSProp, both bias-corrected: a per-coordinate step of about η.",
        rules.adam,
        "Kingma & Ba (2015); torch.optim.Adam",
        (learning_rate(0.001), betas((0.9, 0.999)), epsilon(1e-8), WEIGHT_DECAY,
         Hyperparameter("bias_correction", "bias_correction flag", True,
                        "divide m and v by 1 − β₁ᵗ and 1 − β₂ᵗ, undoing their start at 0 (torch always does; "
                        "off shows what the correction is for)", kind="bool", title="bias correction")),
        _adam_like(adaptive.scale_by_adam),
        lr_family="adaptive"),
    OptimizerSpec(
        "amsgrad", "AMSGrad",
        "Adam that divides by the running maximum of v, which never decreases: a coordinate that once saw large "
        "gradients keeps small steps (Reddi et al.'s fix for Adam's non-convergence examples).",
        rules.amsgrad,
        "Reddi, Kale & Kumar (2018); torch.optim.Adam(amsgrad=True)",
        (learning_rate(0.001), betas((0.9, 0.999)), epsilon(1e-8), WEIGHT_DECAY),
        _adam_like(adaptive.scale_by_adam, amsgrad=True),
        lr_family="adaptive"),
    OptimizerSpec(
        "adamax", "Adamax", "Adam with the infinity norm: divide by the largest recent gradient instead of the RMS.",
        rules.adamax,
        "Kingma & Ba (2015), section 7; torch.optim.Adamax",
        (learning_rate(0.002), betas((0.9, 0.999)), epsilon(1e-8), WEIGHT_DECAY),
        _adam_like(adaptive.scale_by_adamax),
        lr_family="adaptive"),
    OptimizerSpec(
        "nadam", "NAdam", "Adam with Nesterov's look-ahead on the first moment, and a momentum warm-up.",
        rules.nadam,
        "Dozat (2016); torch.optim.NAdam",
        (learning_rate(0.002), betas((0.9, 0.999)), epsilon(1e-8), WEIGHT_DECAY,
         Hyperparameter("momentum_decay", "momentum_decay value", 4e-3, "ψ: how fast μ_t warms up to β1",
                        minimum=0.0, maximum=1.0, title="momentum decay ψ")),
        _adam_like(adaptive.scale_by_nadam),
        lr_family="adaptive"),
    OptimizerSpec(
        "newton", "Newton's method", "Jump to the stationary point of the local quadratic model: fast, but drawn to saddles.",
        rules.newton,
        "Newton–Raphson; damped (Levenberg) form, Nocedal & Wright ch. 3",
        (learning_rate(1.0),
         Hyperparameter("damping", "damping value", 0.0, "λ added to the Hessian's diagonal", minimum=0.0, maximum=100.0,
                        title="damping λ")),
        lambda damping: scale_by_newton(damping),
        lr_family="newton", weight_decay=None, needs_hessian=True),
)}

FIRST_ORDER = tuple(name for name, spec in OPTIMIZERS.items() if not spec.needs_hessian)


def make_optimizer(name: str, params: dict | None = None, schedule=None,
                   clip_norm: float | None = None, batch_dims: int = 0, decay_mask=None) -> Optimizer:
    """Build an optimizer by registry name.

    schedule: None (constant lr), a callable step -> lr, or (schedule_name, schedule_params)
    scaling the optimizer's lr. clip_norm rescales each gradient to at most that norm before
    anything else sees it; batch_dims=1 treats the leading axis as independent problems.
    decay_mask (a tree like the parameters, 0/1) limits weight_decay to some parameters.
    Raises ValueError naming the bad name or value.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; valid: {', '.join(OPTIMIZERS)}")
    spec = OPTIMIZERS[name]
    values = resolve(spec.hyperparameters, params, name)
    check_options(name, values)
    lr = values.pop("lr")
    if schedule is None:
        lr_schedule = as_schedule(lr)
    elif callable(schedule):
        lr_schedule = schedule
    else:
        lr_schedule = make_schedule(schedule[0], lr, schedule[1])
    parts = []
    if clip_norm is not None:
        if not clip_norm > 0:
            raise ValueError(f"Invalid clip_norm: {clip_norm!r} (allowed: a positive number)")
        parts.append(transform.clip_by_global_norm(clip_norm, batch_dims))
    weight_decay = values.pop("weight_decay", 0.0) if spec.weight_decay else 0.0
    # Left out of the chain at 0: the 2D runner's per-step cost is mostly call overhead.
    decay = [transform.add_decayed_weights(weight_decay, decay_mask)] if weight_decay else []
    if spec.weight_decay == "coupled":
        parts += decay + [spec.build(**values)]
    else:
        parts += [spec.build(**values)] + decay
    parts.append(transform.scale_by_learning_rate(lr_schedule))
    return Optimizer(name, chain(*parts), lr_schedule, spec.needs_hessian)
