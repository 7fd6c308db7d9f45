"""The ledger: one row per migration version, true to what the database holds.

A successful apply writes its row in the migration's own transaction, so the row and the change
commit together or not at all. A failure is written after the rollback, in a transaction of its
own, so it survives. A rollback marks the row `rolled_back` in the rollback's transaction.
`status()` merges the ledger with the files into the `migrate status` states.

Other tools' ledgers (`foreign_ledgers.py`), when the database has them, are merged in as
adopted entries and written alongside ours, in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from workbench.db.base import Connection, DatabaseError
from workbench.errors import UsageError
from workbench.migrations.discovery import Migration, canonical_version, version_key
from workbench.migrations.store import Store

if TYPE_CHECKING:
    from workbench.migrations.foreign_ledgers import ForeignLedgers

APPLIED, FAILED, ROLLED_BACK, PARTIAL = "applied", "failed", "rolled_back", "partial"
_FIELDS = (
    "version",
    "version_text",
    "name",
    "checksum",
    "outcome",
    "applied_at",
    "duration_ms",
    "statements_run",
    "statements_total",
    "failed_statement",
    "failed_sql",
    "error",
    "down_sql",
    "inverse_sql",
    "before_catalog",
    "after_rows",
    "partial_checksum",
    "rolled_back_at",
)


@dataclass(frozen=True)
class Entry:
    """What the ledger knows about one version.

    `outcome`: applied, failed (rolled back entirely), partial (statements that cannot run in a
    transaction stayed applied before a failure) or rolled_back. `down_sql` is the down script
    as it was when applied; `inverse_sql` the generated undo of a purely additive migration;
    `before_catalog` the user schema just before the apply (JSON), kept for migrations that are
    not purely additive; `after_rows` the row counts of the tables it put at stake, just after.
    A `partial` entry's `partial_checksum` covers the statements that stayed applied, so a fixed
    file resumes after them as long as they are unchanged.
    `adopted_from` names the other tool whose ledger says this ran (not stored in ours), with
    `applied_by` when that tool recorded who ran it.
    """

    version: str
    version_text: str
    name: str
    checksum: str
    outcome: str
    applied_at: str
    duration_ms: int | None = None
    statements_run: int = 0
    statements_total: int = 0
    failed_statement: int | None = None
    failed_sql: str | None = None
    error: str | None = None
    down_sql: str | None = None
    inverse_sql: str | None = None
    before_catalog: str | None = None
    after_rows: dict[str, int] = field(default_factory=dict)
    partial_checksum: str | None = None  # of the statements a partial run left applied
    rolled_back_at: str | None = None
    adopted_from: str | None = None
    applied_by: str | None = None

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)


def now() -> str:
    """UTC timestamp as stored in the ledger (ISO 8601, seconds, `Z`)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ledger:
    def __init__(self, conn: Connection, store: Store | None = None, foreign: ForeignLedgers | None = None) -> None:
        self.conn = conn
        self.store = store or Store(conn)
        self.foreign = foreign

    def entries(self) -> dict[str, Entry]:
        """Every entry by canonical version, other tools' included; empty when there is no ledger yet.

        Another tool's word wins where it says failed (that is never hidden) unless the failed
        run is the workbench's own partial one, or where it says applied and ours does not (it
        ran that since); ours wins otherwise, holding more.
        """
        own = self.own_entries()
        if self.foreign is None:
            return own
        merged = self.foreign.entries()
        for version, e in own.items():
            theirs = merged.get(version)
            if theirs is None or _ours_wins(e, theirs):
                merged[version] = e
        return merged

    def own_entries(self) -> dict[str, Entry]:
        """The workbench's own entries by canonical version.

        Outside a transaction a missing ledger is simply empty (reading never creates it).
        """
        sql = f"SELECT {', '.join(_FIELDS)} FROM {self.store.table('migrations')}"
        try:
            rows = self.conn.query(sql).rows
        except DatabaseError:
            if self.conn.in_transaction():
                raise
            return {}
        out = {}
        for row in rows:
            values = dict(zip(_FIELDS, row, strict=True))
            values["after_rows"] = json.loads(values["after_rows"] or "{}")
            values["duration_ms"] = None if values["duration_ms"] is None else int(values["duration_ms"])
            out[values["version"]] = Entry(**values)
        return out

    def write(self, entry: Entry, keep_in_step: bool = True) -> None:
        """Insert or replace the entry for its version (inside the caller's transaction); an
        apply goes into the other tools' ledgers too, unless `keep_in_step` is False."""
        p = self.conn.placeholder
        values = [getattr(entry, f) for f in _FIELDS]
        values[_FIELDS.index("after_rows")] = json.dumps(entry.after_rows, sort_keys=True)
        updates = ", ".join(f"{f} = excluded.{f}" for f in _FIELDS[1:])
        self.conn.execute(  # one round trip: it is paid once per migration
            f"INSERT INTO {self.store.table('migrations')} ({', '.join(_FIELDS)}) "
            f"VALUES ({', '.join([p] * len(_FIELDS))}) ON CONFLICT (version) DO UPDATE SET {updates}",
            values,
        )
        if keep_in_step and self.foreign is not None and entry.outcome == APPLIED:
            self.foreign.record_applied(entry)
        elif keep_in_step and self.foreign is not None and entry.outcome == PARTIAL:
            self.foreign.record_partial(entry)

    def mark_rolled_back(self, entry: Entry) -> Entry:
        rolled = replace(entry, outcome=ROLLED_BACK, rolled_back_at=now())
        self.write(rolled)
        if self.foreign is not None:
            self.foreign.record_rolled_back(entry)
        return rolled

    def accept_checksum(self, version: str, checksum: str) -> None:
        """Repair: take the file as it is now as the one applied (after the user checked the edit)."""
        p = self.conn.placeholder
        self.conn.execute(
            f"UPDATE {self.store.table('migrations')} SET checksum = {p} WHERE version = {p}", (checksum, version)
        )


