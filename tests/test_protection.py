"""A protected profile protects its database, whatever name reaches it: its path or another URL
spelling of it, or another profile that is not protected. Through the CLI, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import pg_url_for
from workbench.cli import main
from workbench.db import Connection
from workbench.project import load_project, resolve_target

DROP = {"001_drop_legacy.sql": "DROP TABLE legacy;\n"}


def another_name(url: str, tmp_path: Path) -> str:
    """The same database spelt differently: a symlink's bare path, or a URL in place of keywords."""
    if url.startswith("sqlite:"):
        alias = tmp_path / "alias.db"
        alias.symlink_to(url.removeprefix("sqlite:///"))
        return str(alias)
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    if str(params.get("host", "")).startswith("/"):  # a server on a Unix socket only (the embedded one)
        return f"postgresql://{params['user']}@/{params['dbname']}?host={params['host']}"
    return f"postgresql://{params['user']}@localhost/{params['dbname']}"  # default port, a host alias


@pytest.fixture
def project(backend_url: str, conn: Connection, tmp_path: Path) -> Path:
    conn.execute_script("CREATE TABLE legacy (id integer PRIMARY KEY); INSERT INTO legacy VALUES (1);")
    root = tmp_path / "project"
    (root / "migrations").mkdir(parents=True)
    for name, sql in DROP.items():
        (root / "migrations" / name).write_text(sql)
    url = backend_url.replace('"', '\\"')
    (root / "workbench.toml").write_text(
        f'[profiles.prod]\nurl = "{url}"\nprotected = true\n\n[profiles.copy]\nurl = "{url}"\n'
    )
    return root


def migrate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["migrate", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", ["another spelling", "an unprotected profile"])
def test_up_and_down_ask_for_the_protected_profiles_name(
    name: str, project: Path, backend_url: str, conn: Connection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = another_name(backend_url, tmp_path) if name == "another spelling" else "copy"
    where = ("--project", str(project))
    code, err = migrate(capsys, "up", target, *where)
    assert (code, err.strip()) == (
        2,
        "workbench: this is the database of the protected profile prod: pass --confirm prod to run these steps",
    )
    assert conn.row_count(conn.default_schema, "legacy") == 1  # nothing ran
    assert migrate(capsys, "up", target, *where, "--confirm", "prod")[0] == 0
    code, err = migrate(capsys, "down", target, *where, "--steps", "1", "--yes")
    assert code == 2 and "pass --confirm prod" in err
    assert migrate(capsys, "down", target, *where, "--steps", "1", "--yes", "--confirm", "prod")[0] == 0
    assert conn.row_count(conn.default_schema, "legacy") == 1


def test_the_protected_profile_itself_says_so_in_its_own_words(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = migrate(capsys, "up", "prod", "--project", str(project))
    assert (code, err.strip()) == (2, "workbench: prod is a protected profile: pass --confirm prod to run these steps")


def test_another_database_on_the_same_server_is_not_protected(project: Path, backend_url: str, tmp_path: Path) -> None:
    other = str(tmp_path / "other.db") if backend_url.startswith("sqlite:") else pg_url_for("postgres")
    assert resolve_target(other, load_project(project)).protected_by is None
