"""MLP trainings run in their own processes, at lower CPU priority than the web workers.

In a thread they would share the worker's GIL with every request it serves: a class training
networks would make every student's slider slow. A separate process leaves the GIL alone, and
`nice` tells the operating system that a slider request comes first. Processes come from a
fork server with numpy and the trainer preloaded, so starting one takes milliseconds, and
stopping one (the client went away) is immediate: it is terminated.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import threading

# 19, the lowest priority: ten comparisons at nice 10 still outweighed the web workers.
TRAINING_NICENESS = 19
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["numpy", "mlp", "optimizers"])


def _train_in_child(config_values: list[dict], connection) -> None:
    os.nice(TRAINING_NICENESS)
    from mlp import TrainConfig, Training

    from .side_by_side import train_side_by_side
    trainings = [Training(TrainConfig(**values)) for values in config_values]

    def emit(event, data):
        # Serialized here, at low priority: the web worker only forwards the text.
        connection.send((event, None if data is None else json.dumps(data, allow_nan=False, separators=(",", ":"))))

    try:
        train_side_by_side(trainings, emit, threading.Event())
    except (BrokenPipeError, EOFError):
        pass  # the web worker stopped listening
    finally:
        connection.close()


class TrainingProcess:
    """One comparison training in a child process; its events, as (name, JSON text), are read by
    a thread and handed to `deliver(event, text)`, ending with deliver(None, None) once the
    process is gone."""

    def __init__(self, config_values: list[dict], deliver, on_exit):
        reader, writer = _context.Pipe(duplex=False)
        self._reader = reader
        self._deliver = deliver
        self._on_exit = on_exit
        self.process = _context.Process(target=_train_in_child, args=(config_values, writer), daemon=True)
        self.process.start()
        writer.close()  # the child holds the writing end now; EOF arrives when it exits
        self._thread = threading.Thread(target=self._relay, daemon=True)
        self._thread.start()

    def _relay(self) -> None:
        try:
            while True:
                event, data = self._reader.recv()
                if event is None:
                    break
                self._deliver(event, data)
        except (EOFError, OSError):
            pass  # terminated, or finished without a last word
        finally:
            self._reader.close()
            self.process.join(timeout=5)
            self._on_exit()
            self._deliver(None, None)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()


def start_fork_server() -> None:
    """Start the fork server (and its preloads) before the first student asks for a training."""
    process = _context.Process(target=int)
    process.start()
    process.join()
