"""Every sentence of every MLP lesson, asserted on the lesson's own comparison through the trainer.

Trainings are small (at most 15-60 epochs on 100-600 points) and each is run once per session.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from lessons import LESSONS, parse_link
from mlp.trainer import Training

CLAIMS = {}
CHANCE = math.log(3)


def claim(lesson_id, index):
    def register(check):
        CLAIMS[(lesson_id, index)] = check
        return check
    return register


@functools.cache
def _trained(link: str):
    """(history, summary, finished Training) per configuration of the link's comparison."""
    out = []
    for config in parse_link(link).mlp_runs:
        training = Training(config)
        history = list(training.run())
        out.append((history, training.summary(), training))
    return out


def runs(lesson_id):
    return _trained(LESSONS[lesson_id].link)


def tried(lesson_id):
    return _trained(LESSONS[lesson_id].try_link)


def spreads(history, epoch=0):
    return [layer["std"] for layer in history[epoch]["layers"]]


def shown(lesson_id):
    """The epoch the lesson's histograms open at (its link's mepoch): a sentence about the
    activations is checked at the epoch the page shows, and this one speaks of initialization."""
    epoch = parse_link(LESSONS[lesson_id].link).mlp_epoch
    assert epoch == 0, (lesson_id, epoch)
    return epoch


def selected(lesson_id):
    """The run the lesson opens with in the run menu (its link's msel): the run a sentence calls
    "the run shown", the one the histograms, gradients and decision surface draw."""
    return parse_link(LESSONS[lesson_id].link).mlp_selected


def test_every_sentence_has_a_check():
    expected = set()
    for lesson in LESSONS.values():
        if lesson.tab == "mlp":
            expected |= {(lesson.id, index) for index in range(len(lesson.notice))}
            if lesson.try_next:
                expected.add((lesson.id, "try"))
    assert expected == set(CLAIMS)


# ---- activations ------------------------------------------------------------------------------

@claim("sigmoid-vanishing", 0)
def _():
    (history, _, _), _relu = runs("sigmoid-vanishing")
    norms = [layer["grad_norm"] for layer in history[0]["layers"]]
    assert norms[0] < 0.01 * norms[-1]


@claim("sigmoid-vanishing", 1)
def _():
    (sigmoid, _, _), (relu, _, _) = runs("sigmoid-vanishing")
    assert sigmoid[-1]["train_loss"] > 0.9 * sigmoid[0]["train_loss"]
    assert relu[-1]["train_acc"] > 0.9


def _dead(history, epoch=-1):
    return [layer["dead"] for layer in history[epoch]["layers"]]


@claim("dead-relu", 0)
def _():
    (history, _, _), = runs("dead-relu")
    assert min(_dead(history)[1:]) > 0.9


@claim("dead-relu", 1)
def _():
    (history, _, _), = runs("dead-relu")
    assert max(record["train_acc"] for record in history) < 0.6


@claim("dead-relu", "try")
def _():
    (history, _, _), = tried("dead-relu")
    assert max(_dead(history)) < 1 / 3 and history[-1]["train_acc"] > 0.95


@claim("leaky-relu", 0)
def _():
    (relu, _, _), _leaky = runs("leaky-relu")
    assert _dead(relu)[1] > 0.5


def _units_without_gradient(training: Training) -> int:
    """Hidden units whose incoming weights get exactly zero gradient on the whole training set."""
    net = training.net
    measured = net.forward(training.flat, training.buffers, training.x_train, "measure")
    _, grad_out = training.loss_fn(measured.outputs, training.data.y_train)
    grad = net.backward(training.flat, measured, grad_out)
    silent = 0
    for name in net.hidden_weights:
        rows = grad[net.slices[name][0]]
        weights = rows.reshape(net.slices[name][1]) if len(net.slices[name]) > 1 else rows
        silent += int(np.sum(np.all(weights == 0, axis=0)))
    return silent


@claim("leaky-relu", 1)
def _():
    (_, _, relu), (leaky_history, _, leaky) = runs("leaky-relu")
    assert _units_without_gradient(relu) > 0          # the check can see dead units ...
    assert _units_without_gradient(leaky) == 0        # ... and leaky ReLU has none
    assert all(layer["dead"] is None for record in leaky_history for layer in record["layers"])  # not even counted


# ---- preprocessing ----------------------------------------------------------------------------

@claim("standardization", 0)
def _():
    (raw, _, _), (standardized, _, _) = runs("standardization")
    epoch = shown("standardization")
    assert raw[epoch]["layers"][0]["saturated"] > 0.5
    assert standardized[epoch]["layers"][0]["saturated"] == 0.0


@claim("standardization", 1)
def _():
    (raw, _, _), (standardized, _, _) = runs("standardization")
    assert standardized[-1]["val_acc"] > 0.95
    assert abs(raw[-1]["val_acc"] - 0.5) < 0.1


# ---- initialization ---------------------------------------------------------------------------

@claim("init-too-small", 0)
def _():
    (history, _, _), = runs("init-too-small")
    std = spreads(history, shown("init-too-small"))
    assert all(later < deeper_limit for later, deeper_limit in zip(std[1:], [s / 5 for s in std[:-1]]))
    assert std[-1] < 1e-5


