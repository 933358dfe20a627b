import json

import pytest

from app.mlp_schemas import MAX_CONFIGS

from .helpers import assert_finite_json, first_error

DESIGN_CONFIG = {"dataset": "spiral", "classes": 3, "samples": 600, "noise": 0.1, "standardize": True,
                 "hidden": [32, 32], "activation": "tanh", "init": "xavier_normal", "batchnorm": False,
                 "dropout": 0.0, "weight_decay": 0.0, "optimizer": "sgd", "params": {"lr": 0.1, "momentum": 0.9},
                 "schedule": None, "batch_size": 32, "epochs": 30, "seed": 0}


def small(**patch):
    return {**DESIGN_CONFIG, "samples": 200, "epochs": 4, **patch}


def test_design_example_run(client):
    response = client.post("/api/mlp/run", json={"configs": [DESIGN_CONFIG]})
    assert response.status_code == 200
    assert_finite_json(response)
    run = response.json()["runs"][0]
    assert run["label"] == "tanh · Xavier · no BN"
    assert len(run["history"]) == 31 and run["history"][0]["epoch"] == 0
    assert 1 <= run["best_epoch"] <= 30
    entry = run["history"][5]
    assert {"epoch", "train_loss", "val_loss", "train_acc", "val_acc", "layers"} <= set(entry)
    layer = entry["layers"][0]
    assert {"mean", "std", "saturated", "dead", "grad_norm", "update_ratio", "histogram"} <= set(layer)
    assert len(layer["histogram"]["edges"]) == len(layer["histogram"]["counts"]) + 1
    assert run["history"][-1]["train_loss"] < run["history"][0]["train_loss"]


def parse_events(text):
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_stream_interleaves_configurations_and_ends_with_a_summary(client):
    body = {"configs": [small(), small(init="normal_0.01", label="tiny init")]}
    response = client.post("/api/mlp/train", json=body)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = parse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["start", "start"] and kinds[-1] == "summary"
    assert events[1][1]["label"] == "tiny init" and events[0][1]["dataset"]["classes"] == 3
    epochs = [(data["index"], data["entry"]["epoch"]) for kind, data in events if kind == "epoch"]
    assert epochs[:4] == [(0, 0), (1, 0), (0, 1), (1, 1)]  # side by side: the curves grow together
    assert len(epochs) == 2 * 5
    assert kinds.count("done") == 2
    summary = events[-1][1]["runs"]
    assert [s["status"] for s in summary] == ["finished", "finished"]


def test_stream_matches_run(client):
    body = {"configs": [small(seed=3)]}
    history = client.post("/api/mlp/run", json=body).json()["runs"][0]["history"]
    streamed = [data["entry"] for kind, data in parse_events(client.post("/api/mlp/train", json=body).text)
                if kind == "epoch"]
    assert streamed == history


def test_options_and_dataset_preview(client):
    options = client.get("/api/mlp/options").json()
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "softplus", "swish", "linear",
            "maxout"} == {a["name"] for a in options["activations"]}
    assert [i["name"] for i in options["initializers"]] == ["zeros", "constant", "normal_0.01", "normal_1", "xavier_normal",
                                                            "xavier_uniform", "he_normal", "he_uniform", "lecun_normal"]
    points = client.get("/api/mlp/dataset?name=unscaled&samples=100").json()
    assert len(points["train"]["x"]) == 80 and points["features"] == ["height (m)", "weight (kg)"]


