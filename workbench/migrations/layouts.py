"""The folder layouts other tools write, one reader each, so `discover` finds them unconfigured.

- one subfolder per dialect (`postgres/`, `sqlite/`): the one matching the backend is read;
- diesel: `<timestamp>_name/up.sql` + `down.sql` (`2019-02-27-170003_x` is version 20190227170003;
  `run_in_transaction = false` in its `metadata.toml` runs it outside a transaction);
- Prisma: `<timestamp>_name/migration.sql` (no down script);
- sqitch: `sqitch.plan` naming changes whose `deploy/`, `revert/` and `verify/` scripts sit beside it.

Each reader yields `Part`s (one direction of one version), which `discovery` pairs and checks
the way it does for single files. An entry named like a migration that is not a readable file
or folder is a `ConfigError` naming it: skipping it silently would apply a set with a hole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import ConfigError

LAYOUTS = (
    "NNN_name.up.sql/.down.sql (golang-migrate), NNN_name.sql (dbmate sections or plain), V3__name.sql and "
    "R__name.sql (Flyway), meta/_journal.json (drizzle), <timestamp>_name/up.sql (diesel), "
    "<timestamp>_name/migration.sql (Prisma), sqitch.plan (sqitch), one subfolder per dialect (postgres/, sqlite/)"
)
DIALECT_FOLDERS = {"postgresql": ("postgres", "postgresql", "pg", "pgsql"), "sqlite": ("sqlite", "sqlite3")}
OTHER_DIALECTS = ("mysql", "mariadb", "mssql", "sqlserver", "oracle", "cockroachdb")
SQITCH_PLAN = "sqitch.plan"

_FOLDER = re.compile(r"^(?P<version>\d[\d-]*)_(?P<name>.+)$")
_NO_TRANSACTION = re.compile(r"^\s*run_in_transaction\s*=\s*false\b", re.MULTILINE)
_SQITCH_CHANGE = re.compile(r"^(?P<name>[^\s@:#\[\]%][^\s@:#\[\]]*)\s")


@dataclass(frozen=True)
class Part:
    """One direction of one version, as read from one file (a dbmate file yields two).

    `verify` is a sqitch verify script: it becomes a check, it does not run as the migration."""

    direction: str
    version: str
    name: str
    sql: str
    path: Path
    transactional: bool = True
    verify: str | None = None


def read_sql(path: Path) -> str:
    """The UTF-8 text of a migration script, or a `ConfigError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def dialect_folder(root: Path, dialect: str | None) -> Path:
    """`root`, or its subfolder for `dialect` when `root` holds one subfolder per dialect.

    A folder with dialect subfolders and nothing else to read needs the dialect: without one
    (or without a matching subfolder) that is a `ConfigError` naming the subfolders found."""
    known = {name for names in DIALECT_FOLDERS.values() for name in names} | set(OTHER_DIALECTS)
    found = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.lower() in known)
    if not found or _has_migrations_of_its_own(root):
        return root
    wanted = DIALECT_FOLDERS.get(dialect or "", ())
    for name in found:
        if name.lower() in wanted:
            return root / name
    backend = f"the {dialect} backend" if dialect else "this database"
    raise ConfigError(f"{root}: has one folder per dialect ({', '.join(found)}) but none for {backend}")


def _has_migrations_of_its_own(root: Path) -> bool:
    return (root / SQITCH_PLAN).exists() or any(
        p.suffix.lower() == ".sql" or _FOLDER.match(p.name) for p in root.iterdir()
    )


def folder_parts(path: Path) -> list[Part]:
    """The parts of one migration folder: diesel's up/down pair or Prisma's migration.sql."""
    m = _FOLDER.match(path.name)
    if m is None:
        return []
    version, name = m["version"].replace("-", ""), m["name"]
    up, down, prisma = path / "up.sql", path / "down.sql", path / "migration.sql"
    if up.exists():
        parts = [Part("up", version, name, _script(up), up, _in_transaction(path))]
        return parts + ([Part("down", version, name, _script(down), down)] if down.exists() else [])
    if prisma.exists():
        return [Part("up", version, name, _script(prisma), prisma)]
    raise ConfigError(
        f"{path}: named like a migration folder but holds neither up.sql (diesel) nor migration.sql (Prisma)"
    )


def _in_transaction(folder: Path) -> bool:
    """False when diesel's `metadata.toml` says `run_in_transaction = false`."""
    meta = folder / "metadata.toml"
    return not (meta.is_file() and _NO_TRANSACTION.search(read_sql(meta)))


def _script(path: Path) -> str:
    if not path.is_file():
        raise ConfigError(f"{path}: named like a migration but is not a readable file")
    return read_sql(path)


def sqitch_parts(root: Path) -> list[Part]:
    """sqitch: the plan's changes in order, version = position in the plan (1, 2, …).

    A reworked change (its name again after a tag) reads the `name@tag.sql` scripts for its
    earlier appearance, as sqitch does."""
    plan = root / SQITCH_PLAN
    changes: list[tuple[str, int]] = []  # (name, line)
    tags_after: dict[int, str] = {}  # index of the change a tag follows → tag
    for number, line in enumerate(read_sql(plan).splitlines(), 1):
        text = line.strip()
        if not text or text.startswith(("#", "%")):
            continue
        if text.startswith("@"):
            if changes:
                tags_after.setdefault(len(changes) - 1, text.split()[0][1:])
            continue
        m = _SQITCH_CHANGE.match(text + " ")
        if m is None:
            raise ConfigError(f"{plan}:{number}: not a sqitch change or tag line")
        changes.append((m["name"].lstrip("+-"), number))
    parts: list[Part] = []
    for index, (name, _line) in enumerate(changes):
        stem = _sqitch_stem(name, index, changes, tags_after)
        version = str(index + 1)
        deploy = root / "deploy" / f"{stem}.sql"
        if not deploy.exists():
            raise ConfigError(f"{plan}: change {name!r} has no deploy script ({deploy})")
        revert, verify = root / "revert" / f"{stem}.sql", root / "verify" / f"{stem}.sql"
        check = _script(verify) if verify.exists() else None
        parts.append(Part("up", version, name, _script(deploy), deploy, verify=check))
        if revert.exists():
            parts.append(Part("down", version, name, _script(revert), revert))
    return parts


def _sqitch_stem(name: str, index: int, changes: list[tuple[str, int]], tags_after: dict[int, str]) -> str:
    """`name`, or `name@tag` when the change is reworked later (the first tag after it)."""
    if not any(other == name for other, _ in changes[index + 1 :]):
        return name
    tag = next((tags_after[i] for i in range(index, len(changes)) if i in tags_after), None)
    return f"{name}@{tag}" if tag else name
