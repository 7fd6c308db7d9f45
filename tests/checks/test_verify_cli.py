"""`workbench verify`: exit codes, the --json contract, JUnit and Markdown files, tags."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import connect

PASSING = """
-- check: two runs
-- tags: counts
-- expect: 2
SELECT count(*) FROM runs;

-- check: no unnamed runs
-- expect: no rows
SELECT id FROM runs WHERE name IS NULL;
"""
FAILING = """
-- check: three runs
-- expect: 3
SELECT count(*) FROM runs;
"""


@pytest.fixture
def project(backend_url: str, tmp_path: Path) -> Path:
    conn = connect(backend_url)
    try:
        conn.execute_script(
            "CREATE TABLE runs (id integer PRIMARY KEY, name text); INSERT INTO runs VALUES (1, 'a'), (2, 'b');"
        )
    finally:
        conn.close()
    root = tmp_path / "project"
    (root / "checks").mkdir(parents=True)
    (root / "workbench.toml").write_text("")
    (root / "checks" / "counts.sql").write_text(PASSING)
    return root


def verify(url: str, project: Path, *extra: str) -> int:
    return main(["verify", url, "--project", str(project), *extra])


def test_all_checks_passing_exits_0_and_prints_a_line_per_check(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(backend_url, project) == 0
    out = capsys.readouterr().out
    assert "checks/counts.sql" in out
    assert "✓ :2 two runs" in out
    assert "✓ every table has a primary key" in out
    assert "3 checks: 3 passed, 0 failed, 0 errors, 0 skipped" in out


def test_a_failing_check_exits_1_and_shows_expected_and_actual(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "checks" / "more.sql").write_text(FAILING)
    assert verify(backend_url, project) == 1
    out = capsys.readouterr().out
    assert "✗ :2 three runs" in out
    assert "expected 3" in out and "actual   2" in out


def test_json_output_is_the_contract(backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "checks" / "more.sql").write_text(FAILING)
    assert verify(backend_url, project, "--json", "--no-builtins") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"passed": 2, "failed": 1, "errors": 0, "skipped": 0}
    assert [(c["name"], c["file"], c["status"]) for c in document["checks"]] == [
        ("two runs", "checks/counts.sql", "pass"),
        ("no unnamed runs", "checks/counts.sql", "pass"),
        ("three runs", "checks/more.sql", "fail"),
    ]
    failed = document["checks"][2]
    assert (failed["expected"], failed["actual"], failed["error"]) == ("3", "2", None)
    assert isinstance(failed["duration_ms"], float)


def test_junit_and_markdown_files_are_written(
    backend_url: str, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "checks" / "more.sql").write_text(FAILING)
    junit, markdown = tmp_path / "out" / "checks.xml", tmp_path / "out" / "checks.md"
    junit.parent.mkdir()
    assert verify(backend_url, project, "--junit", str(junit), "--markdown", str(markdown)) == 1
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures")) == ("4", "1")
    assert [s.get("name") for s in root.findall("testsuite")] == [
        "checks/counts.sql",
        "checks/more.sql",
        "built-in/primary-keys",
    ]
    text = markdown.read_text()
    assert "**✗ 4 checks: 3 passed, 1 failed, 0 errors, 0 skipped**" in text
    assert "password" not in text


def test_tag_limits_the_run(backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "checks" / "more.sql").write_text(FAILING)
    assert verify(backend_url, project, "--tag", "counts", "--json") == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)["checks"]] == ["two runs"]


def test_malformed_check_file_exits_2_naming_file_and_line(
    backend_url: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "checks" / "bad.sql").write_text("-- check: oops\n-- expect: between 9 and 1\nSELECT 1;\n")
    assert verify(backend_url, project) == 2
    err = capsys.readouterr().err
    assert err.strip() == "workbench: checks/bad.sql:2: the lower bound comes first in 'between 9 and 1'"


def test_unwritable_report_path_is_bad_input(
    backend_url: str, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify(backend_url, project, "--junit", str(tmp_path / "missing" / "x.xml")) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_missing_database_is_one_sentence_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "workbench.toml").write_text("")
    assert main(["verify", str(tmp_path / "nope.db"), "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1
