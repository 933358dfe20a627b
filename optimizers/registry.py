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
from .lbfgs import lbfgs
from .muon import scale_by_muon
from .newton import scale_by_newton
from .schedule_free import schedule_free_average
from .schedules import make_schedule, with_warmup
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


def decoupled_weight_decay(default: float) -> Hyperparameter:
    return Hyperparameter("weight_decay", "weight_decay value", default,
                          "λ: θ shrinks by ηλθ each step, outside the adaptive scaling (decoupled)",
                          minimum=0.0, maximum=10.0, title="weight decay λ")


SCHEDULE_FREE_MOMENTUM = Hyperparameter("momentum", "momentum value", 0.9,
                                        "β: gradients are taken at y = (1 − β) z + β x", minimum=0.0, maximum=1.0,
                                        maximum_exclusive=True, title="interpolation β")
SCHEDULE_FREE_NOTE = ("The path drawn is y, where gradients are taken; the average x (what the reference "
                      "evaluates) is the state vector 'evaluated'. On the MLP tab the curves are measured at y.")
SCHEDULE_FREE_OPTIONS = (
    Hyperparameter("warmup_steps", "warmup_steps value", 0, "steps of linear lr warm-up, (k + 1)/w · η",
                   kind="int", minimum=0, maximum=5000, title="warm-up steps"),
    Hyperparameter("r", "r value", 0.0, "the average weights step k by (k + 1)^r", minimum=0.0, maximum=10.0,
                   title="polynomial weighting r"),
    Hyperparameter("weight_lr_power", "weight_lr_power value", 2.0,
                   "the average weights step k by (the largest lr so far)^power", minimum=0.0, maximum=10.0,
                   title="lr power of the weights"),
)


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
    # Extra keyword arguments build takes from make_optimizer: "learning_rate" (the schedule),
    # "decay" (the weight-decay transformations, for a build that places them itself),
    # "matrices" (the MLP's weight-matrix views).
    extras: tuple[str, ...] = ()
    applies_lr: bool = False  # build's transformation already includes the learning rate
    surfaces: bool = True  # offered on the 2D surfaces (Muon needs weight matrices)
    # A boolean hyperparameter that makes the optimizer evaluate the function itself (L-BFGS's
    # line search): it then needs context["value_and_grad"] and runs one start at a time.
    objective_flag: str | None = None
    # The hyperparameter that sets how many vectors per parameter vector the optimizer keeps and
    # walks through at every step (L-BFGS's pairs): its steps cost in proportion (surfaces/planning.py).
    history: str | None = None
    note: str = ""  # what the optimizer cannot do here, and why

    def __post_init__(self):
        if self.lr_family not in LR_FAMILIES:
            raise ValueError(f"lr_family of {self.name} must be one of {LR_FAMILIES}, not {self.lr_family!r}")

    def accepts(self, hyperparameter: str) -> bool:
        return any(h.name == hyperparameter for h in self.hyperparameters)

    def update_rule(self, params: dict | None = None) -> list[str]:
        """The rule make_optimizer runs for these hyperparameters (defaults if None), as LaTeX lines.
        Raises ValueError naming a bad value, like make_optimizer."""
        values = resolve(self.hyperparameters, params, self.name)
        check_options(self.name, values)
        # make_optimizer's coupled decay (a build that places the decay itself shows it in its rule)
        placed_here = self.weight_decay == "coupled" and "decay" not in self.extras
        decay = rules.gradient_line(values) if placed_here else ()
        return list(decay + self.rule(values))

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "idea": self.idea,
                "update_rule": self.update_rule(), "reference": self.reference,
                "needs_hessian": self.needs_hessian, "lr_family": self.lr_family,
                "surfaces": self.surfaces, "mlp": not self.needs_hessian, "note": self.note,
                "objective_flag": self.objective_flag,
                "hyperparameters": [h.describe() for h in self.hyperparameters]}


