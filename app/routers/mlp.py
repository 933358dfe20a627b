"""The MLP trainer over HTTP: the whole history as JSON, or a live stream of server-sent events."""
from __future__ import annotations

import asyncio
import json
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from mlp import ACTIVATIONS, DATASETS, INITIALIZERS, TrainConfig, Training, dataset_of, points_of

from ..errors import REFUSALS, unprocessable
from ..mathml import with_mathml
from ..responses import METADATA_MAX_AGE, json_response, to_json
from ..mlp_schemas import MAX_CONFIGS, MlpConfig, MlpRequest, config_schema
from ..streams import Lease, registry
from ..training_process import TrainingProcess

router = APIRouter(prefix="/api/mlp", tags=["mlp"], responses=REFUSALS)

# Work one request may ask for, in example-parameter passes (epochs x samples x parameters).
# Measured here: ~9e7 per second for small networks (faster for wide ones), so /run is
# bounded at ~15 s; a stream may run ~2 minutes because the client sees it and can stop it.
RUN_BUDGET = 1.5e9
STREAM_BUDGET = 1e10


def _trainings(request: MlpRequest, budget: float) -> list[Training]:
    trainings = []
    for index, config in enumerate(request.configs):
        values = config.model_dump()
        values["schedule"] = config.schedule.model_dump() if config.schedule else None
        try:
            trainings.append(Training(TrainConfig(**values)))
        except ValueError as error:
            raise unprocessable(["body", "configs", index], str(error)) from None
    work = sum(t.config.epochs * t.config.samples * t.net.size for t in trainings)
    if work > budget:
        raise unprocessable(["body", "configs"], f"this comparison needs about {work:.2g} example-parameter passes "
                                                 f"(epochs x samples x parameters); the limit is {budget:.2g}: "
                                                 "use fewer epochs, samples or units")
    return trainings


@lru_cache(maxsize=1)
def _options_json():
    return to_json({"datasets": [d.describe() for d in DATASETS.values()],
                    "activations": [with_mathml(a.describe(), "formula") for a in ACTIVATIONS.values()],
                    "initializers": [with_mathml(i.describe(), "formula") for i in INITIALIZERS.values()],
                    "defaults": MlpConfig().model_dump(), "schema": config_schema(), "max_configs": MAX_CONFIGS})


@router.get("/options")
def options(request: Request):
    """Registries for the panel's dropdowns (datasets, activations, initializers), the defaults, the
    schema of every configuration field (default, bounds, allowed values) and the comparison's size."""
    return json_response(request, _options_json(), METADATA_MAX_AGE)


@lru_cache(maxsize=128)
def _dataset_json(name, samples, classes, noise, seed):
    data = dataset_of(TrainConfig(dataset=name, samples=samples, classes=classes, noise=noise, seed=seed, batch_size=1))
    return to_json(points_of(data) | {"features": DATASETS[name].features})


@router.get("/dataset")
def dataset(request: Request, name: Literal[tuple(DATASETS)] = Query("spiral"),
            samples: int = Query(600, ge=20, le=5000), classes: int = Query(3, ge=2, le=8), noise: float = Query(0.1, ge=0.0, le=1.0, allow_inf_nan=False),
            seed: int = Query(0, ge=0, le=2 ** 32 - 1)):
    """The points a configuration trains on (train and validation), for the scatter preview."""
    return json_response(request, _dataset_json(name, samples, classes, noise, seed), METADATA_MAX_AGE)


@router.post("/run")
def run(request: MlpRequest):
    """Train every configuration to the end and answer all histories at once (scripts, tests)."""
    runs = []
    for training in _trainings(request, RUN_BUDGET):
        history = list(training.run())
        runs.append(training.summary() | {"history": history})
    return {"runs": runs}


def _stream_trainings(request: MlpRequest) -> list[Training]:
    # Validated in a dependency: once the event stream has started, an error can no longer be a 422.
    return _trainings(request, STREAM_BUDGET)


def _client_key(http: Request) -> str:
    """The address, plus the page's per-tab id when it sends one: a class behind one NAT address
    must not share a single per-client allowance."""
    address = http.client.host if http.client else "unknown"
    tab = http.headers.get("x-optviz-client", "")
    return f"{address}/{tab}" if tab and len(tab) <= 64 and tab.replace("-", "").isalnum() else address


def _stream_slot(http: Request):
    lease = Lease(registry, _client_key(http))
    registry.acquire(lease.client)  # 429 when this client or the server has too many running
    try:
        yield lease
    finally:
        if not lease.handed_over:
            lease.release()


@router.post("/train", response_class=EventSourceResponse)
async def train_stream(request: MlpRequest, trainings: list[Training] = Depends(_stream_trainings),
                       lease: Lease = Depends(_stream_slot)):
    """One `epoch` event per epoch per configuration (entry 0: the untrained network), a `done`
    event per configuration, then one `summary` event. Training runs in a separate process at a
    lower priority than the web workers and ends as soon as the client disconnects."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    def deliver(event, data):
        if not loop.is_closed():
            loop.call_soon_threadsafe(queue.put_nowait, (event, data))

    training = None
    summaries = {}  # the training process's final word on each configuration
    try:
        for index, item in enumerate(trainings):
            yield ServerSentEvent(event="start", data={"index": index, "label": item.label,
                                                       "config": item.config.describe(),
                                                       "dataset": item.dataset_points()})
        training = TrainingProcess([item.config.describe() for item in trainings], deliver, lease.release)
        lease.handed_over = True  # from here on the training process releases the slot when it ends
        while True:
            event, data = await queue.get()
            if event is None:
                break
            if event == "done":
                done = json.loads(data)
                summaries[done["index"]] = done["summary"]
            yield ServerSentEvent(event=event, raw_data=data)
        yield ServerSentEvent(event="summary", data={"runs": [
            summaries.get(index) or item.summary() for index, item in enumerate(trainings)]})
    finally:
        if training is not None:
            training.stop()  # the client went away (or the stream ended): end the process now
        # Without a training process, the slot goes back when _stream_slot's request ends.
