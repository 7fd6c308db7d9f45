"""Undo one journaled change exactly: updated rows get their old values back by key, deleted rows
come back, inserted rows go — refused, with the reason, when those rows were changed since."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.base import Connection


@dataclass(frozen=True)
class UndoReport:
    change_id: int
    rows_restored: int  # rows put back (updated rows' old values, deleted rows)
    rows_removed: int  # rows the change inserted, removed again
    refused: str | None = None  # why nothing was undone (one sentence), else None

    def to_dict(self) -> dict[str, object]:
        return {
            "change_id": self.change_id,
            "rows_restored": self.rows_restored,
            "rows_removed": self.rows_removed,
            "refused": self.refused,
        }


def undo(conn: Connection, change_id: int) -> UndoReport:
    """Undo change `change_id` in one transaction, or refuse and change nothing."""
    raise NotImplementedError