def _ours_wins(ours: Entry, theirs: Entry) -> bool:
    if theirs.outcome == FAILED:
        return ours.outcome == PARTIAL  # the workbench's own unfinished run, which the tool marks dirty
    return ours.outcome in (APPLIED, PARTIAL)


# -- status ---------------------------------------------------------------------------------

STATES = ("applied", "pending", "failed", "drifted")


@dataclass(frozen=True)
class Status:
    """One line of `migrate status`: a file, a ledger entry, or both."""

    version: str
    name: str
    state: str  # applied | pending | failed | drifted
    migration: Migration | None
    entry: Entry | None

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    @property
    def missing_file(self) -> bool:
        return self.migration is None

    def to_dict(self) -> dict[str, Any]:
        """The `migrate status --json` contract for one migration."""
        e = self.entry
        return {
            "version": self.version,
            "name": self.name,
            "state": self.state,
            "applied_at": (e.applied_at or None) if e and e.outcome in (APPLIED, PARTIAL) else None,
            "duration_ms": e.duration_ms if e else None,
            "checksum": e.checksum if e else self.migration.checksum if self.migration else None,
            "file": str(self.migration.path) if self.migration else None,
            "has_down": bool(self.migration and self.migration.down_sql is not None),
            "statements_run": e.statements_run if e else None,
            "statements_total": e.statements_total if e else None,
            "failed_statement": e.failed_statement if e and e.outcome in (FAILED, PARTIAL) else None,
            "error": e.error if e and e.outcome in (FAILED, PARTIAL) else None,
            "rolled_back_at": e.rolled_back_at if e else None,
            "adopted_from": e.adopted_from if e else None,
            "applied_by": e.applied_by if e else None,
        }


def status(migrations: Sequence[Migration], entries: dict[str, Entry]) -> list[Status]:
    """Files and ledger merged, oldest first. An applied entry without a file stays listed."""
    out: list[Status] = []
    seen = set()
    for m in migrations:
        seen.add(m.canonical)
        e = entries.get(m.canonical)
        out.append(Status(m.version, m.name, _state(m, e), m, e))
    for version, e in entries.items():
        if version not in seen and e.outcome in (APPLIED, PARTIAL):
            out.append(Status(e.version_text, e.name, "applied", None, e))
    return sorted(out, key=lambda s: s.key)


def _state(m: Migration, e: Entry | None) -> str:
    if e is None or e.outcome == ROLLED_BACK:
        return "pending"
    if e.outcome in (FAILED, PARTIAL):
        return "failed"
    if e.checksum != m.checksum:
        return "pending" if m.repeatable else "drifted"  # a changed repeatable runs again
    return "applied"


def find(statuses: Sequence[Status], version: str) -> Status:
    """The status of `version` as the user wrote it (`001` = `1`), or a UsageError."""
    try:
        wanted = canonical_version(version)
    except ValueError:
        raise UsageError(f"not a version: {version!r} (use the number in the file name, e.g. 003)") from None
    for s in statuses:
        if canonical_version(s.version) == wanted:
            return s
    raise UsageError(f"no migration with version {version} in the folder or the ledger")
