"""Time POST /api/mlp/run against torch doing the same training, in the same run.

    python benchmarks/mlp_training.py

Two networks on the 600-point spiral (480 training points, batch 32, Adam, 20 epochs): the small
2 -> 16 -> 16 -> 3 with BatchNorm, and six hidden layers of 100 ReLU units. optviz answers through
a real server on this machine (`python -m app serve`: the request, training in the server's
training processes, every per-epoch record, the JSON answer); torch trains the same network in
float64 on one thread with one evaluation per epoch (training and validation loss and accuracy).
Also shown: optviz's trainer in-process (`mlp.train`, records included) with one BLAS thread, as the
server's training processes run it, and CPU seconds: of every server process per request, of the
trainer and of torch. The server trains at the lowest CPU priority, so on a loaded machine its wall
time says more about the load than about the work. Last, the floor: the float64 matrix products of
the same training alone, in numpy and in torch; torch's training time over that floor is the most
any float64 trainer could be faster than torch here. Goal (issue #11): the API >= 5x faster than
torch. Three repeats, median [min-max]; nothing here is asserted.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

# Before numpy is imported: one BLAS thread, as in the server's training processes (app/heap.py);
# a pool of BLAS threads on a loaded 2-core machine made the in-process column ~10x slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine import Server, spread  # noqa: E402

from app.heap import keep_freed_memory  # noqa: E402
from mlp import TrainConfig, Training, train  # noqa: E402

# The server's training processes keep freed memory for reuse (app/heap.py); so does this
# process, for the in-process column and for torch alike.
keep_freed_memory()

REPEATS = 3
EPOCHS = 20
COMMON = dict(dataset="spiral", classes=3, samples=600, optimizer="adam", batch_size=32, epochs=EPOCHS)
NETWORKS = {
    "2-16-16-3, BatchNorm": dict(hidden=[16, 16], activation="relu", init="he_normal", batchnorm=True,
                                 params={"lr": 0.01}),
    "6 x 100, ReLU": dict(hidden=[100] * 6, activation="relu", init="he_normal", batchnorm=False,
                          params={"lr": 0.001}),
}


def measure(fn, clock=time.perf_counter):
    fn()
    times = []
    for _ in range(REPEATS):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times), min(times), max(times)


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by the server and every process under it (web worker, training
    supervisor, its fork server, training processes live or already reaped): the API's cost
    independent of the machine's load, which its wall time is not (trainings run at nice 19)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(value) for value in fields[11:15]) / ticks  # utime stime cutime cstime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile: its time is in its parent's cutime
    return total


def torch_training(config: TrainConfig):
    """The same network, data, batches and optimizer in torch, evaluated once per epoch."""
    import torch
    training = Training(config)  # the same standardized data
    x_train, y_train = torch.from_numpy(training.x_train), torch.from_numpy(training.data.y_train).long()
    x_val, y_val = torch.from_numpy(training.x_val), torch.from_numpy(training.data.y_val).long()
    layers, width = [], 2
    for units in config.hidden:
        layers.append(torch.nn.Linear(width, units))
        if config.batchnorm:
            layers.append(torch.nn.BatchNorm1d(units))
        layers.append(torch.nn.ReLU())
        width = units
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, config.classes)).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.params["lr"])
    loss_fn = torch.nn.CrossEntropyLoss()
    history = []
    for _ in range(config.epochs):
        model.train()
        order = torch.randperm(len(x_train))
        for begin in range(0, len(x_train), config.batch_size):
            rows = order[begin:begin + config.batch_size]
            if len(rows) < 2 and config.batchnorm:
                continue
            optimizer.zero_grad()
            loss_fn(model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            record = {}
            for split, x, y in (("train", x_train, y_train), ("val", x_val, y_val)):
                outputs = model(x)
                record[f"{split}_loss"] = loss_fn(outputs, y).item()
                record[f"{split}_acc"] = (outputs.argmax(dim=1) == y).double().mean().item()
            history.append(record)
    return history


def matrix_products(config: TrainConfig, matmul, array):
    """Only the float64 matrix products the training does, with the same shapes: per mini-batch
    each linear layer's x·W forward, xᵀ·dy and dy·Wᵀ backward; per epoch the evaluation passes
    (validation, the measurement over the training set, with BatchNorm a second one; a decision
    surface on about one epoch in two at the benchmark's 20 epochs). Whoever trains this network
    in float64 does at least this arithmetic: the time is a floor for optviz and torch alike, and
    torch's time over it bounds the ratio any float64 trainer can reach."""
    widths = [2, *config.hidden, config.classes]
    weights = [array((fan_in, fan_out)) for fan_in, fan_out in zip(widths, widths[1:])]
    train_rows = 480
    batches = [array((min(config.batch_size, train_rows - start), 2))
               for start in range(0, train_rows, config.batch_size)]
    evaluations = [array((120, 2)), array((train_rows, 2))] + ([array((train_rows, 2))] if config.batchnorm else [])
    grid = array((32 * 32, 2))

    def forward(x, keep):
        for weight in weights:
            keep.append(x)
            x = matmul(x, weight)
        return x

    def backward(keep, dy):
        for weight, x in zip(reversed(weights), reversed(keep)):
            matmul(x.T, dy)
            dy = matmul(dy, weight.T)

    for epoch in range(config.epochs):
        for x in batches:
            keep = []
            backward(keep, forward(x, keep))
        keep = []
        backward(keep, forward(evaluations[1], keep))  # the measurement pass takes gradients too
        for x in (evaluations[0], *evaluations[2:]):
            forward(x, [])
        if epoch % 2 == 0:
            forward(grid, [])


def floors():
    """The matrix products alone, in numpy and in torch (one thread each, float64)."""
    import numpy as np
    import torch
    rng = np.random.default_rng(0)
    rows = []
    for label, network in NETWORKS.items():
        config = TrainConfig(**{**COMMON, **network})
        numpy_floor = measure(lambda: matrix_products(config, np.matmul, lambda shape: rng.standard_normal(shape)))
        torch_floor = measure(lambda: matrix_products(
            config, torch.matmul, lambda shape: torch.from_numpy(rng.standard_normal(shape))))
        rows.append((label, numpy_floor, torch_floor))
    return rows


def main():
    import torch
    torch.set_num_threads(1)
    print(f"uptime: {os.popen('uptime').read().strip()}\n")
    print(f"{EPOCHS} epochs on the 600-point spiral, batch 32, Adam: ms per training, median [min-max] of {REPEATS}")
    print(f"{'network':<22} {'POST /api/mlp/run':>22} {'mlp.train in-process':>22} {'torch':>22} "
          f"{'torch/API':>10} {'goal':>7} {'answer':>8}")
    server = Server()
    cpu, torch_times = [], []
    try:
        for label, network in NETWORKS.items():
            config = {**COMMON, **network}
            size = {}

            def request():
                response = server.post("/api/mlp/run", {"configs": [config]})
                size["bytes"] = len(response.content)
                assert len(response.json()["runs"][0]["history"]) == EPOCHS + 1

            api = measure(request)
            api_cpu = measure(request, lambda: server_cpu_seconds(server.process.pid))
            local = measure(lambda: train(TrainConfig(**config)))
            theirs = measure(lambda: torch_training(TrainConfig(**config)))
            local_cpu = measure(lambda: train(TrainConfig(**config)), time.process_time)
            torch_cpu = measure(lambda: torch_training(TrainConfig(**config)), time.process_time)
            ratio = theirs[0] / api[0]
            torch_times.append(theirs[0])
            print(f"{label:<22} {spread(api):>22} {spread(local):>22} {spread(theirs):>22} {ratio:9.1f}x "
                  f"{'met' if ratio >= 5 else 'missed':>7} {size['bytes'] // 1024:>6} KB")
            cpu.append(f"{label:<22} {spread(api_cpu):>22} {spread(local_cpu):>22} {spread(torch_cpu):>22} "
                       f"{torch_cpu[0] / api_cpu[0]:9.1f}x {torch_cpu[0] / local_cpu[0]:10.1f}x")
    finally:
        server.close()
    print(f"\nCPU ms per training, median [min-max] of {REPEATS}: the API's is every server process's "
          "(10 ms clock ticks); the others time.process_time, one thread each")
    print(f"{'network':<22} {'POST /api/mlp/run':>22} {'mlp.train in-process':>22} {'torch':>22} "
          f"{'torch/API':>10} {'torch/train':>11}")
    print("\n".join(cpu))
    print(f"\nThe float64 matrix products alone (the same shapes, no activations, no optimizer, no records), "
          f"ms, median [min-max] of {REPEATS}: a floor for any float64 trainer")
    print(f"{'network':<22} {'numpy matmuls':>22} {'torch matmuls':>22} {'torch training / floor':>24}")
    for (label, numpy_floor, torch_floor), torch_time in zip(floors(), torch_times):
        print(f"{label:<22} {spread(numpy_floor):>22} {spread(torch_floor):>22} "
              f"{torch_time / min(numpy_floor[0], torch_floor[0]):23.1f}x")
    print(f"\nuptime: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
