"""What a rollback puts at stake, table by table, shown before anything runs.

For one applied migration: the tables it backed up (rows now vs rows in the backup), the tables
whose row counts were recorded just after the apply (so the rows written since, which a
rollback does not keep, can be counted), and the tables its inverse drops (every row they hold
goes with them). Counts are exact `count(*)`s taken when asked, so callers ask once, for the
migrations the user is about to roll back.

`ways_back` answers the cheaper question a list needs — can each applied migration be rolled
back at all, and if not, why — without counting any rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.migrations.analysis import analyse
from workbench.migrations.backups import BEFORE_MIGRATION
from workbench.migrations.ledger import Entry
from workbench.migrations.plan import MigrationPlan, before_catalog, plan_down_one
from workbench.migrations.runner import user_catalog

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator


@dataclass(frozen=True)
class TableStake:
    """One table a rollback changes. Counts are None where they do not apply or are unknown."""

    table: str  # schema.name, as the engine names tables
    rows_now: int | None  # None: the table is not there now (renamed or dropped by the migration)
    backup_rows: int | None  # rows in the migration's backup of it; None: no backup
    rows_after_apply: int | None  # recorded just after the apply; None: not recorded
    dropped: bool = False  # the migration made it; the rollback drops it with its rows

    @property
    def written_since(self) -> int | None:
        """Net rows added since the apply (negative when rows were deleted), when both counts exist."""
        if self.rows_now is None or self.rows_after_apply is None:
            return None
        return self.rows_now - self.rows_after_apply


def stakes(mg: Migrator, entry: Entry) -> tuple[TableStake, ...]:
    """The tables rolling back `entry` changes, in name order, with their rows counted now."""
    backups = {b.source: b.row_count for b in mg.keeper.of(entry.version) if b.purpose == BEFORE_MIGRATION}
    dropped = {
        f"{e.table.schema or mg.conn.default_schema}.{e.table.name}"
        for st in analyse(entry.inverse_sql or "", mg.conn.backend.name)
        for e in st.effects
        if e.action == "drop_table" and e.table is not None
    }
    out = []
    for table in sorted(backups.keys() | entry.after_rows.keys() | dropped):
        out.append(
            TableStake(
                table, mg.count_rows(table), backups.get(table), entry.after_rows.get(table), dropped=table in dropped
            )
        )
    return tuple(out)


def ways_back(mg: Migrator) -> dict[str, MigrationPlan]:
    """The rollback plan of every applied migration, by canonical version, newest first.

    As `Migrator.plan_down(to="0")` would plan them, except that no rows are counted (the
    warnings about rows written since are left out): cheap enough to refresh a list with.
    """
    by_version = mg.by_version()
    backups = [b for b in mg.keeper.all() if b.purpose == BEFORE_MIGRATION]
    plans: dict[str, MigrationPlan] = {}
    now = None
    for entry in mg.targets("0", None):
        if now is None and entry.before_catalog:
            now = user_catalog(mg.conn)
        plans[entry.version] = plan_down_one(
            entry,
            by_version.get(entry.version),
            [b for b in backups if b.migration == entry.version],
            mg.conn,
            now,
            lambda _table: None,
        )
        # the next one starts from the schema recorded before this one, when there is such a record
        now = before_catalog(entry)
    return plans
