"""One adapter per migration tool: golang-migrate, dbmate, diesel, Flyway, Prisma, drizzle, sqitch.

Each reads its tool's ledger rows as that tool reads them (which versions count as applied,
dirty or failed; its checksum compared with the file, computed its way) and writes an apply
or a rollback as that tool writes it. Table layouts are the tools' own, on PostgreSQL and SQLite.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from workbench.db import connect
from workbench.db.base import Connection
from workbench.migrations.discovery import Migration, canonical_version, version_key
from workbench.migrations.foreign_base import DEFAULT, Adapter, Found, iso, now_sql, truth, user
from workbench.migrations.foreign_checksums import drizzle_hash, drizzle_when, flyway_checksum, sha1_file, sha256_file


class GolangMigrate(Adapter):
    """`schema_migrations(version bigint, dirty bool)`: one row, the newest version; every
    older migration counts as applied. A dirty version failed part-way."""

    tool, table, columns = "golang-migrate", "schema_migrations", frozenset({"version", "dirty"})

    def read(self) -> list[Found]:
        rows = self.select("version, dirty")
        if not rows:
            return []
        newest, dirty = int(rows[0][0]), truth(rows[0][1])
        key = version_key(str(newest))
        out = [
            Found(m.canonical, m.version, True) for m in self.migrations if m.key < key or (m.key == key and not dirty)
        ]
        if dirty or key not in {m.key for m in self.migrations}:
            note = f"dirty (a run failed part-way): fix the database, then clear the flag with `migrate force {newest}`"
            out.append(Found(canonical_version(str(newest)), str(newest), not dirty, note=note if dirty else None))
        return out

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        if not m.canonical.isdigit():
            return  # golang-migrate versions are whole numbers; it could not have run this file either
        rows = self.select("version")
        current = int(rows[0][0]) if rows else None
        self._set(max(int(m.canonical), current) if current is not None else int(m.canonical))

    def partial(self, m: Migration) -> None:
        """What golang-migrate leaves after a run that failed part-way: the version, dirty."""
        if m.canonical.isdigit():
            self._set(int(m.canonical), dirty=True)

    def rolled_back(self, m: Migration) -> None:
        older = [x for x in self.migrations if x.key < m.key and x.canonical.isdigit()]
        self._set(int(older[-1].canonical) if older else None)

    def _set(self, version: int | None, dirty: bool = False) -> None:
        """golang-migrate's SetVersion: empty the table, then one row (none for no version)."""
        self.conn.execute(f"DELETE FROM {self.qualified}")
        if version is not None:
            self.conn.execute(
                f"INSERT INTO {self.qualified} (version, dirty) VALUES ({self.p}, {self.p})", (version, dirty)
            )


class _OneRowPerVersion(Adapter):
    """A table with one row per applied version (dbmate, diesel)."""

    when_column: ClassVar[str | None] = None

    def read(self) -> list[Found]:
        cols = "version" + (f", {self.when_column}" if self.when_column else "")
        return [
            Found(canonical_version(str(r[0])), str(r[0]), True, iso(r[1]) if self.when_column else "")
            for r in self.select(cols)
        ]

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        self.conn.execute(f"INSERT INTO {self.qualified} (version) VALUES ({self.p})", (m.version,))

    def rolled_back(self, m: Migration) -> None:
        for (text,) in self.select("version"):
            if canonical_version(str(text)) == m.canonical:
                self.conn.execute(f"DELETE FROM {self.qualified} WHERE version = {self.p}", (text,))


class Dbmate(_OneRowPerVersion):
    """`schema_migrations(version varchar primary key)`: one row per applied version."""

    tool, table, columns = "dbmate", "schema_migrations", frozenset({"version"})


class Diesel(_OneRowPerVersion):
    """`__diesel_schema_migrations(version, run_on)`: one row per applied version, with its time."""

    tool, table, columns = "diesel", "__diesel_schema_migrations", frozenset({"version", "run_on"})
    when_column = "run_on"


