"""Read a shared link (the page's URL query) as a scene the engine can run.

A lesson is a named, annotated link, so its claims must be checked on the scene the page
opens from that link. This module reads the link format the page writes (static/js/state.js):

    surface=canyon&sp=condition:50&start=-9,2.5&steps=150&run=sgd;lr:0.036&run=momentum;lr:0.01
    &sched=exponential;gamma:0.99&sweep=sgd;0.001|0.01|0.1&noise=0.5&seed=3&batch=8&clip=1
    &tab=mlp&mrun=activation:relu,init:he_normal,hidden:64|64,p.lr:0.05,sched:step,s.drop:0.5

Unlike the page, which falls back to defaults on anything odd (a link may be hand-edited),
this reader is strict: a lesson whose link does not say exactly what it means is an error.
A browser test checks that the page draws the same paths from the same link.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from optimizers import OPTIMIZERS, SCHEDULES

from mlp import TrainConfig
from surfaces import SURFACES, make_surface
from surfaces.presets import suggested_learning_rates


@dataclass(frozen=True)
class DefaultScene:
    """What a link means where it is silent: the scene the page opens on. Declared once here;
    the page reads it from GET /api/limits."""
    surface: str = "canyon"  # ill-conditioning, the first lecture point about optimizers
    runs: tuple[str, ...] = ("sgd", "momentum", "adam")
    steps: int = 300
    noise: float = 0.0
    seed: int = 0

    def describe(self) -> dict:
        return {"surface": self.surface, "runs": list(self.runs), "steps": self.steps,
                "noise": self.noise, "seed": self.seed}


DEFAULT_SCENE = DefaultScene()


@dataclass(frozen=True)
class Run:
    optimizer: str
    params: dict  # every hyperparameter, as the page sends it (defaults, suggested lr, link values)
    label: str


@dataclass(frozen=True)
class PathScene:
    surface: str
    surface_params: dict
    start: tuple[float, float]
    steps: int
    noise: float
    seed: int
    batch_size: int | None
    clip_norm: float | None
    schedule: tuple[str, dict] | None
    runs: tuple[Run, ...]
    explicit_lr: bool  # every run's learning rate is written in the link, not taken from a suggestion


@dataclass(frozen=True)
class Link:
    tab: str  # "paths" | "mlp"
    paths: PathScene
    mlp_runs: tuple[TrainConfig, ...] = field(default=())
    keys: frozenset = frozenset()
    mlp_epoch: int | None = None  # the epoch the MLP tab's histograms show (mepoch; None: the last)
    mlp_selected: int = 0  # the run whose histograms, gradients and decision surface show (msel)


def _single(query: dict, key: str, default=None):
    values = query.get(key)
    if not values:
        return default
    if len(values) > 1:
        raise ValueError(f"link key {key!r} is given {len(values)} times")
    return values[0]


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{what}: {text!r} is not finite")
    return value


def _integer(text: str, what: str) -> int:
    value = _number(text, what)
    if value != int(value):
        raise ValueError(f"{what}: {text!r} is not an integer")
    return int(value)


def _value(raw: str, spec, what: str):
    """One hyperparameter value in the link's encoding: 1/0 for flags, a|b for pairs."""
    if spec.kind == "bool":
        if raw not in ("0", "1"):
            raise ValueError(f"{what}: {raw!r} is not 0 or 1")
        return raw == "1"
    if spec.kind == "pair":
        parts = raw.split("|")
        if len(parts) != 2:
            raise ValueError(f"{what}: {raw!r} is not a pair a|b")
        return [_number(part, what) for part in parts]
    if spec.kind == "int":
        return _integer(raw, what)
    return _number(raw, what)


def _params(text: str, schema, what: str) -> dict:
    """"k:v,k:v" against a hyperparameter schema; the schema's own check names bad ranges."""
    by_name = {spec.name: spec for spec in schema}
    out = {}
    for item in filter(None, (text or "").split(",")):
        key, _, raw = item.partition(":")
        if key not in by_name:
            raise ValueError(f"{what}: unknown parameter {key!r}; valid: {', '.join(by_name)}")
        out[key] = _value(raw, by_name[key], f"{what}.{key}")
    return out


def _defaults(schema) -> dict:
    return {spec.name: list(spec.default) if isinstance(spec.default, tuple) else spec.default for spec in schema}


