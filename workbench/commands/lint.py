"""`workbench migrate lint [TARGET] [--project DIR] [--json | --format sarif | --format github] [--fail-on S]`.

Without TARGET the lint reads every migration offline, as the backend of the project's default
profile would cut it (`--dialect` when there is none); with TARGET it reads the migrations not yet
applied there, against the database's catalog, so findings carry the live rows of their tables.
Findings go out riskiest first: for people one line each (`file:line severity rule: message`),
`--json` for programs, `--format sarif` for code-scanning upload, `--format github` as workflow
annotations. Exit 1 when a finding not accepted by a `-- workbench: allow <rule> <reason>`
comment reaches `--fail-on` (default danger), 0 otherwise, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from workbench.commands.common import connection_for, open_project_and_target, print_json
from workbench.errors import UsageError
from workbench.project import Project
from workbench.migrations.lint import CODES, SEVERITIES
from workbench.migrations.lint_run import LintedFinding, lint_against, lint_offline

EXAMPLE = (
    "workbench migrate lint --project ./db                    offline, every migration\n"
    "  workbench migrate lint prod --project ./db --fail-on warning\n"
    "  workbench migrate lint --project ./db --format sarif     SARIF for code scanning upload"
)
EXIT_CODES = "0 nothing reaches --fail-on, 1 a finding does, 2 bad input"
_DEFAULT_SCHEMA = {"postgresql": "public", "sqlite": "main"}
_SARIF_LEVEL = {"info": "note", "warning": "warning", "danger": "error"}
_GITHUB_LEVEL = {"info": "notice", "warning": "warning", "danger": "error"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    """TARGET, --project and the options of `migrate lint`."""
    p.add_argument(
        "target",
        nargs="?",
        help="database URL, SQLite path or profile: read the migrations pending there against its catalog "
        "(default: none, every migration offline)",
    )
    p.add_argument("--project", metavar="DIR", help="project folder (default: the current folder)")
    p.add_argument("--json", action="store_true", help="print JSON for programs")
    p.add_argument(
        "--format",
        choices=("text", "json", "sarif", "github"),
        help="text (default), json, sarif (SARIF 2.1.0 for code scanning) or github (workflow annotations)",
    )
    p.add_argument(
        "--fail-on",
        choices=(*SEVERITIES, "never"),
        default="danger",
        help="exit 1 when a finding reaches this severity (default danger)",
    )
    p.add_argument(
        "--dialect",
        choices=tuple(_DEFAULT_SCHEMA),
        help="offline: read the SQL as this database would (default: the project's default profile's, else postgresql)",
    )


def run(args: argparse.Namespace) -> int:
    fmt = _format(args)
    if args.target is not None:
        with connection_for(args) as (conn, _target, project):
            found = lint_against(conn, project.migrations_dir)
    else:
        project, dialect = _offline(args)
        found = lint_offline(project.migrations_dir, dialect, _DEFAULT_SCHEMA[dialect])
    _PRINTERS[fmt](found)
    failing = args.fail_on != "never" and any(x.finding.reaches(args.fail_on) for x in found)
    return 1 if failing else 0


def _format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} ask for two formats: give one")
    return "json" if args.json else args.format or "text"


def _offline(args: argparse.Namespace) -> tuple[Project, str]:
    """The project, and the dialect to read it in: --dialect, else the default profile's backend."""
    from workbench.db.registry import backend_for
    from workbench.project import load_project

    if args.dialect:
        return load_project(args.project), args.dialect
    try:
        project, target = open_project_and_target(None, args.project)
    except UsageError:  # no default profile: nothing names a backend
        return load_project(args.project), "postgresql"
    name = backend_for(target.url).name
    return project, name if name in _DEFAULT_SCHEMA else "postgresql"


def _where(x: LintedFinding) -> str:
    """The file as a path relative to the current folder (what code scanning and annotations want)."""
    return Path(os.path.relpath(x.path)).as_posix()


def _text(found: list[LintedFinding]) -> None:
    for x in found:
        f = x.finding
        size = "" if x.bytes is None else f" [{f.table}: {_bytes(x.bytes)}]"
        print(f"{_where(x)}:{f.line}: {f.text.replace(': ', f' {f.code}: ', 1)}{size}")
    counts = {
        s: sum(x.finding.severity == s and x.finding.allowed is None for x in found) for s in reversed(SEVERITIES)
    }
    accepted = sum(x.finding.allowed is not None for x in found)
    if not found:
        print("No findings.")
        return
    parts = [f"{n} {s}" for s, n in counts.items() if n] + ([f"{accepted} accepted"] if accepted else [])
    print(f"{len(found)} finding{'s' * (len(found) != 1)}: {', '.join(parts)}")


def _bytes(n: int) -> str:
    """A size as people read it: 812 bytes, 3.4 kB, 1.2 GB."""
    size = float(n)
    for unit in ("bytes", "kB", "MB"):
        if size < 1024:
            return f"{n:,} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _json(found: list[LintedFinding]) -> None:
    print_json({"findings": [x.to_dict() for x in found]})


def _sarif(found: list[LintedFinding]) -> None:
    """SARIF 2.1.0, the format GitHub code scanning uploads (`github/codeql-action/upload-sarif`)."""
    used = sorted({x.finding.code for x in found})
    results = []
    for x in found:
        f = x.finding
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _where(x)}, "region": {"startLine": f.line}}}
            ],
            "properties": {k: v for k, v in x.to_dict().items() if k in ("severity", "table", "lock", "rows", "bytes")},
        }
        if f.allowed is not None:
            result["suppressions"] = [{"kind": "inSource", "justification": f.allowed}]
        results.append(result)
    rules = [{"id": code, "shortDescription": {"text": CODES[code]}} for code in used]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "workbench", "rules": rules}}, "results": results}],
    }
    print(json.dumps(sarif, indent=2, ensure_ascii=False))


def _github(found: list[LintedFinding]) -> None:
    """GitHub Actions workflow commands: one annotation per finding, on its file and line."""
    for x in found:
        f = x.finding
        if f.allowed is not None:
            continue
        props = f"file={_escape(_where(x), True)},line={f.line},title={_escape(f'workbench {f.code}', True)}"
        print(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape(f.message)}")


def _escape(text: str, prop: bool = False) -> str:
    """GitHub's escaping for workflow command data (and, in properties, `:` and `,` too)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


_PRINTERS = {"text": _text, "json": _json, "sarif": _sarif, "github": _github}
