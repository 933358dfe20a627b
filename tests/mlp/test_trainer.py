import numpy as np
import pytest

from mlp import DATASETS, TrainConfig, Training, auto_label, make_dataset, train
from mlp.trainer import DECISION_RESOLUTION, DECISION_SNAPSHOTS


def test_trainer_reduces_loss_on_an_easy_dataset():
    history, summary = train(TrainConfig(dataset="blobs", classes=3, samples=300, hidden=[16], activation="relu",
                                         init="he_normal", optimizer="adam", params={"lr": 0.01}, epochs=15))
    assert history[0]["epoch"] == 0 and history[-1]["epoch"] == 15
    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]
    assert history[-1]["val_acc"] > 0.9
    assert summary["status"] == "finished"


def test_epoch_zero_describes_the_untrained_network():
    history, _ = train(TrainConfig(epochs=2, samples=200, hidden=[8, 8], init="normal_0.01"))
    first = history[0]
    assert len(first["layers"]) == 2
    assert all(layer["update_ratio"] is None for layer in first["layers"])
    assert all(layer["update_ratio"] > 0 for layer in history[1]["layers"])
    # tiny weights give near-zero logits: the loss of a uniform guess over 3 classes, log 3
    assert first["train_loss"] == pytest.approx(np.log(3), rel=1e-3)


def test_small_init_collapses_tanh_activations_and_batchnorm_rescues_them():
    config = dict(activation="tanh", init="normal_0.01", hidden=[32, 32, 32], epochs=10, samples=300)
    plain, _ = train(TrainConfig(**config))
    normalized, _ = train(TrainConfig(**config, batchnorm=True))
    stds = [layer["std"] for layer in plain[0]["layers"]]
    assert stds[0] > stds[1] > stds[2] and stds[2] < 1e-3  # shrinking layer by layer
    assert plain[0]["layers"][0]["grad_norm"] < 1e-3
    assert plain[-1]["train_loss"] > 0.95 * plain[0]["train_loss"]  # no learning
    assert all(layer["std"] > 0.3 for layer in normalized[0]["layers"])
    assert normalized[-1]["train_loss"] < 0.8 * normalized[0]["train_loss"]


def test_large_init_saturates_tanh():
    history, _ = train(TrainConfig(activation="tanh", init="normal_1", hidden=[64, 64], epochs=1, samples=300))
    assert history[0]["layers"][1]["saturated"] > 0.3
    counts = history[0]["layers"][1]["histogram"]["counts"]
    assert counts[0] + counts[-1] > 0.3 * sum(counts)  # mass piled up at ±1


def test_dead_relu_units_are_counted():
    training = Training(TrainConfig(activation="relu", init="he_normal", hidden=[16], epochs=1, samples=200))
    params = training.net.views(training.flat)
    params["hidden0.bias"][:4] = -100.0  # four units that can never fire
    record = training.initial_record()
    assert record["layers"][0]["dead"] == pytest.approx(4 / 16)


def test_histogram_counts_every_activation():
    history, _ = train(TrainConfig(hidden=[10, 6], epochs=1, samples=100))
    train_size = 80
    for layer, units in zip(history[0]["layers"], (10, 6)):
        assert sum(layer["histogram"]["counts"]) == train_size * units
        assert len(layer["histogram"]["edges"]) == len(layer["histogram"]["counts"]) + 1


def test_early_stopping_reports_the_best_epoch():
    history, summary = train(TrainConfig(dataset="moons", samples=100, noise=0.4, hidden=[64, 64], activation="relu",
                                         init="he_normal", optimizer="adam", params={"lr": 0.05}, epochs=300, patience=5))
    assert summary["status"] == "stopped_early"
    best = min(history[1:], key=lambda r: r["val_loss"])
    assert summary["best_epoch"] == best["epoch"]
    assert history[-1]["epoch"] == summary["best_epoch"] + 5


def test_divergence_is_reported_not_raised():
    # Squared error on a linear network: gradient descent with a huge step grows geometrically.
    history, summary = train(TrainConfig(optimizer="sgd", params={"lr": 50.0}, init="normal_1", loss="mse",
                                         activation="linear", epochs=20, samples=200))
    assert summary["status"] == "diverged" and summary["message"].startswith("diverged at epoch")
    assert all(np.isfinite(r["train_loss"]) for r in history)


