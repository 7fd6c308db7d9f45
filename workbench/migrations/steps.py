"""The unit of every plan: one step a person can read and the engine can run.

Plans (`plan.py`) and repairs (`reconcile.py`) are lists of steps; the engine runs exactly the
steps that were shown. A step's `sql` is already rendered for the connection it was planned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any

from workbench.migrations.analysis import StatementInfo
from workbench.migrations.lint import Finding


@dataclass(frozen=True)
class Step:
    """One step. `action` is one of:

    backup (copy a table aside), statement (run one statement of the migration), skip (a
    statement the workbench handles itself, e.g. the file's own BEGIN), ledger (record the
    outcome), drop / create / alter (schema repair), restore (rows back from a backup),
    verify (compare with the recorded schema and repair what still differs).
    """

    action: str
    text: str
    sql: tuple[str, ...] = ()
    table: str | None = None  # schema.name of the table it concerns
    rows: int | None = None  # rows it copies or holds, when known
    statement: StatementInfo | None = None
    findings: tuple[Finding, ...] = ()
    transactional: bool = True
    any_order: bool = False  # statements that depend on each other in an order unknown (views)
    run: Sequence[StatementInfo] = ()  # further statements doing the same as `statement` (a seed's rows)

    @property
    def statements(self) -> tuple[StatementInfo, ...]:
        """Every statement this step runs, in order."""
        return (*((self.statement,) if self.statement is not None else ()), *self.run)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "text": self.text}
        if self.table:
            out["table"] = self.table
        if self.rows is not None:
            out["rows"] = self.rows
        if self.statement is not None:
            st = self.statement
            out.update(
                statement=st.index,
                line=st.line,
                kind=st.kind,
                tables=list(st.tables),
                columns=list(st.columns),
                loses_data=st.loses_data,
                transactional=self.transactional,
                heavy_lock=st.heavy_lock,
            )
            if self.run:
                out["through_statement"] = st.index + len(self.run)
        if self.findings:
            out["warnings"] = [f.to_dict() for f in self.findings]
        if self.sql:
            out["sql"] = list(self.sql)
        return out
