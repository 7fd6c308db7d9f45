"""A rollback rehearsed: run in full inside a transaction that is then rolled back.

The carry of rows written since an apply depends on those rows (does a value cast back, does the
row it refers to exist), so the only exact forecast is the rollback itself. Both backends undo
DDL with the transaction, so the rehearsal leaves nothing behind; it runs quietly (no progress)
and keeps every row that does not fit aside, so that all of them are named.
"""

from __future__ import annotations

from workbench.db.base import rolled_back
from workbench.errors import WorkbenchError
from workbench.migrations.engine import Migrator
from workbench.migrations.replay import Carried


def rehearse(mg: Migrator, to: str | None, steps: int | None) -> tuple[dict[str, tuple[Carried, ...]], str]:
    """Per migration (version as written), what its rollback would carry over and set aside;
    and, when the rehearsal itself failed, why (one sentence)."""
    quiet = Migrator(mg.conn, mg.migrations, None, mg.lock_timeout)
    carried: dict[str, tuple[Carried, ...]] = {}
    problem = ""
    try:
        with rolled_back(mg.conn):
            report = quiet.down(to, steps, keep_aside=True)
            carried = {m.version: m.carried for m in report.migrations if m.carried}
            failure = report.failure
            if failure is not None:
                problem = f"the rehearsal of the rollback failed: {failure.describe()}"
    except WorkbenchError as exc:
        problem = f"the rehearsal of the rollback failed: {exc}"
    return carried, problem
