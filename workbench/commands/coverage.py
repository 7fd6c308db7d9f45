"""`workbench coverage TARGET [--project DIR] [--format table|plain|tsv|json] [--markdown FILE]`.

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
from workbench.commands.listing import Listing, Styled, add_format_argument, output_format, show
from workbench.coverage.markdown import coverage_markdown, gaps
from workbench.coverage.results import Coverage, Status
from workbench.coverage.suite import SCENARIOS_HELD_BACK, load_suite, measure

STATUS_STYLE = {Status.FULL: "green", Status.STRONG: "cyan", Status.PARTIAL: "yellow", Status.GAP: "red"}


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    add_format_argument(parser)
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
    fmt = output_format(args)
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
    if fmt == "json":
        print_json(coverage.to_dict())
    else:
        _show(fmt, coverage)
    failing = coverage.required_not_full
    if failing:
        listed = ", ".join(f"{r.use_case.id} ({r.status})" for r in failing)
        print(f"workbench: required use cases not full: {listed}", file=sys.stderr)
        return 1
    return 0


def _show(fmt: str, coverage: Coverage) -> None:
    listing = Listing(
        ("use case", "title", "status", "requirements", "scenarios"),
        right=frozenset({"requirements", "scenarios"}),
        empty="no use cases",
    )
    for r in coverage.use_cases:
        listing.add(
            r.use_case.id + (" *" if r.use_case.required else ""),
            r.use_case.title,
            Styled(str(r.status), STATUS_STYLE[r.status]),
            f"{r.met_count}/{len(r.structural)}",
            f"{r.scenarios_passed}/{len(r.scenarios)}",
        )
    required = ["* required: must be full"] if any(r.use_case.required for r in coverage.use_cases) else []
    tail = required + [line.removeprefix("### ") for line in gaps(coverage.use_cases)]
    show(fmt, [listing], lead=[coverage.summary.describe()], tail=tail)
