"""Layers with forward and backward side by side.

A layer reads its parameters from a dict of arrays (views into the network's flat
parameter vector) and its buffers (BatchNorm's running statistics) from another dict:
parameters are what the optimizer updates, buffers are not.

forward(params, buffers, x, mode, rng) -> (y, cache);  backward(params, cache, grad_y) -> (grad_x, grads)
mode: "train" (batch statistics, running statistics updated, dropout on),
      "eval" (running statistics, no dropout),
      "measure" (batch statistics, nothing updated, no dropout: how the network sees a training batch).
"""
from __future__ import annotations

import numpy as np

from .activations import Activation


class Linear:
    def __init__(self, name: str, fan_in: int, fan_out: int, first: bool = False):
        self.name = name
        self.first = first  # the network's input layer: nobody needs the gradient of its input
        self.weight, self.bias = f"{name}.weight", f"{name}.bias"
        self.shapes = {self.weight: (fan_in, fan_out), self.bias: (fan_out,)}

    def forward(self, params, buffers, x, mode, rng):
        return x @ params[self.weight] + params[self.bias], x

    def backward(self, params, x, grad_y):
        grads = {self.weight: x.T @ grad_y, self.bias: np.add.reduce(grad_y, axis=0)}
        return (None if self.first else grad_y @ params[self.weight].T), grads


class BatchNorm1d:
    """torch.nn.BatchNorm1d: normalizes with the biased batch variance, keeps running
    statistics with the unbiased one, running = (1 - momentum) running + momentum batch."""

    def __init__(self, name: str, features: int, momentum: float = 0.1, eps: float = 1e-5):
        self.name = name
        self.momentum, self.eps = momentum, eps
        self.gamma, self.beta = f"{name}.weight", f"{name}.bias"
        self.mean, self.var = f"{name}.running_mean", f"{name}.running_var"
        self.shapes = {self.gamma: (features,), self.beta: (features,)}
        self.buffer_shapes = {self.mean: (features,), self.var: (features,)}

    def initial_buffers(self):
        features = self.shapes[self.gamma][0]
        return {self.mean: np.zeros(features), self.var: np.ones(features)}

    # np.add.reduce instead of mean/var/sum: their Python wrappers cost more than the
    # arithmetic on a 32 x 16 batch, and this layer runs twice per training step.
    def forward(self, params, buffers, x, mode, rng):
        if mode == "eval":
            mean, var = buffers[self.mean], buffers[self.var]
            centered = x - mean
        else:
            n = x.shape[0]
            mean = np.add.reduce(x, axis=0) / n
            centered = x - mean
            var = np.add.reduce(centered * centered, axis=0) / n
            if mode == "train":
                m = self.momentum
                buffers[self.mean] = (1 - m) * buffers[self.mean] + m * mean
                buffers[self.var] = (1 - m) * buffers[self.var] + (m * n / max(n - 1, 1)) * var
        inv_std = (var + self.eps) ** -0.5
        normalized = centered * inv_std
        return params[self.gamma] * normalized + params[self.beta], (normalized, inv_std, mode == "eval")

    def backward(self, params, cache, grad_y):
        normalized, inv_std, fixed_statistics = cache
        grad_gamma = np.add.reduce(grad_y * normalized, axis=0)
        grad_beta = np.add.reduce(grad_y, axis=0)
        grads = {self.gamma: grad_gamma, self.beta: grad_beta}
        scale = params[self.gamma] * inv_std
        if fixed_statistics:
            return grad_y * scale, grads
        # The textbook gradient through the batch mean and variance; its two sums over the batch
        # are γ times the gradients of β and γ, already at hand:
        # dx = γ/(nσ) (n dy − Σdy − x̂ Σ(dy x̂))
        n = grad_y.shape[0]
        return (scale / n) * (n * grad_y - grad_beta - normalized * grad_gamma), grads


class ActivationLayer:
    shapes: dict = {}

    def __init__(self, name: str, activation: Activation):
        self.name = name
        self.activation = activation

    def forward(self, params, buffers, z, mode, rng):
        a = self.activation.forward(z)
        return a, (z, a)

    def backward(self, params, cache, grad_a):
        z, a = cache
        return self.activation.backward(z, a, grad_a), {}


class Dropout:
    """Inverted dropout: zero each unit with probability p in training and scale the rest by
    1/(1 - p), so evaluation needs no rescaling."""
    shapes: dict = {}

    def __init__(self, name: str, p: float):
        self.name = name
        self.p = p

    def forward(self, params, buffers, x, mode, rng):
        if mode != "train" or self.p == 0.0:
            return x, None
        mask = (rng.random(x.shape) >= self.p) / (1.0 - self.p)
        return x * mask, mask

    def backward(self, params, mask, grad_y):
        return (grad_y if mask is None else grad_y * mask), {}
