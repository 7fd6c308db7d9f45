"""Where the bundled data folders (`themes/`, `sample_dbs/`) are, installed or in a checkout.

In a wheel they sit inside the package (`workbench/themes`); in a source checkout or an
editable install they sit beside it at the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled folder `name` ("themes" or "sample_dbs")."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name
