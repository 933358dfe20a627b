"""The MLP trainer over HTTP: the whole history as JSON, or a live stream of server-sent events."""
from __future__ import annotations

import asyncio
import gzip
from functools import lru_cache
from typing import Literal

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from mlp import ACTIVATIONS, DATASETS, INITIALIZERS, TrainConfig, dataset_of, points_of
from mlp.cost import RUN_LIMIT_SECONDS, STREAM_LIMIT_SECONDS, check_time_budget
from mlp.presets import PRESETS

from ..errors import REFUSALS, unprocessable
from ..mathml import with_mathml
from ..responses import METADATA_MAX_AGE, compression_pays, json_response, on_this_machine, to_json
from ..mlp_schemas import MAX_CONFIGS, MlpConfig, MlpRequest, config_schema
from ..settings import settings
from ..training_client import Refused, TrainingJob, split_epoch

router = APIRouter(prefix="/api/mlp", tags=["mlp"], responses=REFUSALS)

def run_budget() -> float:
    """Predicted seconds of training one /run may ask for (mlp/cost.py's calibrated model, ~20 s);
    it also stops at the supervisor's wall-clock cap (settings.run_seconds)."""
    return settings().run_budget or RUN_LIMIT_SECONDS


def stream_budget() -> float:
    """The same for a stream (~2 minutes): its client sees it and can stop it."""
    return settings().stream_budget or STREAM_LIMIT_SECONDS


def _configs(request: MlpRequest, budget: float) -> list[dict]:
    """The validated configurations as plain values for the training process. Validated from
    their declared schemas and priced by the cost model: no network or data set is built in the
    web worker (the training process builds the one that trains)."""
    checked = []
    for index, config in enumerate(request.configs):
        values = config.model_dump()
        values["schedule"] = config.schedule.model_dump() if config.schedule else None
        try:
            checked.append(TrainConfig(**values))
        except ValueError as error:
            raise unprocessable(["body", "configs", index], str(error)) from None
    try:
        check_time_budget(checked, budget)
    except ValueError as error:
        raise unprocessable(["body", "configs"], str(error)) from None
    return [config.describe() for config in checked]


def _too_many(refusal: Refused) -> HTTPException:
    return HTTPException(429, refusal.message, headers={"Retry-After": str(refusal.retry_after)})


async def _open(http: Request, configs: list[dict], cap: float) -> TrainingJob:
    client, address = http.scope["state"]["client"]
    try:
        return await TrainingJob.open(configs, client, address, cap)
    except Refused as refusal:
        raise _too_many(refusal) from None


async def _until_disconnect(http: Request) -> None:
    while (await http.receive())["type"] != "http.disconnect":
        pass


@lru_cache(maxsize=1)
def options_json():
    return to_json({"datasets": [d.describe() for d in DATASETS.values()],
                    "activations": [with_mathml(a.describe(), "formula") for a in ACTIVATIONS.values()],
                    "initializers": [with_mathml(i.describe(), "formula") for i in INITIALIZERS.values()],
                    "defaults": MlpConfig().model_dump(), "schema": config_schema(), "max_configs": MAX_CONFIGS,
                    "presets": [preset.describe() for preset in PRESETS.values()]})


@router.get("/options")
def options(request: Request):
    """Registries for the panel's dropdowns (datasets, activations, initializers), the defaults, the
    schema of every configuration field (default, bounds, allowed values) and the comparison's size."""
    return json_response(request, options_json(), METADATA_MAX_AGE)


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
async def run(request: MlpRequest, http: Request):
    """Train every configuration to the end and answer all histories at once (scripts, tests).
    Trains in the supervisor's processes like a stream (waiting in its queue if need be), and
    stops as soon as the client goes away."""
    configs = _configs(request, run_budget())
    job = await _open(http, configs, settings().run_seconds)
    histories: list[list[bytes]] = [[] for _ in configs]
    summary, failure = None, None
    leaving = asyncio.ensure_future(_until_disconnect(http))
    try:
        events = job.__aiter__()
        while True:
            reading = asyncio.ensure_future(events.__anext__())
            await asyncio.wait([reading, leaving], return_when=asyncio.FIRST_COMPLETED)
            if not reading.done():
                reading.cancel()
                return Response(status_code=499)  # nobody is listening; the training has been ended
            try:
                event, body = reading.result()
            except StopAsyncIteration:
                break
            if event == "epoch":  # the training process's bytes, passed through unparsed
                index, entry = split_epoch(body)
                histories[index].append(entry)
            elif event == "summary":
                summary = orjson.loads(body)["runs"]
            elif event == "error":
                failure = orjson.loads(body)["message"]
    finally:
        leaving.cancel()
        job.close()
    if summary is None or failure is not None:
        raise HTTPException(503, f"the training did not complete: {failure or 'no summary'}",
                            headers={"Retry-After": "10"})
    # The answer is assembled from the already serialized entries: no second pass over them.
    runs = [orjson.dumps(run)[:-1] + b',"history":[' + b",".join(history) + b"]}"
            for run, history in zip(summary, histories)]
    body = b'{"runs":[' + b",".join(runs) + b"]}"
    # The server's compression policy: gzip (level 1, as the middleware would) for another machine; to
    # this one, an explicit identity, or the middleware would compress it anyway.
    if compression_pays(http, len(body)):
        return Response(gzip.compress(body, compresslevel=1), media_type="application/json",
                        headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    headers = {"Content-Encoding": "identity"} if on_this_machine(http) else {}
    return Response(body, media_type="application/json", headers=headers)


async def _stream_job(request: MlpRequest, http: Request):
    # Opened in a dependency: once the event stream has started, a 422 or 429 can no longer be sent.
    job = await _open(http, _configs(request, stream_budget()), settings().stream_seconds)
    try:
        yield job
    finally:
        job.close()


@router.post("/train", response_class=EventSourceResponse)
async def train_stream(request: MlpRequest, job: TrainingJob = Depends(_stream_job)):
    """Server-sent events: `queued` {"position": n} while the server is at capacity (repeated as
    it changes), a `start` event per configuration, one `epoch` event per epoch per configuration
    (entry 0: the untrained network), a `done` event per configuration, `error` if the training
    failed or hit the server's time cap, then one `summary` event. Training runs in a separate
    low-priority process and ends as soon as the client disconnects."""
    try:
        async for event, body in job:
            yield ServerSentEvent(event=event, raw_data=body.decode())
    finally:
        job.close()
