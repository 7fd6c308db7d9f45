"""Bad targets: one sentence, exit 2, never a traceback — through the API and the CLI."""

from __future__ import annotations

import subprocess
import uuid
import sys
from pathlib import Path

import pytest

from tests.conftest import pg_url_for
from workbench.db import connect, redact


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=60)


def assert_one_sentence_exit_2(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_url_scheme(tmp_path: Path) -> None:
    proc = run_cli("inspect", "mysql://root:hunter2@localhost/shop")
    assert_one_sentence_exit_2(proc, "cannot tell which database")
    assert "hunter2" not in proc.stderr


def test_missing_sqlite_file(tmp_path: Path) -> None:
    proc = run_cli("inspect", str(tmp_path / "nope.db"))
    assert_one_sentence_exit_2(proc, "not found", "nope.db")
    assert not (tmp_path / "nope.db").exists(), "a typo must not create an empty database"


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n" * 20)
    proc = run_cli("inspect", str(notes))
    assert_one_sentence_exit_2(proc, "not a SQLite database", "notes.txt")


def test_refused_connection_names_host_and_port() -> None:
    proc = run_cli("inspect", "postgresql://app:s3cret@127.0.0.1:5433/shop")
    assert_one_sentence_exit_2(proc, "could not connect to 127.0.0.1:5433", "connection refused")
    assert "s3cret" not in proc.stderr


def test_wrong_password_message_names_the_user_but_not_the_password() -> None:
    # The test server trusts every login, so the server's real reply is fed to the rewriter.
    import psycopg

    from workbench.db.postgres import _connect_message

    reply = (
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
        'FATAL:  password authentication failed for user "app"'
    )
    message = _connect_message(psycopg.OperationalError(reply), {"host": "10.0.0.5", "port": "5432", "password": "pw1"})
    assert message == 'could not connect to 10.0.0.5:5432: password authentication failed for user "app"'


@pytest.mark.postgres
def test_missing_database(pg_url: str) -> None:
    url = pg_url_for("wb_no_such_database_here")
    proc = run_cli("inspect", url)
    assert_one_sentence_exit_2(proc, 'database "wb_no_such_database_here" does not exist')


def test_redact_hides_passwords_in_every_form() -> None:
    assert redact("postgresql://app:s3cret@db:5432/shop") == "postgresql://app@db:5432/shop"
    assert "s3cret" not in redact("host=db user=app password=s3cret dbname=shop")
    assert "s3cret" not in redact("postgresql://db/shop?user=app&password=s3cret")
    assert "s3cret" not in redact("mysql://app:s3cret@db/shop")


def test_connection_repr_never_shows_the_password(pg_url: str) -> None:
    with_password = pg_url.replace("postgres@", "postgres:not-needed@", 1)
    conn = connect(with_password)
    try:
        assert "not-needed" not in repr(conn)
        assert "not-needed" not in conn.display_url
    finally:
        conn.close()


@pytest.mark.postgres
def test_create_option_makes_a_missing_postgres_database(pg_url: str) -> None:
    from tests.conftest import drop_pg_database

    name = f"wb_created_{uuid.uuid4().hex[:8]}"
    try:
        conn = connect(pg_url_for(name), options={"create": True})
        assert conn.query("SELECT current_database()").scalar() == name
        conn.close()
    finally:
        drop_pg_database(name)
