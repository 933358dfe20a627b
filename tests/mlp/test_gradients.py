"""Every activation, layer and the whole network against central differences."""
import numpy as np
import pytest

from mlp import ACTIVATIONS, LOSSES, MLP
from mlp.layers import BatchNorm1d, Dropout, Linear


def numeric_gradient(fn, x, h=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        plus = fn()
        x[index] = old - h
        minus = fn()
        x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_backward_matches_central_differences(name):
    activation = ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    z = rng.normal(0, 1.5, (5, 8))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU's kink
    weights = rng.normal(size=activation.forward(z).shape)
    analytic = activation.backward(z, activation.forward(z), weights)
    numeric = numeric_gradient(lambda: float(np.sum(weights * activation.forward(z))), z)
    assert np.allclose(analytic, numeric, atol=1e-6)


@pytest.mark.parametrize("name, x, expected", [
    ("sigmoid", 0.0, 0.5), ("tanh", 1.0, np.tanh(1.0)), ("relu", -2.0, 0.0), ("relu", 2.0, 2.0),
    ("leaky_relu", -2.0, -0.2), ("elu", -1.0, np.exp(-1) - 1), ("selu", -1.0, 1.0507009873554805 * 1.6732632423543772 * (np.exp(-1) - 1)),
    ("softplus", 0.0, np.log(2.0)), ("swish", 1.0, 1 / (1 + np.exp(-1))), ("linear", -3.0, -3.0),
    ("gelu", 1.0, 0.8411919906082768),  # torch.nn.functional.gelu(1.0, approximate="tanh")
    ("sigmoid", -800.0, 0.0), ("sigmoid", 800.0, 1.0),
])
def test_activation_values(name, x, expected):
    assert ACTIVATIONS[name].forward(np.array([[x]]))[0, 0] == pytest.approx(expected, abs=1e-12)


def test_maxout_takes_the_larger_piece():
    z = np.array([[1.0, 3.0, -2.0, -5.0]])  # two units, two pieces each
    assert ACTIVATIONS["maxout"].forward(z).tolist() == [[3.0, -2.0]]


def layer_check(layer, params, buffers, x, mode, rng_seed=0):
    weights = np.random.default_rng(1).normal(size=layer.forward(params, dict(buffers), x, mode,
                                                                 np.random.default_rng(rng_seed))[0].shape)

    def loss():
        y, _ = layer.forward(params, dict(buffers), x, mode, np.random.default_rng(rng_seed))
        return float(np.sum(weights * y))

    y, cache = layer.forward(params, dict(buffers), x, mode, np.random.default_rng(rng_seed))
    grad_x, grads = layer.backward(params, cache, weights)
    assert np.allclose(grad_x, numeric_gradient(loss, x), atol=1e-6)
    for name, grad in grads.items():
        assert np.allclose(grad, numeric_gradient(loss, params[name]), atol=1e-6), name


def test_linear_gradients():
    rng = np.random.default_rng(0)
    layer = Linear("l", 3, 4)
    params = {"l.weight": rng.normal(size=(3, 4)), "l.bias": rng.normal(size=4)}
    layer_check(layer, params, {}, rng.normal(size=(6, 3)), "train")


@pytest.mark.parametrize("mode", ["train", "measure", "eval"])
def test_batchnorm_gradients_in_every_mode(mode):
    rng = np.random.default_rng(0)
    layer = BatchNorm1d("bn", 4)
    params = {"bn.weight": rng.normal(size=4), "bn.bias": rng.normal(size=4)}
    buffers = {"bn.running_mean": rng.normal(size=4), "bn.running_var": rng.uniform(0.5, 2, 4)}
    layer_check(layer, params, buffers, rng.normal(2, 3, size=(7, 4)), mode)


def test_dropout_gradient_uses_the_same_mask():
    rng = np.random.default_rng(0)
    layer_check(Dropout("d", 0.4), {}, {}, rng.normal(size=(5, 6)), "train", rng_seed=3)


@pytest.mark.parametrize("activation", ["tanh", "relu", "maxout", "selu"])
@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("loss_name", ["cross_entropy", "mse"])
def test_whole_network_gradient(activation, batchnorm, loss_name):
    net = MLP(2, [5, 4], 3, activation, batchnorm)
    flat, buffers = net.init("xavier_normal", np.random.default_rng(0))
    flat += np.random.default_rng(1).normal(0, 0.1, flat.shape)  # BN's γ, β away from 1, 0
    x = np.random.default_rng(2).normal(size=(9, 2))
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2])
    loss_fn = LOSSES[loss_name]

    def loss():
        return loss_fn(net.forward(flat, dict(buffers), x, "measure").outputs, labels)[0]

    forward = net.forward(flat, dict(buffers), x, "measure")
    _, grad_out = loss_fn(forward.outputs, labels)
    assert np.allclose(net.backward(flat, forward, grad_out), numeric_gradient(loss, flat), atol=1e-6)


def test_cross_entropy_value():
    logits = np.array([[2.0, 1.0, 0.0]])
    expected = -np.log(np.exp(2) / (np.exp(2) + np.exp(1) + 1))
    assert LOSSES["cross_entropy"](logits, np.array([0]))[0] == pytest.approx(expected)
