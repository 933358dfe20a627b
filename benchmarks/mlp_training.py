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
time says more about the load than about the work. Goal (issue #11): the API >= 5x faster than
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


def main():
    import torch
    torch.set_num_threads(1)
    print(f"uptime: {os.popen('uptime').read().strip()}\n")
    print(f"{EPOCHS} epochs on the 600-point spiral, batch 32, Adam: ms per training, median [min-max] of {REPEATS}")
    print(f"{'network':<22} {'POST /api/mlp/run':>22} {'mlp.train in-process':>22} {'torch':>22} "
          f"{'torch/API':>10} {'goal':>7} {'answer':>8}")
    server = Server()
    cpu = []
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
    print(f"\nuptime: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
