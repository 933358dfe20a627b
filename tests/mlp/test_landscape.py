"""The loss along a filter-normalized random direction (Li et al. 2018)."""
from __future__ import annotations

import numpy as np

from mlp import TrainConfig
from mlp.landscape import filter_normalized_direction, loss_along_direction
from mlp.layers import Linear
from mlp.trainer import Training


def _trained(**changes):
    training = Training(TrainConfig(hidden=[16, 16], epochs=5, samples=200, **changes))
    list(training.run())
    return training


def test_each_unit_of_the_direction_has_the_norm_of_its_weights_and_biases_are_not_moved():
    training = _trained(batchnorm=True)
    net, flat = training.net, training.flat
    direction = filter_normalized_direction(net, flat, np.random.default_rng(1))
    for layer in net.layers:
        if isinstance(layer, Linear):
            where, shape = net.slices[layer.weight]
            np.testing.assert_allclose(np.linalg.norm(direction[where].reshape(shape), axis=0),
                                       np.linalg.norm(flat[where].reshape(shape), axis=0), rtol=1e-12)
            assert not direction[net.slices[layer.bias][0]].any()
    moved = np.zeros(net.size, dtype=bool)
    for layer in net.layers:
        if isinstance(layer, Linear):
            moved[net.slices[layer.weight][0]] = True
    assert not direction[~moved].any()  # BatchNorm's gamma and beta stay put


def test_the_slice_at_zero_is_the_trained_networks_loss():
    training = _trained()
    history_loss = training._evaluate(training.x_train, training.data.y_train)[0]
    piece = loss_along_direction(training, np.random.default_rng(0), alphas=[-0.5, 0.0, 0.5])
    assert piece["alpha"] == [-0.5, 0.0, 0.5]
    assert piece["train_loss"][1] == history_loss


def test_the_summary_carries_a_seeded_slice_once_trained():
    first, second = _trained(seed=3), _trained(seed=3)
    assert first.summary()["slice"] == second.summary()["slice"]
    assert first.summary()["slice"] != _trained(seed=4).summary()["slice"]
    assert Training(TrainConfig(hidden=[4], epochs=1, samples=100)).summary()["slice"] is None  # not trained yet
