"""Running planned steps on a connection, with progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.migrations.progress import Progress, ProgressCallback
from workbench.migrations.steps import Step


def user_catalog(conn: Connection) -> Catalog:
    """The database's schema without the workbench's own objects."""
    return conn.introspect().without(is_workbench_object)


def run_steps(conn: Connection, steps: Sequence[Step], version: str, progress: ProgressCallback) -> None:
    """Run the SQL of `steps` in order, reporting each step done (`restore` phase, with the rows
    it copied). Consecutive steps marked `any_order` (views that may read each other) are
    retried, each in a savepoint, until they all succeed or none of the rest can."""
    runnable = [s for s in steps if s.sql]

    def done(step: Step, rows: int | None) -> None:
        progress(Progress("restore", version, runnable.index(step) + 1, len(runnable), rows, step.table, step.text))

    i = 0
    while i < len(runnable):
        if runnable[i].any_order:
            group = []
            while i < len(runnable) and runnable[i].any_order:
                group.append(runnable[i])
                i += 1
            _run_in_any_order(conn, group, done)
            continue
        step = runnable[i]
        try:
            copied = [conn.execute(sql) for sql in step.sql]
        except DatabaseError as exc:  # name the step: the bare error rarely says what was being done
            raise type(exc)(f"{step.text}: {exc}", exc.sqlstate) from None
        # rows copied back are INSERT … SELECT from a backup; statistics put back beside them are VALUES
        rows = sum(
            max(n, 0)
            for n, sql in zip(copied, step.sql, strict=True)
            if sql.lstrip()[:6].upper() == "INSERT" and " SELECT " in sql
        )
        done(step, rows if step.action == "restore" else None)
        i += 1


def _run_in_any_order(conn: Connection, steps: list[Step], done: Callable[[Step, int | None], None]) -> None:
    pending = list(steps)
    while pending:
        failed: list[Step] = []
        error: DatabaseError | None = None
        for step in pending:
            try:
                with conn.savepoint():
                    for sql in step.sql:
                        conn.execute(sql)
            except DatabaseError as exc:
                failed.append(step)
                error = exc
                continue
            done(step, None)
        if len(failed) == len(pending):
            assert error is not None
            raise error
        pending = failed
