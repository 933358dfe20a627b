"""The loss along a random direction through the trained weights: J(θ + a·θ1), as the notes draw it.

A raw random direction means little, because the same step is large for a layer of small weights
and tiny for a layer of large ones. So the direction is filter-normalized (Li et al. 2018,
*Visualizing the Loss Landscape of Neural Nets*): each unit's incoming weights in θ1 are rescaled
to the norm of that unit's weights in θ, and biases and BatchNorm's γ, β are left unperturbed.
Then a = 1 is a step as large as the weights themselves, whatever the layer's scale.
"""
from __future__ import annotations

import numpy as np

from .layers import Linear

SLICE_POINTS = 21  # a = -1, -0.9, ..., 1: the smooth curve needs no more, and 0 is one of them


def filter_normalized_direction(net, flat: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    direction = np.zeros_like(flat)
    for layer in net.layers:
        if not isinstance(layer, Linear):
            continue
        where, shape = net.slices[layer.weight]
        weights = flat[where].reshape(shape)
        raw = rng.standard_normal(shape)
        # one "filter" per unit: the column of its incoming weights
        scale = np.linalg.norm(weights, axis=0) / np.maximum(np.linalg.norm(raw, axis=0), 1e-12)
        direction[where] = (raw * scale).ravel()
    return direction


def loss_along_direction(training, rng: np.random.Generator, alphas=None) -> dict:
    """{"alpha": [...], "train_loss": [...], "val_loss": [...]}: the training and validation loss of the
    network (in evaluation mode, as the curves are measured) at θ + a·θ1 for a in [-1, 1]."""
    alphas = np.linspace(-1.0, 1.0, SLICE_POINTS) if alphas is None else np.asarray(alphas, dtype=np.float64)
    direction = filter_normalized_direction(training.net, training.flat, rng)
    train_loss, val_loss = [], []
    with np.errstate(all="ignore"):
        for alpha in alphas:
            shifted = training.flat + alpha * direction
            for x, y, out in ((training.x_train, training.data.y_train, train_loss),
                              (training.x_val, training.data.y_val, val_loss)):
                outputs = training.net.forward(shifted, training.buffers, x, "eval").outputs
                loss, _ = training.loss_fn(outputs, y)
                out.append(float(loss) if np.isfinite(loss) else None)
    return {"alpha": alphas.tolist(), "train_loss": train_loss, "val_loss": val_loss}
