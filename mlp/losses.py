"""Losses with their gradients: loss(outputs, labels) -> (mean loss, grad of the mean wrt outputs)."""
from __future__ import annotations

import numpy as np


def softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - np.maximum.reduce(logits, axis=1)[:, None]
    exp = np.exp(shifted)
    total = np.add.reduce(exp, axis=1)
    loss = np.add.reduce(np.log(total) - shifted[rows, labels]) / n
    grad = exp / total[:, None]
    grad[rows, labels] -= 1.0
    return float(loss), grad / n


def mean_squared_error(outputs, labels):
    """MSE against one-hot targets, averaged over examples and outputs (torch's MSELoss)."""
    targets = np.zeros_like(outputs)
    targets[np.arange(outputs.shape[0]), labels] = 1.0
    diff = outputs - targets
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mean_squared_error}
