"""sqitch verify scripts become checks for the changes applied, and fail when what they verify is gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from tests.migrations.test_discovery import write

PLAN = "%syntax-version=1.0.0\n%project=flipr\n\n" + "".join(
    f"{n} 2019-05-01T00:00:00Z Marge <marge@example.com> # {n}\n" for n in ("users", "posts")
)
FILES = {
    "migrations/sqitch.plan": PLAN,
    "migrations/deploy/users.sql": "CREATE TABLE users (id integer PRIMARY KEY, nickname text);\n",
    "migrations/revert/users.sql": "DROP TABLE users;\n",
    "migrations/verify/users.sql": "BEGIN;\nSELECT id, nickname FROM users WHERE false;\nSELECT 1 FROM users WHERE false;\nROLLBACK;\n",
    "migrations/deploy/posts.sql": "CREATE TABLE posts (id integer PRIMARY KEY);\n",
    "migrations/verify/posts.sql": "SELECT id FROM posts WHERE false;\n",
    "workbench.toml": "",
}


def checks(capsys: pytest.CaptureFixture[str], url: str, root: Path) -> tuple[int, list[tuple[str, str, str]]]:
    code = main(["verify", url, "--project", str(root), "--json", "--tag", "sqitch-verify"])
    rows = json.loads(capsys.readouterr().out)["checks"]
    return code, [(c["name"], c["file"], c["status"]) for c in rows]


def test_verify_scripts_of_applied_changes_run_as_checks(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(tmp_path, FILES)
    assert main(["migrate", "up", backend_url, "--project", str(root), "--to", "1"]) == 0
    capsys.readouterr()
    code, found = checks(capsys, backend_url, root)
    assert (code, found) == (
        0,
        [
            ("sqitch verify users (1/2)", "migrations/verify/users.sql", "pass"),
            ("sqitch verify users (2/2)", "migrations/verify/users.sql", "pass"),
        ],
    )
    assert main(["migrate", "up", backend_url, "--project", str(root)]) == 0
    capsys.readouterr()
    from workbench.db import connect

    conn = connect(backend_url)
    try:
        conn.execute("DROP TABLE posts")  # behind the workbench's back
    finally:
        conn.close()
    code, found = checks(capsys, backend_url, root)
    assert code == 1 and found[-1] == ("sqitch verify posts", "migrations/verify/posts.sql", "error")


def test_verify_goes_on_when_the_migrations_folder_has_no_folder_for_the_backend(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(tmp_path, {"migrations/mysql/sqitch.plan": PLAN, "workbench.toml": ""})
    assert main(["verify", sqlite_url, "--project", str(root), "--json", "--tag", "sqitch-verify"]) == 0
    assert json.loads(capsys.readouterr().out)["checks"] == []