class Flyway(Adapter):
    """`flyway_schema_history`: one row per run in `installed_rank` order, with a CRC32 checksum
    of the script's lines, who installed it, and `success`. A BASELINE row stands for every
    version up to it; a failed row (success false) blocks, as it blocks Flyway. A repeatable's
    rows have no version: the newest for its script says which text ran last."""

    tool, table = "Flyway", "flyway_schema_history"
    repeatables = True
    columns = frozenset({"installed_rank", "version", "type", "script", "checksum", "installed_by", "success"})

    def read(self) -> list[Found]:
        found: dict[str, Found] = {}
        rows = self.select(
            "version, type, checksum, installed_by, installed_on, success, script", "ORDER BY installed_rank"
        )
        scripts = {m.path.name: m for m in self.migrations if m.repeatable}
        for version, kind, their, by, on, success, script in rows:
            if kind in ("SCHEMA", "DELETE") or (version is None and str(script).rsplit("/", 1)[-1] not in scripts):
                continue  # Flyway's own bookkeeping, or a repeatable whose file is gone
            m = scripts[str(script).rsplit("/", 1)[-1]] if version is None else None
            canonical = m.canonical if m else canonical_version(str(version).replace("_", "."))
            if kind.startswith("UNDO"):
                found.pop(canonical, None)
                continue
            if "BASELINE" in kind:
                for earlier in self.migrations:
                    if earlier.key <= version_key(canonical):
                        found[earlier.canonical] = Found(earlier.canonical, earlier.version, True, iso(on), by)
                continue
            m = self.by_version.get(canonical)
            mismatch = m is not None and their is not None and int(their) != flyway_checksum(m.path)
            version = version if version is not None else canonical
            ok = truth(success)
            found[canonical] = Found(
                canonical,
                str(version),
                ok,
                iso(on),
                by,
                f"flyway:{their}" if mismatch else None,
                None if ok else "failed: fix the database, then remove the failed row with `flyway repair`",
            )
        return list(found.values())

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        rank = self.select("COALESCE(MAX(installed_rank), 0) + 1")[0][0]
        p = self.p
        self.conn.execute(
            f"INSERT INTO {self.qualified} (installed_rank, version, description, type, script, checksum, "
            f"installed_by, installed_on, execution_time, success) VALUES ({', '.join([p] * 10)})",
            (
                int(rank),
                None if m.repeatable else m.version.replace("_", "."),
                m.name.replace("_", " "),
                "SQL",
                m.path.name,
                flyway_checksum(m.path),
                user(self.conn),
                now_sql(self.conn, sqlite_text=True),
                duration_ms or 0,
                True,
            ),
        )

    def rolled_back(self, m: Migration) -> None:
        """Flyway Community has no undo: the history row goes, so Flyway sees the migration pending."""
        for rank, version in self.select("installed_rank, version", "WHERE version IS NOT NULL"):
            if canonical_version(str(version).replace("_", ".")) == m.canonical:
                self.conn.execute(f"DELETE FROM {self.qualified} WHERE installed_rank = {self.p}", (rank,))


class Prisma(Adapter):
    """`_prisma_migrations`: one row per attempt, by folder name, with the sha256 of
    migration.sql. Unfinished and not rolled back means failed (Prisma refuses to go on); a row
    with `rolled_back_at` no longer counts."""

    tool, table = "Prisma", "_prisma_migrations"
    columns = frozenset({"id", "checksum", "finished_at", "migration_name", "rolled_back_at", "started_at"})

    def read(self) -> list[Found]:
        found: dict[str, Found] = {}
        rows = self.select("migration_name, checksum, finished_at, rolled_back_at, logs", "ORDER BY started_at")
        for name, their, finished, rolled_back, logs in rows:
            version = str(name).split("_", 1)[0]
            if rolled_back is not None or not version.isdigit():
                continue
            canonical = canonical_version(version)
            m = self.by_version.get(canonical)
            mismatch = m is not None and their and their != sha256_file(m.path)
            failed = None if finished is not None else f"failed ({_first_line(logs) or 'unfinished'})"
            found[canonical] = Found(
                canonical,
                version,
                finished is not None,
                iso(finished),
                None,
                f"prisma:{their}" if mismatch else None,
                failed and failed + ": resolve it with `prisma migrate resolve` first",
            )
        return list(found.values())

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        now = now_sql(self.conn)
        p = self.p
        self.conn.execute(
            f"INSERT INTO {self.qualified} (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
            f"started_at, applied_steps_count) VALUES ({p}, {p}, {p}, {p}, NULL, NULL, {p}, 1)",
            (str(uuid.uuid4()), sha256_file(m.path), now, _prisma_name(m), now),
        )

    def rolled_back(self, m: Migration) -> None:
        self.conn.execute(
            f"UPDATE {self.qualified} SET rolled_back_at = {self.p} WHERE migration_name = {self.p} "
            "AND finished_at IS NOT NULL AND rolled_back_at IS NULL",
            (now_sql(self.conn), _prisma_name(m)),
        )