class Optimizer(NamedTuple):
    """A ready-to-run optimizer: its transformation plus the schedule it steps with."""
    name: str
    transformation: GradientTransformation
    learning_rate: Schedule
    needs_hessian: bool
    needs_objective: bool = False  # the runner must pass context value_and_grad (one start at a time)
    history: int = 0  # vectors kept per parameter vector and walked every step (OptimizerSpec.history)


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
    OptimizerSpec(
        "adamw", "AdamW",
        "Adam with decoupled weight decay: θ shrinks by ηλθ each step, outside Adam's scaling "
        "(on a surface, a steady pull toward the origin).",
        rules.adamw,
        "Loshchilov & Hutter (2019); torch.optim.AdamW",
        (learning_rate(1e-3), betas((0.9, 0.999)), epsilon(1e-8), decoupled_weight_decay(1e-2),
         Hyperparameter("amsgrad", "amsgrad flag", False, "divide by the running maximum of v (AMSGrad)",
                        kind="bool", title="AMSGrad")),
        lambda betas, eps, amsgrad: adaptive.scale_by_adam(betas[0], betas[1], eps, amsgrad),
        lr_family="adaptive", weight_decay="decoupled"),
    OptimizerSpec(
        "radam", "RAdam",
        "Adam whose adaptive step is switched on gradually: while v rests on a few gradients its variance "
        "is rectified (the first steps are plain momentum), which is why Adam needs a warm-up and RAdam does not.",
        rules.radam,
        "Liu et al. (2020), On the Variance of the Adaptive Learning Rate and Beyond; torch.optim.RAdam",
        (learning_rate(1e-3), betas((0.9, 0.999)), epsilon(1e-8), WEIGHT_DECAY),
        _adam_like(adaptive.scale_by_radam),
        # Its first steps (ρ_t ≤ 5) are plain steps η·m̂, sized by the gradient: a stable lr is a gradient one.
        lr_family="gradient"),
    OptimizerSpec(
        "lion", "Lion",
        "The sign of a momentum mix: every coordinate moves by exactly η (plus decoupled decay), "
        "found by program search.",
        rules.lion,
        "Chen et al. (2023), Symbolic Discovery of Optimization Algorithms, Algorithm 2",
        (learning_rate(1e-4), betas((0.9, 0.99)), decoupled_weight_decay(0.0)),
        lambda betas: adaptive.scale_by_lion(betas[0], betas[1]),
        lr_family="adaptive", weight_decay="decoupled"),
    OptimizerSpec(
        "lbfgs", "L-BFGS",
        "Quasi-Newton: a curvature model built from the last steps and gradient changes, never a Hessian; "
        "unlike Newton it always steps downhill, so saddles do not attract it.",
        rules.lbfgs,
        "Nocedal (1980); Liu & Nocedal (1989); torch.optim.LBFGS(max_iter=1), history kept across steps",
        (learning_rate(1.0),
         Hyperparameter("history_size", "history_size value", 100, "m: how many recent (step, gradient change) "
                        "pairs the curvature model keeps", kind="int", minimum=1, maximum=100, title="history m"),
         Hyperparameter("tolerance_grad", "tolerance_grad value", 1e-7,
                        "no step once every gradient component is at most this", minimum=0.0, maximum=1.0,
                        title="gradient tolerance"),
         Hyperparameter("tolerance_change", "tolerance_change value", 1e-9,
                        "no step unless the direction descends by more than this", minimum=0.0, maximum=1.0,
                        title="change tolerance"),
         Hyperparameter("strong_wolfe", "strong_wolfe flag", False,
                        "torch's line_search_fn='strong_wolfe': the step length satisfies the strong Wolfe "
                        "conditions (costs function evaluations; one start at a time, 2D surfaces only)",
                        kind="bool", title="strong-Wolfe line search"),
         Hyperparameter("max_eval", "max_eval value", 25,
                        "function evaluations per step the line search may use (torch's default for "
                        "max_iter=1 is 1, which leaves the search no second try)", kind="int",
                        minimum=1, maximum=100, title="evaluations per step")),
        lambda learning_rate, **options: lbfgs(learning_rate, **options),
        lr_family="newton", weight_decay=None, extras=("learning_rate",), applies_lr=True,
        objective_flag="strong_wolfe", history="history_size",
        note="With the strong-Wolfe line search it runs one start at a time (each start needs its own "
             "number of function evaluations) and not on the MLP tab."),
    OptimizerSpec(
        "schedule_free_sgd", "Schedule-free SGD",
        "No schedule needed: SGD steps a sequence z, the point to use is the running average x of z, and "
        "gradients are taken between the two, at y = (1 − β) z + β x.",
        rules.schedule_free_sgd,
        "Defazio et al. (2024), The Road Less Scheduled; schedulefree.SGDScheduleFreeReference",
        (learning_rate(1.0), SCHEDULE_FREE_MOMENTUM, WEIGHT_DECAY) + SCHEDULE_FREE_OPTIONS,
        lambda learning_rate, decay, momentum, r, weight_lr_power: chain(
            *decay, transform.scale_by_learning_rate(learning_rate),
            schedule_free_average(momentum, learning_rate, r, weight_lr_power)),
        lr_family="gradient", extras=("learning_rate", "decay"), applies_lr=True, note=SCHEDULE_FREE_NOTE),
    OptimizerSpec(
        "schedule_free_adamw", "Schedule-free AdamW",
        "Schedule-free averaging around an Adam step without first moment: β1 interpolates between the "
        "average x and the sequence z instead of averaging gradients.",
        rules.schedule_free_adamw,
        "Defazio et al. (2024), The Road Less Scheduled; schedulefree.AdamWScheduleFreeReference",
        (learning_rate(0.0025), betas((0.9, 0.999)), epsilon(1e-8),
         Hyperparameter("weight_decay", "weight_decay value", 0.0,
                        "λ: z shrinks by ηλy each step (decoupled, taken at the gradient point y)",
                        minimum=0.0, maximum=10.0, title="weight decay λ")) + SCHEDULE_FREE_OPTIONS,
        lambda learning_rate, decay, betas, eps, r, weight_lr_power: chain(
            adaptive.scale_by_adam(0.0, betas[1], eps), *decay, transform.scale_by_learning_rate(learning_rate),
            schedule_free_average(betas[0], learning_rate, r, weight_lr_power)),
        lr_family="adaptive", weight_decay="decoupled", extras=("learning_rate", "decay"), applies_lr=True,
        note=SCHEDULE_FREE_NOTE),
    OptimizerSpec(
        "muon", "Muon",
        "Orthogonalized momentum for weight matrices: every direction of a layer's update gets the same size; "
        "biases, BatchNorm and the output layer use AdamW.",
        rules.muon,
        "Jordan et al. (2024); Liu et al. (2025), Muon is Scalable for LLM Training; torch.optim.Muon",
        (learning_rate(1e-3), decoupled_weight_decay(0.1),
         Hyperparameter("momentum", "momentum value", 0.95, "μ of the momentum buffer B", minimum=0.0,
                        maximum=1.0, maximum_exclusive=True, title="momentum μ"),
         Hyperparameter("nesterov", "nesterov flag", True, "use g + μ(B − g), Nesterov's look-ahead", kind="bool",
                        title="Nesterov"),
         Hyperparameter("ns_steps", "ns_steps value", 5, "Newton–Schulz iterations of the orthogonalization",
                        kind="int", minimum=1, maximum=20, title="Newton–Schulz steps"),
         Hyperparameter("eps", "epsilon value", 1e-7, "guards the normalization before Newton–Schulz",
                        minimum=1e-12, maximum=1.0, log=True, title="ε")),
        lambda matrices, momentum, nesterov, ns_steps, eps: scale_by_muon(matrices, momentum, nesterov, eps, ns_steps),
        lr_family="adaptive", weight_decay="decoupled", extras=("matrices",), surfaces=False,
        note="MLP tab only: on a vector (a 2D point) the orthogonalization is v/‖v‖, so Muon would just be "
             "normalized momentum."),
)}

