"""Linear regression's mean-squared error as a surface over (θ0, θ1).

The only surface with real mini-batches: batch_size = all samples is gradient
descent, 1 is the textbook stochastic gradient. The data are generated from a seed, or
are your own (x, y) pairs, given with each request and kept nowhere.
"""
from __future__ import annotations

import numpy as np

from paramschema import Hyperparameter

from .base import Surface, minimum, split, stack


MAX_ROWS = 5000
MAX_ABS = 1e6  # |x| and |y| of your own data: their squares stay far from overflow
# Your own data's plot: a square around the least-squares θ*, PLOT_SCALES times the larger natural
# scale of θ0 and θ1 on each side (the seeded data's 8 x 8 plot is about θ* ± 2 of them), with the
# start where the seeded scene has it. Square, as the seeded plot: contours are drawn at equal
# aspect, so the valley's shape is the conditioning your data give the loss.
PLOT_SCALES = 2.0
START_FRACTION = 0.875  # of the plot's half-widths below θ*, as the seeded start (-2.5, -1.5) is


def checked_data(data) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) arrays from (x, y) pairs; raises ValueError saying which bound a row breaks."""
    try:
        rows = np.array(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("data must be a list of [x, y] pairs of numbers") from None
    if rows.ndim != 2 or rows.shape[1] != 2:
        raise ValueError("data must be a list of [x, y] pairs of numbers")
    if not 2 <= len(rows) <= MAX_ROWS:
        raise ValueError(f"data must have between 2 and {MAX_ROWS} rows, not {len(rows)}")
    bad = np.flatnonzero(~(np.abs(rows) <= MAX_ABS).all(axis=1))
    if len(bad):
        raise ValueError(f"data row {int(bad[0])}: x and y must be finite numbers within ±{MAX_ABS:g}")
    if len(np.unique(rows[:, 0])) < 2:
        raise ValueError("data need at least 2 distinct x values: one x alone does not determine a line")
    return rows[:, 0].copy(), rows[:, 1].copy()


def _plot_around(theta, x, y):
    """Domain and start for your own data, in the units the data give θ0 and θ1."""
    spread_y = float(np.std(y))
    natural = (max(abs(theta[0]), spread_y), max(abs(theta[1]), spread_y / float(np.std(x))))
    half = PLOT_SCALES * max(natural) or 1.0
    domain = tuple((_nice(t - half), _nice(t + half)) for t in theta)
    start = tuple(_nice(t - START_FRACTION * half) for t in theta)
    return domain, start


def _nice(value: float) -> float:
    return float(f"{value:.3g}")  # these end up in the URL and on the axes


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

    own_data = {"max_rows": MAX_ROWS, "max_abs": MAX_ABS}  # the page's data box reads these bounds

    def __init__(self, data=None, **params):
        if data is not None and params:
            raise ValueError(f"with your own data, {', '.join(sorted(params))} do not apply")
        super().__init__(**params)
        if data is None:
            rng = np.random.default_rng(self.params["data_seed"])
            n = self.params["samples"]
            # x in [0, 3], not centred: the loss is an elongated, tilted valley, as real data gives.
            self.x = rng.uniform(0.0, 3.0, n)
            self.y = 1.0 + 2.0 * self.x + self.params["noise"] * rng.standard_normal(n)
        else:
            self.x, self.y = checked_data(data)
        self.own = data is not None
        self._design = np.stack([np.ones(len(self.x)), self.x], axis=1)
        self._least_squares, *_ = np.linalg.lstsq(self._design, self.y, rcond=None)
        # The full-batch loss is a quadratic in θ: L(θ*) + dᵀ M d with d = θ − θ* and the moments
        # M = [[1, mean x], [mean x, mean x²]] (the cross term vanishes by the normal equations).
        # Evaluated so, a point costs the same for 5000 rows as for 5; centred at θ*, it does not
        # lose the small loss near the fit to cancellation, as expanding in θ would.
        self._floor = float(np.mean(self._residuals(self._least_squares) ** 2))
        self._mean_x, self._mean_xx = float(np.mean(self.x)), float(np.mean(self.x * self.x))
        if self.own:
            self.domain, self.start = _plot_around(self._solution(), self.x, self.y)

    def _residuals(self, p, rows=slice(None)):
        theta0, theta1 = split(p)
        return theta0[..., None] + theta1[..., None] * self.x[rows] - self.y[rows]

    def _offset(self, p):
        theta0, theta1 = split(p)
        return theta0 - self._least_squares[0], theta1 - self._least_squares[1]

    def f(self, p):
        d0, d1 = self._offset(p)
        return self._floor + d0 * d0 + 2 * self._mean_x * d0 * d1 + self._mean_xx * d1 * d1

    def grad(self, p):
        d0, d1 = self._offset(p)
        return stack(2 * (d0 + self._mean_x * d1), 2 * (self._mean_x * d0 + self._mean_xx * d1))

    def minibatch_grad(self, p, rows):
        residuals = self._residuals(p, rows)
        return stack(2 * residuals.mean(axis=-1), 2 * (residuals * self.x[rows]).mean(axis=-1))

    def hessian(self, p):
        matrix = 2 * self._design.T @ self._design / len(self.x)
        return np.broadcast_to(matrix, np.shape(p)[:-1] + (2, 2)).copy()

    def _solution(self) -> np.ndarray:
        return self._least_squares

    def minima(self):
        solution = self._solution()
        return [minimum(solution, self.f(solution))]

    def stationary_points(self):
        """The least-squares solution, the only one (2 distinct x make the Hessian positive
        definite): no search, which data in large units (x in years) make ill-conditioned."""
        solution = self._solution()
        return [{"point": [float(solution[0]), float(solution[1])], "kind": "minimum",
                 "value": float(self.f(solution)), "global": True, "marked": True}]

    def data(self) -> dict:
        return {"x": self.x.tolist(), "y": self.y.tolist()}

    def describe(self):
        return super().describe() | {"data": self.data(), "own_data": dict(self.own_data)}
