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
    def __init__(self, name: str, fan_in: int, fan_out: int):
        self.name = name
        self.weight, self.bias = f"{name}.weight", f"{name}.bias"
        self.shapes = {self.weight: (fan_in, fan_out), self.bias: (fan_out,)}

    def forward(self, params, buffers, x, mode, rng):
        return x @ params[self.weight] + params[self.bias], x

    def backward(self, params, x, grad_y):
        grads = {self.weight: x.T @ grad_y, self.bias: grad_y.sum(axis=0)}
        return grad_y @ params[self.weight].T, grads


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

    def forward(self, params, buffers, x, mode, rng):
        if mode == "eval":
            mean, var = buffers[self.mean], buffers[self.var]
        else:
            mean, var = x.mean(axis=0), x.var(axis=0)
            if mode == "train":
                n = x.shape[0]
                buffers[self.mean] = (1 - self.momentum) * buffers[self.mean] + self.momentum * mean
                buffers[self.var] = (1 - self.momentum) * buffers[self.var] + self.momentum * var * n / max(n - 1, 1)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        normalized = (x - mean) * inv_std
        return params[self.gamma] * normalized + params[self.beta], (normalized, inv_std, mode == "eval")

    def backward(self, params, cache, grad_y):
        normalized, inv_std, fixed_statistics = cache
        grads = {self.gamma: (grad_y * normalized).sum(axis=0), self.beta: grad_y.sum(axis=0)}
        grad_normalized = grad_y * params[self.gamma]
        if fixed_statistics:
            return grad_normalized * inv_std, grads
        n = grad_y.shape[0]
        grad_x = inv_std / n * (n * grad_normalized - grad_normalized.sum(axis=0)
                                - normalized * (grad_normalized * normalized).sum(axis=0))
        return grad_x, grads


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
