"""Surfaces by name, for the API, the UI's picker and the URL state."""
from __future__ import annotations

from .base import Surface
from .classic import Beale, Himmelblau, Quadratic, Rastrigin, Rosenbrock
from .regression import LinearRegression
from .teaching import Canyon, Cliff, LocalMinima, Plateau, Saddle

SURFACES: dict[str, type[Surface]] = {cls.name: cls for cls in (
    Canyon, Plateau, Saddle, LocalMinima, Cliff, Quadratic, Rosenbrock, Beale, Himmelblau, Rastrigin,
    LinearRegression,
)}


def make_surface(name: str, params: dict | None = None) -> Surface:
    """Build a surface by registry name; raises ValueError naming a bad name or parameter."""
    if name not in SURFACES:
        raise ValueError(f"Unknown surface {name!r}; valid: {', '.join(SURFACES)}")
    return SURFACES[name](**(params or {}))
