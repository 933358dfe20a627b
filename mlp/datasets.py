"""Small seeded 2D classification datasets, a train/validation split and standardization."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    lesson: str
    fixed_classes: int | None  # None: the number of classes is a parameter
    features: tuple[str, str] = ("x₁", "x₂")

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "lesson": self.lesson,
                "fixed_classes": self.fixed_classes, "features": list(self.features)}


@dataclass
class Dataset:
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: int
    mean: np.ndarray  # the train statistics used for standardization (0 and 1 when off)
    scale: np.ndarray

    def standardize(self, x):
        return (x - self.mean) / self.scale


def _spiral(n, classes, noise, rng):
    # CS231n's spiral: each class an arm of radius 0..1, turning 4 radians.
    per = np.full(classes, n // classes)
    per[: n % classes] += 1
    xs, ys = [], []
    for label, count in enumerate(per):
        radius = np.linspace(0.05, 1.0, count)
        angle = np.linspace(label * 4.0, (label + 1) * 4.0, count) + rng.normal(0, noise * 2.0, count)
        xs.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
        ys.append(np.full(count, label))
    return np.concatenate(xs), np.concatenate(ys)


def _moons(n, classes, noise, rng):
    upper = n // 2
    t_upper = rng.uniform(0, np.pi, upper)
    t_lower = rng.uniform(0, np.pi, n - upper)
    x = np.concatenate([np.stack([np.cos(t_upper), np.sin(t_upper)], 1),
                        np.stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)], 1)])
    return x + rng.normal(0, noise, x.shape), np.concatenate([np.zeros(upper, int), np.ones(n - upper, int)])


def _circles(n, classes, noise, rng):
    outer = n // 2
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(np.arange(n) < outer, 1.0, 0.5)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    return x + rng.normal(0, noise, x.shape), (np.arange(n) >= outer).astype(int)


def _xor(n, classes, noise, rng):
    x = rng.uniform(-1, 1, (n, 2))
    labels = (x[:, 0] * x[:, 1] > 0).astype(int)
    return x + rng.normal(0, noise, x.shape), labels


def _blobs(n, classes, noise, rng):
    labels = np.arange(n) % classes
    angles = 2 * np.pi * labels / classes
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], 1)
    return centres + rng.normal(0, 0.5 + noise, (n, 2)), labels


def _unscaled(n, classes, noise, rng):
    # The slides' example: (height in m, weight in kg). The label, BMI >= 25, depends on both,
    # but raw height varies by ~0.1 while weight varies by ~15: unstandardized, the network
    # barely sees height.
    height = rng.normal(1.70, 0.10, n)
    weight = rng.normal(72.0, 14.0, n)
    bmi = weight / height ** 2 + rng.normal(0, noise * 5.0, n)
    return np.stack([height, weight], 1), (bmi >= 25.0).astype(int)


GENERATORS = {"spiral": _spiral, "moons": _moons, "circles": _circles, "xor": _xor, "blobs": _blobs,
              "unscaled": _unscaled}

DATASETS: dict[str, DatasetSpec] = {d.name: d for d in (
    DatasetSpec("spiral", "Spiral", "Interleaved arms: no straight line separates them; depth and non-linearity do.", None),
    DatasetSpec("moons", "Two moons", "Two interleaving half circles: a gently curved boundary.", 2),
    DatasetSpec("circles", "Circles", "One class inside the other: the boundary must close around the centre.", 2),
    DatasetSpec("xor", "XOR", "The classic problem a single linear layer cannot solve.", 2),
    DatasetSpec("blobs", "Gaussian blobs", "Well-separated clusters: almost any network solves it.", None),
    DatasetSpec("unscaled", "Height & weight (unscaled)",
                "Features on very different scales (metres and kilograms): without standardization the network "
                "is biased toward weight and trains slowly.", 2, ("height (m)", "weight (kg)")),
)}

VALIDATION_FRACTION = 0.2


def make_dataset(name: str, samples: int, classes: int, noise: float, standardize: bool,
                 rng: np.random.Generator) -> Dataset:
    spec = DATASETS[name]
    classes = spec.fixed_classes or classes
    x, y = GENERATORS[name](samples, classes, noise, rng)
    order = rng.permutation(samples)
    x, y = x[order], y[order]
    n_val = max(1, int(round(samples * VALIDATION_FRACTION)))
    x_train, y_train, x_val, y_val = x[n_val:], y[n_val:], x[:n_val], y[:n_val]
    if standardize:
        mean, scale = x_train.mean(axis=0), x_train.std(axis=0) + 1e-12
    else:
        mean, scale = np.zeros(2), np.ones(2)
    return Dataset(x_train, y_train, x_val, y_val, classes, mean, scale)