# The gradient-only optimizers a 2D surface offers (Muon needs weight matrices, Newton the Hessian),
# and those the MLP trainer offers (no Hessian there).
FIRST_ORDER = tuple(name for name, spec in OPTIMIZERS.items() if not spec.needs_hessian and spec.surfaces)
MLP_OPTIMIZERS = tuple(name for name, spec in OPTIMIZERS.items() if not spec.needs_hessian)


def make_optimizer(name: str, params: dict | None = None, schedule=None,
                   clip_norm: float | None = None, batch_dims: int = 0, decay_mask=None,
                   matrices=()) -> Optimizer:
    """Build an optimizer by registry name.

    schedule: None (constant lr), a callable step -> lr, or (schedule_name, schedule_params)
    scaling the optimizer's lr. clip_norm rescales each gradient to at most that norm before
    anything else sees it; batch_dims=1 treats the leading axis as independent problems.
    decay_mask (a tree like the parameters, 0/1) limits weight_decay to some parameters;
    matrices lists the (slice, shape) weight matrices of a flat parameter vector (Muon's).
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
    if "warmup_steps" in values:  # an optimizer's own warm-up (schedule-free's), as the schedules' warm-up
        lr_schedule = with_warmup(lr_schedule, values.pop("warmup_steps"))
    if "matrices" in spec.extras and not matrices:
        raise ValueError(f"{name} needs weight matrices (the MLP tab). {spec.note}")
    extras = {"learning_rate": lr_schedule, "decay": decay, "matrices": matrices}
    core = spec.build(**values, **{key: extras[key] for key in spec.extras})
    if spec.applies_lr or "decay" in spec.extras:
        parts.append(core)
    elif spec.weight_decay == "coupled":
        parts += decay + [core]
    else:
        parts += [core] + decay
    if not spec.applies_lr:
        parts.append(transform.scale_by_learning_rate(lr_schedule))
    needs_objective = bool(spec.objective_flag and values.get(spec.objective_flag))
    if needs_objective and batch_dims:
        raise ValueError(f"{spec.objective_flag}: {name} with it runs one start at a time, not a batch of starts "
                         f"(each start needs its own number of function evaluations)")
    history = int(values[spec.history]) if spec.history else 0
    return Optimizer(name, chain(*parts), lr_schedule, spec.needs_hessian, needs_objective, history)
