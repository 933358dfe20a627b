"""Streaming against a real server: disconnects stop training, a client's share is bounded and
queued beyond it, identities cannot be invented to take more, a killed training is a fault."""
import json
import os
import signal
import time

import httpx
import pytest

from app.settings import settings

# Long enough never to finish during a test; small enough per epoch to stop promptly.
LONG = {"configs": [{"dataset": "spiral", "samples": 200, "hidden": [8], "epochs": 2000, "batch_size": 4}]}


def active(url):
    return httpx.get(f"{url}/api/health").json()["training_streams"]


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def events(response):
    """(event, data) pairs of an open SSE response, as they arrive (one iterator per response:
    httpx streams a body once, and dropping the iterator closes the connection)."""
    event = None
    for line in response.iter_lines():
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif line.startswith("data: "):
            yield event, json.loads(line[len("data: "):])


class Stream:
    def __init__(self, client, url, headers=None):
        self._context = client.stream("POST", f"{url}/api/mlp/train", json=LONG, headers=headers or {})
        self.response = self._context.__enter__()
        self.status_code = self.response.status_code
        self.events = events(self.response)

    def first(self, wanted):
        for event, data in self.events:
            if event in wanted:
                return event, data
        raise AssertionError("the stream ended")

    def close(self):
        self._context.__exit__(None, None, None)


def test_training_stops_within_a_second_of_the_client_leaving(server_url):
    with httpx.Client(timeout=30) as client:
        stream = Stream(client, server_url)
        assert stream.status_code == 200
        stream.first({"epoch"})
        assert active(server_url) == 1
        stream.close()
        left = time.monotonic()
    assert wait_for(lambda: active(server_url) == 0, timeout=3)
    assert time.monotonic() - left < 1.5


def test_a_client_beyond_its_share_waits_in_the_queue_then_is_refused(server_url):
    config = settings()
    streams = []
    with httpx.Client(timeout=30) as client:
        try:
            for _ in range(config.per_client_running):
                streams.append(Stream(client, server_url))
                assert streams[-1].status_code == 200 and streams[-1].first({"epoch"})
            for position in range(1, config.per_client_waiting + 1):
                streams.append(Stream(client, server_url))
                assert streams[-1].first({"queued", "epoch"}) == ("queued", {"position": position})
            assert active(server_url) == config.per_client_running
            refused = client.post(f"{server_url}/api/mlp/train", json=LONG)
            assert refused.status_code == 429
            assert "already has 4 trainings running or waiting" in refused.json()["detail"]
            assert refused.headers["retry-after"]
            streams.pop(0).close()  # the first running one ends...
            first_waiting, second_waiting = streams[-2:]
            assert first_waiting.first({"queued", "epoch"})[0] == "epoch"  # ...the first waiting one starts
            assert second_waiting.first({"queued", "epoch"}) == ("queued", {"position": 1})
        finally:
            for stream in streams:
                stream.close()
    assert wait_for(lambda: active(server_url) == 0, timeout=5)


def test_browsers_behind_one_address_each_get_their_own_allowance(server_url):
    clients = [httpx.Client(timeout=30) for _ in range(3)]  # three cookie jars: three browsers
    streams = []
    try:
        for client in clients:
            for _ in range(2):
                streams.append(Stream(client, server_url))
                assert streams[-1].status_code == 200
                assert streams[-1].first({"queued", "epoch"})[0] == "epoch"
        assert active(server_url) == 6
    finally:
        for stream in streams:
            stream.close()
        for client in clients:
            client.close()
    assert wait_for(lambda: active(server_url) == 0, timeout=5)


@pytest.mark.parametrize("forge", [False, True], ids=["fresh cookie each time", "forged cookies"])
def test_rotating_identities_cannot_take_another_address_s_place(server_url, forge):
    """One laptop (10.0.0.1) opens trainings with a new identity every time; a student at another
    address (10.0.0.2) still starts at once, and the laptop holds no more than its address's share."""
    config = settings()
    hostile = {"x-forwarded-for": "10.0.0.1"}
    streams, clients, queued = [], [], 0
    try:
        for attempt in range(config.per_address_running + 2):
            clients.append(httpx.Client(timeout=30))  # a new cookie jar: a new identity, or a forged one
            if forge:
                clients[-1].cookies.set("optviz_client", f"{attempt:016d}.forged", path="/api/mlp")
            streams.append(Stream(clients[-1], server_url, hostile))
            if streams[-1].status_code == 200:
                queued += streams[-1].first({"queued", "epoch"})[0] == "queued"
        assert active(server_url) <= config.per_address_running
        assert queued >= 2
        clients.append(httpx.Client(timeout=30))
        streams.append(Stream(clients[-1], server_url, {"x-forwarded-for": "10.0.0.2"}))
        assert streams[-1].status_code == 200
        assert streams[-1].first({"queued", "epoch"})[0] == "epoch"
    finally:
        for stream in streams:
            stream.close()
        for client in clients:
            client.close()
    assert wait_for(lambda: active(server_url) == 0, timeout=8)


def test_a_killed_training_process_ends_the_stream_with_an_error_and_a_truthful_summary(server_url):
    from app.training_client import status
    import asyncio
    with httpx.Client(timeout=30) as client:
        with client.stream("POST", f"{server_url}/api/mlp/train", json=LONG) as response:
            seen = events(response)
            epochs = 0
            for event, data in seen:
                if event == "epoch":
                    epochs = data["entry"]["epoch"]
                    if epochs >= 2:
                        break
            pids = asyncio.run(status())["pids"]
            assert len(pids) == 1
            os.kill(pids[0], signal.SIGKILL)
            rest = list(seen)
    names = [event for event, _ in rest]
    assert "error" in names and names[-1] == "summary"
    error = dict(rest)["error"]
    assert "killed by signal 9" in error["message"]
    summary = rest[-1][1]["runs"][0]
    assert summary["status"] == "failed" and summary["epochs_trained"] >= epochs
    assert f"after epoch {summary['epochs_trained']}" in summary["message"]
    assert wait_for(lambda: active(server_url) == 0, timeout=3)
