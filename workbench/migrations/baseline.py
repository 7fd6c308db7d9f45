"""Baseline: mark migrations applied without running them, for a database built another way.

A database restored from a dump, or built by hand or by a tool whose ledger is gone, already
holds what the first migrations create; applying them would fail on the first CREATE. A
baseline writes ledger entries for every migration up to a version (and into the other tools'
ledgers the workbench keeps in step), with nothing run: their apply time is the baseline's,
they ran no statements, and their way back is their down script.

`suggestion()` says when a baseline looks right: nothing is applied yet and the schema already
holds every table, view and added column the first migrations create.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.db.catalog import Catalog
from workbench.errors import UsageError
from workbench.migrations.analysis import analyse
from workbench.migrations.discovery import Migration
from workbench.migrations.ledger import APPLIED, PARTIAL, Entry, find, now
from workbench.migrations.runner import user_catalog

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator


@dataclass(frozen=True)
class Baselined:
    """What a baseline marked applied (versions as the files write them), and what it left alone."""

    marked: tuple[str, ...]
    already: tuple[str, ...]  # applied before (by the workbench or another tool)

    def lines(self) -> list[str]:
        if not self.marked:
            return ["nothing to mark: every migration up to there is applied already"]
        return [
            f"marked {len(self.marked)} migration{'s' * (len(self.marked) != 1)} applied without running them: "
            + ", ".join(self.marked)
        ]

    def to_dict(self) -> dict[str, list[str]]:
        return {"marked": list(self.marked), "already_applied": list(self.already)}


def baseline(mg: Migrator, version: str) -> Baselined:
    """Mark every migration up to and including `version` applied, under the migrate lock."""
    with mg.locked():
        with mg.conn.transaction(immediate=True):
            mg.store.ensure()
        statuses = mg.status()
        limit = find(statuses, version).key
        upto = [s for s in statuses if s.key <= limit]
        failed = [s.version for s in upto if s.state == "failed"]
        if failed:
            raise UsageError(
                f"{', '.join(failed)} failed when last applied; resolve {'them' if len(failed) > 1 else 'it'} "
                "before a baseline, which would otherwise hide it"
            )
        todo = [s.migration for s in upto if s.state == "pending" and s.migration is not None]
        with mg.conn.transaction(immediate=True):
            for m in todo:
                mg.ledger.write(_entry(m))
        return Baselined(tuple(m.version for m in todo), tuple(s.version for s in upto if s.state != "pending"))


def _entry(m: Migration) -> Entry:
    return Entry(
        version=m.canonical,
        version_text=m.version,
        name=m.name,
        checksum=m.checksum,
        outcome=APPLIED,
        applied_at=now(),
        down_sql=m.down_sql,
    )


def suggestion(mg: Migrator, catalog: Catalog | None = None) -> str | None:
    """The newest version a baseline should reach, when nothing is applied and the schema
    already holds what the migrations up to it create; None otherwise."""
    if any(e.outcome in (APPLIED, PARTIAL) for e in mg.ledger.entries().values()):
        return None
    schema = _Schema(catalog if catalog is not None else user_catalog(mg.conn), mg.conn.default_schema)
    reached = None
    for m in mg.migrations:
        if not schema.holds(m, mg.conn.backend.name):
            break
        reached = m.version
    return reached


class _Schema:
    """The tables (with their columns) and views a database holds, by lower-cased name."""

    def __init__(self, catalog: Catalog, default_schema: str) -> None:
        self.default = default_schema.lower()
        self.tables = {(t.schema.lower(), t.name.lower()): {c.name.lower() for c in t.columns} for t in catalog.tables}
        self.views = {(v.schema.lower(), v.name.lower()) for v in catalog.views}

    def holds(self, m: Migration, dialect: str) -> bool:
        """Whether every table, view and added column `m` creates is here already; False too
        when `m` creates none of them (seed rows, say): then nothing says it ran."""
        checked = 0
        for st in analyse(m.up_sql, dialect).heads():
            for e in st.effects:
                if e.table is None or e.action not in ("create_table", "create_view", "add_column"):
                    continue
                key = ((e.table.schema or self.default).lower(), e.table.name.lower())
                if e.action == "create_table":
                    found = key in self.tables
                elif e.action == "create_view":
                    found = key in self.views
                else:
                    found = (e.column or "").lower() in self.tables.get(key, set())
                if not found:
                    return False
                checked += 1
        return checked > 0
