"""A lone surrogate (JSON's "\\ud800", which no UTF-8 encoder accepts) in any string the server
might echo is refused with a 422 that is itself valid JSON, never a 500."""
import json

import pytest

SURROGATE = "\\ud800"  # the six characters of the JSON escape, written into the raw body

TRAJECTORY = '{"surface": %s, "surface_params": {%s: 1}, "start": [0, 0], "steps": 5, "runs": [' \
             '{"optimizer": %s, "label": %s, "params": {%s: 0.1}, "schedule": {"name": %s, "params": {%s: 1}}}]}'
TRAJECTORY_FIELDS = ["surface", "surface_params key", "optimizer", "label", "params key", "schedule name",
                     "schedule params key"]
TRAJECTORY_VALID = ['"canyon"', '"condition"', '"sgd"', '"a"', '"lr"', '"step"', '"drop"']

MLP = '{"configs": [{"dataset": %s, "activation": %s, "init": %s, "optimizer": %s, "loss": %s, "label": %s, ' \
      '"params": {%s: 0.1}, "schedule": {"name": %s}, "epochs": 1, "samples": 40}]}'
MLP_FIELDS = ["dataset", "activation", "init", "optimizer", "loss", "label", "params key", "schedule name"]
MLP_VALID = ['"spiral"', '"tanh"', '"xavier_normal"', '"sgd"', '"cross_entropy"', '"a"', '"lr"', '"step"']


def with_surrogate(template, valid, index):
    values = list(valid)
    values[index] = values[index][:-1] + SURROGATE + '"'
    return template % tuple(values)


def assert_refused_cleanly(response):
    assert response.status_code == 422, response.text[:300]
    json.loads(response.content.decode("ascii"))  # valid JSON, all escaped
    assert response.headers["x-content-type-options"] == "nosniff"  # the answer went through the middleware


@pytest.mark.parametrize("index", range(len(TRAJECTORY_FIELDS)), ids=TRAJECTORY_FIELDS)
def test_trajectory_strings(client, index):
    body = with_surrogate(TRAJECTORY, TRAJECTORY_VALID, index)
    assert_refused_cleanly(client.post("/api/trajectories", content=body, headers={"content-type": "application/json"}))


@pytest.mark.parametrize("path", ["/api/mlp/run", "/api/mlp/train"])
@pytest.mark.parametrize("index", range(len(MLP_FIELDS)), ids=MLP_FIELDS)
def test_mlp_strings(client, path, index):
    body = with_surrogate(MLP, MLP_VALID, index)
    assert_refused_cleanly(client.post(path, content=body, headers={"content-type": "application/json"}))


def test_a_surrogate_pair_is_ordinary_text(client):
    body = with_surrogate(TRAJECTORY, TRAJECTORY_VALID, 3).replace(SURROGATE, "\\ud83d\\ude00")  # an emoji
    response = client.post("/api/trajectories", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["runs"][0]["label"] == "a\U0001F600"


def test_a_surrogate_as_a_key_is_not_echoed_raw(client):
    body = '{"surface": "canyon", "runs": [{"optimizer": "sgd"}], "%s": 1}' % SURROGATE
    assert_refused_cleanly(client.post("/api/trajectories", content=body, headers={"content-type": "application/json"}))
