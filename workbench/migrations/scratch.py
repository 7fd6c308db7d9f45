"""Replays on a scratch copy: a statement whose effect would leave the copy is skipped, and named.

A scratch copy is a database of its own, but it lives on the same server as the real one: roles,
databases, tablespaces, subscriptions and the server's configuration are shared by the whole
cluster. A `Migrator(..., scratch=True)` asks the connection (`Connection.leaves_database`)
about each statement of an up script, a down script or an inverse before it runs it, skips
those that would act outside the copy and records each as a `Skipped`, so that the coverage
timeline and the report can say what the copy did not run. A plain Migrator runs everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.migrations.engine import Migrator


@dataclass(frozen=True)
class Skipped:
    """A statement a replay did not run: of migration `version`, its `script` (up, down or
    inverse), the `statement`-th (1-based) of that script, and why."""

    version: str
    script: str
    statement: int
    reason: str

    def describe(self) -> str:
        return f"{self.version} {self.script}, statement {self.statement}: {self.reason}"


def may_run(mg: Migrator, version: str, script: str, statement: int, sql: str) -> bool:
    """Whether `sql` runs; on a scratch replay one that would leave the copy is recorded instead."""
    if not mg.scratch:
        return True
    reason = mg.conn.leaves_database(sql)
    if reason is None:
        return True
    mg.skipped.append(Skipped(version, script, statement, reason))
    return False
