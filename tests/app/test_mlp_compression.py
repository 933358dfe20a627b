"""/api/mlp/run follows the server's compression policy (app/responses.py, compression_pays): its
answer is tens of KB, gzipped for a client on another machine, sent as it is to this machine
(where gzip only delays it: the lecturer's laptop runs both)."""
import gzip

from fastapi.testclient import TestClient

from app.main import create_app

CONFIG = {"dataset": "spiral", "samples": 60, "hidden": [4], "epochs": 2, "batch_size": 16,
          "optimizer": "adam", "params": {"lr": 0.01}}


def post(client_address):
    client = TestClient(create_app(), client=client_address)
    return client.post("/api/mlp/run", json={"configs": [CONFIG]}, headers={"accept-encoding": "gzip"})


def test_the_answer_to_this_machine_is_sent_as_it_is():
    response = post(("127.0.0.1", 50000))
    assert response.status_code == 200 and response.headers["content-encoding"] == "identity"
    assert int(response.headers["content-length"]) > 4 * 1024  # not compressed by the middleware either
    assert [entry["epoch"] for entry in response.json()["runs"][0]["history"]] == [0, 1, 2]


def test_the_answer_to_another_machine_is_gzipped():
    response = post(("203.0.113.7", 50000))
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert [entry["epoch"] for entry in response.json()["runs"][0]["history"]] == [0, 1, 2]
    assert int(response.headers["content-length"]) < len(response.content) / 2  # it did compress