class Drizzle(Adapter):
    """`__drizzle_migrations(id, hash, created_at)` (in schema `drizzle` on PostgreSQL): drizzle
    runs every journal entry whose `when` is after the newest `created_at`, and stores that
    `when` with the sha256 of the file. It records no apply time."""

    tool, table, columns = "drizzle", "__drizzle_migrations", frozenset({"id", "hash", "created_at"})

    @classmethod
    def schemas_on(cls, conn: Connection) -> tuple[str, ...]:
        """`drizzle` on PostgreSQL, or the current schema when `migrationsSchema` moved it there."""
        return ("drizzle", DEFAULT) if conn.capabilities.schemas else (DEFAULT,)

    def read(self) -> list[Found]:
        rows = self.select("hash, created_at")
        if not rows:
            return []
        by_when = {int(float(r[1])): str(r[0]) for r in rows if r[1] is not None}
        hashes = {str(r[0]) for r in rows}
        newest = max(by_when, default=None)
        out = []
        for m in self.migrations:
            when = drizzle_when(m)
            if (when is not None and newest is not None and when <= newest) or drizzle_hash(m) in hashes:
                their = by_when.get(when) if when is not None else None
                mismatch = their is not None and their != drizzle_hash(m)
                out.append(Found(m.canonical, m.version, True, their_checksum=f"drizzle:{their}" if mismatch else None))
        return out

    def applied(self, m: Migration, duration_ms: int | None) -> None:
        when = drizzle_when(m)
        self.conn.execute(
            f"INSERT INTO {self.qualified} (hash, created_at) VALUES ({self.p}, {self.p})",
            (drizzle_hash(m), when if when is not None else int(datetime.now(UTC).timestamp() * 1000)),
        )

    def rolled_back(self, m: Migration) -> None:
        self.conn.execute(f"DELETE FROM {self.qualified} WHERE hash = {self.p}", (drizzle_hash(m),))


class Sqitch(Adapter):
    """sqitch's registry (`sqitch.changes` on PostgreSQL): one row per deployed change, with
    who committed it, when, and the sha1 of its deploy script. Read only: sqitch names each
    change by a hash of its plan entry and logs events, dependencies and tags beside it; rows
    written by anyone else would mislead it."""

    tool, table, schema = "sqitch", "changes", "sqitch"
    columns = frozenset({"change_id", "script_hash", "change", "project", "committed_at", "committer_name"})
    not_kept = (
        "sqitch names each change by a hash of its plan entry and logs events, tags and dependencies beside it; "
        "rows the workbench wrote would mislead it, so after a workbench run use `sqitch` to bring its registry up to date"
    )

    def read(self) -> list[Found]:
        project = _sqitch_project(self.migrations)
        rows = self.select(
            "change, committed_at, committer_name, committer_email, script_hash",
            f"WHERE project = {self.p} ORDER BY committed_at" if project else "ORDER BY committed_at",
            (project,) if project else (),
        )
        seen: dict[str, int] = {}
        out = []
        for change, at, who, email, their in rows:
            seen[change] = seen.get(change, 0) + 1
            same = [m for m in self.migrations if m.name == change]
            if len(same) < seen[change]:
                continue
            m = same[seen[change] - 1]
            mismatch = their is not None and their != sha1_file(m.path)
            by = f"{who} <{email}>" if email else str(who)
            out.append(Found(m.canonical, m.version, True, iso(at), by, f"sqitch:{their}" if mismatch else None))
        return out


class SqitchFile(Sqitch):
    """sqitch on SQLite: its registry is a database file of its own, `sqitch.db` beside the
    target's file, read from there (and, as on PostgreSQL, never written)."""

    schema = DEFAULT

    @staticmethod
    def registry(conn: Connection) -> Path | None:
        """`sqitch.db` beside the SQLite file `conn` has open, when there is one."""
        main = next((str(r[2]) for r in conn.query("PRAGMA database_list").rows if r[1] == "main"), "")
        if not main:
            return None  # an in-memory database has no folder to look in
        path = Path(main).parent / "sqitch.db"
        return path if path.is_file() and path.resolve() != Path(main).resolve() else None

    @property
    def name(self) -> str:
        return "sqitch.db"

    def read(self) -> list[Found]:
        path = self.registry(self.conn)
        if path is None:
            return []
        home, self.conn = self.conn, connect(str(path))
        try:
            return super().read()
        finally:
            self.conn.close()
            self.conn = home


ADAPTERS: tuple[type[Adapter], ...] = (GolangMigrate, Dbmate, Diesel, Flyway, Prisma, Drizzle, Sqitch)


def _prisma_name(m: Migration) -> str:
    """Prisma's migration_name: the folder of migration.sql, else the file name without `.sql`."""
    return m.path.parent.name if m.path.name == "migration.sql" else m.path.stem


def _sqitch_project(migrations: Sequence[Migration]) -> str | None:
    """The `%project=` of the sqitch.plan the deploy scripts sit beside, if they do."""
    if not migrations:
        return None
    plan = migrations[0].path.parent.parent / "sqitch.plan"
    try:
        text = plan.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(r"^%project=(\S+)", text, re.MULTILINE)
    return m[1] if m else None


def _first_line(text: Any) -> str:
    return str(text).strip().splitlines()[0] if text and str(text).strip() else ""
