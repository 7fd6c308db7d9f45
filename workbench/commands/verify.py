"""`workbench verify TARGET [--project DIR] [--tag T] [--format F] [--junit FILE] [--markdown FILE]`.

Runs the project's check files (`checks/*.sql`) and the built-in checks that apply, read-only,
on one connection. People see each check as it finishes, grouped by file, then the summary
line; `--format tsv` prints one row per check at the end instead, and `--json` (`--format json`)
the stable contract (see `workbench.checks.reports`); `--junit` and `--markdown` also write
those reports to files.

Exit 0 when every check passed (or was skipped), 1 when one failed or errored, 2 for bad input
(a malformed check file names `file:line`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.checks.reports import ICONS, to_json, to_junit, to_markdown
from workbench.checks.runner import DEFAULT_TIMEOUT_S, CheckResult, Summary, run_checks
from workbench.checks.suite import plan_suite
from workbench.commands.common import add_target_arguments, connection_for, print_json
from workbench.commands.listing import Listing, add_format_argument, output_format, show
from workbench.errors import UsageError

STYLE = {"pass": "green", "fail": "red", "error": "red", "skipped": "dim"}


def register(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only checks with this tag (repeatable; built-ins carry 'built-in' and their kind)",
    )
    add_format_argument(parser)
    parser.add_argument("--junit", metavar="FILE", help="also write the results as JUnit XML to FILE (for CI)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the results as Markdown to FILE")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"stop a check after this long (default {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument("--no-builtins", action="store_true", help="run only the check files")
    parser.epilog = (
        "examples:\n"
        "  workbench verify booking.db --project .\n"
        "  workbench verify postgresql://ci@db/app --junit checks.xml --tag nightly\n"
        "  workbench verify booking.db --project . --format tsv\n\n"
        "exit codes: 0 every check passed, 1 a check failed or errored, 2 bad input"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def run(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    fmt = output_format(args)
    printer = _Printer(plain=fmt == "plain") if fmt in ("table", "plain") else None
    with connection_for(args) as (conn, _target, project):
        suite = plan_suite(conn, project, tags=args.tag, builtins=not args.no_builtins)
        results = []
        for result in run_checks(conn, suite.checks, timeout_s=args.timeout, catalog=suite.catalog):
            results.append(result)
            if printer:
                printer.result(result)
        shown_url = conn.display_url
    if args.junit:
        _write(args.junit, to_junit(results))
    if args.markdown:
        _write(args.markdown, to_markdown(results, shown_url))
    summary = Summary.of(results)
    if fmt == "json":
        print_json(to_json(results))
    elif fmt == "tsv":
        show(fmt, [_listing(results)])
    elif printer:
        printer.summary(summary, project.checks_dir)
    return 0 if summary.ok else 1


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


class _Printer:
    """Each result as it arrives, under a heading per file; the detail of what did not pass."""

    def __init__(self, *, plain: bool) -> None:
        from rich.console import Console

        # Lines stream as checks finish, so they cannot be measured first: never wrapped into a
        # pipe (a CI log keeps each line whole), and without colour in plain.
        self.console = Console(highlight=False, soft_wrap=plain or not sys.stdout.isatty(), no_color=plain)
        self.file: str | None = None

    def result(self, r: CheckResult) -> None:
        from rich.markup import escape

        if r.file != self.file:
            self.file = r.file
            self.console.print(f"[bold]{escape(r.file)}[/]")
        where = f"[dim]:{r.check.line}[/] " if r.check.line else ""
        timing = "" if r.status == "skipped" else f" [dim]{r.duration_ms:.1f} ms[/]"
        self.console.print(f"  [{STYLE[r.status]}]{ICONS[r.status]}[/] {where}{escape(r.name)}{timing}")
        lines: list[str] = []
        if r.status == "fail":
            lines += _labelled("expected", r.expected) + _labelled("actual  ", r.actual) + list(r.detail)
        elif r.status in ("error", "skipped"):
            lines.append(r.error or "")
        for line in (part for text in lines for part in text.splitlines()):
            self.console.print(f"      [{STYLE[r.status]}]{escape(line)}[/]")

    def summary(self, summary: Summary, checks_dir: Path) -> None:
        if not summary.total:
            self.console.print(f"no checks: add .sql files to {checks_dir}, or let the built-ins find tables")
            return
        colour = "green" if summary.ok else "red"
        self.console.print(f"[bold {colour}]{summary.line()}[/]")


def _listing(results: list[CheckResult]) -> Listing:
    """One row per check, for scripts (`--format tsv`)."""
    out = Listing(("file", "line", "check", "status", "ms", "expected", "actual", "error"))
    for r in results:
        skipped = r.status == "skipped"
        out.add(
            r.file,
            str(r.check.line or ""),
            r.name,
            r.status,
            "" if skipped else f"{r.duration_ms:.1f}",
            r.expected,
            "" if skipped else r.actual,
            r.error or "",
        )
    return out


def _labelled(label: str, text: str) -> list[str]:
    """`expected 59` on one line; a table under its label, indented."""
    if "\n" not in text:
        return [f"{label} {text}"]
    return [f"{label.strip()}:", *("  " + line for line in text.splitlines())]
