"""One weight decay (optax's add_decayed_weights with a mask) for the optimizers and the MLP."""
import numpy as np
import pytest

from mlp.config import TrainConfig
from mlp.trainer import Training
from optimizers import apply_updates, make_optimizer

from . import reference

# A separable quadratic: each coordinate evolves on its own, so a per-coordinate reference is exact.
CURVATURE = np.array([1.0, 3.0, 0.5, 2.0])
SHIFT = np.array([0.5, -1.0, 2.0, 0.0])


def grad(x):
    return list(CURVATURE * (np.array(x) - SHIFT))


def run(name, params, start, steps, mask=None):
    optimizer = make_optimizer(name, params, decay_mask=mask)
    x = np.array(start, dtype=np.float64)
    state = optimizer.transformation.init(x)
    for _ in range(steps):
        updates, state = optimizer.transformation.update(np.array(grad(x)), state, x)
        x = apply_updates(x, updates)
    return x


def coordinate_reference(algorithm, start, steps, decays):
    """torch's algorithm run on each coordinate alone, with that coordinate's weight decay."""
    out = []
    for i, (x0, decay) in enumerate(zip(start, decays)):
        def g(x, i=i):
            return [CURVATURE[i] * (x[0] - SHIFT[i])]
        out.append(algorithm(g, [x0], steps, decay)[-1][0])
    return np.array(out)


START = [2.0, -1.5, 0.3, 1.0]
MASK = np.array([1.0, 0.0, 1.0, 0.0])  # e.g. a weight, a bias, a weight, a BatchNorm scale


@pytest.mark.parametrize("name, params, algorithm", [
    ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.3},
     lambda g, x, n, wd: reference.sgd(g, x, n, 0.05, momentum=0.9, weight_decay=wd)),
    ("adam", {"lr": 0.02, "weight_decay": 0.3},
     lambda g, x, n, wd: reference.adam(g, x, n, 0.02, weight_decay=wd)),
])
def test_masked_coupled_decay_is_torch_l2_on_the_masked_coordinates_only(name, params, algorithm):
    ours = run(name, params, START, 200, MASK)
    expected = coordinate_reference(algorithm, START, 200, 0.3 * MASK)
    assert np.allclose(ours, expected, rtol=1e-12, atol=1e-13)
    unmasked = run(name, params, START, 200)
    assert not np.allclose(ours, unmasked)  # the mask really changed something


def test_mlp_weight_decay_is_the_optimizers_decay_masked_to_the_weight_matrices():
    """Full-batch training with SGD + momentum and weight decay equals torch's documented SGD
    with weight_decay applied to the Linear weights and not to the biases."""
    config = TrainConfig(dataset="spiral", samples=100, hidden=[8], activation="tanh", batch_size=80, epochs=3,
                         weight_decay=0.2, optimizer="sgd", params={"lr": 0.1, "momentum": 0.9}, seed=3)
    training = Training(config)
    net, flat = training.net, training.flat.copy()
    buffers = {key: np.copy(value) for key, value in training.buffers.items()}
    y = training.data.y_train
    velocity = None
    for _ in range(3):
        forward = net.forward(flat, buffers, training.x_train, "train", np.random.default_rng(0))
        _, grad_out = training.loss_fn(forward.outputs, y)
        g = net.backward(flat, forward, grad_out) + 0.2 * net.decay_mask * flat  # torch: d_p += λ p
        velocity = g if velocity is None else 0.9 * velocity + g
        flat = flat - 0.1 * velocity
    for _ in range(3):
        training.train_epoch()
    assert np.allclose(training.flat, flat, rtol=1e-10, atol=1e-12)
    bias = net.slices["hidden0.bias"][0]
    assert net.decay_mask[bias].sum() == 0 and net.decay_mask.sum() > 0


def test_mlp_refuses_a_second_weight_decay_in_the_optimizer_params():
    with pytest.raises(ValueError, match="params.weight_decay"):
        TrainConfig(params={"lr": 0.1, "weight_decay": 0.1})