@claim("init-too-small", 1)
def _():
    (history, _, _), = runs("init-too-small")
    assert max(layer["grad_norm"] for layer in history[0]["layers"]) < 1e-5
    assert all(abs(record["train_loss"] - CHANCE) < 0.005 for record in history)


@claim("init-too-large", 0)
def _():
    (history, _, _), _xavier = runs("init-too-large")
    assert all(layer["saturated"] > 0.5 for layer in history[shown("init-too-large")]["layers"][1:])


@claim("init-too-large", 1)
def _():
    (large, _, _), (xavier, _, _) = runs("init-too-large")
    assert large[0]["train_loss"] > 3 * CHANCE
    assert xavier[-1]["train_acc"] - large[-1]["train_acc"] > 0.2


@claim("symmetry", 0)
def _():
    (_, _, training), _xavier = runs("symmetry")
    net = training.net
    assert training.config.hidden == [32, 32] and training.epoch == 20
    for name in net.hidden_weights:
        where, shape = net.slices[name]
        weights = training.flat[where].reshape(shape)
        assert np.array_equal(weights, np.repeat(weights[:, :1], shape[1], axis=1))


@claim("symmetry", 1)
def _():
    (constant, _, _), (xavier, _, _) = runs("symmetry")
    assert max(record["train_acc"] for record in constant) < 0.6
    assert xavier[-1]["train_acc"] > 0.9


@claim("xavier-he", 0)
def _():
    (tanh, _, _), _, _ = runs("xavier-he")
    assert all(0.1 <= s <= 0.3 for s in spreads(tanh, shown("xavier-he")))
    # "the run shown first": the lesson opens with tanh · Xavier in the run menu; the names the
    # next sentence tells the lecturer to pick are the page's (tests/browser/test_mlp_lesson_panels.py)
    assert selected("xavier-he") == 0 and parse_link(LESSONS["xavier-he"].link).mlp_runs[0].activation == "tanh"


@claim("xavier-he", 1)
def _():
    _, (relu_xavier, _, _), (relu_he, _, _) = runs("xavier-he")
    xavier, he = spreads(relu_xavier, shown("xavier-he")), spreads(relu_he, shown("xavier-he"))
    assert all(later < earlier for earlier, later in zip(xavier, xavier[1:]))
    assert xavier[-1] < xavier[0] / 5
    assert min(he) >= he[0] / 2


# ---- BatchNorm --------------------------------------------------------------------------------

@claim("batchnorm", 0)
def _():
    (plain, _, _), (normalized, _, _) = runs("batchnorm")
    assert min(spreads(normalized, shown("batchnorm"))) > 0.3
    assert spreads(plain, shown("batchnorm"))[-1] < 1e-5
    # "the run shown": the lesson opens with the BatchNorm run in the run menu
    assert parse_link(LESSONS["batchnorm"].link).mlp_runs[selected("batchnorm")].batchnorm


@claim("batchnorm", 1)
def _():
    (plain, _, _), (normalized, _, _) = runs("batchnorm")
    assert normalized[-1]["train_acc"] > 0.8
    assert abs(plain[-1]["train_acc"] - 1 / 3) < 0.05


# ---- overfitting ------------------------------------------------------------------------------

def _gap(history):
    return history[-1]["train_acc"] - history[-1]["val_acc"]


@claim("overfitting", 0)
def _():
    (history, _, _), _ = runs("overfitting")
    assert history[-1]["train_acc"] >= 0.95 and _gap(history) >= 0.1
    losses = [record["val_loss"] for record in history]
    lowest = min(range(len(losses)), key=losses.__getitem__)
    assert lowest <= 40 and losses[-1] > 1.5 * losses[lowest]


@claim("overfitting", 1)
def _():
    (plain, _, _), (dropout, _, _) = runs("overfitting")
    assert _gap(dropout) < 0.05 < _gap(plain)
    assert dropout[-1]["val_loss"] < plain[-1]["val_loss"]
    assert dropout[-1]["val_acc"] > plain[-1]["val_acc"]


@claim("overfitting", "try")
def _():
    (history, summary, _), = tried("overfitting")
    assert summary["status"] == "stopped_early"
    assert summary["epochs_trained"] == summary["best_epoch"] + 10
    best = min(range(len(history)), key=lambda epoch: history[epoch]["val_loss"])
    assert best == summary["best_epoch"]


# ---- the loss landscape -----------------------------------------------------------------------

@claim("loss-slice", 0)
def _():
    (_, summary, _), = runs("loss-slice")
    piece = summary["slice"]
    at_zero = piece["train_loss"][piece["alpha"].index(0.0)]
    assert at_zero - min(piece["train_loss"]) < 0.02


@claim("loss-slice", 1)
def _():
    (_, summary, _), = runs("loss-slice")
    piece = summary["slice"]
    at_zero = piece["train_loss"][piece["alpha"].index(0.0)]
    assert piece["train_loss"][0] > 10 * at_zero and piece["train_loss"][-1] > 10 * at_zero


@pytest.mark.parametrize("key", sorted(CLAIMS, key=str), ids=lambda key: f"{key[0]}-{key[1]}")
def test_claim(key):
    CLAIMS[key]()
