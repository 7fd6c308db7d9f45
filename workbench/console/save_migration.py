"""A statement typed in the console, saved as the next migration of the project, in the layout the
project's migrations folder already uses.

Read from the names of the files there (the newest decides): `NNN_name.up.sql` (+ `.down.sql`
pairs) gets `NNN+1_name.up.sql`; Flyway's `V3__name.sql` gets `V4__name.sql`; dbmate's single
files with `-- migrate:up` get a timestamped file with both sections; plain `NNN_name.sql` gets
`NNN+1_name.sql`. Numbers keep their width; 14-digit timestamps get the current UTC time. An empty
or new folder gets `0001_name.up.sql`. No down script is written: the migration engine inverts
purely additive statements itself, and a person writes the rest. A file is never overwritten.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import UsageError

_FLYWAY = re.compile(r"^V(\d+)__(.+)\.sql$")
_NUMBERED = re.compile(r"^(\d+)_(.+?)(\.up)?\.sql$")
_TIMESTAMP_DIGITS = 14


def slug(name: str) -> str:
    """`Add orders index!` → `add_orders_index`."""
    cleaned = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
    if not cleaned:
        raise UsageError("a migration needs a name made of letters or digits")
    return cleaned


def save_migration(directory: Path, name: str, sql: str) -> Path:
    """Write `sql` as the next migration in `directory` (created if missing); the new file's path."""
    body = sql.strip()
    if not body:
        raise UsageError("there is no statement to save as a migration")
    body = body if body.endswith(";") else body + ";"
    directory.mkdir(parents=True, exist_ok=True)
    filename, sections = _next_name(directory, slug(name))
    path = directory / filename
    if path.exists():
        raise UsageError(f"{path} already exists; pick another name")
    text = f"-- migrate:up\n{body}\n\n-- migrate:down\n" if sections else body + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def _next_name(directory: Path, name: str) -> tuple[str, bool]:
    """The new file's name, and whether it holds `-- migrate:up` / `-- migrate:down` sections."""
    files = sorted(p.name for p in directory.iterdir() if p.is_file() and p.suffix == ".sql")
    flyway = [m for f in files if (m := _FLYWAY.match(f))]
    if flyway:
        return f"V{max(int(m.group(1)) for m in flyway) + 1}__{name}.sql", False
    numbered = [m for f in files if (m := _NUMBERED.match(f))]
    if not numbered:
        return f"0001_{name}.up.sql", False
    newest = max(numbered, key=lambda m: int(m.group(1)))
    digits = newest.group(1)
    if len(digits) >= _TIMESTAMP_DIGITS:
        version = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    else:
        version = str(int(digits) + 1).zfill(len(digits))
    if newest.group(3):  # up/down pairs
        return f"{version}_{name}.up.sql", False
    return f"{version}_{name}.sql", _reads_as_dbmate(directory / newest.group(0))


def _reads_as_dbmate(path: Path) -> bool:
    try:
        return "-- migrate:up" in path.read_text(encoding="utf-8")
    except OSError:
        return False
