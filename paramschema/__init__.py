"""Parameter schemas: one declaration drives validation, the API and the UI controls.

Neutral ground: optimizers, schedules and surfaces all declare their parameters with it,
so none of them imports another just to describe a number.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Hyperparameter:
    name: str
    label: str  # used in messages, torch-style: "Invalid learning rate: -1.0"
    default: Any
    meaning: str
    kind: str = "float"  # "float" | "int" | "bool" | "pair" (two floats, e.g. betas)
    minimum: float | None = None
    maximum: float | None = None
    maximum_exclusive: bool = False
    log: bool = False  # the UI slider is log-scaled
    title: str = ""  # the human label a control shows ("weight decay λ", "β₁, β₂"); falls back to name

    def allowed(self) -> str:
        if self.kind == "bool":
            return "true or false"
        upper = ")" if self.maximum_exclusive else "]"
        return f"[{self.minimum:g}, {self.maximum:g}{upper}"

    def validate(self, value):
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"Invalid {self.label}: {value!r} (allowed: true or false)")
            return value
        if self.kind == "pair":
            if not isinstance(value, (list, tuple)) or len(value) != 2:
                raise ValueError(f"Invalid {self.label}: {value!r} (allowed: two numbers in {self.allowed()})")
            return tuple(self._check_number(v, f"{self.label} at index {i}") for i, v in enumerate(value))
        number = self._check_number(value, self.label)
        if self.kind == "int":
            if number != int(number):
                raise ValueError(f"Invalid {self.label}: {value!r} (allowed: a whole number in {self.allowed()})")
            return int(number)
        return number

    def parse(self, text: str):
        """A value written as text (a URL query: "0.9", "true", "0.9,0.999"), validated."""
        text = text.strip()
        if self.kind == "bool":
            lowered = text.lower()
            value = True if lowered in ("true", "1") else False if lowered in ("false", "0") else text
        elif self.kind == "pair":
            value = [_number_or_text(part) for part in text.split(",")]
        else:
            value = _number_or_text(text)
        return self.validate(value)

    def _check_number(self, value, label):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"Invalid {label}: {value!r} (allowed: a number in {self.allowed()})")
        number = float(value)
        too_high = number >= self.maximum if self.maximum_exclusive else number > self.maximum
        if not math.isfinite(number) or number < self.minimum or too_high:
            raise ValueError(f"Invalid {label}: {value!r} (allowed: {self.allowed()})")
        return number

    def describe(self) -> dict:
        out = asdict(self)
        out["title"] = self.title or self.name
        if isinstance(out["default"], tuple):
            out["default"] = list(out["default"])
        return out


def _number_or_text(text: str):
    try:
        return float(text)
    except ValueError:
        return text  # validate() then names it as not a number


class ParameterError(ValueError):
    """A bad value, with the name of the field it came in (for a 422 that points at it)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_all(schema: tuple[Hyperparameter, ...], texts: dict[str, str], owner: str) -> dict:
    """Values written as text (URL query parameters), each parsed and validated by its schema."""
    by_name = {h.name: h for h in schema}
    values = {}
    for name, text in texts.items():
        if name not in by_name:
            raise ParameterError(name, f"Unknown hyperparameter {name!r} for {owner}; valid: {', '.join(by_name) or 'none'}")
        try:
            values[name] = by_name[name].parse(text)
        except ValueError as error:
            raise ParameterError(name, str(error)) from None
    return values


def resolve(schema: tuple[Hyperparameter, ...], given: dict | None, owner: str) -> dict:
    """Defaults overlaid with the given values, every value validated."""
    given = dict(given or {})
    by_name = {h.name: h for h in schema}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        valid = ", ".join(by_name) or "none"
        raise ValueError(f"Unknown hyperparameter {unknown[0]!r} for {owner}; valid: {valid}")
    return {name: h.validate(given[name]) if name in given else h.default for name, h in by_name.items()}


# Shared declarations, so that every optimizer describes lr or eps in the same words.
def learning_rate(default: float) -> Hyperparameter:
    return Hyperparameter("lr", "learning rate", default, "step size η (the base of any schedule)",
                          minimum=1e-6, maximum=100.0, log=True, title="learning rate η")


def epsilon(default: float) -> Hyperparameter:
    return Hyperparameter("eps", "epsilon value", default, "added to the denominator for numerical stability",
                          minimum=1e-12, maximum=1.0, log=True, title="ε")


WEIGHT_DECAY = Hyperparameter("weight_decay", "weight_decay value", 0.0,
                              "L2 penalty λ: adds λθ to the gradient (torch's coupled weight decay)",
                              minimum=0.0, maximum=10.0, title="weight decay λ")


def betas(default: tuple[float, float]) -> Hyperparameter:
    return Hyperparameter("betas", "beta parameter", default,
                          "decay rates (β1, β2) of the first- and second-moment averages",
                          kind="pair", minimum=0.0, maximum=1.0, maximum_exclusive=True, title="β₁, β₂")
