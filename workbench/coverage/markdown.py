"""Coverage as Markdown: the table the user used to type by hand, and what is missing per use case."""

from __future__ import annotations

from workbench.coverage.results import Coverage, RequirementResult, ScenarioResult, UseCaseResult
from workbench.markdown import table


def coverage_table(coverage: Coverage) -> list[str]:
    """One row per use case: id, title, status, requirements met, scenarios passed."""
    return table(
        ["Use case", "Title", "Status", "Requirements", "Scenarios"],
        [
            [
                r.use_case.id,
                r.use_case.title + (" (required)" if r.use_case.required else ""),
                r.status,
                f"{r.met_count}/{len(r.structural)}",
                f"{r.scenarios_passed}/{len(r.scenarios)}",
            ]
            for r in coverage.use_cases
        ],
    )


def requirement_line(result: RequirementResult) -> str:
    """`✗ column `x.y` — x has no column y; `z` exists — renamed?`"""
    r = result.requirement
    kind = "enum value" if r.kind == "enum_value" else r.kind
    line = f"{'✓' if result.met else '✗'} {kind} `{r.label}`"
    if r.nice_to_have:
        line += " (nice to have)"
    if not result.met:
        line += f" — {result.detail}"
        if result.nearest:
            line += f"; `{result.nearest}` exists — renamed?"
    return line


def scenario_line(result: ScenarioResult) -> str:
    """`✗ scenario `name` (file:line) failed at step `label` (line n): expected 1, got 0`"""
    mark = "✓" if result.passed else "✗"
    line = f"{mark} scenario `{result.name}` ({result.where})"
    step = result.failed_step
    if step is None:
        return line + " passed"
    named = step.label != f"line {step.line}"  # unnamed steps are called after their line
    line += f" failed at step `{step.label}` (line {step.line}): " if named else f" failed at line {step.line}: "
    if step.status == "error" and step.error:
        return line + f"error: {step.error}"
    return line + f"expected {step.expected}, got {step.actual}"


def gaps(results: list[UseCaseResult] | tuple[UseCaseResult, ...]) -> list[str]:
    """For each use case short of full: the missing requirements and the failing scenarios."""
    lines: list[str] = []
    for r in results:
        if r.status == "full":
            continue
        lines += ["", f"### {r.use_case.id} — {r.use_case.title} ({r.status})", ""]
        lines += [f"- {requirement_line(m)}" for m in r.requirements if not m.met]
        lines += [f"- {scenario_line(s)}" for s in r.scenarios if not s.passed]
        if not r.scenarios:
            lines.append("- no scenarios ran: a use case is full only when scenarios prove it")
    return lines


def coverage_markdown(coverage: Coverage, target: str | None = None) -> str:
    """The whole coverage report: summary line, table, then what is missing."""
    lines = ["# Use-case coverage", ""]
    if target:
        lines += [f"Database: `{target}`", ""]
    lines += [coverage.summary.describe(), "", *coverage_table(coverage)]
    missing = gaps(coverage.use_cases)
    if missing:
        lines += ["", "## What is missing", *missing]
    return "\n".join(lines) + "\n"
