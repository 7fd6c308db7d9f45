"""A scenario may write inside its rolled-back transaction and never reach past it: a step that
tries is refused before it runs and is an error, whatever it expected. The witnesses are a fresh
connection, a second session and the file system."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from workbench.coverage.scenarios import parse_scenarios, run_file
from workbench.db import connect
from workbench.errors import ConfigError

SCHEMA = "CREATE TABLE notes (id integer PRIMARY KEY, note text NOT NULL);"


def run(url: str, text: str) -> list[tuple[str, str, str | None]]:
    """(label, status, error) of every step run, after running the file on a connection of its own."""
    conn = connect(url)
    try:
        results = run_file(conn, parse_scenarios(text, Path("scenarios/escape.sql"), dialect=conn.backend.name))
    finally:
        conn.close()
    return [(step.label, step.status, step.error) for result in results for step in result.steps]


def notes_seen_by_a_fresh_connection(url: str) -> int:
    witness = connect(url)
    try:
        return int(witness.query("SELECT count(*) FROM notes").scalar())
    finally:
        witness.close()


@pytest.fixture
def url(backend_url: str) -> str:
    conn = connect(backend_url)
    conn.execute_script(SCHEMA)
    conn.close()
    return backend_url


def test_a_commit_hidden_in_a_string_is_refused_and_the_inserts_are_not_kept(url: str) -> None:
    text = (
        "-- scenario: escape\n"
        "-- A note.\nINSERT INTO notes VALUES (1, 'kept?');\n"
        "-- Hide a commit.\n-- expect: error\nSELECT 'a\\'; COMMIT; -- ';\n"
    )
    # the engine's own lexer sees the COMMIT the text tries to hide: the file is refused, nothing runs
    with pytest.raises(ConfigError, match=r"scenarios/escape.sql:6: scenarios cannot use COMMIT"):
        run(url, text)
    assert notes_seen_by_a_fresh_connection(url) == 0


@pytest.mark.postgres
def test_a_commit_inside_a_do_block_is_an_error_and_the_inserts_are_not_kept(pg_url: str) -> None:
    conn = connect(pg_url)
    conn.execute_script(SCHEMA)
    conn.close()
    steps = run(
        pg_url,
        "-- scenario: escape\n-- A note.\nINSERT INTO notes VALUES (1, 'kept?');\n"
        "-- A commit from a DO block.\n-- expect: error\nDO $$ BEGIN COMMIT; END $$;\n",
    )
    assert [status for _, status, _ in steps] == ["pass", "error"]
    assert notes_seen_by_a_fresh_connection(pg_url) == 0


@pytest.mark.postgres
def test_a_session_lock_taken_by_a_step_does_not_outlive_the_scenario(pg_url: str) -> None:
    steps = run(pg_url, "-- scenario: lock\nSELECT pg_advisory_lock(4343);\n")
    assert steps[0][1] == "error" and "pg_advisory_lock()" in (steps[0][2] or "")
    other = connect(pg_url)
    try:
        assert other.query("SELECT pg_try_advisory_lock(4343)").scalar() is True
    finally:
        other.close()


@pytest.mark.postgres
def test_copy_to_a_program_from_a_step_is_refused_and_runs_nothing(pg_url: str) -> None:
    path = Path(f"/tmp/wb_scenario_{uuid.uuid4().hex[:10]}")
    try:
        steps = run(pg_url, f"-- scenario: program\nCOPY (SELECT 1) TO PROGRAM 'touch {path}';\n")
        created = path.exists()
    finally:
        path.unlink(missing_ok=True)
    assert steps[0][1] == "error" and not created


@pytest.mark.postgres
def test_set_without_local_is_refused_and_set_local_runs(pg_url: str) -> None:
    steps = run(
        pg_url,
        (
            "-- scenario: settings\n-- Local.\nSET LOCAL statement_timeout = 1000;\n"
            "-- Session.\nSET statement_timeout = 1;\n"
        ),
    )
    assert [status for _, status, _ in steps] == ["pass", "error"]
    assert (steps[1][2] or "").startswith("SET without LOCAL")