def test_training_is_seeded():
    a, _ = train(TrainConfig(epochs=3, samples=120, dropout=0.2, seed=4))
    b, _ = train(TrainConfig(epochs=3, samples=120, dropout=0.2, seed=4))
    c, _ = train(TrainConfig(epochs=3, samples=120, dropout=0.2, seed=5))
    assert a == b and a[-1]["train_loss"] != c[-1]["train_loss"]


def test_decision_surface_snapshots():
    history, _ = train(TrainConfig(epochs=50, samples=100, hidden=[8]))
    with_surface = [r["epoch"] for r in history if "decision" in r]
    # a bounded number of snapshots spread evenly over the run, the untrained and the last one included
    assert with_surface[0] == 0 and with_surface[-1] == 50
    assert DECISION_SNAPSHOTS <= len(with_surface) <= DECISION_SNAPSHOTS + 2
    assert len(set(np.diff(with_surface[:-1]))) == 1
    surface = history[-1]["decision"]
    assert len(surface["label"]) == len(surface["y"]) == DECISION_RESOLUTION
    assert len(surface["label"][0]) == len(surface["x"]) == DECISION_RESOLUTION


def test_histograms_count_as_numpy_does():
    # the reference: np.histogram over the layer's own range, on the measuring pass's activations
    training = Training(TrainConfig(activation="relu", init="he_normal", hidden=[64, 32], epochs=1, samples=300))
    record = training.initial_record()
    measured = training.net.forward(training.flat, training.buffers, training.x_train, "measure")
    for layer, a in zip(record["layers"], measured.hidden):
        counts, edges = np.histogram(a, bins=len(layer["histogram"]["counts"]), range=(a.min(), a.max()))
        assert layer["histogram"]["counts"] == counts.tolist()
        assert np.allclose(layer["histogram"]["edges"], edges, rtol=0, atol=1e-3 * (edges[1] - edges[0]))


def test_standardization_uses_training_statistics():
    data = make_dataset("unscaled", 500, 2, 0.1, True, np.random.default_rng(0))
    standardized = data.standardize(data.x_train)
    assert np.allclose(standardized.mean(axis=0), 0, atol=1e-9) and np.allclose(standardized.std(axis=0), 1)
    raw = make_dataset("unscaled", 500, 2, 0.1, False, np.random.default_rng(0))
    assert 1.3 < raw.x_train[:, 0].mean() < 2.1 and raw.x_train[:, 1].std() > 50 * raw.x_train[:, 0].std()


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_seeded_and_split(name):
    a = make_dataset(name, 200, 3, 0.1, False, np.random.default_rng(1))
    b = make_dataset(name, 200, 3, 0.1, False, np.random.default_rng(1))
    assert np.array_equal(a.x_train, b.x_train) and len(a.x_train) == 160 and len(a.x_val) == 40
    assert set(np.unique(np.concatenate([a.y_train, a.y_val]))) == set(range(a.classes))


def test_auto_labels():
    assert auto_label(TrainConfig(activation="tanh", init="normal_0.01")) == "tanh · N(0, 0.01) · no BN"
    assert auto_label(TrainConfig(activation="relu", init="he_normal", batchnorm=True)) == "ReLU · He · BN"


@pytest.mark.parametrize("patch, message", [
    ({"dataset": "mnist"}, "dataset: unknown value 'mnist'; valid: spiral"),
    ({"activation": "swishy"}, "activation: unknown value"),
    ({"optimizer": "newton"}, "optimizer: 'newton' is not available for the MLP"),
    ({"hidden": [32] * 11}, "hidden (number of layers): 11 is out of range [0, 10]"),
    ({"hidden": [300]}, "hidden (units per layer): 300 is out of range [1, 256]"),
    ({"samples": 10}, "samples: 10 is out of range [20, 5000]"),
    ({"epochs": 2001}, "epochs: 2001 is out of range [1, 2000]"),
    ({"params": {"lr": 0.1, "nesterov": True}}, "Nesterov momentum requires a momentum"),
    ({"schedule": {"name": "step", "params": {"every": 0}}}, "every"),
])
def test_config_validation_names_the_field(patch, message):
    with pytest.raises(ValueError) as error:
        TrainConfig(**patch)
    assert message in str(error.value)


