"""The databases this user opened lately, offered again by the connection picker (ctrl+o).

Kept in `recent.json` in the user data folder (`WORKBENCH_DATA_DIR` when set, as for the samples'
working copies), newest first, at most `KEEP`. Each is stored as the picker shows it: without its
password (libpq's password file or `PGPASSWORD` supplies one when the server asks), and a SQLite
path made absolute, so it opens the same file from any folder. A missing or unreadable file is an
empty list; writing never raises. A profile's target is not stored: the picker lists profiles.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from workbench.project import Target, absolute_sqlite

KEEP = 10
FILE = "recent.json"


def recent_path() -> Path:
    from workbench.resources import data_dir  # platformdirs: only when the picker or a connection needs it

    return data_dir() / FILE


def recent_targets() -> list[str]:
    """The remembered targets, newest first."""
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [t for t in data if isinstance(t, str)][:KEEP] if isinstance(data, list) else []


def remember(target: Target) -> str | None:
    """Put `target` first in the list (unless it is a profile's); a one-sentence problem instead of raising."""
    if target.profile is not None:
        return None
    from workbench.db import redact

    shown = redact(absolute_sqlite(target.url, Path.cwd()))
    targets = [shown, *(t for t in recent_targets() if t != shown)][:KEEP]
    path = recent_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(targets, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        return f"could not remember {shown} in {path}: {exc.strerror or exc}"
    return None
