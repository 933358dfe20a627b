"""Surfaces by name, for the API, the UI's picker and the URL state."""
from __future__ import annotations

from .base import Surface
from .classic import Beale, Himmelblau, Quadratic, Rastrigin, Rosenbrock
from .formula import FormulaSurface
from .regression import LinearRegression
from .teaching import Canyon, Cliff, LocalMinima, Plateau, Saddle

SURFACES: dict[str, type[Surface]] = {cls.name: cls for cls in (
    Canyon, Plateau, Saddle, LocalMinima, Cliff, Quadratic, Rosenbrock, Beale, Himmelblau, Rastrigin,
    LinearRegression,
)}


# A surface typed as a formula: params {"formula": text, "domain": [[x0, x1], [y0, y1]] or None,
# "start": [x, y] or None (the scene's start; by default 0.2 and 0.8 of the plot's spans)}.
CUSTOM = "custom"


def make_surface(name: str, params: dict | None = None) -> Surface:
    """Build a surface by registry name, or "custom" from a formula; raises ValueError naming a bad
    name or parameter (a FormulaError, with its position, for a bad formula)."""
    if name == CUSTOM:
        params = dict(params or {})
        unknown = sorted(set(params) - {"formula", "domain", "start"})
        if unknown or "formula" not in params:
            raise ValueError("surface custom takes formula (required), domain and start")
        return FormulaSurface(params["formula"], params.get("domain"), params.get("start"))
    if name not in SURFACES:
        raise ValueError(f"Unknown surface {name!r}; valid: {', '.join(SURFACES)}")
    return SURFACES[name](**(params or {}))
