"""The read-only runner on both backends: every expectation kind, writes refused, timeouts."""

from __future__ import annotations

import threading

import pytest

from workbench.checks.checkfile import parse_checks
from workbench.checks.runner import CheckResult, Summary, run_checks
from workbench.db import Connection

SETUP = """
CREATE TABLE runs (run_id integer PRIMARY KEY, status varchar(20) NOT NULL, started date);
CREATE TABLE run_events (id integer PRIMARY KEY, run_id integer, kind varchar(20));
INSERT INTO runs VALUES (1, 'done', '2024-02-03'), (2, 'done', '2024-02-04'), (3, 'failed', NULL);
INSERT INTO run_events VALUES (10, 1, 'start'), (11, 1, 'stop'), (12, 99, 'start');
"""
SLOW = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 100000000) SELECT count(*) FROM c"


@pytest.fixture
def db(conn: Connection) -> Connection:
    conn.execute_script(SETUP)
    return conn


def run(conn: Connection, text: str, **kwargs: object) -> list[CheckResult]:
    return list(run_checks(conn, parse_checks(text, "checks/t.sql", dialect=conn.backend.name), **kwargs))  # type: ignore[arg-type]


def statuses(results: list[CheckResult]) -> dict[str, str]:
    return {r.name: r.status for r in results}


EVERY_KIND = """
-- check: count passes
-- expect: 3
SELECT count(*) FROM runs;
-- check: count fails
-- expect: 4
SELECT count(*) FROM runs;
-- check: string passes
-- expect: 'failed'
SELECT status FROM runs WHERE run_id = 3;
-- check: null passes
-- expect: NULL
SELECT started FROM runs WHERE run_id = 3;
-- check: date as text passes
-- expect: '2024-02-03'
SELECT started FROM runs WHERE run_id = 1;
-- check: boolean passes
-- expect: true
SELECT count(*) > 2 FROM runs;
-- check: comparison passes
-- expect: >= 2
SELECT count(*) FROM run_events;
-- check: comparison fails
-- expect: < 3
SELECT count(*) FROM run_events;
-- check: between passes
-- expect: between 1 and 3
SELECT max(run_id) FROM runs;
-- check: between fails
-- expect: between 4 and 9
SELECT max(run_id) FROM runs;
-- check: no rows fails on an orphan
-- expect: no rows
SELECT e.id FROM run_events e LEFT JOIN runs r ON r.run_id = e.run_id WHERE r.run_id IS NULL;
-- check: no rows passes
-- expect: no rows
SELECT run_id FROM runs WHERE status = 'unknown';
-- check: row count passes
-- expect: rows: 2
SELECT run_id FROM runs WHERE status = 'done';
-- check: row count fails
-- expect: rows: >= 5
SELECT run_id FROM runs;
-- check: error passes
-- expect: error
SELECT * FROM no_such_table;
-- check: error fails
-- expect: error
SELECT 1;
-- check: table passes
-- expect:
--   status | n
--   failed | 1
--   done   | 2
SELECT status, count(*) AS n FROM runs GROUP BY status;
-- check: table fails
-- expect: ordered
--   status | n
--   failed | 1
--   done   | 3
SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status DESC;
-- check: plain query passes
SELECT * FROM runs;
-- check: broken query errors
-- expect: 3
SELECT count(*) FROM no_such_table;
"""


def test_each_expectation_kind_passes_and_fails_on_both_backends(db: Connection) -> None:
    results = run(db, EVERY_KIND)
    for result in results:
        expected = "error" if result.name.endswith("errors") else "pass" if result.name.endswith("passes") else "fail"
        assert result.status == expected, result
    table_fail = next(r for r in results if r.name == "table fails")
    assert table_fail.detail == ("row 2: expected done | 3; got done | 2",)
    broken = next(r for r in results if r.name == "broken query errors")
    assert "no_such_table" in (broken.error or "")
    assert all(r.duration_ms >= 0 for r in results)


