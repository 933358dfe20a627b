"""Linear regression's mean-squared error as a surface over (θ0, θ1).

The only surface with real mini-batches: batch_size = all samples is gradient
descent, 1 is the textbook stochastic gradient.
"""
from __future__ import annotations

import numpy as np

from paramschema import Hyperparameter

from .base import Surface, minimum, split, stack


class LinearRegression(Surface):
    name = "linear_regression"
    title = "Linear regression (mini-batches)"
    lesson = ("The loss of fitting a line y = θ0 + θ1 x: with mini-batches the gradient is a noisy estimate, "
              "smaller batches mean noisier paths.")
    formula = r"L(\theta_0, \theta_1) = \frac{1}{n}\sum_{i=1}^{n} (\theta_0 + \theta_1 x_i - y_i)^2"
    domain = ((-3.0, 5.0), (-2.0, 6.0))
    start = (-2.5, -1.5)
    parameters = (
        Hyperparameter("samples", "samples value", 50, "number n of data points", kind="int", minimum=2, maximum=1000,
                       title="data points n"),
        Hyperparameter("noise", "noise value", 0.5, "std of the noise around the true line y = 1 + 2x",
                       minimum=0.0, maximum=5.0, title="noise σ"),
        Hyperparameter("data_seed", "data_seed value", 0, "seed of the generated data", kind="int",
                       minimum=0, maximum=2 ** 31 - 1, title="data seed"),
    )

    def __init__(self, **params):
        super().__init__(**params)
        rng = np.random.default_rng(self.params["data_seed"])
        n = self.params["samples"]
        # x in [0, 3], not centred: the loss is an elongated, tilted valley, as real data gives.
        self.x = rng.uniform(0.0, 3.0, n)
        self.y = 1.0 + 2.0 * self.x + self.params["noise"] * rng.standard_normal(n)
        self._design = np.stack([np.ones(n), self.x], axis=1)

    def _residuals(self, p, rows=slice(None)):
        theta0, theta1 = split(p)
        return theta0[..., None] + theta1[..., None] * self.x[rows] - self.y[rows]

    def f(self, p):
        return np.mean(self._residuals(p) ** 2, axis=-1)

    def grad(self, p):
        return self.minibatch_grad(p, slice(None))

    def minibatch_grad(self, p, rows):
        residuals = self._residuals(p, rows)
        return stack(2 * residuals.mean(axis=-1), 2 * (residuals * self.x[rows]).mean(axis=-1))

    def hessian(self, p):
        matrix = 2 * self._design.T @ self._design / len(self.x)
        return np.broadcast_to(matrix, np.shape(p)[:-1] + (2, 2)).copy()

    def minima(self):
        solution, *_ = np.linalg.lstsq(self._design, self.y, rcond=None)
        return [minimum(solution, self.f(solution))]

    def describe(self):
        return super().describe() | {"data": {"x": self.x.tolist(), "y": self.y.tolist()}}
