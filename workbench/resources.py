"""Where the bundled data folders (`themes/`, `sample_dbs/`) are, installed or in a checkout,
and where the user's own data (sample working copies, the embedded PostgreSQL) is kept.

In a wheel the bundled folders sit inside the package (`workbench/themes`); in a source checkout
or an editable install they sit beside it at the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled folder `name` ("themes" or "sample_dbs")."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def data_dir() -> Path:
    """The user's data folder; `WORKBENCH_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("schema-workbench", appauthor=False)
