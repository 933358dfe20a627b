"""Train an MLP with any optimizer and schedule from optimizers/, one epoch at a time.

Each epoch yields a record: losses and accuracies, and per hidden layer the statistics
the lecture is about (saturation, dead units, activation histogram, gradient norm,
update-to-weight ratio). Record 0 describes the network at initialization, before any
update. Activation and gradient statistics come from one pass over the whole training
set with batch statistics and no dropout, so epochs (and configurations) compare fairly.
"""
from __future__ import annotations

import math

import numpy as np

from optimizers import OPTIMIZERS, make_optimizer, make_schedule

from .config import TrainConfig, auto_label
from .datasets import make_dataset
from .landscape import loss_along_direction
from .losses import LOSSES
from .network import MLP

HISTOGRAM_BINS = 30
SATURATION = 0.99
# The decision surface is drawn as class regions under the points: a 32 x 32 grid reads the same as a
# finer one at the figure's size, and about ten snapshots spread over the run (plus the last epoch)
# show how the regions form. On every epoch at 40 x 40 it cost as much as the rest of the record.
DECISION_RESOLUTION = 32
DECISION_SNAPSHOTS = 10  # about this many decision surfaces per run
EDGE_DIGITS = 3  # histogram edges rounded to a thousandth of a bin: the figure cannot show more


def updates_per_epoch(train_size: int, batch_size: int, batchnorm: bool) -> int:
    """Mini-batch updates in one epoch (a last batch of one example is skipped with BatchNorm)."""
    full, rest = divmod(train_size, batch_size)
    return full + (1 if rest >= 2 or (rest == 1 and not batchnorm) else 0)


def _seeds(seed: int):
    """Independent streams for the data, the initial weights and shuffling/dropout."""
    return np.random.SeedSequence(seed).spawn(3)


def dataset_of(config: TrainConfig):
    """The data a configuration trains on (the same points its training sees)."""
    return make_dataset(config.dataset, config.samples, config.classes, config.noise, config.standardize,
                        np.random.default_rng(_seeds(config.seed)[0]))


def points_of(data) -> dict:
    """Raw (unstandardized) points, for scatter plots."""
    return {"train": {"x": data.x_train.tolist(), "y": data.y_train.tolist()},
            "val": {"x": data.x_val.tolist(), "y": data.y_val.tolist()}, "classes": data.classes}


def with_weight_decay(config: TrainConfig) -> dict:
    """The optimizer's hyperparameters with the configuration's weight decay as its weight_decay
    (its own default, e.g. AdamW's 0.01, would be a second, hidden decay)."""
    if OPTIMIZERS[config.optimizer].accepts("weight_decay"):
        return {**config.params, "weight_decay": config.weight_decay}
    return config.params  # TrainConfig refuses a weight decay such an optimizer cannot apply


