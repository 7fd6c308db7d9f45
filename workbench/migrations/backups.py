"""Backup tables: a whole table copied inside the database before a migration can lose it.

The copy is one `CREATE TABLE … AS SELECT` (never rows through Python), into the workbench's
own space (`store.py`). Each backup is registered with its source, migration, row count, the
table's complete definition from the catalog (columns in order, defaults, constraints, indexes,
foreign keys, triggers, policies, comments) and, on PostgreSQL, the position of the sequences
its columns own. Columns of user-defined types (enums, domains) are kept as text, so a backup
never pins a type that a later migration wants to drop; restore casts them back.

The content checksum is computed on demand (`checksum()`), then stored: a backup table never
changes, so the sum is the same whenever it is taken, and taking it at backup time would double
the cost of every backup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.db import ddl
from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Table, from_dict, to_dict
from workbench.migrations.ledger import now
from workbench.migrations.store import Store

BEFORE_MIGRATION = "before migration"
BEFORE_ROLLBACK = "before rollback"
BEFORE_RESTORE = "before restore"
UNDONE = "before migration, rolled back"  # the apply it protected was undone: no rollback needs it
SUPERSEDED = "before migration, superseded"  # an apply that did not stay; the migration ran again since
_WHY = {
    UNDONE: "its apply was rolled back",
    SUPERSEDED: "taken before an apply that did not stay",
    BEFORE_ROLLBACK: "a safety copy taken before a rollback",
    BEFORE_RESTORE: "a safety copy taken before a restore",
}
ESTIMATE_SAMPLE = 1000  # rows read to estimate a backup's size where the database cannot measure it
_FIELDS = (
    "id",
    "migration",
    "purpose",
    "source_schema",
    "source_table",
    "backup_table",
    "created_at",
    "row_count",
    "checksum",
    "definition",
    "extra",
)


@dataclass(frozen=True)
class Backup:
    """One registered backup table. `definition` is the source table as it was when copied."""

    id: int
    migration: str  # canonical version of the migration it belongs to
    purpose: str  # BEFORE_MIGRATION, UNDONE, BEFORE_ROLLBACK (a safety copy of rows written since) or before restore
    source_schema: str
    source_table: str
    backup_table: str  # unqualified, in the workbench's space
    created_at: str
    row_count: int
    checksum: str | None
    definition: Table
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)  # as `sequence_positions` found them
    text_columns: tuple[str, ...] = ()  # user-typed columns stored as text
    row_id: str | None = None  # the backup's column holding SQLite's hidden rowid, when kept
    statistics: tuple[tuple[Any, ...], ...] = ()  # the planner statistics the database dumps (sqlite_stat1)

    @property
    def source(self) -> str:
        return f"{self.source_schema}.{self.source_table}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "migration": self.migration,
            "purpose": self.purpose,
            "source": self.source,
            "backup_table": self.backup_table,
            "created_at": self.created_at,
            "row_count": self.row_count,
            "checksum": self.checksum,
        }


class Backups:
    """The backup catalog of one database."""

    def __init__(self, conn: Connection, store: Store | None = None) -> None:
        self.conn = conn
        self.store = store or Store(conn)
        self.registry = self.store.table("backups")

    def all(self) -> list[Backup]:
        """Every registered backup, oldest first; empty when the workbench never ran here."""
        try:
            rows = self.conn.query(f"SELECT {', '.join(_FIELDS)} FROM {self.registry} ORDER BY id").rows
        except DatabaseError:
            if self.conn.in_transaction():
                raise
            return []
        return [_backup(dict(zip(_FIELDS, row, strict=True))) for row in rows]

    def of(self, migration: str) -> list[Backup]:
        return [b for b in self.all() if b.migration == migration]

    def take(
        self,
        table: Table,
        migration: str,
        purpose: str = BEFORE_MIGRATION,
        on_rows: Callable[[int], None] | None = None,
    ) -> Backup:
        """Copy `table` (as the catalog describes it now) into a new backup table and register it.

        A partitioned table's own copy holds only its own rows (none): its partitions are tables
        of their own and are backed up as such. A SQLite table's hidden rowid is kept, so rows come
        back under the same rowid.
        """
        conn = self.conn
        next_id = int(conn.query(f"SELECT coalesce(max(id), 0) + 1 FROM {self.registry}").scalar())
        name = self.store.name(f"backup_{next_id}_{table.name}")
        text_columns = conn.text_columns(table.schema, table.name)
        columns = [
            f"CAST({conn.quote(c.name)} AS {'text[]' if c.data_type.endswith('[]') else 'text'}) AS {conn.quote(c.name)}"
            if c.name in text_columns
            else conn.quote(c.name)
            for c in table.columns
        ]
        row_id = ROW_ID if has_hidden_rowid(conn, table) else None
        if row_id:
            columns.insert(0, f"rowid AS {conn.quote(row_id)}")
        only = "ONLY " if table.partition_key else ""
        copied = conn.execute(
            f"CREATE TABLE {conn.qualify(self.store.schema, name)} AS SELECT {', '.join(columns)} "
            f"FROM {only}{ddl.qualified(conn, table)}"
        )
        rows = copied if copied >= 0 else conn.row_count(self.store.catalog_schema, name)
        if on_rows is not None:
            on_rows(rows)
        backup = Backup(
            id=next_id,
            migration=migration,
            purpose=purpose,
            source_schema=table.schema,
            source_table=table.name,
            backup_table=name,
            created_at=now(),
            row_count=rows,
            checksum=None,
            definition=table,
            sequences=conn.sequence_positions(table.schema, table.name),
            text_columns=text_columns,
            row_id=row_id,
            statistics=tuple(tuple(r) for r in conn.table_statistics(table.schema, table.name)),
        )
        self._register(backup)
        return backup

    def _register(self, b: Backup) -> None:
        values = (
            b.id,
            b.migration,
            b.purpose,
            b.source_schema,
            b.source_table,
            b.backup_table,
            b.created_at,
            b.row_count,
            b.checksum,
            json.dumps(to_dict(b.definition)),
            json.dumps(
                {
                    "sequences": b.sequences,
                    "text_columns": list(b.text_columns),
                    "row_id": b.row_id,
                    "statistics": [list(r) for r in b.statistics],
                }
            ),
        )
        p = self.conn.placeholder
        self.conn.execute(
            f"INSERT INTO {self.registry} ({', '.join(_FIELDS)}) VALUES ({', '.join([p] * len(_FIELDS))})", values
        )

    def copy_back_sql(self, backup: Backup, target: Table) -> list[str]:
        """The statements that put the backup's rows into `target` (empty, shaped like the backup's
        definition): one INSERT … SELECT, then owned sequences back where they were.

        Generated columns are left to the database; identity columns keep their values; columns
        stored as text are cast back to their type.
        """
        conn = self.conn
        columns = [c for c in backup.definition.columns if not c.generated and target.column(c.name)]
        names = [conn.quote(c.name) for c in columns]
        select = [
            f"CAST({conn.quote(c.name)} AS {c.data_type})" if c.name in backup.text_columns else conn.quote(c.name)
            for c in columns
        ]
        if backup.row_id:
            names.insert(0, "rowid")
            select.insert(0, conn.quote(backup.row_id))
        overriding = " OVERRIDING SYSTEM VALUE" if any(c.identity == "always" for c in columns) else ""
        out = [
            f"INSERT INTO {ddl.qualified(conn, target)} ({', '.join(names)}){overriding} SELECT {', '.join(select)} "
            f"FROM {conn.qualify(self.store.schema, backup.backup_table)}"
        ]
        out += conn.sequence_restore_sql(backup.sequences)
        return out + conn.statistics_restore_sql(target.schema, target.name, backup.statistics)

    def checksum(self, backup: Backup) -> str:
        """The content checksum of the backup table, computed once and then kept."""
        if backup.checksum is None:
            value = self.conn.table_checksum(self.store.catalog_schema, backup.backup_table, checksum_columns(backup))
            p = self.conn.placeholder
            self.conn.execute(f"UPDATE {self.registry} SET checksum = {p} WHERE id = {p}", (value, backup.id))
            return value
        return backup.checksum

    def size(self, backup: Backup) -> tuple[int | None, bool]:
        """Bytes dropping the backup frees, and whether that is an estimate: measured where the
        database can tell (PostgreSQL's pg_total_relation_size, SQLite's dbstat), else estimated
        from the lengths of a sample of its rows."""
        measured = self.conn.table_size(self.store.catalog_schema, backup.backup_table)
        if measured is not None:
            return measured, False
        return self.estimate_size(backup), True

    def estimate_size(self, backup: Backup) -> int | None:
        """Bytes the backup takes, estimated from the lengths of up to ESTIMATE_SAMPLE rows."""
        columns = [self.conn.quote(c) for c in checksum_columns(backup)]
        if not columns or not backup.row_count:
            return 0
        lengths = " + ".join(f"coalesce(length(CAST({c} AS TEXT)), 0)" for c in columns)
        table = self.conn.qualify(self.store.schema, backup.backup_table)
        try:
            row = self.conn.query(
                f"SELECT count(*), sum({lengths}) FROM (SELECT * FROM {table} LIMIT {ESTIMATE_SAMPLE}) AS sample"
            ).rows[0]
        except DatabaseError:
            return None
        sampled, total = int(row[0]), int(row[1] or 0)
        return (total + 8 * len(columns) * sampled) * backup.row_count // sampled if sampled else 0

    def retire(self, migration: str, purpose: str = UNDONE) -> None:
        """The backups of `migration`'s apply served their rollback (UNDONE), or belong to an apply
        that did not stay now that the migration runs again (SUPERSEDED): they are kept (to restore
        by hand, or purge), but no rollback may take them for its own (inside the caller's
        transaction)."""
        p = self.conn.placeholder
        self.conn.execute(
            f"UPDATE {self.registry} SET purpose = {p} WHERE migration = {p} AND purpose = {p}",
            (purpose, migration, BEFORE_MIGRATION),
        )

    def retirable(self) -> frozenset[str]:
        """The migrations that `retire` would change anything for: those with `before migration`
        copies registered. One query, so a run of many migrations retires only where it must."""
        p = self.conn.placeholder
        rows = self.conn.query(
            f"SELECT DISTINCT migration FROM {self.registry} WHERE purpose = {p}", (BEFORE_MIGRATION,)
        )
        return frozenset(str(r[0]) for r in rows.rows)

    def live(self, migration: str) -> list[Backup]:
        """The backups the rollback of `migration`'s live apply restores from: the newest
        `before migration` copy of each table it backed up. Rollback takes exactly these, and
        `why_not_needed` calls exactly these needed."""
        return live_backups(self.of(migration), {migration})

    def drop(self, backup: Backup) -> None:
        """Remove the backup table and its registration (inside the caller's transaction)."""
        p = self.conn.placeholder
        self.conn.execute(f"DROP TABLE IF EXISTS {self.conn.qualify(self.store.schema, backup.backup_table)}")
        self.conn.execute(f"DELETE FROM {self.registry} WHERE id = {p}", (backup.id,))


ROW_ID = "workbench_rowid"


def checksum_columns(backup: Backup, row_id: str | None = None) -> list[str]:
    """The columns a backup's checksum covers, in order: the hidden rowid it kept (named `row_id`
    in the live table: `rowid`), then the table's columns — so a live table with the same rows
    under the same rowids has the same checksum."""
    return ([row_id or backup.row_id] if backup.row_id else []) + [c.name for c in backup.definition.columns]


def has_hidden_rowid(conn: Connection, table: Table) -> bool:
    """Whether `table` numbers its rows with a rowid no column holds (SQLite, not WITHOUT ROWID,
    no INTEGER PRIMARY KEY): a copy must carry it, or rows come back renumbered."""
    if not conn.capabilities.rowid or table.kind != "table" or "WITHOUT ROWID" in table.options:
        return False
    key = table.primary_key
    if key is not None and len(key.columns) == 1:
        column = table.column(key.columns[0])
        if column is not None and column.data_type.upper() == "INTEGER":
            return False
    return True


def _backup(row: dict[str, Any]) -> Backup:
    extra = json.loads(row.pop("extra") or "{}")
    row["definition"] = from_dict(Table, json.loads(row["definition"]))
    row["row_count"] = int(row["row_count"])
    row["id"] = int(row["id"])
    sequences = {k: (int(last), bool(called)) for k, (last, called) in extra.get("sequences", {}).items()}
    return Backup(
        **row,
        sequences=sequences,
        text_columns=tuple(extra.get("text_columns", ())),
        row_id=extra.get("row_id"),
        statistics=tuple(tuple(r) for r in extra.get("statistics", ())),
    )


def live_backups(backups: Sequence[Backup], applied: Collection[str]) -> list[Backup]:
    """Of `backups` (oldest first), those the live applies of `applied` migrations need."""
    newest: dict[tuple[str, str, str], Backup] = {}
    for b in backups:
        if b.purpose == BEFORE_MIGRATION and b.migration in applied:
            newest[(b.migration, b.source_schema, b.source_table)] = b
    return list(newest.values())


def why_not_needed(backups: Sequence[Backup], applied: Collection[str]) -> dict[int, str | None]:
    """For each backup's id: None when the live apply of an applied migration needs it to roll
    back, else the reason no rollback does (the sentence a purge preview shows)."""
    live = {b.id for b in live_backups(backups, applied)}
    newer = {(b.migration, b.source_schema, b.source_table): b.id for b in backups if b.id in live}
    out: dict[int, str | None] = {}
    for b in backups:
        if b.id in live:
            out[b.id] = None
        elif b.purpose != BEFORE_MIGRATION:
            out[b.id] = _WHY.get(b.purpose, f"{b.purpose}: no rollback uses it")
        elif b.migration not in applied:
            out[b.id] = "its migration is not applied"
        else:
            out[b.id] = (
                f"superseded by backup #{newer[(b.migration, b.source_schema, b.source_table)]} of the same table"
            )
    return out
