"""Weight initializers: pure functions of a shape (fan_in, fan_out) and a seeded Generator.

torch's conventions: fan_in is the number of inputs of a unit, fan_out the number of
outputs; gains of 1 for Xavier/LeCun, sqrt(2) for He (kaiming_*_ with nonlinearity="relu").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Initializer:
    name: str
    title: str  # short, for labels such as "tanh · N(0, 0.01) · no BN"
    formula: str  # LaTeX
    help: str
    sample: Callable[[tuple[int, int], np.random.Generator], np.ndarray]

    def std(self, fan_in: int, fan_out: int) -> float:
        """The standard deviation the formula promises (tests compare samples against it)."""
        return float(_STDS[self.name](fan_in, fan_out))

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "formula": self.formula, "help": self.help}


_STDS = {
    "zeros": lambda fi, fo: 0.0,
    "constant": lambda fi, fo: 0.0,  # every weight equal: no spread at all
    "normal_0.01": lambda fi, fo: 0.01,
    "normal_1": lambda fi, fo: 1.0,
    "xavier_normal": lambda fi, fo: math.sqrt(2.0 / (fi + fo)),
    "xavier_uniform": lambda fi, fo: math.sqrt(2.0 / (fi + fo)),  # U(-a, a), a = sqrt(6/(fi+fo)): std a/sqrt(3)
    "he_normal": lambda fi, fo: math.sqrt(2.0 / fi),
    "he_uniform": lambda fi, fo: math.sqrt(2.0 / fi),
    "lecun_normal": lambda fi, fo: math.sqrt(1.0 / fi),
}


def _normal(name):
    return lambda shape, rng: rng.normal(0.0, _STDS[name](*shape), size=shape)


def _uniform(name):
    return lambda shape, rng: rng.uniform(-1, 1, size=shape) * math.sqrt(3.0) * _STDS[name](*shape)


INITIALIZERS: dict[str, Initializer] = {i.name: i for i in (
    Initializer("zeros", "zeros", r"W = 0",
                "Every unit computes the same thing and gets the same gradient: the symmetry never breaks.",
                lambda shape, rng: np.zeros(shape)),
    Initializer("constant", "constant 1/D_in", r"W = \frac{1}{D_{in}}",
                "Every weight the same non-zero value: the units of a layer compute the same function and "
                "receive the same gradient, so they stay identical however long you train — the symmetry "
                "that random initialization breaks.", lambda shape, rng: np.full(shape, 1.0 / shape[0])),
    Initializer("normal_0.01", "N(0, 0.01)", r"W \sim \mathcal{N}(0,\ 0.01^2)",
                "Too small for a deep tanh network: each layer multiplies the activations' spread by about "
                "0.01·√D_in (0.1 for 100 units), so they shrink layer by layer towards zero, and so do the "
                "gradients.", _normal("normal_0.01")),
    Initializer("normal_1", "N(0, 1)", r"W \sim \mathcal{N}(0,\ 1)",
                "Too large: pre-activations grow with the width (their spread is about √D_in), so most tanh "
                "units saturate at ±1, where the local gradient 1 − tanh² is nearly zero; the few unsaturated "
                "units still pass gradient, so training is slow and erratic rather than stopped.",
                _normal("normal_1")),
    Initializer("xavier_normal", "Xavier", r"W \sim \mathcal{N}\!\left(0,\ \frac{2}{D_{in} + D_{out}}\right)",
                "Glorot & Bengio (2010), torch's xavier_normal_: keeps the variance of activations and gradients "
                "roughly constant for tanh. Lecture slides often write Var(W) = 1/√D_in; the variance is 1/D_in "
                "(so the standard deviation is 1/√D_in) in the fan-in form they mean, which is LeCun's; "
                "Glorot's form averages fan-in and fan-out, as here.", _normal("xavier_normal")),
    Initializer("xavier_uniform", "Xavier (uniform)",
                r"W \sim \mathcal{U}\!\left(-\sqrt{\frac{6}{D_{in} + D_{out}}},\ \sqrt{\frac{6}{D_{in} + D_{out}}}\right)",
                "Xavier's variance 2/(D_in + D_out) from a uniform distribution (torch's xavier_uniform_).",
                _uniform("xavier_uniform")),
    Initializer("he_normal", "He", r"W \sim \mathcal{N}\!\left(0,\ \frac{2}{D_{in}}\right)",
                "He et al. (2015), torch's kaiming_normal_ for ReLU: ReLU zeroes half its inputs, so the "
                "variance is doubled. Lecture slides often write 2/√D_in; the variance is 2/D_in.", _normal("he_normal")),
    Initializer("he_uniform", "He (uniform)", r"W \sim \mathcal{U}\!\left(-\sqrt{\frac{6}{D_{in}}},\ \sqrt{\frac{6}{D_{in}}}\right)",
                "He's variance 2/D_in from a uniform distribution (torch's kaiming_uniform_ for ReLU).",
                _uniform("he_uniform")),
    Initializer("lecun_normal", "LeCun", r"W \sim \mathcal{N}\!\left(0,\ \frac{1}{D_{in}}\right)",
                "LeCun (1998): variance 1/D_in, what the Xavier formula of many lecture slides means; the natural "
                "pair for SELU.",
                _normal("lecun_normal")),
)}
