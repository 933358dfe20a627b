"""The gradient check the notes draw: central differences beside the analytic gradient."""
import numpy as np
import pytest

from surfaces import SURFACES, make_surface
from surfaces.gradient_check import DEFAULT_H, central_difference, gradient_check
from surfaces.presets import scene


def test_central_difference_matches_a_hand_worked_slope():
    # f = x³ + 2y at (1, 5), h = 0.1: ((1.1)³ − (0.9)³) / 0.2 = (1.331 − 0.729) / 0.2 = 3.01 = 3 + h²,
    # and the y-slope of a linear term is exact.
    f = lambda p: p[..., 0] ** 3 + 2 * p[..., 1]  # noqa: E731
    np.testing.assert_allclose(central_difference(f, np.array([1.0, 5.0]), 0.1), [3.01, 2.0], rtol=1e-12)


def test_the_notes_step_is_the_default():
    assert DEFAULT_H == 1e-4  # the lecture's numerical gradient uses h = 0.0001


@pytest.mark.parametrize("name", list(SURFACES))
def test_analytic_and_numerical_gradients_agree_at_every_start(name):
    surface = make_surface(name)
    starts = {tuple(surface.start), tuple(scene(surface)["start"])}
    for start in starts:
        check = gradient_check(surface, start)
        assert check.relative_error < 1e-6, (name, start, check)
        np.testing.assert_allclose(check.numerical, check.analytic, rtol=1e-6, atol=1e-12)


def test_a_wrong_analytic_gradient_is_caught():
    surface = make_surface("quadratic")
    right = gradient_check(surface, (-2.5, 2.0))

    class Wrong(type(surface)):
        def grad(self, p):  # the classic slip: a factor 2 lost on the second coordinate
            return super().grad(p) * np.array([1.0, 0.5])

    wrong = gradient_check(Wrong(), (-2.5, 2.0))
    assert right.relative_error < 1e-9
    assert wrong.relative_error > 0.1
    assert right.within_error and not wrong.within_error


def test_bad_step_and_non_finite_points_raise():
    surface = make_surface("rosenbrock")
    with pytest.raises(ValueError, match="h must be a positive number"):
        gradient_check(surface, (0.0, 0.0), h=0.0)
    with pytest.raises(ValueError, match="not finite"):
        gradient_check(surface, (1e200, 0.0))


@pytest.mark.parametrize("name", list(SURFACES))
def test_at_a_minimum_rounding_is_not_reported_as_a_disagreement(name):
    # Where a path has converged both gradients are ~0 and the central difference's own error is
    # all that differs: the walkthrough saw "rel. difference 0.0063" at a converged point of a
    # correct gradient. The check says the two agree within the numerical gradient's error.
    surface = make_surface(name)
    for found in surface.minima():
        check = gradient_check(surface, np.array(found["point"]) + 1e-9)
        assert check.within_error, (name, found, check)
        assert check.numerical_error < 1e-4, (name, found, check)


def test_the_numerical_error_estimate_is_the_truncation_of_a_hand_worked_slope():
    # f = x³ at x = 1: the central difference is 3 + h², so its error is h² (Richardson: (D(2h) − D(h)) / 3 = h²).
    class Cubic(type(make_surface("quadratic"))):
        def f(self, p):
            return p[..., 0] ** 3 + 0 * p[..., 1]

        def grad(self, p):
            return np.stack([3 * p[..., 0] ** 2, 0 * p[..., 1]], axis=-1)

    check = gradient_check(Cubic(), (1.0, 0.0), h=0.01)
    assert check.difference == pytest.approx(1e-4, rel=1e-6)
    assert check.numerical_error == pytest.approx(1e-4, rel=1e-3)   # plus rounding, ~1e-13
    assert check.within_error
