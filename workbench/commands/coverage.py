"""`workbench coverage TARGET [--project DIR] [--json] [--markdown FILE]`.

Reads the project's `use_cases.toml` and scenario files, evaluates them against the database
(scenarios run in a transaction that is always rolled back) and prints the table of use cases,
then what is missing for each one short of full. `--json` prints the stable contract
(`Coverage.to_dict`); `--markdown FILE` also writes the report as Markdown.

Exit 1 when a use case marked `required = true` is not full; 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.coverage.markdown import coverage_markdown, gaps
from workbench.coverage.results import Coverage, Status
from workbench.coverage.suite import SCENARIOS_HELD_BACK, load_suite, measure

STATUS_STYLE = {Status.FULL: "green", Status.STRONG: "cyan", Status.PARTIAL: "yellow", Status.GAP: "red"}


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the coverage as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the coverage report as Markdown to FILE")
    parser.add_argument(
        "--run-scenarios",
        action="store_true",
        help="run scenarios even on a protected profile (they write inside a transaction that is rolled "
        "back, but take row locks and advance sequences)",
    )
    parser.epilog = (
        "examples:\n"
        "  workbench coverage booking.db --project .\n"
        "  workbench coverage postgresql://localhost/booking --json\n\n"
        "exit codes: 0 every required use case is full, 1 one is not, 2 bad input"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    with connection_for(args) as (conn, target, project):
        suite = load_suite(project.use_cases_file, dialect=conn.backend.name)
        guard = target.protected_by
        scenarios = args.run_scenarios or guard is None
        if guard is not None and not scenarios:
            print(
                f"workbench: {SCENARIOS_HELD_BACK.format(profile=guard.name)}; pass --run-scenarios to run them",
                file=sys.stderr,
            )
        coverage = measure(conn, suite, scenarios=scenarios)
        shown = conn.display_url
    if args.markdown:
        Path(args.markdown).write_text(coverage_markdown(coverage, shown), encoding="utf-8")
    if args.json:
        print_json(coverage.to_dict())
    else:
        _print(coverage)
    failing = coverage.required_not_full
    if failing:
        listed = ", ".join(f"{r.use_case.id} ({r.status})" for r in failing)
        print(f"workbench: required use cases not full: {listed}", file=sys.stderr)
        return 1
    return 0


def _print(coverage: Coverage) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    console.print(coverage.summary.describe())
    table = Table(title_justify="left")
    for heading in ("use case", "title", "status", "requirements", "scenarios"):
        table.add_column(heading, justify="right" if heading in ("requirements", "scenarios") else "left")
    for r in coverage.use_cases:
        table.add_row(
            r.use_case.id + (" *" if r.use_case.required else ""),
            escape(r.use_case.title),
            f"[{STATUS_STYLE[r.status]}]{r.status}[/]",
            f"{r.met_count}/{len(r.structural)}",
            f"{r.scenarios_passed}/{len(r.scenarios)}",
        )
    console.print(table)
    if any(r.use_case.required for r in coverage.use_cases):
        console.print("* required: must be full")
    for line in gaps(coverage.use_cases):
        console.print(escape(line.removeprefix("### ")))
