"""Each MLP lecture preset's explanation, checked by training its configurations as the page sends
them (GET /api/mlp/options "presets", on the schema's defaults)."""
import math
from functools import lru_cache

import numpy as np
import pytest

from mlp import TrainConfig, Training
from mlp.presets import PRESETS

CHANCE = 1 / 3 + 0.1  # three classes


@lru_cache(maxsize=None)
def trained(config_items: tuple):
    """(history, training) of one configuration; shared by presets that contain the same one."""
    config = dict(config_items)
    config["hidden"] = list(config["hidden"])
    config["params"] = dict(config["params"])
    training = Training(TrainConfig(**config))
    return list(training.run()), training


def runs(preset_id):
    out = {}
    for config in PRESETS[preset_id].configs:
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else tuple(sorted(v.items())) if isinstance(v, dict)
                            else v) for k, v in config.items()))
        name = f"{config['activation']}/{config['init']}" + ("/bn" if config.get("batchnorm") else "")
        out[name] = trained(key)
    return out


def final(history, key="val_acc"):
    return history[-1][key]


def test_initialization_preset():
    r = runs("initialization")
    small, _ = r["tanh/normal_0.01"]
    # The explanation's words on activations speak of the start: the page opens the histograms at
    # the preset's epoch, the network before any update, where they are checked here.
    start = PRESETS["initialization"].epoch
    assert start == 0
    stds = [layer["std"] for layer in small[start]["layers"]]
    # Each 100-unit layer multiplies the spread by about 0.01·√100 = 0.1 (the initializer's help text).
    assert all(0.05 < b / a < 0.2 for a, b in zip(stds[1:], stds[2:]))
    assert 1e-8 < stds[-1] < 1e-6  # "around 1e-7": within a factor of ten
    assert small[0]["layers"][0]["grad_norm"] < 1e-5
    assert final(small) < CHANCE and final(small, "train_acc") < CHANCE
    large, _ = r["tanh/normal_1"]
    assert all(layer["saturated"] > 0.5 for layer in large[start]["layers"][2:])  # the deeper layers
    assert large[0]["train_loss"] > 3 * math.log(3)
    xavier, _ = r["tanh/xavier_normal"]
    assert final(large) > CHANCE + 0.2  # it does learn ...
    for epoch in (5, 10, 30):  # ... but behind Xavier
        assert large[epoch]["train_loss"] > 2 * xavier[epoch]["train_loss"], epoch
    for name in ("tanh/xavier_normal", "relu/he_normal", "relu/xavier_normal"):
        history, _ = r[name]
        assert final(history) >= 0.95 and final(history, "train_acc") >= 0.95, name  # fits the spiral
    for name in ("tanh/xavier_normal", "relu/he_normal"):
        spreads = [layer["std"] for layer in r[name][0][start]["layers"]]
        assert min(spreads) > 0.4 * max(spreads), name  # the spread kept through all six layers
    spreads = [layer["std"] for layer in r["relu/xavier_normal"][0][0]["layers"]]
    ratios = [b / a for a, b in zip(spreads, spreads[1:])]
    assert all(0.5 < q < 0.85 for q in ratios[1:])  # ReLU halves the second moment: about 1/√2 per layer
    zeros, _ = r["tanh/zeros"]
    assert all(layer["std"] == 0 and layer["mean"] == 0 for layer in zeros[0]["layers"])
    assert all(layer["grad_norm"] == 0 for record in zeros for layer in record["layers"])
    assert final(zeros) < CHANCE


def test_batchnorm_preset():
    r = runs("batchnorm")
    sigmoid, _ = r["sigmoid/xavier_normal"]
    grads = [layer["grad_norm"] for layer in sigmoid[0]["layers"]]
    assert all(a < b for a, b in zip(grads, grads[1:]))  # shrinking towards the input
    assert grads[0] < 1e-3 and final(sigmoid) < CHANCE
    normalized, _ = r["sigmoid/xavier_normal/bn"]
    assert final(normalized) >= 0.9
    plain, _ = r["tanh/normal_0.01"]
    rescued, _ = r["tanh/normal_0.01/bn"]
    assert final(plain) < CHANCE and CHANCE + 0.15 < final(rescued) < 0.9


def test_symmetry_preset():
    r = runs("symmetry")
    history, training = r["tanh/constant"]
    views = training.net.views(training.flat)
    for name in training.net.hidden_weights:
        weights = views[name]
        assert np.allclose(weights, weights[:, :1])  # every unit of the layer identical after 30 epochs
    xavier, _ = r["tanh/xavier_normal"]
    assert final(history) < final(xavier) - 0.3


def test_presets_are_valid_comparisons_for_the_api():
    from app.mlp_schemas import MAX_CONFIGS, MlpRequest
    for preset in PRESETS.values():
        assert preset.explanation and len(preset.configs) <= MAX_CONFIGS
        MlpRequest(configs=preset.configs)  # raises if a field or bound is wrong
