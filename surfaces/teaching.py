"""Surfaces built for one lecture point each: ill-conditioning, plateaus, saddles,
local minima and exploding gradients."""
from __future__ import annotations

import math

import numpy as np

from paramschema import Hyperparameter

from .base import ComponentSurface, minimum, refine_stationary_point, split, stack


class Canyon(ComponentSurface):
    name = "canyon"
    title = "Canyon (ill-conditioned bowl)"
    lesson = ("A long ravine with steep walls: gradient descent zig-zags across it and crawls along it; "
              "momentum builds speed along the floor.")
    formula = r"f = \tfrac{1}{2}\left(u^2 + \kappa w^2\right),\ (u, w) = \text{the point rotated by } \varphi"
    domain = ((-10.0, 10.0), (-5.0, 5.0))
    start = (-9.0, 2.5)
    parameters = (
        Hyperparameter("condition", "condition number", 100.0,
                       "κ: ratio of the steepest to the flattest curvature", minimum=1.0, maximum=1000.0, log=True,
                       title="condition number κ"),
        Hyperparameter("angle", "angle", 0.0,
                       "φ in degrees: rotates the ravine off the axes, where per-coordinate methods lose their edge",
                       minimum=-90.0, maximum=90.0, title="angle φ (degrees)"),
    )
    gradient_fraction = 0.9  # just under the stability limit 2/κ, where gradient descent visibly zig-zags

    def __init__(self, **params):
        super().__init__(**params)
        kappa = self.params["condition"]
        phi = math.radians(self.params["angle"])
        rotation = np.array([[math.cos(phi), math.sin(phi)], [-math.sin(phi), math.cos(phi)]])
        self._matrix = rotation.T @ np.diag([1.0, kappa]) @ rotation
        # The symmetric matrix's three entries as floats: f and ∇f written on (x, y).
        self._xx, self._xy, self._yy = (float(v) for v in (self._matrix[0, 0], self._matrix[0, 1], self._matrix[1, 1]))

    def value(self, x, y):
        return 0.5 * (self._xx * (x * x) + 2 * self._xy * (x * y) + self._yy * (y * y))

    def gradient(self, x, y):
        return self._xx * x + self._xy * y, self._xy * x + self._yy * y

    def hessian(self, p):
        return np.broadcast_to(self._matrix, np.shape(p)[:-1] + (2, 2)).copy()

    def minima(self):
        return [minimum((0, 0), 0)]


class Plateau(ComponentSurface):
    name = "plateau"
    title = "Plateau"
    lesson = ("Far from the basin the surface is almost flat: plain gradient steps shrink with the slope and crawl, "
              "while momentum and adaptive methods cross the plain.")
    formula = r"f(x, y) = 1 - \exp\!\left(-\frac{x^2 + y^2}{2 s^2}\right),\ s = 1.2"
    domain = ((-4.0, 4.0), (-4.0, 4.0))
    # Far out on the plain, where the slope is ~1e-3: gradient steps crawl, adaptive ones do not.
    start = (3.8, 3.8)
    _width = 1.2

    def value(self, x, y):
        return 1 - np.exp(-(x * x + y * y) / (2 * self._width * self._width))

    def gradient(self, x, y):
        weight = np.exp(-(x * x + y * y) / (2 * self._width * self._width)) / (self._width * self._width)
        return weight * x, weight * y

    def minima(self):
        return [minimum((0, 0), 0)]


class Saddle(ComponentSurface):
    name = "saddle"
    title = "Saddle point"
    lesson = ("The path runs into a saddle at the origin, where the slope vanishes; plain gradient descent stalls "
              "there for a long time, and Newton's method is drawn into it.")
    formula = r"f(x, y) = \tfrac{1}{4}x^4 - \tfrac{1}{2}x^2 + \tfrac{1}{2}y^2"
    domain = ((-2.0, 2.0), (-2.0, 2.0))
    # Almost on the ridge line x = 0: the escape direction has a gradient of 1e-4.
    start = (1e-4, 1.8)
    gradient_fraction = 0.2  # η = 0.2: x grows only 1.2x per step away from the ridge

    def value(self, x, y):
        square = x * x
        return 0.25 * (square * square) - 0.5 * square + 0.5 * y * y

    def gradient(self, x, y):
        return x * x * x - x, y

    def hessian(self, p):
        x, y = split(p)
        return np.stack([stack(3 * x * x - 1, 0 * x), stack(0 * y, 1 + 0 * y)], axis=-2)

    def minima(self):
        return [minimum((-1, 0), -0.25), minimum((1, 0), -0.25)]

    def saddles(self):
        return [[0.0, 0.0]]


