"""`workbench sql` and `workbench changes` through the CLI: exit codes, the questions a change asks
(or --yes), protected profiles, and change + undo judged by the databases' own dumps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import judge
from workbench.cli import main
from workbench.console.session import Console
from workbench.db import Connection


@pytest.fixture
def project(backend_url: str, conn: Connection, tmp_path: Path) -> Path:
    conn.execute_script(
        "CREATE TABLE item (id integer PRIMARY KEY, name text); INSERT INTO item VALUES (1, 'a'), (2, 'b'), (3, 'c');"
    )
    root = tmp_path / "project"
    root.mkdir()
    url = backend_url.replace('"', '\\"')
    (root / "workbench.toml").write_text(f'[profiles.dev]\nurl = "{url}"\n')
    return root


@pytest.fixture
def guarded(backend_url: str, project: Path, tmp_path: Path) -> Path:
    """A project whose profile `prod` is protected (the same database)."""
    root = tmp_path / "guarded"
    root.mkdir()
    url = backend_url.replace('"', '\\"')
    (root / "workbench.toml").write_text(f'[profiles.prod]\nurl = "{url}"\nprotected = true\n')
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_read_prints_rows_as_json_and_csv(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "sql", "dev", "--project", str(project), "-c", "SELECT id, name FROM item ORDER BY id", "--json"
    )
    assert code == 0
    (statement,) = json.loads(out)["statements"]
    assert statement["columns"] == ["id", "name"] and statement["rows"] == [[1, "a"], [2, "b"], [3, "c"]]
    code, out, _ = run(
        capsys, "sql", "dev", "--project", str(project), "-c", "SELECT name FROM item WHERE id = 2", "--csv"
    )
    assert (code, out) == (0, "name\nb\n")


def test_a_change_without_a_terminal_needs_yes(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = judge.snapshot(backend_url)
    code, _, err = run(capsys, "sql", "dev", "--project", str(project), "-c", "DELETE FROM item WHERE id = 1")
    assert code == 2 and "pass --yes" in err
    judge.assert_same(before, judge.snapshot(backend_url))


def test_change_list_undo_through_the_cli(backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = judge.snapshot(backend_url)
    p = ("--project", str(project))
    code, out, _ = run(capsys, "sql", "dev", *p, "-c", "UPDATE item SET name = 'z' WHERE id > 1", "--yes")
    assert code == 0 and "2 rows, backup: rows by primary key" in out
    judge.assert_changed(before, judge.snapshot(backend_url))
    code, out, _ = run(capsys, "changes", "list", "dev", *p, "--json")
    (entry,) = json.loads(out)["changes"]
    assert (entry["id"], entry["rows"], entry["undone_at"]) == (1, 2, None)
    code, _, err = run(capsys, "changes", "undo", "1", "dev", *p)
    assert code == 2 and "pass --yes" in err
    code, out, _ = run(capsys, "changes", "undo", "1", "dev", *p, "--yes")
    assert code == 0 and "2 rows put back" in out
    judge.assert_same(before, judge.snapshot(backend_url))
    code, _, err = run(capsys, "changes", "undo", "1", "dev", *p, "--yes")
    assert code == 1 and "already undone" in err
    code, _, err = run(capsys, "changes", "show", "7", "dev", *p)
    assert code == 2 and "no change 7" in err


def test_undo_refused_after_a_later_change_exits_1(
    backend_url: str, conn: Connection, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = ("--project", str(project))
    assert run(capsys, "sql", "dev", *p, "-c", "DELETE FROM item WHERE id = 3", "--yes")[0] == 0
    conn.execute("INSERT INTO item VALUES (3, 'back')")
    now = judge.snapshot(backend_url)
    code, _, err = run(capsys, "changes", "undo", "1", "dev", *p, "--yes")
    assert code == 1 and "changed again since change 1; nothing was undone" in err
    judge.assert_same(now, judge.snapshot(backend_url))


def test_a_protected_profile_writes_only_with_its_name(
    backend_url: str, guarded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = ("--project", str(guarded))
    before = judge.snapshot(backend_url)
    code, _, err = run(capsys, "sql", "prod", *p, "-c", "DELETE FROM item", "--yes")
    assert code == 2 and "pass --confirm prod" in err
    judge.assert_same(before, judge.snapshot(backend_url))
    assert run(capsys, "sql", "prod", *p, "-c", "SELECT count(*) FROM item")[0] == 0  # reads need no name
    code, out, _ = run(capsys, "sql", "prod", *p, "-c", "DELETE FROM item", "--yes", "--confirm", "prod")
    assert code == 0 and "3 rows" in out


def test_opting_out_is_journaled_and_cannot_be_undone(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = ("--project", str(project))
    assert run(capsys, "sql", "dev", *p, "-c", "DELETE FROM item WHERE id = 2", "--yes", "--no-backup")[0] == 0
    code, out, _ = run(capsys, "changes", "show", "1", "dev", *p, "--json")
    assert json.loads(out)["backup"] == "none (opted out)"
    code, _, err = run(capsys, "changes", "undo", "1", "dev", *p, "--yes")
    assert code == 1 and "without a backup" in err


def test_a_failing_statement_exits_1_and_keeps_nothing(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = judge.snapshot(backend_url)
    code, _, err = run(capsys, "sql", "dev", "--project", str(project), "-c", "DELETE FROM nope", "--yes")
    assert code == 1 and "nope" in err and "Traceback" not in err
    judge.assert_same(before, judge.snapshot(backend_url))


def test_changes_show_gives_the_values_of_a_parameterised_change(
    project: Path, conn: Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    console = Console(conn)
    p = conn.placeholder
    sql = f"UPDATE item SET name = {p} WHERE id = {p}"
    console.run_changes([q for params in (("it's", 1), (None, 2)) for q in console.preview(sql, params)])
    code, out, _ = run(capsys, "changes", "show", "1", "dev", "--project", str(project))
    assert code == 0
    lines = out.splitlines()
    at = lines.index(sql)
    assert lines[at : at + 4] == [sql, "  values: 'it''s', 1", sql, "  values: NULL, 2"]
    code, out, _ = run(capsys, "changes", "show", "1", "dev", "--project", str(project), "--json")
    assert json.loads(out)["values"] == [["'it''s'", "1"], ["NULL", "2"]]
