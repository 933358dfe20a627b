"""Textbook test functions with known minima."""
from __future__ import annotations

import numpy as np

from .base import ComponentSurface, minimum, split, stack


class Quadratic(ComponentSurface):
    name = "quadratic"
    title = "Quadratic bowl"
    lesson = "On a bowl with curvatures 1 and 4, gradient descent converges for η < 2/4 = 0.5 and diverges above it."
    formula = r"f(x, y) = \tfrac{1}{2}\left(x^2 + 4 y^2\right)"
    domain = ((-3.0, 3.0), (-3.0, 3.0))
    start = (-2.5, 2.0)

    def value(self, x, y):
        return 0.5 * (x * x + 4 * y * y)

    def gradient(self, x, y):
        return x, 4 * y

    def hessian(self, p):
        shape = np.shape(p)[:-1]
        return np.broadcast_to(np.array([[1.0, 0.0], [0.0, 4.0]]), shape + (2, 2)).copy()

    def minima(self):
        return [minimum((0, 0), 0)]


class Rosenbrock(ComponentSurface):
    name = "rosenbrock"
    title = "Rosenbrock's banana"
    lesson = "A curved, flat-bottomed valley: easy to fall into, slow to follow to the minimum at (1, 1)."
    formula = r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2"
    domain = ((-2.0, 2.0), (-1.0, 3.0))
    start = (-1.5, 2.0)
    log_colour = True

    def value(self, x, y):
        inner = y - x * x
        return (1 - x) * (1 - x) + 100 * (inner * inner)

    def gradient(self, x, y):
        inner = y - x * x
        return -2 * (1 - x) - 400 * x * inner, 200 * inner

    def hessian(self, p):
        x, y = split(p)
        xx = 2 - 400 * (y - x * x) + 800 * x * x
        xy = -400 * x
        return np.stack([stack(xx, xy), stack(xy, 200 + 0 * x)], axis=-2)

    def minima(self):
        return [minimum((1, 1), 0)]


class Beale(ComponentSurface):
    name = "beale"
    title = "Beale's function"
    lesson = "Sharp ridges and a flat, curving floor: gradients differ by orders of magnitude across the plot."
    formula = r"f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"
    domain = ((-4.5, 4.5), (-4.5, 4.5))
    start = (1.0, 1.4)
    log_colour = True
    _constants = (1.5, 2.25, 2.625)

    # Powers of y as products (y, y², y³), the same bits on floats and arrays.
    def _terms(self, x, y):
        powers = (1.0, y, y * y, y * y * y)
        for k, c in enumerate(self._constants, start=1):
            yield k, c - x + x * powers[k], powers

    def value(self, x, y):
        total = 0.0
        for _, residual, _ in self._terms(x, y):
            total = total + residual * residual
        return total

    def gradient(self, x, y):
        gx = gy = 0.0
        for k, residual, powers in self._terms(x, y):
            gx = gx + 2 * residual * (powers[k] - 1)
            gy = gy + 2 * residual * k * x * powers[k - 1]
        return gx, gy

    def minima(self):
        return [minimum((3, 0.5), 0)]


class Himmelblau(ComponentSurface):
    name = "himmelblau"
    title = "Himmelblau's function"
    lesson = ("Four minima of equal depth: where you start decides where you end. Newton's method, from the "
              "default start, climbs to the local maximum instead.")
    formula = r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    domain = ((-5.0, 5.0), (-5.0, 5.0))
    start = (-0.5, -0.5)
    log_colour = True

    def value(self, x, y):
        a = x * x + y - 11
        b = x + y * y - 7
        return a * a + b * b

    def gradient(self, x, y):
        a = x * x + y - 11
        b = x + y * y - 7
        return 4 * x * a + 2 * b, 2 * a + 4 * y * b

    def hessian(self, p):
        x, y = split(p)
        xx = 12 * x * x + 4 * y - 42
        yy = 12 * y * y + 4 * x - 26
        xy = 4 * (x + y)
        return np.stack([stack(xx, xy), stack(xy, yy)], axis=-2)

    def minima(self):
        points = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
        return [minimum(pt, self.f(np.array(pt))) for pt in points]

    def saddles(self):
        return [[0.086678, 2.884255], [-3.073026, -0.081353], [3.385154, 0.073852], [-0.127961, -1.953715]]


class Rastrigin(ComponentSurface):
    name = "rastrigin"
    title = "Rastrigin's function"
    lesson = "A bowl covered in ripples: a grid of local minima traps small steps; only the centre is global."
    formula = r"f(x, y) = 20 + x^2 - 10\cos 2\pi x + y^2 - 10\cos 2\pi y"
    domain = ((-4.0, 4.0), (-4.0, 4.0))
    start = (3.2, 2.8)

    def value(self, x, y):
        return 20 + x * x - 10 * np.cos(2 * np.pi * x) + y * y - 10 * np.cos(2 * np.pi * y)

    def gradient(self, x, y):
        return 2 * x + 20 * np.pi * np.sin(2 * np.pi * x), 2 * y + 20 * np.pi * np.sin(2 * np.pi * y)

    def hessian(self, p):
        x, y = split(p)
        xx = 2 + 40 * np.pi ** 2 * np.cos(2 * np.pi * x)
        yy = 2 + 40 * np.pi ** 2 * np.cos(2 * np.pi * y)
        return np.stack([stack(xx, 0 * x), stack(0 * y, yy)], axis=-2)

    def minima(self):
        return [minimum((0, 0), 0)]