WRITES = """
-- check: delete
-- expect: rows: 0
DELETE FROM runs;
-- check: drop
DROP TABLE run_events;
-- check: insert
INSERT INTO runs VALUES (4, 'x', NULL);
-- check: create
CREATE TABLE sneaky (id integer);
-- check: update in a CTE
-- backend: postgresql
-- expect: error
WITH gone AS (UPDATE runs SET status = 'x' RETURNING run_id) SELECT count(*) FROM gone;
"""


def test_checks_that_write_fail_and_the_data_is_untouched(db: Connection) -> None:
    before = {t: db.table_checksum(db.default_schema, t) for t in ("runs", "run_events")}
    results = [r for r in run(db, WRITES) if r.status != "skipped"]
    assert {r.name: r.status for r in results} == {
        "delete": "error",
        "drop": "error",
        "insert": "error",
        "create": "error",
        **({"update in a CTE": "error"} if db.backend.name == "postgresql" else {}),
    }
    assert all("read-only" in (r.error or r.actual) for r in results), results
    assert {t: db.table_checksum(db.default_schema, t) for t in ("runs", "run_events")} == before
    assert "sneaky" not in {t.name for t in db.introspect().tables}


ESCAPES = """
-- check: commit
COMMIT;
-- check: delete after commit
DELETE FROM runs;
-- check: end
END;
-- check: loosen
SET transaction_read_only = off;
-- check: pragma
PRAGMA query_only = OFF;
-- check: delete at last
DELETE FROM runs;
"""


def test_statements_that_could_leave_the_read_only_transaction_are_refused(db: Connection) -> None:
    results = run(db, ESCAPES)
    assert set(statuses(results).values()) == {"error"}
    assert (results[0].error or "").startswith("COMMIT")
    assert db.row_count(db.default_schema, "runs") == 3


def test_a_slow_check_times_out_and_the_run_goes_on(db: Connection) -> None:
    text = f"-- check: slow\n-- expect: error\n{SLOW};\n-- check: after\n-- expect: 3\nSELECT count(*) FROM runs;"
    slow, after = run(db, text, timeout_s=0.3)
    assert (slow.status, slow.error) == ("error", "query timed out")
    assert slow.duration_ms < 5000
    assert after.status == "pass"


def test_an_error_does_not_spoil_the_checks_after_it(db: Connection) -> None:
    text = "-- check: a\nSELECT * FROM nope;\n-- check: b\n-- expect: 3\nSELECT count(*) FROM runs;\n-- check: c\nSELECT 1 / 1;"
    assert statuses(run(db, text)) == {"a": "error", "b": "pass", "c": "pass"}


def test_checks_for_the_other_backend_are_skipped(db: Connection) -> None:
    other = "sqlite" if db.backend.name == "postgresql" else "postgresql"
    text = f"-- check: mine\n-- backend: {db.backend.name}\nSELECT 1;\n-- check: theirs\n-- backend: {other}\nSELECT 1;"
    mine, theirs = run(db, text)
    assert (mine.status, theirs.status) == ("pass", "skipped")
    assert theirs.to_dict()["actual"] is None


def test_results_arrive_one_by_one(db: Connection) -> None:
    results = run_checks(
        db, parse_checks("-- check: a\nSELECT 1;\n-- check: b\nSELECT * FROM nope;", "t.sql", dialect=db.backend.name)
    )
    first = next(results)
    assert first.name == "a"
    assert next(results).status == "error"
    assert next(results, None) is None


def test_cancel_from_another_thread_stops_the_run(db: Connection) -> None:
    text = f"-- check: slow\n{SLOW};\n-- check: never\nSELECT 1;"
    timer = threading.Timer(0.3, db.cancel)
    timer.start()
    try:
        results = run(db, text, timeout_s=None)
    finally:
        timer.cancel()
    assert [(r.name, r.status, r.error) for r in results] == [("slow", "error", "query cancelled")]
    assert run(db, "-- check: later\n-- expect: 3\nSELECT count(*) FROM runs;")[0].status == "pass"


def test_summary_counts_each_status(db: Connection) -> None:
    summary = Summary.of(run(db, EVERY_KIND))
    assert summary.to_dict() == {"passed": 12, "failed": 7, "errors": 1, "skipped": 0}
    assert summary.line() == "20 checks: 12 passed, 7 failed, 1 error, 0 skipped"
    assert not summary.ok
