"""The learning-rate sweep's labels are true: for every surface and every optimizer the scene
offers, "too small" visibly crawls and "too large" visibly fails next to "good", in the page's
300 steps. The checks here are written out independently of surfaces/presets.py."""
import numpy as np
import pytest

from optimizers import OPTIMIZERS
from surfaces import SURFACES, make_surface

from .helpers import _surface_and_scene, default_run, inside_plot

PAGE_TRIO = ("sgd", "momentum", "adam")  # the runs the page shows by default


def settled(path):
    return path.loss[-50:].mean()


def crawls(path, good):
    descent = good.loss[0] - settled(good)
    target = good.loss[0] - 0.9 * descent
    good_steps = max(int(np.argmax(good.loss <= target)), 1)
    reached = np.flatnonzero(path.loss <= target)
    return path.status != "diverged" and (path.loss[0] - settled(path) < 0.5 * descent or not len(reached)
                                          or reached[0] >= 3 * good_steps)


def fails(name, path, good):
    thrown_out = not inside_plot(name, path.points) and inside_plot(name, good.points)
    bouncing = settled(path) > settled(good) + 0.1 * abs(good.loss[0] - settled(good))
    return path.status == "diverged" or thrown_out or bouncing


@pytest.mark.parametrize("name", SURFACES)
def test_sweep_labels_hold_for_every_offered_optimizer(name):
    _, chosen = _surface_and_scene(name, ())
    assert set(PAGE_TRIO) <= set(chosen["sweep"]) or name == "linear_regression"
    for optimizer, sweep in chosen["sweep"].items():
        small, one, large = sweep["factors"]
        assert sweep["labels"] == ["too small", "good", "too large"] and one == 1.0 and small < 1 < large
        good = default_run(name, optimizer)
        assert good.status != "diverged", optimizer
        assert crawls(default_run(name, optimizer, lr_factor=small), good), optimizer
        assert fails(name, default_run(name, optimizer, lr_factor=large), good), optimizer


def test_quadratic_sgd_too_large_is_past_two_over_lambda():
    (_, chosen) = _surface_and_scene("quadratic", ())
    lr = chosen["suggested_lr"]["sgd"]
    assert lr * chosen["sweep"]["sgd"]["factors"][2] > 2 / 4 > lr  # the 0.4 < 0.5 no longer happens


def test_only_surface_optimizers_are_offered():
    _, chosen = _surface_and_scene("canyon", ())
    assert set(chosen["sweep"]) <= {n for n, spec in OPTIMIZERS.items() if spec.surfaces}
    assert "muon" not in chosen["suggested_lr"]
    assert make_surface("canyon").parameters[0].default == 100.0
