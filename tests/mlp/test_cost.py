"""The time budget's model: its features count the work a training does, and the budget refuses
pathological requests with the time they would take."""
import pytest

from mlp import TrainConfig
from mlp.cost import RUN_LIMIT_SECONDS, check_time_budget, describe_seconds, estimate_seconds, features
from mlp.trainer import updates_per_epoch


def test_features_count_steps_layers_and_passes():
    config = TrainConfig(hidden=[100] * 6, epochs=30, samples=600, batch_size=32)
    counted = features(config)
    # 480 training examples in batches of 32: 15 updates an epoch, 7 weight layers.
    assert updates_per_epoch(480, 32, False) == 15
    assert counted["layer_steps"] == 30 * 15 * 7
    assert counted["layer_records"] == 31 * 7
    doubled = features(TrainConfig(hidden=[100] * 6, epochs=60, samples=600, batch_size=32))
    assert doubled["layer_steps"] == 2 * counted["layer_steps"]
    assert doubled["step_flops"] == 2 * counted["step_flops"]
    tiny_batches = features(TrainConfig(hidden=[100] * 6, epochs=30, samples=600, batch_size=1))
    assert tiny_batches["layer_steps"] == 32 * counted["layer_steps"]  # the per-step overhead the old budget ignored


def test_pathological_request_is_refused_with_its_time():
    # The example: one unit, batch 1, 5000 samples, 2000 epochs (about 4 minutes measured).
    slow = TrainConfig(hidden=[1], batch_size=1, samples=5000, epochs=2000)
    assert estimate_seconds(slow) > 60
    with pytest.raises(ValueError, match=r"this would take about \d+ minutes; the limit is 20 s"):
        check_time_budget([slow])


def test_small_request_fits():
    assert check_time_budget([TrainConfig()]) < RUN_LIMIT_SECONDS


def test_describe_seconds():
    assert describe_seconds(12.4) == "about 12 s"
    assert describe_seconds(240) == "about 4 minutes"


@pytest.mark.parametrize("activation", ["relu", "tanh", "maxout"])
@pytest.mark.parametrize("hidden", [[], [3], [4, 5], [7, 1, 2]])
@pytest.mark.parametrize("batchnorm", [False, True])
def test_parameter_count_is_the_built_networks_size(activation, hidden, batchnorm):
    """The web worker prices a request without building its network: the arithmetic must be
    the size of the network the trainer builds."""
    from mlp.cost import parameter_count
    from mlp.network import MLP
    assert parameter_count(2, hidden, 3, activation, batchnorm) == MLP(2, hidden, 3, activation, batchnorm, 0.2).size
