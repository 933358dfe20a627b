"""Losses with their gradients: loss(outputs, labels) -> (mean loss, grad of the mean wrt outputs)."""
from __future__ import annotations

import numpy as np


def softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), labels].mean()
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1.0
    return float(loss), grad / n


def mean_squared_error(outputs, labels):
    """MSE against one-hot targets, averaged over examples and outputs (torch's MSELoss)."""
    targets = np.zeros_like(outputs)
    targets[np.arange(outputs.shape[0]), labels] = 1.0
    diff = outputs - targets
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size


LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mean_squared_error}
