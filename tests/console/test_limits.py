"""A profile's statement_timeout and lock_timeout bound every statement the console runs, and a
change stopped by one keeps nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import judge
from workbench.console.records import ROWS_BY_KEY, ChangePreview
from workbench.console.session import Console
from workbench.db import connect
from workbench.db.base import Connection, DatabaseError, QueryTimeout
from workbench.errors import ConfigError
from workbench.project import load_project

SLOW = {
    "sqlite": "UPDATE item SET name = (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
    "WHERE n < 100000000) SELECT count(*) FROM r)",
    "postgresql": "UPDATE item SET name = 'x' WHERE pg_sleep(5) IS NOT NULL",
}


def console(conn: Connection, url: str, tmp_path: Path, setting: str) -> Console:
    url = url.replace('"', '\\"')
    (tmp_path / "workbench.toml").write_text(f'[profiles.dev]\nurl = "{url}"\n{setting}\n')
    return Console(conn, project=load_project(tmp_path), profile="dev")


@pytest.fixture
def item(conn: Connection) -> Connection:
    conn.execute_script("CREATE TABLE item (id integer PRIMARY KEY, name text); INSERT INTO item VALUES (1, 'a');")
    return conn


def test_a_statement_past_its_timeout_is_stopped_and_keeps_nothing(
    backend_url: str, item: Connection, tmp_path: Path
) -> None:
    before = judge.snapshot(backend_url)
    session = console(item, backend_url, tmp_path, 'statement_timeout = "300ms"')
    with pytest.raises(QueryTimeout):
        session.preview(SLOW[item.backend.name])
    (write,) = Console(item).classify(SLOW[item.backend.name])
    with pytest.raises(QueryTimeout):
        session.run_change(ChangePreview(write, None, ROWS_BY_KEY, ("item",)))
    judge.assert_same(before, judge.snapshot(backend_url))
    assert session.read(Console(item).classify("SELECT count(*) FROM item")[0]).scalar() == 1  # the session still works


def test_a_statement_waiting_for_a_lock_gives_up_after_the_lock_timeout(
    backend_url: str, item: Connection, tmp_path: Path
) -> None:
    session = console(item, backend_url, tmp_path, 'lock_timeout = "200ms"')
    (preview,) = session.preview("UPDATE item SET name = 'b'")
    other = connect(backend_url)
    try:
        with other.transaction(immediate=True):
            other.execute("UPDATE item SET name = 'held'")
            with pytest.raises(DatabaseError, match="(?i)lock|busy"):
                session.run_change(preview)
    finally:
        other.close()
    assert item.query("SELECT name FROM item").scalar() == "held"


@pytest.mark.parametrize(("value", "seconds"), [('"30s"', 30.0), ('"250ms"', 0.25), ('"2m"', 120.0), ("5", 5.0)])
def test_profile_durations_read_as_seconds(tmp_path: Path, value: str, seconds: float) -> None:
    (tmp_path / "workbench.toml").write_text(f'[profiles.dev]\nurl = "x.db"\nstatement_timeout = {value}\n')
    assert load_project(tmp_path).profile("dev").statement_timeout == seconds


def test_a_malformed_duration_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('[profiles.dev]\nurl = "x.db"\nlock_timeout = "soon"\n')
    with pytest.raises(ConfigError, match=r'profiles\.dev\.lock_timeout must be a duration such as "30s"') as caught:
        load_project(tmp_path)
    assert caught.value.exit_code == 2
