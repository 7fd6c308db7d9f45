"""Scratch means scratch: a replay on a scratch copy never acts on the rest of the server (roles
stay as they are, judged by `pg_roles`), and copies left behind by runs killed with SIGKILL are
removed by the next run (judged by `pg_database` and the file system)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_ADMIN_URL
from workbench.cli import main
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator


def roles(*names: str) -> set[str]:
    """Which of `names` are roles of the cluster now (other tests make roles of their own meanwhile)."""
    admin = connect(PG_ADMIN_URL)
    try:
        return {r[0] for r in admin.query("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(names),)).rows}
    finally:
        admin.close()


@pytest.fixture
def real_role(pg_url: str) -> Iterator[str]:
    """A login role of the cluster, as a real deployment has; dropped after the test."""
    name = f"wb_real_{uuid.uuid4().hex[:8]}"
    admin = connect(PG_ADMIN_URL)
    admin.execute(f"CREATE ROLE {name} LOGIN")
    try:
        yield name
    finally:
        admin.execute(f"DROP ROLE IF EXISTS {name}")
        admin.close()


@pytest.fixture
def new_role() -> Iterator[str]:
    """The name of a role a pending migration creates: it must never come to exist."""
    name = f"wb_test_x_{uuid.uuid4().hex[:8]}"
    yield name
    admin = connect(PG_ADMIN_URL)
    try:
        admin.execute(f"DROP ROLE IF EXISTS {name}")
    finally:
        admin.close()


@pytest.mark.postgres
def test_report_skips_role_statements_on_the_copy_and_names_them(
    pg_url: str, real_role: str, new_role: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "001_reports.up.sql").write_text("CREATE TABLE reports (id integer PRIMARY KEY);\n")
    (migrations / "001_reports.down.sql").write_text(f"DROP ROLE {real_role};\nDROP TABLE reports;\n")
    (migrations / "002_auditor.up.sql").write_text(f"CREATE ROLE {new_role};\n")
    (migrations / "002_auditor.down.sql").write_text(f"DROP ROLE {new_role};\n")
    (tmp_path / "workbench.toml").write_text("")
    conn = connect(pg_url)
    try:
        assert Migrator(conn, migrations).up(to="001").ok
    finally:
        conn.close()
    assert roles(real_role, new_role) == {real_role}

    code = main(["report", pg_url, "--project", str(tmp_path)])

    report = capsys.readouterr().out
    assert roles(real_role, new_role) == {real_role}
    assert code == 0
    assert "## Not Run on the Copy" in report
    assert "- 001 down, statement 1: DROP ROLE: roles belong to the whole server" in report
    assert "- 002 up, statement 1: CREATE ROLE: roles belong to the whole server" in report


@pytest.mark.postgres
def test_a_replay_runs_do_blocks_that_stay_in_the_database_and_skips_the_rest(pg_url: str, tmp_path: Path) -> None:
    role = f"wb_do_{uuid.uuid4().hex[:8]}"
    files = {
        "001_local.sql": "DO $$BEGIN CREATE TABLE made_by_do (id integer); END$$;\n",
        "002_dynamic.sql": f"DO $$BEGIN EXECUTE 'CREATE ROLE ' || '{role}_a'; END$$;\n",
        "003_plain.sql": f"DO $$BEGIN IF true THEN CREATE ROLE {role}_b; END IF; END$$;\n",
        "004_function.sql": f"CREATE FUNCTION make_role() RETURNS void LANGUAGE plpgsql AS $$BEGIN CREATE ROLE {role}_c; END$$;\n"
        "SELECT make_role();\n",
    }
    for name, sql in files.items():
        (tmp_path / name).write_text(sql)
    conn = connect(pg_url)
    try:
        with conn.scratch_copy() as scratch:
            migrator = Migrator(scratch, tmp_path, scratch=True)
            assert migrator.up().ok
            assert scratch.query("SELECT count(*) FROM made_by_do").scalar() == 0
            skipped = [s.describe() for s in migrator.skipped]
        assert roles(f"{role}_a", f"{role}_b", f"{role}_c") == set()
    finally:
        for suffix in "abc":  # had the replay made them
            conn.execute(f"DROP ROLE IF EXISTS {role}_{suffix}")
        conn.close()
    assert skipped == [
        "002 up, statement 1: a DO block: it runs SQL built while it runs (EXECUTE), so it could act outside the database",
        "003 up, statement 1: CREATE ROLE in a DO block: roles belong to the whole server",
        "004 up, statement 2: CREATE ROLE in function make_role(): roles belong to the whole server",
    ]


# -- copies of runs that died ------------------------------------------------------------------------

HOLD_A_COPY = textwrap.dedent("""
    import sys, time
    from workbench.db import connect
    conn = connect(sys.argv[1])
    with conn.scratch_copy() as copy:
        print(getattr(copy, "path", None) or copy.query("SELECT current_database()").scalar(), flush=True)
        time.sleep(600)
""")


def killed_while_copying(url: str) -> str:
    """Start a run that makes a scratch copy, SIGKILL it while the copy exists: the copy's name."""
    run = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_COPY, url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        line = run.stdout.readline().strip() if run.stdout else ""
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(30)
    assert line, "the run printed no copy"
    return line


def leftover_exists(conn: Connection, name: str) -> bool:
    if conn.backend.name == "sqlite":
        return Path(name).parent.exists()
    return bool(conn.query("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).scalar())


def wait_until_the_server_saw_it_die(conn: Connection, name: str) -> None:
    """The server ends a dead client's session a moment after the kill; the next run comes after."""
    if conn.backend.name == "sqlite":
        return
    deadline = time.monotonic() + 20
    while conn.query("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)).scalar():
        assert time.monotonic() < deadline, "the killed run's sessions never ended"
        time.sleep(0.1)


def test_the_copy_of_a_killed_run_is_removed_by_the_next_run(backend_url: str) -> None:
    name = killed_while_copying(backend_url)
    conn = connect(backend_url)
    try:
        assert leftover_exists(conn, name)
        wait_until_the_server_saw_it_die(conn, name)
        notes: list[str] = []
        with conn.scratch_copy(notify=notes.append):
            assert not leftover_exists(conn, name)
        assert any(Path(name).parent.name in note or name in note for note in notes), notes
    finally:
        if leftover_exists(conn, name) and conn.backend.name == "postgresql":
            conn.execute(f"DROP DATABASE {conn.quote(name)} WITH (FORCE)")
        conn.close()


def test_a_live_copy_is_left_alone(backend_url: str) -> None:
    first, second = connect(backend_url), connect(backend_url)
    try:
        with first.scratch_copy() as copy:
            name = getattr(copy, "path", None) or copy.query("SELECT current_database()").scalar()
            with second.scratch_copy():
                pass
            assert leftover_exists(first, name)
            assert copy.query("SELECT 1").scalar() == 1
    finally:
        first.close()
        second.close()
