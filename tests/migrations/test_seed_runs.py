"""A seed file's rows are planned as one step and run as every statement, on both backends.

The analysis reads a run of literal-row INSERTs once (`workbench.db.row_runs`); what it returns
must still be every statement, described exactly as reading them one by one describes them, and
the plan and the apply must still account for each row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.db.test_row_runs import ROWS
from tests.db.test_splitting import BOTH, FRAGMENTS
from tests.migrations.helpers import write_files
from workbench.db import Connection, split_statements
from workbench.migrations.analysis import StatementInfo, analyse, analyse_statement
from workbench.migrations.engine import Migrator
from workbench.migrations.ledger import Ledger
from workbench.migrations.progress import Progress, throttled


def one_by_one(sql: str, backend: str) -> tuple[StatementInfo, ...]:
    return tuple(analyse_statement(s.sql, i, s.line) for i, s in enumerate(split_statements(sql, backend), 1))


@pytest.mark.parametrize("backend", BOTH)
def test_reading_runs_describes_every_statement_as_reading_them_one_by_one(backend: str) -> None:
    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.sampled_from(ROWS * 4 + FRAGMENTS[backend]), min_size=1, max_size=12),
        st.sampled_from(["\n", "\n\n", " -- note\n", " "]),
    )
    def check(pieces: list[str], gap: str) -> None:
        sql = "".join(f"{p};{gap}" for p in pieces)
        assert tuple(analyse(sql, backend)) == one_by_one(sql, backend)

    check()


def test_the_statements_are_a_sequence_of_every_statement() -> None:
    sql = "CREATE TABLE t (x int);\n" + "".join(f"INSERT INTO t VALUES ({i});\n" for i in range(5)) + "DROP TABLE u;\n"
    statements = analyse(sql, "sqlite")
    expected = one_by_one(sql, "sqlite")
    assert len(statements) == 7 and statements == expected
    assert [statements[i] for i in range(-7, 7)] == [*expected, *expected]
    assert statements[2:5] == expected[2:5] and statements[::-1] == expected[::-1]
    assert [(first.index, count) for first, count in statements.pieces()] == [(1, 1), (2, 5), (7, 1)]
    with pytest.raises(IndexError):
        statements[7]


def seed(first: int, last: int) -> str:
    return "".join(f"INSERT INTO kept VALUES ({i}, 'row {i}; it''s here');\n" for i in range(first, last + 1))


def test_a_seed_is_one_step_in_the_plan_and_every_row_in_the_database(conn: Connection, tmp_path: Path) -> None:
    conn.execute("CREATE TABLE kept (id integer PRIMARY KEY, note text)")
    write_files(
        tmp_path / "migrations",
        {"001_seed.sql": seed(1, 3000) + "UPDATE kept SET note = 'first' WHERE id = 1;\n" + seed(3001, 5000)},
    )
    mg = Migrator(conn, tmp_path / "migrations")
    plan = mg.plan_up().migrations[0]
    assert [s.text.split(" ", 1)[0] for s in plan.steps if s.action == "statement"] == [
        "1–3000/5001",
        "3001/5001",
        "3002–5001/5001",
    ]
    grouped = json.loads(json.dumps(plan.to_dict()))["steps"]
    assert [(s["statement"], s.get("through_statement")) for s in grouped if s["action"] == "statement"] == [
        (1, 3000),
        (3001, None),
        (3002, 5001),
    ]
    report = mg.up()
    assert report.ok
    assert conn.query("SELECT count(*), min(id), max(id) FROM kept").rows == [(5000, 1, 5000)]
    assert Ledger(conn).entries()["1"].statements_run == 5001


def test_a_run_interrupted_outside_a_transaction_resumes_inside_it(conn: Connection, tmp_path: Path) -> None:
    head = "-- migrate:up transaction:false\nCREATE TABLE kept (id integer PRIMARY KEY, note text);\n"
    rows = seed(1, 5).splitlines(keepends=True)
    broken = [*rows[:3], rows[0], *rows[4:]]  # statement 5 repeats the first row's key
    mg = Migrator(conn, write_files(tmp_path / "migrations", {"001_seed.sql": head + "".join(broken)}))
    report = mg.up()
    assert not report.ok and report.failure is not None and report.failure.statement == 5
    assert Ledger(conn).entries()["1"].statements_run == 4
    mg = Migrator(conn, write_files(tmp_path / "migrations", {"001_seed.sql": head + "".join(rows)}))
    plan = mg.plan_up().migrations[0]
    assert [s.action for s in plan.steps] == ["skip", "skip", "skip", "skip", "statement", "ledger"]
    assert plan.steps[4].text.startswith("5–6/6 data") and len(plan.steps[4].statements) == 2
    assert mg.up().ok
    assert conn.query("SELECT id FROM kept ORDER BY id").rows == [(i,) for i in range(1, 6)]


def test_a_screen_hears_every_backup_and_the_last_statement_but_not_each_row() -> None:
    heard: list[Progress] = []
    report = throttled(heard.append, interval=60.0)
    report(Progress("backup", "1", 1, 1, rows=10, table="main.items"))
    for i in range(1, 100_001):
        report(Progress("statement", "1", i, 100_000))
    report(Progress("migration", "2", 2, 2))
    assert [(p.phase, p.index) for p in heard] == [("backup", 1), ("statement", 100_000), ("migration", 2)]
