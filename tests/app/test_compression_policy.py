"""gzip only where it pays: large answers to clients on other machines, never to the same machine."""
from fastapi.testclient import TestClient

from app.main import create_app

BODY = {"surface": "rosenbrock", "steps": 300, "runs": [{"optimizer": "adam", "params": {"lr": 0.01}}]}


def post(client_address):
    client = TestClient(create_app(), client=client_address)
    return client.post("/api/trajectories", json=BODY, headers={"accept-encoding": "gzip"})


def test_a_large_answer_to_another_machine_is_gzipped():
    response = post(("203.0.113.7", 50000))
    assert response.status_code == 200 and response.headers["content-encoding"] == "gzip"
    assert len(response.json()["runs"][0]["points"]) == 301


def test_the_same_answer_to_this_machine_is_sent_as_it_is():
    for address in ("127.0.0.1", "::1"):
        response = post((address, 50000))
        assert response.status_code == 200 and response.headers["content-encoding"] == "identity"
        assert int(response.headers["content-length"]) > 8 * 1024  # not compressed by the middleware either
        assert len(response.json()["runs"][0]["points"]) == 301


def test_a_small_answer_is_not_compressed():
    client = TestClient(create_app(), client=("203.0.113.7", 50000))
    response = client.post("/api/trajectories", headers={"accept-encoding": "gzip"},
                           json={"surface": "quadratic", "steps": 2, "runs": [{"optimizer": "sgd"}]})
    assert response.status_code == 200 and "content-encoding" not in response.headers