class LocalMinima(ComponentSurface):
    name = "local_minima"
    title = "Local minima"
    lesson = ("Four basins, one of them deepest: where a path ends depends on its start and its optimizer. From here "
              "SGD, momentum and Adam settle in three different basins; only momentum, carried over a rim, "
              "reaches the deepest.")
    formula = r"f = 0.06\,(x^2 + y^2) - \sum_i a_i \exp\!\left(-\frac{\lVert p - c_i \rVert^2}{2 s_i^2}\right)"
    domain = ((-4.0, 4.0), (-4.0, 4.0))
    # From here SGD, momentum and Adam (the page's default runs) end in three different basins.
    start = (-2.0, -0.5)
    # (centre x, centre y, depth a, width s); the first is the deepest.
    _wells = np.array([[2.2, -1.6, 2.5, 0.9], [-2.0, 1.6, 1.5, 0.8], [-1.8, -2.2, 1.2, 0.7], [1.4, 2.2, 1.0, 0.7]])
    _bowl = 0.06

    def _bumps(self, p):
        p = np.asarray(p, dtype=np.float64)
        offsets = p[..., None, :] - self._wells[:, :2]  # (..., wells, 2)
        widths = self._wells[:, 3]
        weights = self._wells[:, 2] * np.exp(-np.sum(offsets ** 2, axis=-1) / (2 * widths ** 2))
        return offsets, widths, weights

    # The wells as tuples of floats, for f and ∇f written on (x, y): (cx, cy, a, 2 s², s²).
    _well_terms = tuple((float(cx), float(cy), float(a), float(2 * s * s), float(s * s)) for cx, cy, a, s in _wells)

    def value(self, x, y):
        total = self._bowl * (x * x + y * y)
        for cx, cy, depth, twice_variance, _ in self._well_terms:
            dx, dy = x - cx, y - cy
            total = total - depth * np.exp(-(dx * dx + dy * dy) / twice_variance)
        return total

    def gradient(self, x, y):
        gx, gy = 2 * self._bowl * x, 2 * self._bowl * y
        for cx, cy, depth, twice_variance, variance in self._well_terms:
            dx, dy = x - cx, y - cy
            pull = depth * np.exp(-(dx * dx + dy * dy) / twice_variance) / variance
            gx, gy = gx + pull * dx, gy + pull * dy
        return gx, gy

    def hessian(self, p):
        # Each well adds (a e / s²)(I − d dᵀ / s²): written out, because the stationary-point
        # search evaluates it on thousands of points.
        offsets, widths, weights = self._bumps(p)
        scale = (weights / widths ** 2)[..., None, None]
        outer = offsets[..., :, None] * offsets[..., None, :] / (widths ** 2)[..., None, None]
        wells = np.sum(scale * (np.eye(2) - outer), axis=-3)
        return 2 * self._bowl * np.eye(2) + wells

    def minima(self):
        found = []
        for index, well in enumerate(self._wells):
            point = refine_stationary_point(self, well[:2])
            found.append(minimum(point, self.f(point), "global" if index == 0 else "local"))
        return found


class Cliff(ComponentSurface):
    name = "cliff"
    title = "Cliff"
    lesson = ("A gentle slope ends at a sheer drop where the gradient is about 100 times larger: one step there "
              "catapults the point away; clipping the gradient's norm keeps the step in bounds.")
    formula = r"f = 0.015\,(x - 4)^2 + 0.05\,y^2 + 15\,\sigma(-8 x)"
    domain = ((-5.0, 7.0), (-3.0, 3.0))
    start = (-4.0, 1.5)
    # η = 1, tuned to the gentle slope's curvature scale (steps of ~0.25) the way a rate tuned on
    # the easy part of a loss is, before it meets the wall: 0.05 of the limit 2/λ_max = 20 there.
    gradient_fraction = 0.05
    _height = 15.0
    _sharpness = 8.0  # the wall is ~0.5 wide: wider than an approaching step, so every path lands on it

    def _wall(self, x):
        return 1.0 / (1.0 + np.exp(np.clip(self._sharpness * x, -700, 700)))  # sigma(-k x)

    def value(self, x, y):
        return 0.015 * ((x - 4) * (x - 4)) + 0.05 * y * y + self._height * self._wall(x)

    def gradient(self, x, y):
        wall = self._wall(x)
        return 0.03 * (x - 4) - self._height * self._sharpness * wall * (1 - wall), 0.1 * y

    def minima(self):
        return [minimum((4, 0), self.f(np.array([4.0, 0.0])))]
