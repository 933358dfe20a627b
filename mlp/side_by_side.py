"""Training several configurations in turns, one epoch each, so their curves grow together."""
from __future__ import annotations

import threading


def train_side_by_side(trainings, emit, stop: threading.Event) -> None:
    """emit(event, data) for each record: "epoch" (entry 0 first, for every configuration), "done"
    when a configuration ends (stopped ones too, once `stop` is set: their summary says so),
    "error" if something broke. `stop` is polled between mini-batches."""
    try:
        for index, training in enumerate(trainings):
            emit("epoch", {"index": index, "entry": training.initial_record()})
        while not stop.is_set() and not all(t.done for t in trainings):
            for index, training in enumerate(trainings):
                if stop.is_set():
                    break
                if training.done:
                    continue
                entry = training.train_epoch(stop.is_set)
                if entry is not None:
                    emit("epoch", {"index": index, "entry": entry})
                if training.done and training.status != "stopped":
                    emit("done", {"index": index, "summary": training.summary()})
        for index, training in enumerate(trainings):
            if not training.done or training.status == "stopped":
                training.status = "stopped"
                emit("done", {"index": index, "summary": training.summary()})
    except Exception as error:  # a bug must end the stream with a message, not hang it
        emit("error", {"message": f"training failed: {error}"})
