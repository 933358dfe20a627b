import numpy as np
import pytest

from mlp import INITIALIZERS, MLP
from mlp.layers import BatchNorm1d, Dropout


def test_batchnorm_training_normalizes_and_updates_running_statistics_like_torch():
    layer = BatchNorm1d("bn", 2, momentum=0.1)
    params = {"bn.weight": np.array([1.0, 2.0]), "bn.bias": np.array([0.0, -1.0])}
    buffers = layer.initial_buffers()
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0], [7.0, 40.0]])
    y, _ = layer.forward(params, buffers, x, "train", None)
    assert np.allclose(y[:, 0].mean(), 0) and np.allclose(y[:, 0].std(), 1, atol=1e-5)
    assert np.allclose(y[:, 1].mean(), -1) and np.allclose(y[:, 1].std(), 2, atol=1e-4)
    # running = 0.9 * init + 0.1 * batch; the variance kept is the unbiased one (n - 1).
    assert np.allclose(buffers["bn.running_mean"], 0.1 * np.array([4.0, 25.0]))
    assert np.allclose(buffers["bn.running_var"], 0.9 + 0.1 * x.var(axis=0, ddof=1))


def test_batchnorm_evaluation_uses_running_statistics():
    layer = BatchNorm1d("bn", 1, eps=1e-5)
    params = {"bn.weight": np.array([3.0]), "bn.bias": np.array([0.5])}
    buffers = {"bn.running_mean": np.array([2.0]), "bn.running_var": np.array([4.0])}
    y, _ = layer.forward(params, buffers, np.array([[6.0], [2.0]]), "eval", None)
    assert np.allclose(y[:, 0], [3.0 * 4.0 / np.sqrt(4.0 + 1e-5) + 0.5, 0.5])
    unchanged = dict(buffers)
    layer.forward(params, buffers, np.array([[100.0], [-100.0]]), "measure", None)
    assert buffers == unchanged  # measuring never touches the running statistics


def test_dropout_is_inverted_and_off_in_evaluation():
    layer = Dropout("d", 0.5)
    x = np.ones((2000, 50))
    y, _ = layer.forward({}, {}, x, "train", np.random.default_rng(0))
    assert set(np.unique(y)) == {0.0, 2.0}
    assert abs(y.mean() - 1.0) < 0.02 and abs((y == 0).mean() - 0.5) < 0.01
    assert np.array_equal(layer.forward({}, {}, x, "eval", None)[0], x)


@pytest.mark.parametrize("name, fan_in, fan_out, expected_std", [
    ("normal_0.01", 200, 300, 0.01), ("normal_1", 200, 300, 1.0),
    ("xavier_normal", 200, 300, np.sqrt(2 / 500)), ("xavier_uniform", 200, 300, np.sqrt(2 / 500)),
    ("he_normal", 200, 300, np.sqrt(2 / 200)), ("he_uniform", 200, 300, np.sqrt(2 / 200)),
    ("lecun_normal", 200, 300, np.sqrt(1 / 200)),
])
def test_initializer_empirical_std_matches_formula(name, fan_in, fan_out, expected_std):
    init = INITIALIZERS[name]
    weights = init.sample((fan_in, fan_out), np.random.default_rng(0))
    assert weights.shape == (fan_in, fan_out)
    assert abs(weights.mean()) < 0.02 * expected_std + 1e-3 * expected_std * 10
    assert weights.std() == pytest.approx(expected_std, rel=0.02)
    assert init.std(fan_in, fan_out) == pytest.approx(expected_std)


def test_uniform_initializers_respect_their_bounds():
    xavier = INITIALIZERS["xavier_uniform"].sample((100, 50), np.random.default_rng(0))
    assert np.abs(xavier).max() <= np.sqrt(6 / 150) and np.abs(xavier).max() > 0.95 * np.sqrt(6 / 150)
    he = INITIALIZERS["he_uniform"].sample((100, 50), np.random.default_rng(0))
    assert np.abs(he).max() <= np.sqrt(6 / 100)


def test_initializers_are_seeded_and_zeros_is_zero():
    a = INITIALIZERS["he_normal"].sample((4, 4), np.random.default_rng(5))
    b = INITIALIZERS["he_normal"].sample((4, 4), np.random.default_rng(5))
    assert np.array_equal(a, b)
    assert not INITIALIZERS["zeros"].sample((3, 3), np.random.default_rng(0)).any()


def test_xavier_help_text_corrects_the_slides():
    text = INITIALIZERS["xavier_normal"].help
    assert "1/√D_in" in text and "1/D_in" in text


def test_network_initialization_biases_zero_and_bn_identity():
    net = MLP(2, [4, 3], 2, "relu", batchnorm=True)
    flat, buffers = net.init("he_normal", np.random.default_rng(0))
    params = net.views(flat)
    assert not params["hidden0.bias"].any() and not params["output.bias"].any()
    assert (params["bn0.weight"] == 1).all() and not params["bn0.bias"].any()
    assert (buffers["bn1.running_var"] == 1).all()
    assert flat.size == 2 * 4 + 4 + 4 + 4 + 4 * 3 + 3 + 3 + 3 + 3 * 2 + 2


def test_maxout_network_doubles_the_pieces():
    net = MLP(2, [5], 3, "maxout")
    assert net.slices["hidden0.weight"][1] == (2, 10) and net.slices["output.weight"][1] == (5, 3)
