"""Streaming against a real server: disconnects stop training, limits answer 429."""
import json
import time

import httpx

LONG = {"configs": [{"dataset": "spiral", "samples": 1000, "hidden": [64, 64], "epochs": 2000,
                     "batch_size": 8}]}


def active(url):
    return httpx.get(f"{url}/api/health").json()["training_streams"]


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_training_stops_within_a_second_of_the_client_leaving(server_url):
    with httpx.Client(timeout=30) as client:
        with client.stream("POST", f"{server_url}/api/mlp/train", json=LONG) as response:
            assert response.status_code == 200
            lines = response.iter_lines()  # held open: leaving the iterator closes the response
            while not next(lines).startswith("event: epoch"):
                pass
            assert active(server_url) == 1
        left = time.monotonic()
    assert wait_for(lambda: active(server_url) == 0, timeout=3)
    assert time.monotonic() - left < 1.5


def test_too_many_streams_from_one_client_is_429(server_url):
    with httpx.Client(timeout=30) as client:
        streams = [client.stream("POST", f"{server_url}/api/mlp/train", json=LONG) for _ in range(2)]
        opened = [stream.__enter__() for stream in streams]
        try:
            assert all(r.status_code == 200 for r in opened)
            assert wait_for(lambda: active(server_url) == 2, timeout=3)
            refused = client.post(f"{server_url}/api/mlp/train", json=LONG)
            assert refused.status_code == 429
            assert "already has 2 trainings running" in json.loads(refused.text)["detail"]
            assert refused.headers["retry-after"]
        finally:
            for stream in streams:
                stream.__exit__(None, None, None)
    assert wait_for(lambda: active(server_url) == 0, timeout=3)


def test_tabs_behind_one_address_each_get_their_own_allowance(server_url):
    with httpx.Client(timeout=30) as client:
        streams = [client.stream("POST", f"{server_url}/api/mlp/train", json=LONG,
                                 headers={"x-optviz-client": f"tab-{i}"}) for i in range(3)]
        opened = [stream.__enter__() for stream in streams]
        try:
            assert [r.status_code for r in opened] == [200, 200, 200]
        finally:
            for stream in streams:
                stream.__exit__(None, None, None)
    assert wait_for(lambda: active(server_url) == 0, timeout=3)
