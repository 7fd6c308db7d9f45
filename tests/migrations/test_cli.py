"""`workbench migrate …` end to end: the --json contract, exit codes, one-sentence errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from tests.migrations.helpers import write_files

FILES = {
    "001_items.sql": "CREATE TABLE items (id integer PRIMARY KEY, label text);\nINSERT INTO items VALUES (1, 'a');\n",
    "002_drop.sql": "ALTER TABLE items DROP COLUMN label;\n",
}


def project(tmp_path: Path, files: dict[str, str] = FILES, config: str = "") -> Path:
    write_files(tmp_path / "migrations", files)
    (tmp_path / "workbench.toml").write_text(config)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["migrate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json_is_the_documented_contract(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, {**FILES, "003_bad.sql": "INSERT INTO nowhere VALUES (1);"})
    assert run(capsys, "up", backend_url, "--project", str(root), "--to", "1")[0] == 0
    assert run(capsys, "up", backend_url, "--project", str(root))[0] == 1
    (root / "migrations" / "001_items.sql").write_text(FILES["001_items.sql"] + "-- edited\n")
    code, out, _ = run(capsys, "status", backend_url, "--project", str(root), "--json")
    assert code == 0
    rows = json.loads(out)["migrations"]
    assert [(r["version"], r["name"], r["state"]) for r in rows] == [
        ("001", "items", "drifted"),
        ("002", "drop", "applied"),
        ("003", "bad", "failed"),
    ]
    for row in rows:
        assert {"version", "name", "state", "applied_at"} <= row.keys()
    assert rows[2]["failed_statement"] == 1 and "nowhere" in rows[2]["error"] and rows[2]["applied_at"] is None


def test_a_failed_migration_exits_1_with_one_sentence(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, {"001_bad.sql": "CREATE TABLE t (x int);\nINSERT INTO missing VALUES (1);"})
    code, _, err = run(capsys, "up", backend_url, "--project", str(root))
    assert code == 1
    assert err.strip().startswith("workbench: 001 bad failed at statement 2 of 2:") and err.count("\n") == 1
    assert err.strip().endswith("nothing of it stayed")


@pytest.mark.parametrize(
    "files, args, message",
    [
        ({"001_a.sql": "", "1_b.up.sql": ""}, ["status"], "each version needs exactly one up script"),
        ({"001_a.sql": "", "notes.sql": ""}, ["plan"], "notes.sql: cannot tell the version"),
        (FILES, ["up", "--to", "x1"], "not a version"),
        (FILES, ["down"], "--to VERSION"),
    ],
)
def test_bad_input_exits_2_naming_the_problem(
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    args: list[str],
    message: str,
) -> None:
    root = project(tmp_path, files)
    code, _, err = run(capsys, args[0], sqlite_url, "--project", str(root), *args[1:])
    assert code == 2 and message in err and err.count("\n") == 1


def test_rollback_asks_for_yes_and_a_refused_one_exits_1(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    assert run(capsys, "up", sqlite_url, "--project", str(root))[0] == 0
    code, out, err = run(capsys, "down", sqlite_url, "--project", str(root), "--steps", "1")
    assert code == 2 and "--yes" in err and "down 002 drop  [restore]" in out
    assert run(capsys, "down", sqlite_url, "--project", str(root), "--steps", "1", "--yes")[0] == 0
    code, out, _ = run(capsys, "status", sqlite_url, "--project", str(root))
    assert "002" in out and "pending" in out


def test_plan_json_lists_backups_statements_and_warnings(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    assert run(capsys, "up", sqlite_url, "--project", str(root), "--to", "001")[0] == 0
    code, out, _ = run(capsys, "plan", sqlite_url, "--project", str(root), "--json")
    (plan,) = json.loads(out)["plan"]["migrations"]
    assert code == 0 and plan["version"] == "002" and plan["method"] == "transaction"
    assert [s["action"] for s in plan["steps"]] == ["backup", "statement", "ledger"]
    statement = plan["steps"][1]
    assert statement["kind"] == "drop" and statement["loses_data"] and statement["tables"] == ["items"]
    assert statement["warnings"][0]["code"] == "drop-column"


def test_protected_profile_needs_its_name_typed_for_destructive_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, config='[profiles.prod]\nurl = "sqlite:///prod.db"\nprotected = true\n')
    (root / "prod.db").touch()
    code, _, err = run(capsys, "up", "prod", "--project", str(root))
    assert code == 2 and "pass --confirm prod" in err
    assert run(capsys, "up", "prod", "--project", str(root), "--confirm", "prod")[0] == 0
