"""Finding migrations in the folder layouts people already have, without being told which.

Recognised, per file, so one folder may even mix them (versions must still be unique):

- `NNN_name.up.sql` + `NNN_name.down.sql` (golang-migrate; timestamps as versions; a `V`
  prefix and `.` separators as Authelia writes them; stray dots as in `name..up.sql`);
- `NNN_name.sql` holding `-- migrate:up` / `-- migrate:down` sections (dbmate, including its
  `transaction:false` option);
- `V3__name.sql` with an optional `U3__name.sql` undo (Flyway; `V1.2__` and `V1_2__` too), and
  Flyway's repeatable `R__name.sql`: version `R__name`, ordered after every numbered version,
  run again whenever its text changes;
- plain `NNN_name.sql` with no down script;
- drizzle's `meta/_journal.json`, whose entries give the files and their order;
- the folder layouts of `layouts.py`: diesel, Prisma and sqitch, and one subfolder per dialect.

Versions compare as numbers (`0010` after `9`; `1.10` after `1.9`); `001` and `1` are the same
version. Anything ambiguous or malformed is a `ConfigError` naming the file, and so is a folder
in which nothing is recognised: "nothing to do" would hide that we could not read it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from workbench.errors import ConfigError
from workbench.migrations.layouts import (
    LAYOUTS,
    SQITCH_PLAN,
    Part,
    dialect_folder,
    folder_parts,
    read_sql,
    sqitch_parts,
)

JOURNAL = Path("meta") / "_journal.json"

_PAIR = re.compile(r"^[Vv]?(?P<version>\d+)(?:[._-]+(?P<name>.*?))?\.+(?P<direction>up|down)\.sql$")
_FLYWAY = re.compile(r"^(?P<kind>[VvUu])(?P<version>\d+(?:[._]\d+)*)__(?P<name>.+)\.sql$")
_REPEATABLE = re.compile(r"^[Rr]__(?P<name>.+)\.sql$")
_PLAIN = re.compile(r"^(?P<version>\d+)(?:[._-]+(?P<name>.*))?\.sql$")
_DBMATE_MARK = re.compile(r"^--\s*migrate:(?P<direction>up|down)\b(?P<options>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Migration:
    """One migration: its up SQL, its down SQL when it has one, and where they came from.

    `checksum` covers the up SQL only: fixing a broken down script is not drift.
    `transactional` is False when the file asks to run outside a transaction (dbmate).
    `verify_sql` is sqitch's verify script, which becomes a check.
    """

    version: str
    name: str
    up_sql: str
    down_sql: str | None
    path: Path
    down_path: Path | None = None
    transactional: bool = True
    verify_sql: str | None = None

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    @property
    def canonical(self) -> str:
        """The version without leading zeros (`0003` → `3`): how the ledger stores it."""
        return canonical_version(self.version)

    @cached_property
    def checksum(self) -> str:
        return checksum(self.up_sql)  # once per file: a run compares it with the ledger and writes it

    @property
    def label(self) -> str:
        return self.version if self.repeatable or not self.name else f"{self.version}_{self.name}"

    @property
    def repeatable(self) -> bool:
        """A Flyway `R__` migration: no way back, run again when its text changes."""
        return is_repeatable(self.version)


REPEATABLE = "R__"
_AFTER_EVERY_NUMBER = 10**40  # a repeatable's key sorts after any version, timestamps included


def is_repeatable(version: str) -> bool:
    return version.startswith(REPEATABLE)


@lru_cache(maxsize=4096)  # a run asks for the same few hundred versions thousands of times
def version_key(version: str) -> tuple[int, ...]:
    """`"1.10"` → `(1, 10)`: the numeric order of versions as written; repeatables after all,
    by name."""
    if is_repeatable(version):
        return (_AFTER_EVERY_NUMBER, *version[len(REPEATABLE) :].lower().encode())
    parts = re.split(r"[._]", version.strip())
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a version: {version!r}")
    key = [int(p) for p in parts]
    while len(key) > 1 and key[-1] == 0:  # 1.0 is 1
        key.pop()
    return tuple(key)


@lru_cache(maxsize=4096)
def canonical_version(version: str) -> str:
    if is_repeatable(version):
        return version
    return ".".join(str(p) for p in version_key(version))


def checksum(sql: str) -> str:
    """sha256 of the text with line endings normalised, so a CRLF checkout is not drift."""
    return hashlib.sha256(sql.replace("\r\n", "\n").encode()).hexdigest()


def discover(directory: str | Path, dialect: str | None = None) -> list[Migration]:
    """Every migration in `directory` (or its subfolder for `dialect`), oldest first."""
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(
            f"migrations folder not found: {root} — create it (files like 0001_name.up.sql) or set "
            "`migrations` in workbench.toml"
        )
    root = dialect_folder(root, dialect)
    if (root / JOURNAL).is_file():
        return _from_journal(root)
    parts = sqitch_parts(root) if (root / SQITCH_PLAN).is_file() else _entries(root)
    migrations = _paired(parts)
    if not migrations and any(not p.name.startswith(".") for p in root.iterdir()):
        raise ConfigError(f"{root}: no migrations recognised; the layouts read are {LAYOUTS}")
    return migrations


def _entries(root: Path) -> list[Part]:
    """The parts of every file and migration folder directly in `root`."""
    parts: list[Part] = []
    for path in sorted(root.iterdir()):
        if path.suffix.lower() == ".sql":
            if not path.is_file():
                raise ConfigError(f"{path}: named like a migration but is not a readable file")
            parts += _parts_of(path)
        elif path.is_dir():
            parts += folder_parts(path)
    return parts


def _paired(parts: list[Part]) -> list[Migration]:
    """One migration per version: its up part with its down part, if any; duplicates refused."""
    ups: dict[tuple[int, ...], Part] = {}
    downs: dict[tuple[int, ...], Part] = {}
    for part in parts:
        table = ups if part.direction == "up" else downs
        key = version_key(part.version)
        other = table.get(key)
        if other is not None:
            raise ConfigError(
                f"{part.path}: version {part.version} is also used by {other.path.name}; "
                "each version needs exactly one up script"
                if part.direction == "up"
                else f"{part.path}: version {part.version} already has a down script ({other.path.name})"
            )
        table[key] = part
    for key, orphan in downs.items():
        if key not in ups:
            raise ConfigError(f"{orphan.path}: down script for version {orphan.version} has no up script")
    migrations = []
    for key in sorted(ups):
        up, down = ups[key], downs.get(key)
        migrations.append(
            Migration(
                version=up.version,
                name=up.name,
                up_sql=up.sql,
                down_sql=down.sql if down else None,
                path=up.path,
                down_path=down.path if down else None,
                transactional=up.transactional,
                verify_sql=up.verify,
            )
        )
    return migrations


def _parts_of(path: Path) -> list[Part]:
    filename = path.name
    if m := _REPEATABLE.match(filename):
        return [Part("up", REPEATABLE + m["name"], m["name"], read_sql(path), path)]
    if m := _FLYWAY.match(filename):
        direction = "up" if m["kind"] in "Vv" else "down"
        return [Part(direction, m["version"], m["name"], read_sql(path), path)]
    if m := _PAIR.match(filename):
        return [Part(m["direction"], m["version"], m["name"] or "", read_sql(path), path)]
    if m := _PLAIN.match(filename):
        text = read_sql(path)
        if _DBMATE_MARK.search(text):
            return _dbmate(path, m["version"], m["name"] or "", text)
        return [Part("up", m["version"], m["name"] or "", text, path)]
    raise ConfigError(
        f"{path}: cannot tell the version of this file; expected NNN_name.sql, NNN_name.up.sql/"
        ".down.sql or V3__name.sql"
    )


def _dbmate(path: Path, version: str, name: str, text: str) -> list[Part]:
    marks = list(_DBMATE_MARK.finditer(text))
    seen = [m["direction"] for m in marks]
    if seen.count("up") != 1 or seen.count("down") > 1:
        raise ConfigError(f"{path}: needs exactly one '-- migrate:up' and at most one '-- migrate:down' section")
    parts = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        options = mark["options"].split()
        unknown = [o for o in options if o not in ("transaction:false", "transaction:true")]
        if unknown:
            raise ConfigError(f"{path}: unknown option {unknown[0]!r} after '-- migrate:{mark['direction']}'")
        body = text[mark.end() : end].strip("\n")
        parts.append(Part(mark["direction"], version, name, body, path, "transaction:false" not in options))
    return parts


def _from_journal(root: Path) -> list[Migration]:
    """drizzle-kit: the journal lists the migrations in order, each `<tag>.sql`, none with a down."""
    journal = root / JOURNAL
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        entries = sorted(data["entries"], key=lambda e: int(e["idx"]))
        tags = [str(e["tag"]) for e in entries]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{journal}: not a drizzle journal ({exc.__class__.__name__}: {exc})") from None
    listed = {f"{tag}.sql" for tag in tags}
    for path in root.glob("*.sql"):
        if path.name not in listed:
            raise ConfigError(f"{path}: not listed in {JOURNAL}; add it to the journal or move it away")
    migrations: list[Migration] = []
    seen: dict[tuple[int, ...], str] = {}
    for idx, tag in enumerate(tags):
        path = root / f"{tag}.sql"
        if not path.is_file():
            raise ConfigError(f"{journal}: lists {tag!r} but {path.name} is missing")
        m = re.match(r"^(?P<version>\d+)[._-]?(?P<name>.*)$", tag)
        version, name = (m["version"], m["name"]) if m else (str(idx), tag)
        if version_key(version) in seen:
            raise ConfigError(f"{journal}: {tag!r} has the same version as {seen[version_key(version)]!r}")
        seen[version_key(version)] = tag
        if migrations and version_key(version) < migrations[-1].key:
            raise ConfigError(f"{journal}: {tag!r} is listed after a higher version; versions must increase")
        migrations.append(Migration(version=version, name=name, up_sql=read_sql(path), down_sql=None, path=path))
    return migrations
