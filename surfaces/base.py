"""The Surface contract: a 2D loss with analytic gradient, its domain and landmarks."""
from __future__ import annotations

import numpy as np

from paramschema import Hyperparameter, resolve

from .presets import suggested_learning_rates
from .stationary import find_stationary_points

HESSIAN_STEP = 1e-5


class Surface:
    """A 2D loss surface. f, grad and hessian accept points of shape (..., 2).

    Subclasses set the class attributes and implement f and grad; hessian defaults
    to central differences of the analytic gradient.
    """
    name: str = ""
    title: str = ""
    lesson: str = ""  # one sentence: what this surface teaches
    formula: str = ""  # LaTeX
    domain: tuple[tuple[float, float], tuple[float, float]] = ((-1, 1), (-1, 1))
    start: tuple[float, float] = (0.0, 0.0)
    log_colour: bool = False  # a log colour scale shows narrow valleys (Rosenbrock-like)
    parameters: tuple[Hyperparameter, ...] = ()
    # How the suggested learning rates follow this surface (surfaces/presets.py): a gradient
    # step takes this fraction of its stability limit; an adaptive step covers the distance
    # from the start to the minimum in about this many steps.
    gradient_fraction: float = 0.5
    adaptive_steps: int = 100
    # f and ∇f are finite wherever the runners keep a point (the plot and FAR_OUTSIDE spans
    # around it): a batch then needs no finiteness checks beyond its bounds test.
    finite_in_bounds: bool = False

    def __init__(self, **params):
        self.params = resolve(self.parameters, params, f"surface {self.name}")

    def f(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def grad(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def value_at(self, x: float, y: float) -> float:
        """f at one point given as two floats (the single-path runner's question)."""
        return float(self.f(np.array((x, y))))

    def grad_at(self, x: float, y: float):
        """The gradient at one point given as two floats, as a pair of floats."""
        return self.grad(np.array((x, y))).tolist()

    def f_columns(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """f at the points (x[i], y[i]), coordinates given as two arrays (the batch runner's form)."""
        return self.f(np.stack((x, y), axis=-1))

    def grad_columns(self, x: np.ndarray, y: np.ndarray):
        """(df/dx, df/dy) at the points (x[i], y[i]), as two arrays."""
        grads = self.grad(np.stack((x, y), axis=-1))
        return grads[..., 0], grads[..., 1]

    def hessian(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=np.float64)
        columns = []
        for axis in range(2):
            step = np.zeros(2)
            step[axis] = HESSIAN_STEP
            columns.append((self.grad(p + step) - self.grad(p - step)) / (2 * HESSIAN_STEP))
        return np.stack(columns, axis=-1)

    def minima(self) -> list[dict]:
        """Known minima as {"point": [x, y], "value": f, "kind": "global" | "local"}."""
        return []

    def saddles(self) -> list[list[float]]:
        return []

    def stationary_points(self) -> list[dict]:
        """All stationary points inside the plot: {"point", "kind", "value", "global"}."""
        if not hasattr(self, "_stationary_points"):  # a search over the plot: done once per surface
            self._stationary_points = find_stationary_points(self)
        return self._stationary_points

    def data(self) -> dict | None:
        """The samples behind a data surface's loss ({"x": [...], "y": [...]}); None for a formula."""
        return None

    def span(self) -> float:
        (x0, x1), (y0, y1) = self.domain
        return max(x1 - x0, y1 - y0)

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "lesson": self.lesson, "formula": self.formula,
                "domain": [list(self.domain[0]), list(self.domain[1])], "start": list(self.start),
                "minima": self.minima(), "saddles": self.saddles(),
                "stationary_points": self.stationary_points(), "log_colour": self.log_colour,
                "parameters": [h.describe() for h in self.parameters], "params": self.params,
                "suggested_lr": suggested_learning_rates(self)}


class ComponentSurface(Surface):
    """A surface whose f and gradient are written once on the coordinates x, y, in arithmetic
    that gives the same bits on Python floats and on numpy arrays (no `**`: a float's power and
    numpy's may round differently; squares are written as products, which is what numpy's
    `a ** 2` computes). Arrays of points and the single-path runner's two floats then run the
    same formula; tests/surfaces/test_surfaces.py checks the bits agree. Closed forms without
    poles: finite in the runners' bounds (the same test file checks it on a grid over them)."""
    finite_in_bounds = True

    def value(self, x, y):
        raise NotImplementedError

    def gradient(self, x, y):
        """(df/dx, df/dy) at the coordinates x, y."""
        raise NotImplementedError

    def f(self, p):
        return self.value(*split(p))

    def grad(self, p):
        return stack(*self.gradient(*split(p)))

    def value_at(self, x: float, y: float) -> float:
        return self.value(x, y)

    def grad_at(self, x: float, y: float):
        return self.gradient(x, y)

    def f_columns(self, x, y):
        return self.value(x, y)

    def grad_columns(self, x, y):
        return self.gradient(x, y)


def minimum(point, value, kind="global") -> dict:
    return {"point": [float(point[0]), float(point[1])], "value": float(value), "kind": kind}


def split(p):
    p = np.asarray(p, dtype=np.float64)
    return p[..., 0], p[..., 1]


def stack(gx, gy):
    """(gx, gy) -> array of shape (..., 2); written out because np.stack costs more
    than the whole gradient for a single point."""
    out = np.empty(np.broadcast_shapes(np.shape(gx), np.shape(gy)) + (2,))
    out[..., 0] = gx
    out[..., 1] = gy
    return out


def refine_stationary_point(surface: Surface, guess, iterations: int = 50) -> np.ndarray:
    """Newton's iteration on the gradient: locates a minimum near a known basin centre."""
    point = np.asarray(guess, dtype=np.float64)
    for _ in range(iterations):
        point = point - np.linalg.solve(surface.hessian(point), surface.grad(point))
    return point
