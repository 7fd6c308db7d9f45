"""`workbench coverage`: the JSON contract, the Markdown file, and exit 1 for a required use case short of full."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import connect

USE_CASES = """
[[use_case]]
id = "UC-1"
title = "Staff keep private notes on bookings"
required = {required}
tables = ["notes"]
columns = ["notes.pinned"]
scenarios = ["scenarios/uc-01.sql"]

[[use_case]]
id = "UC-2"
title = "Walk-in queue"
tables = ["queues"]
columns = ["notes.queue_position"]
"""
SCENARIO = """
-- scenario: a note can be pinned
INSERT INTO notes (id, pinned) VALUES ('n9', true);
-- expect: 1
SELECT count(*) FROM notes WHERE pinned;
"""


@pytest.fixture
def project(tmp_path: Path, backend_url: str) -> Path:
    conn = connect(backend_url)
    try:
        conn.execute("CREATE TABLE notes (id text PRIMARY KEY, pinned boolean NOT NULL)")
    finally:
        conn.close()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "uc-01.sql").write_text(textwrap.dedent(SCENARIO))
    (tmp_path / "use_cases.toml").write_text(USE_CASES.format(required="true"))
    return tmp_path


def test_json_output_follows_the_contract(project: Path, backend_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", backend_url, "--project", str(project), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(u["id"], u["status"]) for u in data["use_cases"]] == [("UC-1", "full"), ("UC-2", "gap")]
    assert data["summary"] == {
        "use_cases": 2,
        "full": 1,
        "strong": 0,
        "partial": 0,
        "gap": 1,
        "scenarios_passed": 1,
        "scenarios_total": 1,
    }
    missing = [r for r in data["use_cases"][1]["requirements"] if not r["met"]]
    assert [r["detail"] for r in missing] == ["no table queues", "notes has no column queue_position"]


def test_required_use_case_short_of_full_exits_1(
    project: Path, backend_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "scenarios" / "uc-01.sql").write_text("-- expect: 2\nSELECT count(*) FROM notes;\n")
    assert main(["coverage", backend_url, "--project", str(project)]) == 1
    captured = capsys.readouterr()
    assert "required use cases not full: UC-1 (strong)" in captured.err
    assert "1 strong" in captured.out and "uc-01.sql" in captured.out


def test_markdown_file_holds_the_table_and_the_gaps(project: Path, backend_url: str, tmp_path: Path) -> None:
    out = tmp_path / "coverage.md"
    assert main(["coverage", backend_url, "--project", str(project), "--markdown", str(out)]) == 0
    text = out.read_text()
    assert "| UC-1 | Staff keep private notes on bookings (required) | full | 2/2 | 1/1 |" in text
    assert "### UC-2 — Walk-in queue (gap)" in text
    assert "- ✗ column `notes.queue_position` — notes has no column queue_position" in text


def test_malformed_use_case_file_exits_2_with_file_and_line(
    project: Path, backend_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "use_cases.toml").write_text('[[use_case]]\nid = "UC-1"\ntitle = "t"\ntables = ["a", "a"]\n')
    assert main(["coverage", backend_url, "--project", str(project)]) == 2
    assert "use_cases.toml:4: table a is named twice" in capsys.readouterr().err


def test_protected_profile_holds_scenarios_back_unless_asked(
    project: Path, backend_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "workbench.toml").write_text(f'[profiles.prod]\nurl = "{backend_url}"\nprotected = true\n')
    assert main(["coverage", "prod", "--project", str(project), "--json"]) == 1  # UC-1 cannot be full untested
    captured = capsys.readouterr()
    assert "prod is a protected profile, so its scenarios were not run" in captured.err
    assert json.loads(captured.out)["summary"]["scenarios_total"] == 0
    assert main(["coverage", "prod", "--project", str(project), "--json", "--run-scenarios"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["scenarios_passed"] == 1
