"""Where browser tests leave the screenshots they take for a person to look at: the folder named
by $OPTVIZ_SHOTS, else a temporary one (never a fixed path outside the checkout)."""
import os
import tempfile
from pathlib import Path

FOLDER = Path(os.environ.get("OPTVIZ_SHOTS") or tempfile.mkdtemp(prefix="optviz-shots-"))


def shot(name: str) -> str:
    """The path for a screenshot called `name` (it may hold a subfolder)."""
    path = FOLDER / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)