class Training:
    def __init__(self, config: TrainConfig):
        self.config = config
        self.label = config.label or auto_label(config)
        _, init_seed, shuffle_seed = _seeds(config.seed)
        self.data = dataset_of(config)
        self.x_train = self.data.standardize(self.data.x_train)
        self.x_val = self.data.standardize(self.data.x_val)
        self.net = MLP(2, config.hidden, self.data.classes, config.activation, config.batchnorm, config.dropout)
        self.flat, self.buffers = self.net.init(config.init, np.random.default_rng(init_seed))
        self.rng = np.random.default_rng(shuffle_seed)
        schedule = self._schedule(config)
        # The one weight decay: the optimizer's own (coupled L2, or AdamW's decoupled), masked to weights;
        # Muon takes the hidden weight matrices (AdamW the rest).
        self.optimizer = make_optimizer(config.optimizer, with_weight_decay(config), schedule,
                                        decay_mask=self.net.decay_mask,
                                        matrices=[self.net.slices[name] for name in self.net.hidden_weights])
        self.opt_state = self.optimizer.transformation.init(self.flat)
        self.loss_fn = LOSSES[config.loss]
        self.epoch = 0
        self._slice, self._slice_epoch = None, None  # the loss slice, computed once per trained state
        self.steps = 0
        self.best_epoch, self.best_val = 0, math.inf
        self.status = "running"  # -> "finished" | "stopped_early" | "diverged" | "stopped"
        self.decision_every = max(1, config.epochs // DECISION_SNAPSHOTS)
        self.grid = self._decision_grid()

    def _schedule(self, config):
        """The lr schedule in the unit the configuration asks for: counted in epochs, t is the number
        of completed passes, so every mini-batch of an epoch shares one η."""
        if not config.schedule:
            return None
        name, params = config.schedule["name"], config.schedule.get("params") or {}
        if config.schedule_unit == "step":
            return name, params
        lr = config.params.get("lr", next(h.default for h in OPTIMIZERS[config.optimizer].hyperparameters
                                          if h.name == "lr"))
        per_epoch = make_schedule(name, lr, params)
        updates = updates_per_epoch(len(self.x_train), config.batch_size, config.batchnorm)
        return lambda step: per_epoch(step // updates)

    @property
    def done(self) -> bool:
        return self.status != "running"

    def initial_record(self) -> dict:
        return self._record(update_ratios=None)

    def train_epoch(self, should_stop=lambda: False) -> dict | None:
        """One pass over the shuffled training set; None if training diverged or was stopped.
        should_stop is polled between mini-batches, so a large epoch can be interrupted."""
        with np.errstate(all="ignore"):  # overflow is how divergence shows; it is checked, not warned
            return self._train_epoch(should_stop)

    def _train_epoch(self, should_stop) -> dict | None:
        config = self.config
        n = len(self.x_train)
        order = self.rng.permutation(n)
        ratios = [0.0] * len(self.net.hidden_weights)
        batches = 0
        update = self.optimizer.transformation.update
        hidden = [self.net.slices[name][0] for name in self.net.hidden_weights]
        for start in range(0, n, config.batch_size):
            if should_stop():
                self.status = "stopped"
                return None
            rows = order[start:start + config.batch_size]
            if len(rows) < 2 and config.batchnorm:
                continue  # batch statistics of one example are undefined (torch raises)
            forward = self.net.forward(self.flat, self.buffers, self.x_train[rows], "train", self.rng)
            loss, grad_out = self.loss_fn(forward.outputs, self.data.y_train[rows])
            grad = self.net.backward(self.flat, forward, grad_out)
            updates, self.opt_state = update(grad, self.opt_state, self.flat)
            for index, where in enumerate(hidden):
                ratios[index] += _norm(updates[where]) / (_norm(self.flat[where]) + 1e-12)
            self.flat += updates  # in place: the network keeps its views of this array
            self.steps += 1
            batches += 1
            if not (math.isfinite(loss) and np.isfinite(self.flat).all()):
                self.status = "diverged"
                self.epoch += 1
                return None
        self.epoch += 1
        record = self._record(update_ratios=[ratio / max(batches, 1) for ratio in ratios])
        if record is None:
            self.status = "diverged"
            return None
        if record["val_loss"] < self.best_val - 1e-12:
            self.best_val, self.best_epoch = record["val_loss"], self.epoch
        if self.epoch >= config.epochs:
            self.status = "finished"
        elif config.patience is not None and self.epoch - self.best_epoch >= config.patience:
            self.status = "stopped_early"
        return record

    def run(self):
        """All records, epoch 0 first (a generator: the API streams it)."""
        yield self.initial_record()
        while not self.done:
            record = self.train_epoch()
            if record is not None:
                yield record

    def summary(self) -> dict:
        messages = {"finished": f"trained {self.epoch} epochs",
                    "stopped_early": f"stopped early at epoch {self.epoch} (best epoch {self.best_epoch})",
                    "diverged": f"diverged at epoch {self.epoch}", "stopped": f"stopped at epoch {self.epoch}",
                    "running": f"stopped at epoch {self.epoch}"}
        return {"label": self.label, "best_epoch": self.best_epoch, "status": self.status,
                "message": messages[self.status], "epochs_trained": self.epoch, "slice": self.loss_slice()}

    def loss_slice(self) -> dict | None:
        """J(θ + a·θ1) along a seeded random direction through the current weights (mlp/landscape.py);
        None while training or after a divergence, when there is no trained network to slice."""
        if self.status not in ("finished", "stopped_early"):
            return None
        if self._slice_epoch != self.epoch:
            direction_seed = np.random.SeedSequence(self.config.seed).spawn(4)[3]
            self._slice = loss_along_direction(self, np.random.default_rng(direction_seed))
            self._slice_epoch = self.epoch
        return self._slice

    # ---- measurements ---------------------------------------------------------------------

    def _evaluate(self, x, y):
        outputs = self.net.forward(self.flat, self.buffers, x, "eval").outputs
        loss, _ = self.loss_fn(outputs, y)
        return loss, float(np.mean(outputs.argmax(axis=1) == y))

    def _record(self, update_ratios) -> dict | None:
        with np.errstate(all="ignore"):
            val_loss, val_acc = self._evaluate(self.x_val, self.data.y_val)
            measured = self.net.forward(self.flat, self.buffers, self.x_train, "measure")
            measured_loss, grad_out = self.loss_fn(measured.outputs, self.data.y_train)
            grad = self.net.backward(self.flat, measured, grad_out)
            if self.config.batchnorm:  # evaluation uses BatchNorm's running statistics, the measurement batch ones
                train_loss, train_acc = self._evaluate(self.x_train, self.data.y_train)
            else:  # without BatchNorm both passes compute the same outputs: one pass over the training set, not two
                train_loss = measured_loss
                train_acc = float(np.mean(measured.outputs.argmax(axis=1) == self.data.y_train))
        if not all(math.isfinite(v) for v in (train_loss, val_loss)) or not np.isfinite(grad).all():
            return None
        layers = []
        for index, (a, z) in enumerate(zip(measured.hidden, measured.pre_activations)):
            name = self.net.hidden_weights[index]
            layers.append({
                **_activation_statistics(a, z, self.net.activation),
                "grad_norm": _norm(grad[self.net.slices[name][0]]),
                "update_ratio": None if update_ratios is None else float(update_ratios[index]),
            })
        record = {"epoch": self.epoch, "train_loss": train_loss, "val_loss": val_loss, "train_acc": train_acc,
                  "val_acc": val_acc, "lr": float(self.optimizer.learning_rate(max(self.steps - 1, 0))),
                  "layers": layers}
        if self.epoch % self.decision_every == 0 or self.epoch >= self.config.epochs:
            record["decision"] = self._decision_surface()
        return record

    def _decision_grid(self):
        x = np.concatenate([self.data.x_train, self.data.x_val])
        low, high = x.min(axis=0), x.max(axis=0)
        pad = 0.1 * (high - low)
        gx = np.linspace(low[0] - pad[0], high[0] + pad[0], DECISION_RESOLUTION)
        gy = np.linspace(low[1] - pad[1], high[1] + pad[1], DECISION_RESOLUTION)
        points = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
        return gx, gy, self.data.standardize(points)

    def _decision_surface(self) -> dict:
        """The predicted class on the grid (the largest logit is the largest softmax probability)."""
        gx, gy, points = self.grid
        outputs = self.net.forward(self.flat, self.buffers, points, "eval").outputs
        shape = (len(gy), len(gx))
        return {"x": gx.tolist(), "y": gy.tolist(), "label": outputs.argmax(axis=1).reshape(shape).tolist()}

    def dataset_points(self) -> dict:
        return points_of(self.data)


def _norm(vector) -> float:
    """np.linalg.norm of a 1-D float64 vector, bit for bit (it computes sqrt(x·x) too), without its
    Python-level checks: the trainer takes four per hidden layer and mini-batch."""
    return math.sqrt(vector.dot(vector))


def _activation_statistics(a, z, activation) -> dict:
    if activation.saturation_range is not None:
        low, high = activation.saturation_range
        centre, half = (low + high) / 2, (high - low) / 2
        saturated = float(np.mean(np.abs(a - centre) > SATURATION * half))
    else:
        saturated = 0.0
    return {"mean": float(a.mean()), "std": float(a.std()), "saturated": saturated,
            # None, not 0, where units cannot die: "0 % dead" would claim something was measured.
            "dead": float(np.mean(np.all(z <= 0, axis=0))) if activation.can_die else None,
            "histogram": _histogram(a)}


def _histogram(a) -> dict:
    """Bins over this layer's own range, so a layer whose activations collapsed to ±1e-6 still
    shows its shape (its axis says how small it is); a layer of identical values gets one bin."""
    lo, hi = float(a.min()), float(a.max())
    if hi - lo <= 1e-12 * max(1.0, abs(lo)):
        return {"edges": [lo, hi], "counts": [int(a.size)]}
    # np.histogram's uniform-bin rule (the last bin holds the maximum) as one bincount: on a
    # 480 x 100 layer np.histogram's block loop and edge corrections cost several times this.
    width = (hi - lo) / HISTOGRAM_BINS
    index = np.minimum(((a.ravel() - lo) * (1.0 / width)).astype(np.intp), HISTOGRAM_BINS - 1)
    counts = np.bincount(index, minlength=HISTOGRAM_BINS)
    edges = np.round(np.linspace(lo, hi, HISTOGRAM_BINS + 1), EDGE_DIGITS + max(0, math.ceil(-math.log10(width))))
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def train(config: TrainConfig) -> tuple[list[dict], dict]:
    """The whole history and the summary (for scripts, notebooks and tests)."""
    training = Training(config)
    history = list(training.run())
    return history, training.summary()
