"""Where templates/, static/ and plotly.js live, in a checkout and in an installed wheel."""
from __future__ import annotations

from pathlib import Path

import plotly

_PACKAGE = Path(__file__).resolve().parent


def _asset_dir(name: str) -> Path:
    # The wheel ships the folders inside the app package; a checkout has them beside it.
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


TEMPLATES = _asset_dir("templates")
STATIC = _asset_dir("static")
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