def _paths_scene(query: dict) -> PathScene:
    name = _single(query, "surface", DEFAULT_SCENE.surface)
    if name not in SURFACES:
        raise ValueError(f"surface: unknown {name!r}; valid: {', '.join(SURFACES)}")
    surface_params = _params(_single(query, "sp"), SURFACES[name].parameters, "sp")
    surface = make_surface(name, surface_params)
    start_text = _single(query, "start")
    start = surface.start
    if start_text:
        parts = start_text.split(",")
        if len(parts) != 2:
            raise ValueError(f"start: {start_text!r} is not x,y")
        start = (_number(parts[0], "start"), _number(parts[1], "start"))
    suggested = suggested_learning_rates(surface)

    def run_params(optimizer: str, given: dict) -> dict:
        schema = OPTIMIZERS[optimizer].hyperparameters
        return {**_defaults(schema), "lr": suggested.get(optimizer), **given}

    runs, explicit = [], True
    sweep = _single(query, "sweep")
    if sweep:
        optimizer, _, rates = sweep.partition(";")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"sweep: unknown optimizer {optimizer!r}")
        base_text = next((item.partition(";")[2] for item in query.get("run", []) if item.partition(";")[0] == optimizer), "")
        base = _params(base_text, OPTIMIZERS[optimizer].hyperparameters, f"run {optimizer}")
        for index, raw in enumerate(rates.split("|")):
            lr = _number(raw, "sweep")
            runs.append(Run(optimizer, run_params(optimizer, {**base, "lr": lr}), f"sweep-{index}"))
    else:
        # No run key means the default runs, as on the page; "run=none" means none on purpose.
        for item in query.get("run", list(DEFAULT_SCENE.runs)):
            if item == "none":
                continue
            optimizer, _, text = item.partition(";")
            if optimizer not in OPTIMIZERS:
                raise ValueError(f"run: unknown optimizer {optimizer!r}; valid: {', '.join(OPTIMIZERS)}")
            given = _params(text, OPTIMIZERS[optimizer].hyperparameters, f"run {optimizer}")
            explicit &= "lr" in given
            runs.append(Run(optimizer, run_params(optimizer, given), optimizer))
    schedule = None
    sched = _single(query, "sched")
    if sched:
        sched_name, _, text = sched.partition(";")
        if sched_name not in SCHEDULES:
            raise ValueError(f"sched: unknown schedule {sched_name!r}; valid: {', '.join(SCHEDULES)}")
        schedule = (sched_name, _params(text, SCHEDULES[sched_name].hyperparameters, "sched"))
    batch = _single(query, "batch")
    clip = _single(query, "clip")
    return PathScene(
        surface=name, surface_params=surface_params, start=tuple(start),
        steps=_integer(_single(query, "steps", str(DEFAULT_SCENE.steps)), "steps"),
        noise=_number(_single(query, "noise", str(DEFAULT_SCENE.noise)), "noise"),
        seed=_integer(_single(query, "seed", str(DEFAULT_SCENE.seed)), "seed"),
        batch_size=_integer(batch, "batch") if batch else None,
        clip_norm=_number(clip, "clip") if clip else None, schedule=schedule, runs=tuple(runs), explicit_lr=explicit)


# The MLP part of a link: each configuration as its differences from TrainConfig's defaults.
_MLP_NAMES = ("dataset", "activation", "init", "optimizer", "loss")
_MLP_FLAGS = ("standardize", "batchnorm")


def _mlp_config(text: str) -> TrainConfig:
    defaults = TrainConfig()
    fields: dict = {}
    params: dict = {}
    schedule_params: dict = {}
    schedule_name = None
    for item in filter(None, (text or "").split(",")):
        key, _, raw = item.partition(":")
        if key in _MLP_NAMES:
            fields[key] = raw
        elif key in _MLP_FLAGS:
            if raw not in ("0", "1"):
                raise ValueError(f"mrun.{key}: {raw!r} is not 0 or 1")
            fields[key] = raw == "1"
        elif key == "hidden":
            fields["hidden"] = [] if raw == "none" else [_integer(units, "mrun.hidden") for units in raw.split("|")]
        elif key.startswith("p."):
            params[key[2:]] = raw
        elif key == "sched":
            schedule_name = raw
        elif key.startswith("s."):
            schedule_params[key[2:]] = raw
        elif key == "label":
            fields["label"] = raw
        elif hasattr(defaults, key) and not isinstance(getattr(defaults, key), (dict, list)):
            current = getattr(defaults, key)
            number = _number(raw, f"mrun.{key}")
            fields[key] = int(number) if isinstance(current, int) or key == "patience" else number
        else:
            raise ValueError(f"mrun: unknown key {key!r}")
    optimizer = fields.get("optimizer", defaults.optimizer)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"mrun.optimizer: unknown {optimizer!r}")
    if params:
        # As on the page: written hyperparameters replace the default set rather than merge with it.
        fields["params"] = _params(",".join(f"{k}:{v}" for k, v in params.items()),
                                   OPTIMIZERS[optimizer].hyperparameters, "mrun.p")
    if schedule_name is not None:
        if schedule_name not in SCHEDULES:
            raise ValueError(f"mrun.sched: unknown schedule {schedule_name!r}")
        fields["schedule"] = {"name": schedule_name, "params": _params(
            ",".join(f"{k}:{v}" for k, v in schedule_params.items()), SCHEDULES[schedule_name].hyperparameters,
            "mrun.s")}
    return TrainConfig(**fields)


def parse_link(query: str) -> Link:
    """The scene a link opens. Raises ValueError naming the first key that does not parse."""
    parsed = parse_qs(query.lstrip("?"), keep_blank_values=True, strict_parsing=False)
    tab = _single(parsed, "tab", "paths")
    if tab not in ("paths", "mlp"):
        raise ValueError(f"tab: {tab!r} is not paths or mlp")
    mlp_runs = tuple(_mlp_config("" if text == "default" else text) for text in parsed.get("mrun", []))
    epoch = _single(parsed, "mepoch")
    mlp_epoch = None if epoch is None else _integer(epoch, "mepoch")
    if mlp_epoch is not None and mlp_epoch < 0:
        raise ValueError(f"mepoch: {epoch!r} is not an epoch (0, 1, 2, ...)")
    selected = _single(parsed, "msel")
    mlp_selected = 0 if selected is None else _integer(selected, "msel")
    if not 0 <= mlp_selected < max(1, len(mlp_runs)):
        raise ValueError(f"msel: {selected!r} is not one of the comparison's runs (0 to {len(mlp_runs) - 1})")
    return Link(tab=tab, paths=_paths_scene(parsed), mlp_runs=mlp_runs, keys=frozenset(parsed), mlp_epoch=mlp_epoch,
                mlp_selected=mlp_selected)
