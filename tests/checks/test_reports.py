"""Reports: the JSON contract, JUnit XML that parses, Markdown with ✓/✗ and a summary line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from workbench.checks.checkfile import Check, parse_checks
from workbench.checks.reports import to_json, to_junit, to_markdown
from workbench.checks.runner import CheckResult

CHECKS = parse_checks(
    """
-- check: table count
-- expect: 59
SELECT count(*) FROM t;
-- check: status | pipes
-- expect:
--   status | n
--   draft  | 3
SELECT status, count(*) AS n FROM t GROUP BY status;
""",
    "checks/week2.sql",
    dialect="sqlite",
) + parse_checks(
    "-- check: broken\nSELECT * FROM nope;\n-- check: pg only\n-- backend: postgresql\nSELECT 1;",
    "checks/more.sql",
    dialect="sqlite",
)


def results() -> list[CheckResult]:
    count, table, broken, pg_only = CHECKS
    return [
        CheckResult(count, "pass", "59", "59", duration_ms=1.25),
        CheckResult(
            table,
            "fail",
            "status | n\ndraft | 3",
            "status | n\ndraft | 4",
            detail=("missing: draft | 3", "unexpected: draft | 4"),
            duration_ms=2.0,
        ),
        CheckResult(broken, "error", "runs without error", error="no such table: nope\x00", duration_ms=0.5),
        CheckResult(pg_only, "skipped", "runs without error", error="only for postgresql"),
    ]


def test_json_follows_the_verify_contract() -> None:
    document = json.loads(json.dumps(to_json(results())))
    assert document["summary"] == {"passed": 1, "failed": 1, "errors": 1, "skipped": 1}
    first = document["checks"][0]
    assert {"name", "file", "status", "expected", "actual", "error", "duration_ms"} <= first.keys()
    assert (first["name"], first["file"], first["line"], first["status"]) == (
        "table count",
        "checks/week2.sql",
        2,
        "pass",
    )
    assert [c["status"] for c in document["checks"]] == ["pass", "fail", "error", "skipped"]


def test_junit_xml_parses_with_one_suite_per_file_and_the_right_counts() -> None:
    root = ET.fromstring(to_junit(results()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("4", "1", "1", "1")
    week2, more = root.findall("testsuite")
    assert (week2.get("name"), week2.get("tests"), week2.get("failures")) == ("checks/week2.sql", "2", "1")
    passed, failed = week2.findall("testcase")
    assert (passed.get("name"), passed.get("classname"), passed.get("time")) == (
        "table count",
        "checks.week2",
        "0.001250",
    )
    assert list(passed) == []
    failure = failed.find("failure")
    assert failure is not None and failure.get("message") == "expected status | n; draft | 3, got status | n; draft | 4"
    assert "missing: draft | 3" in (failure.text or "")
    error = more.find("testcase/error")
    assert error is not None and error.get("message") == "no such table: nope\ufffd"
    skipped = more.find("testcase[@name='pg only']/skipped")
    assert skipped is not None and skipped.get("message") == "only for postgresql"


def test_markdown_has_a_row_per_check_with_icons_and_a_summary_line() -> None:
    text = to_markdown(results(), target="sqlite:///booking.db")
    lines = text.splitlines()
    assert lines[0] == "# Verification of sqlite:///booking.db"
    assert "**✗ 4 checks: 1 passed, 1 failed, 1 error, 1 skipped**" in lines
    assert "| ✓ | table count | checks/week2.sql:2 | 59 | 59 | 1.2 ms |" in lines
    assert (
        r"| ✗ | status \| pipes | checks/week2.sql:5 | status \| n<br>draft \| 3 | status \| n<br>draft \| 4 | 2.0 ms |"
        in lines
    )
    assert "| – | pg only | checks/more.sql:3 | runs without error | only for postgresql |  |" in lines
    assert "### ⚠ broken (checks/more.sql:1)" in lines
    assert "## Not passing" in lines


def test_markdown_of_a_clean_run_has_no_problem_section() -> None:
    check = Check(name="ok", sql="SELECT 1", file="checks/a.sql", line=1)
    text = to_markdown([CheckResult(check, "pass", "runs without error", "1 row")])
    assert "**✓ 1 check: 1 passed, 0 failed, 0 errors, 0 skipped**" in text
    assert "Not passing" not in text
