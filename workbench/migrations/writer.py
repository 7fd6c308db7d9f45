"""Writing the next migration in the layout the project already uses (`migrate new`).

The newest migration of the folder decides the layout and the numbering:

- golang-migrate `NNN_name.up.sql` + `NNN_name.down.sql`;
- dbmate: one `NNN_name.sql` with `-- migrate:up` and `-- migrate:down` sections;
- Flyway `V{n}__name.sql` with `U{n}__name.sql` (dotted versions step their last part);
- plain `NNN_name.sql`, which has no down script: the down SQL is not written, and the rollback
  relies on the automatic inverse and the backups, as for any plain migration.

The next version follows the newest one with the same width (`0007` → `0008`); a timestamp
version (12 or 14 digits) becomes the current UTC time in the same format, or newest + 1 when
the clock is behind it. An empty or missing folder gets the golang-migrate pair, numbered `0001`.
Layouts another tool owns (drizzle's journal, diesel, Prisma, sqitch) are refused: their
tool writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import ConfigError, UsageError
from workbench.migrations.discovery import JOURNAL, Migration, discover, is_repeatable
from workbench.migrations.layouts import SQITCH_PLAN, dialect_folder

PAIR, DBMATE, FLYWAY, PLAIN = "golang-migrate", "dbmate", "Flyway", "plain"
_TIMESTAMP = {14: "%Y%m%d%H%M%S", 12: "%Y%m%d%H%M"}
_NAME = re.compile(r"[^0-9A-Za-z_]+")
_FLYWAY_FILE = re.compile(r"^[Vv]\d")
_DBMATE_UP = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)
_TOOL_FOLDER = re.compile(r"^\d[\d-]*_")  # diesel's and Prisma's one folder per migration
EMPTY_UP = "-- Write the statements that make this change here.\n"
EMPTY_DOWN = "-- Write the statements that undo this change here.\n"


@dataclass(frozen=True)
class Written:
    """The files `write_next` wrote, in the layout it chose; `note` says what it could not write."""

    layout: str
    version: str
    paths: tuple[Path, ...]
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "layout": self.layout,
            "version": self.version,
            "files": [str(p) for p in self.paths],
            "note": self.note,
        }

    def lines(self) -> list[str]:
        out = [f"wrote {p}" for p in self.paths]
        return out + ([f"note: {self.note}"] if self.note else [])


def slug(name: str) -> str:
    """`Add invoices-table` → `add_invoices_table`; a name with nothing usable is a `UsageError`."""
    text = _NAME.sub("_", name.strip()).strip("_").lower()
    if not text:
        raise UsageError(f"{name!r} is not a usable migration name: use letters, digits and underscores")
    return text


def layout_of(newest: Migration | None) -> str:
    """The layout the newest migration is written in (golang-migrate for an empty folder)."""
    if newest is None:
        return PAIR
    if newest.path.name.lower().endswith((".up.sql", ".down.sql")):
        return PAIR
    if _FLYWAY_FILE.match(newest.path.name):
        return FLYWAY
    sections = newest.down_path == newest.path or _DBMATE_UP.search(newest.path.read_text(encoding="utf-8"))
    return DBMATE if sections else PLAIN


def next_version(newest: Migration | None, now: datetime | None = None) -> str:
    """The version after `newest`, written the way it is written."""
    if newest is None:
        return "0001"
    version = newest.version
    if "." in version or "_" in version:  # Flyway's dotted versions: step the last part
        head, sep, last = version.replace("_", ".").rpartition(".")
        return f"{head}{sep}{int(last) + 1}"
    fmt = _TIMESTAMP.get(len(version)) if version[:2] in ("19", "20") else None
    if fmt is not None:
        stamp = (now or datetime.now(UTC)).strftime(fmt)
        return stamp if int(stamp) > int(version) else str(int(version) + 1)
    return str(int(version) + 1).zfill(len(version))


def target_folder(directory: Path, dialect: str | None) -> Path:
    """The folder the next migration goes into (a dialect's subfolder when the project has them)."""
    return dialect_folder(directory, dialect) if directory.is_dir() else directory


def existing(folder: Path, dialect: str | None) -> list[Migration]:
    """The numbered migrations already in `folder` (repeatables are not numbered); another tool's
    layout is a `ConfigError`."""
    if not folder.is_dir() or not any(p for p in folder.iterdir() if not p.name.startswith(".")):
        return []
    if (
        (folder / JOURNAL).is_file()
        or (folder / SQITCH_PLAN).is_file()
        or any(p.is_dir() and _TOOL_FOLDER.match(p.name) for p in folder.iterdir())
    ):
        raise ConfigError(
            f"{folder}: migrate new writes golang-migrate, dbmate, Flyway and plain numbered files; "
            "this folder is written by another tool (drizzle, diesel, Prisma or sqitch), so use that tool"
        )
    return [m for m in discover(folder, dialect) if not is_repeatable(m.version)]


def write_next(
    directory: Path, name: str, up: str, down: str, dialect: str | None = None, now: datetime | None = None
) -> Written:
    """Write migration `name` after the newest one in `directory`, with `up` and `down` SQL (empty
    templates when blank). Never overwrites: an existing file is a `ConfigError`."""
    stem = slug(name)
    folder = target_folder(directory, dialect)
    migrations = existing(folder, dialect)
    newest = migrations[-1] if migrations else None
    layout = layout_of(newest)
    version = next_version(newest, now)
    up_text, down_text = _script(up, EMPTY_UP), _script(down, EMPTY_DOWN)
    files: Sequence[tuple[str, str]]
    note = ""
    if layout == PAIR:
        files = [(f"{version}_{stem}.up.sql", up_text), (f"{version}_{stem}.down.sql", down_text)]
    elif layout == DBMATE:
        files = [(f"{version}_{stem}.sql", f"-- migrate:up\n{up_text}\n-- migrate:down\n{down_text}")]
    elif layout == FLYWAY:
        files = [(f"V{version}__{stem}.sql", up_text), (f"U{version}__{stem}.sql", down_text)]
    else:
        files = [(f"{version}_{stem}.sql", up_text)]
        if down.strip():
            note = "plain numbered migrations have no down script, so the down SQL was not written"
    paths = tuple(folder / filename for filename, _ in files)
    for path in paths:
        if path.exists():
            raise ConfigError(f"{path}: already exists; nothing was written")
    folder.mkdir(parents=True, exist_ok=True)
    for path, (_, text) in zip(paths, files, strict=True):
        path.write_text(text, encoding="utf-8")
    return Written(layout, version, paths, note)


def _script(sql: str, empty: str) -> str:
    text = sql.strip()
    return f"{text}\n" if text else empty
