"""Surfaces are deterministic in their parameters, so build each variant once."""
from __future__ import annotations

from functools import lru_cache

from surfaces import make_surface

from .errors import unprocessable


@lru_cache(maxsize=128)
def _build(name: str, params: tuple):
    return make_surface(name, dict(params))


def surface_or_422(name: str, params: dict, location: list):
    try:
        if "data" in params:  # your own data: built for this request (a millisecond), kept nowhere
            return make_surface(name, params)
        return _build(name, tuple(sorted(params.items())))
    except ValueError as error:
        position = getattr(error, "position", None)  # a FormulaError's offending character
        raise unprocessable(location, str(error), {"position": position} if position is not None else None) from None

