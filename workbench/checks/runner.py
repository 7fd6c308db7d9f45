"""Running checks: one connection, read-only, a statement timeout, results as they come.

What callers may rely on:

- Checks run in order on the one connection given, inside a read-only transaction
  (`Connection.read_only`) that is always rolled back. Consecutive checks share that transaction,
  so a run costs one round trip per check; after a check errors the transaction is rolled back
  and a new one opened for the checks that follow.
- A check is exactly one statement that only reads, as the database's own parser (PostgreSQL)
  or authorizer (SQLite) judges it. Anything else (transaction control, a writable CTE, COPY,
  session settings, server-side file functions, …) is refused before any of it runs, and the
  check is an `error`, whatever it expected: a check that is not a query never passes.
- A check that `writes` (the idempotency built-in) runs alone in its own transaction, which it
  rolls back itself.
- `run_checks` is a generator: each result is yielded as soon as its check finished, so a
  screen can show progress. A `QueryCancelled` (from `Connection.cancel()` in another thread)
  ends the run after yielding the cancelled check's result.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from workbench.checks.checkfile import Check
from workbench.checks.expectations import Outcome
from workbench.db.base import Connection, DatabaseError, QueryCancelled, StatementRefused
from workbench.db.catalog import Catalog

Status = Literal["pass", "fail", "error", "skipped"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "error", "skipped")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one check. `expected`/`actual` are display text (see `expectations`)."""

    check: Check
    status: Status
    expected: str
    actual: str = ""
    error: str | None = None
    detail: tuple[str, ...] = ()
    duration_ms: float = 0.0

    @property
    def name(self) -> str:
        return self.check.name

    @property
    def file(self) -> str:
        return self.check.file

    def to_dict(self) -> dict[str, Any]:
        """The `verify --json` entry: name, file, line, status, expected, actual, error, duration_ms, detail."""
        return {
            "name": self.name,
            "file": self.file,
            "line": self.check.line,
            "status": self.status,
            "expected": self.expected,
            "actual": self.actual if self.status != "skipped" else None,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 3),
            "detail": list(self.detail),
        }


@dataclass(frozen=True)
class Summary:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, results: Iterable[CheckResult]) -> Summary:
        counts = {status: 0 for status in STATUSES}
        for result in results:
            counts[result.status] += 1
        return cls(counts["pass"], counts["fail"], counts["error"], counts["skipped"])

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped

    @property
    def ok(self) -> bool:
        """No check failed or errored (skipped checks do not count against a run)."""
        return not (self.failed or self.errors)

    def to_dict(self) -> dict[str, int]:
        return {"passed": self.passed, "failed": self.failed, "errors": self.errors, "skipped": self.skipped}

    def line(self) -> str:
        """`12 checks: 10 passed, 1 failed, 1 error, 0 skipped` — the summary line of every report."""
        checks = "check" if self.total == 1 else "checks"
        errors = "error" if self.errors == 1 else "errors"
        return (
            f"{self.total} {checks}: {self.passed} passed, {self.failed} failed, "
            f"{self.errors} {errors}, {self.skipped} skipped"
        )


class RunContext:
    """What a check may read while it runs: the connection, and the catalog read once per run."""

    def __init__(self, conn: Connection, catalog: Catalog | None = None) -> None:
        self.conn = conn
        if catalog is not None:
            self.__dict__["catalog"] = catalog

    @cached_property
    def catalog(self) -> Catalog:
        return self.conn.introspect()


def run_checks(
    conn: Connection,
    checks: Iterable[Check],
    *,
    timeout_s: float | None = DEFAULT_TIMEOUT_S,
    catalog: Catalog | None = None,
) -> Iterator[CheckResult]:
    """Run `checks` in order and yield one result each (see the module docstring).

    Checks for another backend are `skipped`. `catalog`, when the caller has one, saves the
    built-in checks a read of the schema.
    """
    context = RunContext(conn, catalog)
    backend = conn.backend.name
    queue = deque(checks)
    while queue:
        failed: tuple[CheckResult, DatabaseError] | None = None
        if queue[0].writes:
            result, error = _run_one(context, queue.popleft(), backend)
            failed = (result, error) if error else None
            if not failed:
                yield result
        else:
            with conn.read_only(timeout_s):
                while queue and not queue[0].writes:
                    result, error = _run_one(context, queue.popleft(), backend)
                    if error:  # on PostgreSQL the transaction is now unusable: roll back first
                        failed = (result, error)
                        break
                    yield result
        if failed:
            yield failed[0]
            if isinstance(failed[1], QueryCancelled):
                return


def _run_one(context: RunContext, check: Check, backend: str) -> tuple[CheckResult, DatabaseError | None]:
    """Run one check; the database error it raised, if any, comes back beside its result."""
    reason = check.skip_reason(backend)
    if reason:
        return CheckResult(check, "skipped", check.expectation.text, error=reason), None
    start = time.perf_counter()
    error: DatabaseError | None = None
    try:
        actual: Any = check.fetch(context)
    except StatementRefused as exc:  # nothing ran and the transaction is intact: no error to pass on
        elapsed = (time.perf_counter() - start) * 1000
        return CheckResult(check, "error", check.expectation.text, error=str(exc), duration_ms=elapsed), None
    except DatabaseError as exc:
        actual = error = exc
    outcome: Outcome = check.expectation.evaluate(actual)
    elapsed = (time.perf_counter() - start) * 1000
    result = CheckResult(
        check, outcome.status, outcome.expected, outcome.actual, outcome.error, outcome.detail, elapsed
    )
    return result, error
