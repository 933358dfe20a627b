"""A multilayer perceptron over one flat parameter vector.

Parameters live in one float64 vector; each layer sees named views into it. The
optimizer therefore updates a single array per step: the same optimizers/ code as
the 2D surfaces, with a few numpy calls per step instead of a few per weight matrix.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .initializers import INITIALIZERS
from .layers import ActivationLayer, BatchNorm1d, Dropout, Linear


@dataclass
class Pass:
    """What one forward pass leaves behind for backward and for the statistics."""
    outputs: np.ndarray
    params: dict  # the views the pass used; backward reuses them
    caches: list
    hidden: list  # each hidden layer's activations (after the non-linearity)
    pre_activations: list  # and the inputs of its non-linearity


class MLP:
    def __init__(self, inputs: int, hidden: list[int], outputs: int, activation: str = "relu",
                 batchnorm: bool = False, dropout: float = 0.0):
        act = ACTIVATIONS[activation]
        self.activation = act
        self.layers = []
        self.hidden_markers = []  # index of each hidden block's activation layer (a set once built)
        width = inputs
        for depth, units in enumerate(hidden):
            # Maxout needs `pieces` pre-activations per unit, side by side.
            self.layers.append(Linear(f"hidden{depth}", width, units * act.pieces, first=depth == 0))
            if batchnorm:
                self.layers.append(BatchNorm1d(f"bn{depth}", units * act.pieces))
            self.hidden_markers.append(len(self.layers))
            self.layers.append(ActivationLayer(f"act{depth}", act))
            if dropout > 0:
                self.layers.append(Dropout(f"dropout{depth}", dropout))
            width = units
        self.layers.append(Linear("output", width, outputs, first=not hidden))
        self.hidden_markers = set(self.hidden_markers)
        self.slices, offset = {}, 0
        for layer in self.layers:
            for name, shape in layer.shapes.items():
                size = int(np.prod(shape))
                self.slices[name] = (slice(offset, offset + size), shape)
                offset += size
        self.size = offset
        self.hidden_weights = [f"hidden{depth}.weight" for depth in range(len(hidden))]
        # L2 weight decay applies to weight matrices, not to biases or BatchNorm's scale and shift.
        self.decay_mask = np.zeros(self.size)
        for layer in self.layers:
            if isinstance(layer, Linear):
                self.decay_mask[self.slices[layer.weight][0]] = 1.0

    def init(self, initializer: str, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
        """A fresh parameter vector (biases 0, BatchNorm γ = 1, β = 0) and fresh buffers."""
        flat = np.zeros(self.size)
        sample = INITIALIZERS[initializer].sample
        for layer in self.layers:
            if isinstance(layer, Linear):
                flat[self.slices[layer.weight][0]] = sample(layer.shapes[layer.weight], rng).ravel()
            elif isinstance(layer, BatchNorm1d):
                flat[self.slices[layer.gamma][0]] = 1.0
        buffers = {}
        for layer in self.layers:
            if isinstance(layer, BatchNorm1d):
                buffers.update(layer.initial_buffers())
        return flat, buffers

    def views(self, flat: np.ndarray) -> dict:
        # The trainer updates its parameter vector in place, so the views of that one array are
        # built once and reused at every step.
        if flat is not getattr(self, "_viewed", None):
            self._viewed = flat
            self._views = {name: flat[where].reshape(shape) for name, (where, shape) in self.slices.items()}
        return self._views

    def forward(self, flat, buffers, x, mode="eval", rng=None) -> Pass:
        params = self.views(flat)
        caches, hidden, pre = [], [], []
        for index, layer in enumerate(self.layers):
            if index in self.hidden_markers:
                pre.append(x)
            x, cache = layer.forward(params, buffers, x, mode, rng)
            caches.append(cache)
            if index in self.hidden_markers:
                hidden.append(x)
        return Pass(x, params, caches, hidden, pre)

    def backward(self, flat, forward_pass: Pass, grad_outputs) -> np.ndarray:
        params = forward_pass.params
        grad = np.empty(self.size)
        for layer, cache in zip(reversed(self.layers), reversed(forward_pass.caches)):
            grad_outputs, grads = layer.backward(params, cache, grad_outputs)
            for name, value in grads.items():
                grad[self.slices[name][0]] = value.ravel()
        return grad

    def weight_norm(self, flat, name) -> float:
        return float(np.linalg.norm(flat[self.slices[name][0]]))
