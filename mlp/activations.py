"""Activation functions, each with its derivative right below it.

forward(z) -> a;  backward(z, a, grad_a) -> grad_z. Metadata says how to read the
activation histograms: the output range (for saturation) and whether a unit can die.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.1  # the slides' max(0.1x, x); torch's nn.LeakyReLU defaults to 0.01
ELU_ALPHA = 1.0
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805
MAXOUT_PIECES = 2


@dataclass(frozen=True)
class Activation:
    name: str
    title: str
    formula: str  # LaTeX
    forward: Callable
    backward: Callable
    saturation_range: tuple[float, float] | None = None  # bounded outputs: |a| near the ends is saturated
    # A unit can die only where the activation's gradient is exactly zero on a half-line (ReLU):
    # once its input is negative for every example, no gradient ever reaches its weights again.
    # Leaky ReLU, ELU, SELU, softplus, GELU and swish pass some gradient everywhere.
    can_die: bool = False
    pieces: int = 1  # maxout takes `pieces` linear pieces per unit

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "formula": self.formula,
                "saturation_range": self.saturation_range, "can_die": self.can_die, "pieces": self.pieces}


def _sigmoid(z):
    # Split by sign so exp never overflows.
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _sigmoid_backward(z, a, grad):
    return grad * a * (1.0 - a)


def _tanh_backward(z, a, grad):
    return grad * (1.0 - a * a)


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_backward(z, a, grad):
    return grad * (z > 0)


def _leaky(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_backward(z, a, grad):
    return grad * np.where(z > 0, 1.0, LEAKY_SLOPE)


def _elu(z):
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _elu_backward(z, a, grad):
    return grad * np.where(z > 0, 1.0, a + ELU_ALPHA)


def _selu(z):
    return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _selu_backward(z, a, grad):
    return grad * SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _gelu(z):
    # torch's GELU(approximate="tanh"): plain numpy, unlike the erf form.
    return 0.5 * z * (1.0 + np.tanh(_SQRT_2_OVER_PI * (z + 0.044715 * z ** 3)))


def _gelu_backward(z, a, grad):
    inner = _SQRT_2_OVER_PI * (z + 0.044715 * z ** 3)
    t = np.tanh(inner)
    return grad * (0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * z * z))


def _softplus(z):
    return np.logaddexp(0.0, z)


def _softplus_backward(z, a, grad):
    return grad * _sigmoid(z)


def _swish(z):
    return z * _sigmoid(z)


def _swish_backward(z, a, grad):
    s = _sigmoid(z)
    return grad * (s + z * s * (1.0 - s))


def _identity_backward(z, a, grad):
    return grad


def _maxout(z):
    # z holds MAXOUT_PIECES pre-activations per unit, side by side: (N, units * pieces).
    return z.reshape(z.shape[0], -1, MAXOUT_PIECES).max(axis=-1)


def _maxout_backward(z, a, grad):
    pieces = z.reshape(z.shape[0], -1, MAXOUT_PIECES)
    winner = pieces.argmax(axis=-1)
    out = np.zeros_like(pieces)
    np.put_along_axis(out, winner[..., None], grad[..., None], axis=-1)
    return out.reshape(z.shape)


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    Activation("sigmoid", "sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}", _sigmoid, _sigmoid_backward, (0.0, 1.0)),
    Activation("tanh", "tanh", r"\tanh(x)", np.tanh, _tanh_backward, (-1.0, 1.0)),
    Activation("relu", "ReLU", r"\max(0, x)", _relu, _relu_backward, can_die=True),
    Activation("leaky_relu", "leaky ReLU", r"\max(0.1x, x)", _leaky, _leaky_backward),
    Activation("elu", "ELU", r"x \text{ if } x \ge 0, \text{ else } \alpha(e^x - 1)", _elu, _elu_backward),
    Activation("selu", "SELU", r"\lambda\,(x \text{ if } x > 0, \text{ else } \alpha(e^x - 1))", _selu, _selu_backward),
    Activation("gelu", "GELU", r"x\,\Phi(x) \approx \tfrac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715 x^3)\right)\right)",
               _gelu, _gelu_backward),
    Activation("softplus", "softplus", r"\log(1 + e^x)", _softplus, _softplus_backward),
    Activation("swish", "swish (SiLU)", r"x\,\sigma(x)", _swish, _swish_backward),
    Activation("linear", "linear", r"x", lambda z: z, _identity_backward),
    Activation("maxout", "maxout", r"\max(w_1^T x + b_1,\ w_2^T x + b_2)", _maxout, _maxout_backward,
               pieces=MAXOUT_PIECES),
)}
