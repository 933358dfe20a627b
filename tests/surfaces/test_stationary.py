"""Stationary points: every one is a root of the gradient with the stated Hessian signature,
and the lists match closed forms where they are known."""
import numpy as np
import pytest

from surfaces import SURFACES, make_surface
from surfaces.stationary import classify

VARIANTS = [(name, {}) for name in SURFACES] + [("canyon", {"condition": 200.0, "angle": 30.0})]


def points_of(surface, kind):
    return np.array([p["point"] for p in surface.stationary_points() if p["kind"] == kind]).reshape(-1, 2)


def contains(points, target, tol=1e-4):
    return len(points) and np.min(np.linalg.norm(points - np.asarray(target), axis=1)) < tol


@pytest.mark.parametrize("name, params", VARIANTS)
def test_every_listed_point_is_stationary_with_its_kind(name, params):
    surface = make_surface(name, params)
    found = surface.stationary_points()
    (x0, x1), (y0, y1) = surface.domain
    for p in found:
        point = np.array(p["point"])
        assert x0 <= point[0] <= x1 and y0 <= point[1] <= y1
        assert np.linalg.norm(surface.grad(point)) < 1e-6
        eigenvalues = np.linalg.eigvalsh(surface.hessian(point))
        expected = "minimum" if eigenvalues[0] > 0 else "maximum" if eigenvalues[1] < 0 else "saddle"
        assert p["kind"] == expected
        assert p["value"] == pytest.approx(float(surface.f(point)))
    minima = [p for p in found if p["kind"] == "minimum"]
    lowest = min(p["value"] for p in minima)
    assert [p["global"] for p in found] == [p["kind"] == "minimum" and p["value"] <= lowest + 1e-9 for p in found]
    # The older landmark lists are part of the full one.
    for m in surface.minima():
        assert contains(points_of(surface, "minimum"), m["point"])
    for s in surface.saddles():
        assert contains(points_of(surface, "saddle"), s)


def test_himmelblau_has_four_minima_four_saddles_and_the_local_maximum():
    surface = make_surface("himmelblau")
    assert len(points_of(surface, "minimum")) == 4 and len(points_of(surface, "saddle")) == 4
    (maximum,) = points_of(surface, "maximum")
    assert np.allclose(maximum, [-0.270845, -0.923039], atol=1e-5)  # the classic closed form's root
    assert sum(p["global"] for p in surface.stationary_points()) == 4  # four minima of equal depth, f = 0


def test_beale_saddle_at_zero_one():
    # On x = 0 Beale is constant in y, and df/dx = 2 sum c_k (y^k - 1) vanishes only at y = 1.
    surface = make_surface("beale")
    assert contains(points_of(surface, "saddle"), [0.0, 1.0], tol=1e-7)
    assert contains(points_of(surface, "minimum"), [3.0, 0.5], tol=1e-7)


def test_saddle_surface_points_are_the_closed_form():
    surface = make_surface("saddle")  # grad = (x^3 - x, y): x in {-1, 0, 1}, y = 0
    assert np.allclose(sorted(points_of(surface, "minimum").tolist()), [[-1, 0], [1, 0]])
    assert np.allclose(points_of(surface, "saddle"), [[0, 0]])
    assert len(points_of(surface, "maximum")) == 0


def test_rastrigin_grid_matches_the_one_dimensional_roots():
    # f separates: every stationary point pairs two roots of h(t) = 2t + 20 pi sin(2 pi t) on [-4, 4];
    # a root is a minimum of that axis where h' > 0.
    h = lambda t: 2 * t + 20 * np.pi * np.sin(2 * np.pi * t)
    grid = np.linspace(-4, 4, 80001)
    values = h(grid)
    roots = []
    for i in np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:])):
        lo, hi = grid[i], grid[i + 1]
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.sign(h(mid)) == np.sign(h(lo)) else (lo, mid)
        roots.append((lo + hi) / 2)
    roots = np.unique(np.round(roots, 9))  # a root on a grid point shows up in both intervals
    rising = 2 + 40 * np.pi ** 2 * np.cos(2 * np.pi * roots) > 0
    low, high = rising.sum(), (~rising).sum()
    surface = make_surface("rastrigin")
    assert len(points_of(surface, "minimum")) == low * low
    assert len(points_of(surface, "maximum")) == high * high
    assert len(points_of(surface, "saddle")) == 2 * low * high
    for x in roots[rising]:
        assert contains(points_of(surface, "minimum"), [x, x], tol=1e-6)


def test_local_minima_lists_the_saddle_next_to_the_default_start():
    surface = make_surface("local_minima")
    saddles = points_of(surface, "saddle")
    assert len(points_of(surface, "minimum")) == 4 and len(saddles) >= 3
    assert sum(p["global"] for p in surface.stationary_points()) == 1


def test_classify_by_eigenvalue_signs():
    assert classify(np.diag([1.0, 2.0])) == "minimum"
    assert classify(np.diag([-1.0, 2.0])) == "saddle"
    assert classify(np.diag([-1.0, -2.0])) == "maximum"
    assert classify(np.diag([0.0, 2.0])) is None  # flat: the second-order test cannot decide


@pytest.mark.parametrize("name", list(SURFACES))
def test_the_plot_marks_every_point_unless_they_would_crowd_it(name):
    points = make_surface(name).stationary_points()
    marked = [p for p in points if p["marked"]]
    if len(points) <= 24:
        assert marked == points
    else:  # Rastrigin's 289: only its global minimum at the origin
        assert [p["point"] for p in marked] == [pytest.approx([0.0, 0.0], abs=1e-9)]
        assert all(p["global"] for p in marked)