@pytest.mark.parametrize("activation", ["leaky_relu", "elu", "selu", "softplus", "gelu", "swish", "tanh"])
def test_dead_is_none_for_units_that_cannot_die(activation):
    from mlp import ACTIVATIONS
    # Their gradient is non-zero for negative inputs too (where ReLU's is exactly 0), so no unit can die.
    z = np.array([[-4.0, -1.0, -0.1]])
    spec = ACTIVATIONS[activation]
    assert np.all(spec.backward(z, spec.forward(z), np.ones_like(z)) != 0) and not spec.can_die
    history, _ = train(TrainConfig(activation=activation, hidden=[8], epochs=1, samples=100))
    assert all(layer["dead"] is None for record in history for layer in record["layers"])


def test_relu_can_die():
    from mlp import ACTIVATIONS
    relu = ACTIVATIONS["relu"]
    z = np.array([[-3.0, -0.5]])
    assert relu.can_die and np.all(relu.backward(z, relu.forward(z), np.ones_like(z)) == 0)


def test_histogram_edges_follow_each_layers_data():
    # N(0, 0.01) in a deep tanh net: the last layer's activations are ~1e-6; fixed [-1, 1] bins
    # would put them all in one bar, the layer's own range spreads them over many.
    history, _ = train(TrainConfig(activation="tanh", init="normal_0.01", hidden=[50] * 4, epochs=1, samples=200))
    for layer in history[0]["layers"]:
        edges, counts = np.array(layer["histogram"]["edges"]), np.array(layer["histogram"]["counts"])
        assert edges[-1] - edges[0] < 10 * 6 * max(layer["std"], 1e-300) + 1e-12  # about the data's range
        assert np.count_nonzero(counts) >= 5
    deepest = history[0]["layers"][-1]["histogram"]["edges"]
    assert deepest[-1] - deepest[0] < 1e-3


def test_constant_init_keeps_the_units_of_a_layer_identical():
    training = Training(TrainConfig(activation="tanh", init="constant", hidden=[6, 5], epochs=5, samples=200,
                                    params={"lr": 0.1, "momentum": 0.9}))
    for _ in range(5):
        assert training.train_epoch() is not None
    views = training.net.views(training.flat)
    moved = False
    for name in ("hidden0.weight", "hidden1.weight"):
        weights = views[name]  # (fan_in, fan_out): column j feeds unit j
        assert np.allclose(weights, weights[:, :1], atol=1e-12)  # every unit still the same
        moved |= not np.allclose(weights, 1.0 / weights.shape[0])
    assert moved  # it did train: the weights changed, together


@pytest.mark.parametrize("unit", ["epoch", "step"])
def test_schedule_counts_epochs_or_steps(unit):
    # Step decay with n = 2: per epoch, η halves every 2 epochs; per step, every 2 mini-batches.
    config = TrainConfig(hidden=[4], samples=100, batch_size=20, epochs=4, schedule_unit=unit,
                         params={"lr": 0.1, "momentum": 0.9},
                         schedule={"name": "step", "params": {"every": 2, "drop": 0.5}})
    history, _ = train(config)
    lrs = [record["lr"] for record in history[1:]]  # the lr of each epoch's last update (4 updates an epoch)
    if unit == "epoch":
        assert lrs == pytest.approx([0.1, 0.1, 0.05, 0.05])
    else:  # last update of epoch e is step 4e - 1: 0.1 * 0.5^floor((4e - 1) / 2)
        assert lrs == pytest.approx([0.1 * 0.5 ** ((4 * e - 1) // 2) for e in (1, 2, 3, 4)])


def test_schedule_unit_is_validated():
    with pytest.raises(ValueError, match="schedule_unit: unknown value 'batch'; valid: epoch, step"):
        TrainConfig(schedule_unit="batch")


@pytest.mark.parametrize("batchnorm, dropout", [(False, 0.0), (False, 0.3), (True, 0.0)])
def test_recorded_training_loss_is_the_evaluation_pass(batchnorm, dropout):
    """Without BatchNorm the record reuses the measurement pass for the training loss; it must be
    exactly what an evaluation pass (running statistics, no dropout) gives."""
    from mlp import Training
    training = Training(TrainConfig(hidden=[8, 8], batchnorm=batchnorm, dropout=dropout, epochs=2, samples=200))
    records = list(training.run())
    loss, accuracy = training._evaluate(training.x_train, training.data.y_train)
    assert records[-1]["train_loss"] == loss and records[-1]["train_acc"] == accuracy
    assert records[-1]["train_loss"] != records[0]["train_loss"]  # it trained