@pytest.mark.parametrize("patch, field, text", [
    ({"samples": 5001}, "samples", "less than or equal to 5000"),
    ({"hidden": [32] * 11}, "hidden", "at most 10"),
    ({"hidden": [257]}, "hidden", "less than or equal to 256"),
    ({"hidden": [32, 0]}, "hidden", "greater than or equal to 1"),
    ({"epochs": 2001}, "epochs", "less than or equal to 2000"),
    ({"activation": "mish"}, "activation", "'sigmoid'"),
    ({"init": "orthogonal"}, "init", "'xavier_normal'"),
    ({"optimizer": "newton"}, "optimizer", "'sgd'"),
    ({"params": {"lr": -1}}, "configs", "Invalid learning rate: -1"),
    ({"params": {"lr": 0.1, "betas": [0.9, 0.99]}}, "configs", "Unknown hyperparameter 'betas' for sgd"),
    ({"optimizer": "momentum", "params": {"ema": True, "dampening": 0.5}}, "configs", "dampening does not apply"),
    ({"schedule": {"name": "step", "params": {"every": 0}}}, "configs", "every"),
    ({"hidden": [256] * 10, "samples": 5000, "epochs": 2000}, "configs", "the limit is"),
])
def test_bad_configs_name_the_field(client, patch, field, text):
    response = client.post("/api/mlp/run", json={"configs": [small(**patch)]})
    assert response.status_code == 422, response.text
    error = first_error(response)
    assert field in error["loc"] and text in error["msg"], error


def test_config_count_bounds(client):
    assert client.post("/api/mlp/run", json={"configs": []}).status_code == 422
    assert client.post("/api/mlp/run", json={"configs": [small()] * (MAX_CONFIGS + 1)}).status_code == 422
    streamed = client.post("/api/mlp/train", json={"configs": [small()] * (MAX_CONFIGS + 1)})
    assert streamed.status_code == 422 and f"at most {MAX_CONFIGS}" in first_error(streamed)["msg"]


def test_a_batch_larger_than_the_training_set_trains_full_batch(client):
    """torch's DataLoader convention: one batch of all 80 training examples per epoch, the same
    run as batch_size = 80 exactly."""
    whole = client.post("/api/mlp/run", json={"configs": [small(samples=100, batch_size=80, epochs=3)]})
    larger = client.post("/api/mlp/run", json={"configs": [small(samples=100, batch_size=1000, epochs=3)]})
    assert whole.status_code == larger.status_code == 200, larger.text
    assert [e["train_loss"] for e in whole.json()["runs"][0]["history"]] == \
        [e["train_loss"] for e in larger.json()["runs"][0]["history"]]


def test_the_web_worker_validates_and_prices_without_building_a_network_or_data(client, monkeypatch):
    """Issue #14: the worker built each network (and data set) just to validate a request, and
    kept ~520 MB after twelve large streams. Building either in this process now fails the test;
    the training itself runs in the supervisor's processes."""
    import mlp.datasets
    import mlp.network
    import mlp.trainer

    def refuse(*args, **kwargs):
        raise AssertionError("the web worker built a network or a data set")
    monkeypatch.setattr(mlp.trainer.Training, "__init__", refuse)
    monkeypatch.setattr(mlp.network.MLP, "__init__", refuse)
    monkeypatch.setattr(mlp.datasets, "make_dataset", refuse)
    monkeypatch.setattr(mlp.trainer, "make_dataset", refuse)
    response = client.post("/api/mlp/run", json={"configs": [small(epochs=2)]})
    assert response.status_code == 200, response.text
    assert len(response.json()["runs"][0]["history"]) == 3
    refused = client.post("/api/mlp/run", json={"configs": [small(params={"lr": 0.1, "nesterov": True, "momentum": 0.0})]})
    assert refused.status_code == 422 and "Nesterov" in first_error(refused)["msg"]
    too_long = client.post("/api/mlp/run", json={"configs": [small(hidden=[256] * 10, samples=5000, epochs=2000)]})
    assert too_long.status_code == 422 and "the limit is" in first_error(too_long)["msg"]


def test_run_answers_the_trainers_own_records(client):
    # the reference is mlp.train in this process: the API passes the training process's records
    # through byte for byte, for every configuration of a comparison, in order
    from mlp import TrainConfig, train
    configs = [small(), small(hidden=[8], activation="relu", init="he_normal", batchnorm=True)]
    runs = client.post("/api/mlp/run", json={"configs": configs}).json()["runs"]
    for config, run in zip(configs, runs):
        history, summary = train(TrainConfig(**config))
        assert run["history"] == json.loads(json.dumps(history))
        assert run["status"] == summary["status"] and run["slice"] == summary["slice"]
