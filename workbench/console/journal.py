"""The change journal: one row per change run from the console, among the workbench's own objects."""

from __future__ import annotations

from workbench.console.session import ChangeRecord
from workbench.db.base import Connection


def changes(conn: Connection) -> list[ChangeRecord]:
    """Every change, newest first; empty when the console never wrote here."""
    raise NotImplementedError


def change(conn: Connection, change_id: int) -> ChangeRecord:
    """One change; a UsageError when there is none with that id."""
    raise NotImplementedError
