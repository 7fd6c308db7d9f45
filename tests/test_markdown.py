"""Every Markdown report escapes table cells the same way, and a cell stays one cell."""

from __future__ import annotations

from workbench.checks.checkfile import Check
from workbench.checks.reports import to_markdown
from workbench.checks.runner import CheckResult
from workbench.coverage.markdown import coverage_table
from workbench.coverage.results import Coverage, UseCaseResult
from workbench.coverage.usecases import UseCase

AWKWARD = "C:\\|D: a path\nand a pipe"  # a backslash right before a pipe, and a line break


def cells(row: str) -> list[str]:
    """A table row's cells as GitHub renders them: `\\` escapes the next character."""
    out, current, chars = [], "", iter(row.strip()[1:-1])
    for ch in chars:
        if ch == "\\":
            current += next(chars, "")
        elif ch == "|":
            out.append(current.strip())
            current = ""
        else:
            current += ch
    return [*out, current.strip()]


def test_a_check_named_awkwardly_stays_in_its_cell() -> None:
    check = Check(name=AWKWARD, sql="SELECT 1", file="checks/a.sql", line=1)
    row = next(line for line in to_markdown([CheckResult(check, "pass", "1", "1")]).splitlines() if "a path" in line)
    assert cells(row)[1] == "C:\\|D: a path<br>and a pipe"


def test_a_use_case_titled_awkwardly_stays_in_its_cell() -> None:
    result = UseCaseResult(UseCase(id="UC-1", title=AWKWARD), ())
    row = coverage_table(Coverage((result,)))[2]
    assert cells(row)[:2] == ["UC-1", "C:\\|D: a path<br>and a pipe"]
