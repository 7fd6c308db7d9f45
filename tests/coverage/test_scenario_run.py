"""Running scenarios on both backends: results per step, isolation, and nothing left behind."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from workbench.coverage.scenarios import parse_scenarios, run_file, run_scenarios
from workbench.db import Connection
from workbench.db.catalog_diff import diff

SCHEMA = """
CREATE TABLE bizes (id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE notes (
  id      text PRIMARY KEY,
  biz_id  text NOT NULL REFERENCES bizes (id),
  note    text NOT NULL,
  pinned  boolean DEFAULT false NOT NULL,
  status  text DEFAULT 'open' NOT NULL CHECK (status IN ('open', 'done'))
);
INSERT INTO bizes VALUES ('b1', 'Harbor Physio'), ('b2', 'Northside Yoga');
INSERT INTO notes (id, biz_id, note) VALUES ('n1', 'b1', 'quiet room');
"""

SCENARIOS = """
-- Setup: a second note every scenario sees.
INSERT INTO notes (id, biz_id, note, pinned) VALUES ('n2', 'b1', 'bring towels', true);

-- scenario: staff pin a note
-- Write a third note.
INSERT INTO notes (id, biz_id, note, pinned) VALUES ('n3', 'b2', 'allergic to lavender', true);
-- expect: 2
SELECT count(*) FROM notes WHERE pinned;
-- The business gets a new name.
UPDATE bizes SET name = 'Harbor Physio & Rehab' WHERE id = 'b1';

-- scenario: earlier scenarios left nothing behind
-- expect: 1
SELECT count(*) FROM notes WHERE pinned;

-- scenario: a bad status is refused and the scenario goes on
-- expect: error
INSERT INTO notes (id, biz_id, note, status) VALUES ('n4', 'b1', 'x', 'lost');
-- expect: rows: 2
SELECT id FROM notes;

-- scenario: a wrong expectation is reported at its step
DELETE FROM notes WHERE id = 'n1';
-- Count what is left.
-- expect: 5
SELECT count(*) FROM notes;
SELECT 'never reached';

-- scenario: an unexpected error stops the scenario
INSERT INTO missing_table VALUES (1);
SELECT 1;

-- scenario: the schema can change inside a scenario
CREATE TABLE scratch (id integer PRIMARY KEY);
INSERT INTO scratch VALUES (1);
-- expect: 1
SELECT count(*) FROM scratch;
"""


def build(conn: Connection) -> None:
    with conn.transaction():
        conn.execute_script(SCHEMA)


def checksums(conn: Connection) -> dict[str, str]:
    catalog = conn.introspect()
    return {t.qualified_name: conn.table_checksum(t.schema, t.name) for t in catalog.tables}


def test_scenarios_report_each_outcome_at_its_step(conn: Connection) -> None:
    build(conn)
    file = parse_scenarios(textwrap.dedent(SCENARIOS), Path("uc.sql"), dialect=conn.backend.name)
    results = {r.name: r for r in run_file(conn, file)}
    assert [(name, r.status) for name, r in results.items()] == [
        ("staff pin a note", "pass"),
        ("earlier scenarios left nothing behind", "pass"),
        ("a bad status is refused and the scenario goes on", "pass"),
        ("a wrong expectation is reported at its step", "fail"),
        ("an unexpected error stops the scenario", "error"),
        ("the schema can change inside a scenario", "pass"),
    ]
    wrong = results["a wrong expectation is reported at its step"]
    assert (wrong.failed_step.line, wrong.failed_step.label) == (27, "Count what is left.")
    assert (wrong.failed_step.expected, wrong.failed_step.actual) == ("5", "1")
    assert len(wrong.steps) == 2  # stopped there: 'never reached' did not run
    broken = results["an unexpected error stops the scenario"]
    assert broken.failed_step.line == 31 and "missing_table" in broken.failed_step.error
    assert len(broken.steps) == 1


def test_scenarios_leave_no_data_and_no_schema_behind(conn: Connection) -> None:
    build(conn)
    before_sums, before_catalog = checksums(conn), conn.introspect()
    run_scenarios(conn, [parse_scenarios(textwrap.dedent(SCENARIOS), Path("uc.sql"), dialect=conn.backend.name)])
    assert checksums(conn) == before_sums
    assert not diff(before_catalog, conn.introspect())
    assert not conn.in_transaction()


def test_failing_setup_fails_every_scenario_of_the_file(conn: Connection) -> None:
    build(conn)
    text = "INSERT INTO notes (id) VALUES ('only-id');\n-- scenario: a\nSELECT 1;\n-- scenario: b\nSELECT 2;\n"
    results = run_file(conn, parse_scenarios(text, Path("uc.sql"), dialect=conn.backend.name))
    assert [(r.status, r.failed_step.line) for r in results] == [("error", 1), ("error", 1)]


def test_steps_for_another_backend_are_left_out(conn: Connection) -> None:
    build(conn)
    other = "sqlite" if conn.backend.name == "postgresql" else "postgresql"
    text = f"-- scenario: mine\nSELECT 1;\n-- scenario: theirs\n-- backend: {other}\nSELECT 1;\n"
    results = run_file(conn, parse_scenarios(text, Path("uc.sql"), dialect=conn.backend.name))
    assert [r.name for r in results] == ["mine"]


def test_progress_is_reported_per_file(conn: Connection) -> None:
    build(conn)
    files = [parse_scenarios("SELECT 1;\n", Path(f"uc-{i}.sql"), dialect=conn.backend.name) for i in range(3)]
    seen: list[tuple[int, int]] = []
    results = run_scenarios(conn, files, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [r.status for rs in results.values() for r in rs] == ["pass"] * 3


@pytest.mark.parametrize("statement", ["COMMIT", "ROLLBACK", "END"])
def test_transaction_control_is_refused_before_anything_runs(statement: str) -> None:
    with pytest.raises(Exception, match="scenarios cannot use"):
        parse_scenarios(f"-- scenario: escape\nDELETE FROM notes;\n{statement};\n", Path("uc.sql"), dialect="sqlite")
