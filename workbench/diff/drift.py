"""Schema drift: how the live database differs from what its APPLIED migrations produce.

A change made by hand (an index added in production, a column dropped from a console) leaves the
ledger as it was; only the schema shows it. The applied migrations, and only those, are replayed
on an empty scratch database (`from_migrations.replay`) and compared with the live schema, the
workbench's own objects left out on both sides. The diff runs from the migrations to the live
database: `added` is what someone added by hand, `removed` what someone dropped.

Replaying takes a scratch database, so screens run this in a worker after the list is shown and
`migrate status` says it after the list. When drift cannot be judged (an applied migration's file
is missing, or it fails on an empty database) `Drift.problem` says why in one sentence; that is
not an error of the status itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.db.base import Connection
from workbench.db.catalog import is_workbench_object
from workbench.diff import DiffEntry, SchemaDiff, diff_catalogs
from workbench.diff.from_migrations import replay
from workbench.errors import WorkbenchError
from workbench.migrations.ledger import Status

MARKS = {"added": "+", "removed": "-", "changed": "~", "renamed": "→"}


def entry_line(entry: DiffEntry) -> str:
    """`+ table public.invoices`, `~ column public.t.c: type text → integer`: one entry, one line."""
    rename = f" (likely a rename of {entry.likely_rename_of})" if entry.likely_rename_of else ""
    details = f": {'; '.join(entry.details)}" if entry.details else ""
    return f"{MARKS.get(entry.status, '?')} {entry.kind} {entry.name}{details}{rename}"


@dataclass(frozen=True)
class Drift:
    """The live schema against the applied migrations' schema (`diff`), or why it was not judged."""

    replayed: tuple[str, ...]  # the applied migrations replayed, as labels
    diff: SchemaDiff | None = None
    problem: str = ""

    @property
    def same(self) -> bool | None:
        """True: no drift; False: changed by hand; None: could not be judged."""
        return None if self.diff is None else self.diff.same

    def to_dict(self) -> dict[str, Any]:
        """`migrate status --json`'s `drift`: same, entries, the SQL from the migrations' schema to the
        live one and what no statement can do (`problems`), the migrations replayed, and why drift
        was not judged (`problem`, empty when it was)."""
        d = self.diff
        return {
            "same": self.same,
            "entries": [e.to_dict() for e in d.entries] if d else [],
            "statements": list(d.statements) if d else [],
            "problems": list(d.problems) if d else [],
            "replayed": list(self.replayed),
            "problem": self.problem,
        }

    def headline(self) -> str:
        if self.diff is None:
            return f"schema drift not checked: {self.problem}"
        if self.diff.same:
            return f"no schema drift: the database is what its {len(self.replayed)} applied migrations produce"
        n = len(self.diff.entries)
        return (
            f"schema drift: the database differs from what its applied migrations produce in {n} "
            f"object{'s' * (n != 1)} (changed by hand)"
        )

    def lines(self) -> list[str]:
        entries = self.diff.entries if self.diff is not None else ()
        return [self.headline(), *(f"  {entry_line(e)}" for e in entries)]


def applied_migrations(statuses: Sequence[Status]) -> tuple[list[Status], list[Status]]:
    """The applied (or checksum-drifted) migrations in order, and those of them whose file is gone."""
    applied = [s for s in statuses if s.state in ("applied", "drifted")]
    return applied, [s for s in applied if s.migration is None]


def schema_drift(conn: Connection, statuses: Sequence[Status], baseline: Path | None = None) -> Drift:
    """Replay the applied migrations of `statuses` (from `MigrationService.status()`) on an empty
    scratch database (after the project's `baseline` SQL) and compare the result with `conn`'s schema."""
    applied, missing = applied_migrations(statuses)
    labels = tuple(f"{s.version}_{s.name}" if s.name else s.version for s in applied)
    if not applied:
        return Drift(labels, problem="no migration is applied, so there is nothing to compare the schema with")
    if missing:
        return Drift(labels, problem=f"the file of applied migration {missing[0].version} is missing")
    try:
        produced = replay(conn, [s.migration for s in applied if s.migration is not None], baseline).catalog
    except WorkbenchError as exc:
        return Drift(labels, problem=str(exc))
    live = conn.introspect().without(is_workbench_object)
    return Drift(labels, diff_catalogs(produced, live, conn))
