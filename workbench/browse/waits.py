"""What a slow read is waiting for: a lock another session holds on the table it reads.

A grid query that stops on a lock (another session ran `LOCK TABLE film`, or an ALTER TABLE is
open) looks like a slow query until someone asks the server. `lock_wait` asks, on a connection
of its own (the waiting one is busy), and names the table, the blocking session and what it
runs, so the screen can say "waiting 12 s for a lock on public.film" instead of "loading".
Only backends whose `capabilities.lock_views` is set can tell; elsewhere the answer is None.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.base import Connection
from workbench.db.catalog import Table, View

# Sessions waiting for a lock on the relation, and the sessions that block them. The probe's own
# session is left out; so are waits on other databases of the server.
_WAITS = """
SELECT blocker.pid, coalesce(blocker.state, ''), coalesce(blocker.query, '')
FROM pg_locks wanted
JOIN pg_stat_activity waiter ON waiter.pid = wanted.pid
CROSS JOIN LATERAL unnest(pg_blocking_pids(wanted.pid)) AS blocking(pid)
JOIN pg_stat_activity blocker ON blocker.pid = blocking.pid
WHERE NOT wanted.granted
  AND wanted.relation = to_regclass({relation})
  AND waiter.datname = current_database()
  AND wanted.pid <> pg_backend_pid()
ORDER BY blocker.pid
LIMIT 1
"""


@dataclass(frozen=True)
class LockWait:
    """A session waits for a lock on `relation`, held (or queued for) by session `blocker`."""

    relation: str
    blocker: int
    blocker_state: str  # pg_stat_activity's state: "active", "idle in transaction", …
    blocker_query: str  # its current statement, or its last one when idle

    def describe(self) -> str:
        query = " ".join(self.blocker_query.split())
        query = query if len(query) <= 60 else query[:59] + "…"
        said = "running" if self.blocker_state == "active" else "last ran"
        state = f"{self.blocker_state}; " if self.blocker_state and self.blocker_state != "active" else ""
        return f"a lock on {self.relation} held by session {self.blocker}" + (
            f" ({state}{said}: {query})" if query else ""
        )


def lock_wait(probe: Connection, relation: Table | View) -> LockWait | None:
    """Who blocks a read of `relation`, asked on `probe` (not the waiting connection); None when nobody
    does, or when the backend cannot tell."""
    if not probe.capabilities.lock_views:
        return None
    source = probe.qualify(relation.schema, relation.name)
    row = probe.query(_WAITS.format(relation=probe.placeholder), [source]).rows
    if not row:
        return None
    pid, state, query = row[0]
    return LockWait(relation.qualified_name, int(pid), str(state), str(query))
