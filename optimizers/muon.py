"""Muon (Jordan et al. 2024; torch.optim.Muon) for the hidden weight matrices, AdamW for the rest.

Muon orthogonalizes the momentum of each weight matrix with a quintic Newton–Schulz
iteration, so every direction of the matrix moves by about the same amount. It needs
matrices: on a vector (a 2D point) the orthogonalization is just v / ‖v‖, normalized
momentum, which is why the surfaces do not offer it. As its authors prescribe, biases,
BatchNorm parameters and the output layer are trained by AdamW instead.

The parameters are one flat vector; `matrices` lists the (slice, (fan_in, fan_out)) views
Muon owns. torch runs Newton–Schulz in bfloat16; this runs it in float64 (the same
iteration, without bfloat16's rounding).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .adaptive import scale_by_adam
from .transform import GradientTransformation

NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


class MuonState(NamedTuple):
    momentum: np.ndarray  # torch's momentum_buffer, for the Muon-owned entries (zeros elsewhere)
    adam: object  # AdamW's state for the other entries


def orthogonalize(matrix: np.ndarray, steps: int = 5, eps: float = 1e-7) -> np.ndarray:
    """torch.optim._muon._zeropower_via_newtonschulz, in float64."""
    a, b, c = NS_COEFFICIENTS
    tall = matrix.shape[0] > matrix.shape[1]
    x = matrix.T if tall else matrix
    x = x / max(np.linalg.norm(x), eps)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


def scale_by_muon(matrices, momentum: float = 0.95, nesterov: bool = True, eps: float = 1e-7, ns_steps: int = 5,
                  betas=(0.9, 0.999), adam_eps: float = 1e-8):
    adam = scale_by_adam(betas[0], betas[1], adam_eps)

    def init(params):
        if not matrices:
            raise ValueError("muon trains weight matrices (the MLP's hidden layers): on a 2D surface it would "
                             "reduce to normalized momentum, so it is offered on the MLP tab only")
        return MuonState(np.zeros_like(params, dtype=np.float64), adam.init(params))

    def update(grads, state, params=None, **context):
        out, adam_state = adam.update(grads, state.adam, params)
        out = np.array(out)
        buffer = state.momentum.copy()
        for where, shape in matrices:
            g = grads[where]
            b = state.momentum[where] + (1 - momentum) * (g - state.momentum[where])  # torch: buf.lerp_(g, 1 - μ)
            buffer[where] = b
            direction = g + momentum * (b - g) if nesterov else b  # torch: g.lerp(buf, μ)
            # torch's weights are (fan_out, fan_in); its lr scale is sqrt(max(1, fan_out / fan_in)).
            fan_in, fan_out = shape
            ratio = math.sqrt(max(1.0, fan_out / fan_in))
            out[where] = ratio * orthogonalize(direction.reshape(shape).T, ns_steps, eps).T.ravel()
        return out, MuonState(buffer, adam_state)

    return GradientTransformation(init, update)
