"""Check results as JSON (the `verify --json` contract), JUnit XML (for CI) and Markdown.

The JSON shape is a stable contract that scripts parse:

    {"checks": [{"name", "file", "line", "status", "expected", "actual", "error",
                 "duration_ms", "detail"}],
     "summary": {"passed", "failed", "errors", "skipped"}}

with `status` one of pass, fail, error, skipped. JUnit XML has one `<testsuite>` per check file
and one `<testcase>` per check (`<failure>`, `<error>` or `<skipped>` inside), which GitLab,
Jenkins and GitHub test reporters read. Markdown is a table of checks with ✓/✗ and a summary
line, then the expected-vs-actual detail of every check that did not pass.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from workbench.checks.runner import CheckResult, Summary
from workbench.markdown import table

ICONS = {"pass": "✓", "fail": "✗", "error": "⚠", "skipped": "–"}

# Characters XML 1.0 cannot hold at all, even escaped (NUL and most C0 controls).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def to_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The `verify --json` document."""
    return {"checks": [r.to_dict() for r in results], "summary": Summary.of(results).to_dict()}


def to_junit(results: Sequence[CheckResult], name: str = "workbench verify") -> str:
    """A JUnit XML document: one test suite per check file, in the order the files ran."""
    summary = Summary.of(results)
    root = ET.Element("testsuites", _counts(name, summary, results))
    for file, group in groupby(results, key=lambda r: r.file):
        members = list(group)
        suite = ET.SubElement(root, "testsuite", _counts(file, Summary.of(members), members))
        for result in members:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_xml(result.name),
                classname=_xml(_classname(file)),
                file=_xml(file),
                line=str(result.check.line),
                time=f"{result.duration_ms / 1000:.6f}",
            )
            if result.status == "fail":
                element = ET.SubElement(case, "failure", message=_xml(_one_line(result)), type="fail")
                element.text = _xml(_explain(result))
            elif result.status == "error":
                element = ET.SubElement(case, "error", message=_xml(result.error or "error"), type="error")
                element.text = _xml(_explain(result))
            elif result.status == "skipped":
                ET.SubElement(case, "skipped", message=_xml(result.error or "skipped"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_markdown(results: Sequence[CheckResult], target: str | None = None) -> str:
    """A Markdown report: a table of every check with its status, then the details of the others."""
    summary = Summary.of(results)
    lines = [f"# Verification of {target}" if target else "# Verification", ""]
    lines.append(f"**{ICONS['pass'] if summary.ok else ICONS['fail']} {summary.line()}**")
    rows = [
        [
            ICONS[r.status],
            r.name,
            f"{r.file}:{r.check.line}",
            r.expected,
            (r.error if r.status in ("error", "skipped") else r.actual) or "",
            _ms(r),
        ]
        for r in results
    ]
    lines += ["", *table(["", "check", "file", "expected", "actual", "time"], rows, right={5})]
    problems = [r for r in results if r.status in ("fail", "error")]
    if problems:
        lines += ["", "## Not passing"]
    for r in problems:
        lines += ["", f"### {ICONS[r.status]} {r.name} ({r.file}:{r.check.line})", "", "```sql", r.check.sql, "```"]
        lines += ["", "```text", _explain(r), "```"]
    return "\n".join(lines) + "\n"


def _counts(name: str, summary: Summary, results: Sequence[CheckResult]) -> dict[str, str]:
    return {
        "name": _xml(name),
        "tests": str(summary.total),
        "failures": str(summary.failed),
        "errors": str(summary.errors),
        "skipped": str(summary.skipped),
        "time": f"{sum(r.duration_ms for r in results) / 1000:.6f}",
    }


def _classname(file: str) -> str:
    """`checks/week2.sql` → `checks.week2`, the dotted form CI tools group by."""
    return re.sub(r"\.sql$", "", file).replace("/", ".")


def _one_line(result: CheckResult) -> str:
    expected = result.expected.replace("\n", "; ")
    actual = result.actual.replace("\n", "; ")
    return f"expected {expected}, got {actual}"


def _explain(result: CheckResult) -> str:
    """Expected, actual, the differences and the error, as plain text."""
    parts = [f"expected:\n{_indent(result.expected)}"]
    if result.actual:
        parts.append(f"actual:\n{_indent(result.actual)}")
    if result.detail:
        parts.append("\n".join(result.detail))
    if result.error:
        parts.append(f"error: {result.error}")
    return "\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _ms(result: CheckResult) -> str:
    return "" if result.status == "skipped" else f"{result.duration_ms:.1f} ms"


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
