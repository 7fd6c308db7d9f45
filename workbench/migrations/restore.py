"""One backup against its live table: compare them, or put the table back as the backup holds it.

`compare` reads only. Content is compared over the columns both have, each cast to text (so a
user-typed column the backup keeps as text compares equal to its live value, and types without
an equality operator, such as PostgreSQL's json, compare at all): the rows found in one and not
the other, counted as distinct rows in both directions.

`restore` gives the table back its backed-up definition and rows, and nothing else: it is the
rollback's own repair (`reconcile.repair`) aimed at that one table, so foreign keys pointing at
it, its triggers and the views reading it are handled the same way. It runs under the
migration lock in one transaction, after a safety copy of the live table (unless asked not
to), and checks the result (definition and row count) before committing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.db.base import DatabaseError
from workbench.db.catalog import Table
from workbench.db.catalog_diff import diff
from workbench.errors import OperationFailed
from workbench.migrations.backups import BEFORE_RESTORE, Backup, checksum_columns
from workbench.migrations.reconcile import repair
from workbench.migrations.runner import run_steps, user_catalog

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator

__all__ = ["BEFORE_RESTORE", "Comparison", "Restored", "RestoreFailed", "compare", "live_table", "restore"]


class RestoreFailed(OperationFailed):
    """The table could not be put back as backed up; nothing was changed."""


@dataclass(frozen=True)
class Comparison:
    """A backup next to the live table it was taken from."""

    backup: Backup
    live_rows: int | None  # None: there is no such table now
    columns_added: tuple[str, ...]  # in the live table, not in the backup
    columns_removed: tuple[str, ...]  # in the backup, not in the live table
    only_in_backup: int  # distinct rows, over the common columns, the live table does not hold
    only_in_live: int  # and the other way round
    backup_checksum: str
    live_checksum: str | None

    @property
    def same(self) -> bool:
        """Same columns, same number of rows, and no row in one that is not in the other."""
        return (
            self.live_rows == self.backup.row_count
            and not self.columns_added
            and not self.columns_removed
            and not self.only_in_backup
            and not self.only_in_live
        )


@dataclass(frozen=True)
class Restored:
    backup: Backup
    rows: int  # rows the table holds now, as many as the backup
    safety: Backup | None  # the copy of the live table taken first
    schema_changes: tuple[str, ...]  # how the table's definition differed and was put back


def live_table(mg: Migrator, backup: Backup) -> Table | None:
    return user_catalog(mg.conn).table(backup.source_table, backup.source_schema)


def compare(mg: Migrator, backup: Backup) -> Comparison:
    """Row counts, checksums, columns and content of `backup` against its live table."""
    conn = mg.conn
    store = mg.keeper.store
    live = live_table(mg, backup)
    backup_columns = [c.name for c in backup.definition.columns]
    checksum = mg.keeper.checksum(backup)
    if live is None:
        return Comparison(backup, None, (), tuple(backup_columns), backup.row_count, 0, checksum, None)
    live_columns = [c.name for c in live.columns]
    common = [c for c in backup_columns if c in live_columns]
    as_text = ", ".join(f"CAST({conn.quote(c)} AS text) AS {conn.quote(c)}" for c in common)
    source = conn.qualify(live.schema, live.name)
    copy = conn.qualify(store.schema, backup.backup_table)

    def missing(a: str, b: str) -> int:
        if not common:
            return 0
        sql = f"SELECT count(*) FROM (SELECT {as_text} FROM {a} EXCEPT SELECT {as_text} FROM {b}) AS difference"
        return int(conn.query(sql).scalar())

    return Comparison(
        backup,
        conn.row_count(live.schema, live.name),
        tuple(c for c in live_columns if c not in backup_columns),
        tuple(c for c in backup_columns if c not in live_columns),
        missing(copy, source),
        missing(source, copy),
        checksum,
        # the same columns as the backup's sum, when the table still has them: equal sums, equal rows
        conn.table_checksum(
            live.schema, live.name, checksum_columns(backup, "rowid") if backup_columns == live_columns else None
        ),
    )


def restore(mg: Migrator, backup: Backup, safety_backup: bool = True) -> Restored:
    """Put `backup`'s table back with its recorded definition and rows; a `RestoreFailed` (or the
    database's error) leaves everything as it was."""
    from workbench.migrations.engine import LOCK

    conn = mg.conn
    try:
        with conn.lock(LOCK, mg.lock_timeout), conn.transaction(immediate=True):
            now = user_catalog(conn)
            key = (backup.source_schema, backup.source_table)
            live = now.table(backup.source_table, backup.source_schema)
            wanted = dataclasses.replace(
                now,
                tables=tuple(
                    [t for t in now.tables if t.key != key]
                    + [dataclasses.replace(backup.definition, row_estimate=None)]
                ),
            )
            changes = tuple(diff(now, wanted).describe())
            fix = repair(wanted, now, {key: backup}, conn, mg.keeper)
            if fix.problems:
                raise RestoreFailed(f"cannot restore {backup.source}: {'; '.join(fix.problems)}; nothing was changed")
            safety = mg.keeper.take(live, backup.migration, BEFORE_RESTORE) if live and safety_backup else None
            run_steps(conn, fix.steps, backup.migration, mg.progress)
            left = diff(wanted, user_catalog(conn))
            rows = conn.row_count(backup.source_schema, backup.source_table)
            if left or (rows != backup.row_count and not backup.definition.partition_key):
                problem = (
                    "; ".join(left.describe()[:3])
                    if left
                    else f"it would hold {rows:,} rows, the backup {backup.row_count:,}"
                )
                raise RestoreFailed(
                    f"restoring {backup.source} did not give it back as backed up ({problem}); nothing was changed"
                )
    except DatabaseError as exc:  # the transaction is rolled back by now
        raise RestoreFailed(f"cannot restore {backup.source}: {exc}; nothing was changed") from None
    return Restored(backup, rows, safety, changes)
