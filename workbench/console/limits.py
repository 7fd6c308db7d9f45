"""How long a console statement may run and wait for a lock, per project (`statement_timeout`,
`lock_timeout` in the project config, when set), and putting the lock timeout on a connection.

The statement timeout is applied per read by `Connection.read_only(timeout_s)`. The lock timeout is
a session setting: PostgreSQL's `lock_timeout`; SQLite's connections already wait 5 s for a locked
file (the backend's busy timeout), which is this module's default too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.db.base import Connection

DEFAULT_LOCK_TIMEOUT_S = 5.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m)?\s*$")


@dataclass(frozen=True)
class Limits:
    """Seconds a statement may run, and may wait for a lock (None: no limit)."""

    statement_timeout_s: float | None = None
    lock_timeout_s: float | None = DEFAULT_LOCK_TIMEOUT_S


def limits(project: object) -> Limits:
    """The project's `statement_timeout` / `lock_timeout` (`30s`, `500ms`, `2min`, or seconds) when it
    sets them (read by name: older configs have neither); else no statement timeout and 5 s for locks."""
    statement = seconds(getattr(project, "statement_timeout", None))
    lock = seconds(getattr(project, "lock_timeout", None))
    return Limits(statement, lock if lock is not None else DEFAULT_LOCK_TIMEOUT_S)


def seconds(value: object) -> float | None:
    """A duration as seconds; None for no value, zero, or text that is not a duration."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) or None
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2) or "s"
    return (number / 1000 if unit == "ms" else number * 60 if unit in ("min", "m") else number) or None


def apply_lock_timeout(conn: Connection, limit: Limits) -> None:
    """Make the session give up waiting for a lock after `limit.lock_timeout_s` (PostgreSQL)."""
    if conn.backend.name == "postgresql" and limit.lock_timeout_s:
        conn.execute(f"SET lock_timeout = {int(limit.lock_timeout_s * 1000)}")
