"""LaTeX from the registries, also as MathML: the browser renders it natively and offline."""
from __future__ import annotations

from latex2mathml.converter import convert


def with_mathml(described: dict, key: str) -> dict:
    latex = described[key]
    mathml = [convert(line) for line in latex] if isinstance(latex, list) else convert(latex)
    return described | {f"{key}_mathml": mathml}
