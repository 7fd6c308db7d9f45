"""The `workbench` command: the TUI with no subcommand, or one of the headless subcommands.

Each subcommand lives in `workbench/commands/<name>.py` with `register(subparsers)` and
`run(args) -> int` (or `OpenTui` to open the TUI when done); adding one is one module plus one line in `COMMANDS`. Modules are imported
only when their command runs, so `workbench --help` and the TUI start fast.

Exit codes: 0 success, 1 a check/scenario/migration failed, 2 bad usage or bad input. A
`WorkbenchError` becomes one line on stderr, never a traceback (`WORKBENCH_DEBUG=1` shows it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.commands import OpenTui
from workbench.errors import UsageError, WorkbenchError
from workbench.project import Project, load_project, names_a_database

COMMANDS: dict[str, str] = {
    "inspect": "print the schema catalog of a database (tables, views, enums, functions, …)",
    "migrate": "status, plan, apply and roll back migrations, with automatic backups",
    "verify": "run verification checks; exit 1 when one fails",
    "coverage": "evaluate use-case coverage of the schema",
    "report": "write a Markdown report of what migrations changed",
    "sample": "load or reset a bundled sample project",
    "er": "print the entity-relationship diagram as Mermaid or Graphviz DOT",
    "docs": "write one Markdown page per table, with diagrams, and an index",
    "sql": "run statements: reads print rows, changes take a prior backup and are journaled",
    "changes": "list, show and undo the changes made from the console",
}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in COMMANDS:
            return _run_command(args_list)
        return _run_tui(args_list)
    except WorkbenchError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `workbench inspect --json | head`
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        print(
            f"workbench: unexpected error ({type(exc).__name__}: {exc}); "
            "this is a bug — rerun with WORKBENCH_DEBUG=1 and report the traceback",
            file=sys.stderr,
        )
        return 1


def _run_command(argv: list[str]) -> int:
    name = argv[0]
    module = importlib.import_module(f"workbench.commands.{name}")
    parser = argparse.ArgumentParser(prog=f"workbench {name}", description=COMMANDS[name])
    module.register(parser)
    args = parser.parse_args(argv[1:])
    outcome = module.run(args)
    if isinstance(outcome, OpenTui):
        return _run_tui(["--project", str(outcome.project)])
    return int(outcome or 0)


def _tui_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<10} {help_}" for name, help_ in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A keyboard-driven workbench for the life of a database schema.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"commands (workbench COMMAND --help for each):\n{commands}\n\n"
            "examples:\n"
            "  workbench                               open the bundled booking sample\n"
            "  workbench shop.db                       browse a SQLite file\n"
            "  workbench postgresql://app@localhost/shop --project ./db\n"
            "  workbench local --project ./db          a profile of ./db/workbench.toml\n"
            "  workbench inspect shop.db --json\n"
            "  workbench migrate up prod --project ./db\n"
            "  workbench verify prod --project ./db --junit checks.xml\n"
            "  workbench sample load campaigns postgresql://localhost/campaigns --open\n\n"
            "exit codes: 0 success, 1 a check/scenario/migration failed, 2 bad usage or input"
        ),
    )
    parser.add_argument("target", nargs="?", help="database URL, SQLite path, or a profile of the project")
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="project folder (default: the current folder, or the bundled sample when no target is given)",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    return parser


def _run_tui(argv: list[str]) -> int:
    args = _tui_parser().parse_args(argv)
    from workbench.commands.common import open_project_and_target

    if args.target is not None:
        _refuse_a_bare_word(args.target, load_project(args.project))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Textual would wait for keys that never come (a CI job hung on it): refuse instead.
        raise UsageError(
            "the TUI needs a terminal, and stdin or stdout is not one; in a script or a pipe use a "
            "command such as `workbench inspect TARGET` (`workbench --help` lists them)"
        )
    project, target = open_project_and_target(args.target, args.project, sample_when_empty=True)
    from workbench.tui import make_app  # Textual loads only for the TUI

    app = make_app(target, project)
    app.run()
    return int(getattr(app, "return_code", 0) or 0)


def _refuse_a_bare_word(word: str, project: Project) -> None:
    """`workbench frobnicate`: a word that names no command and no database is a typo, refused
    with the nearest command rather than opened as a database that cannot exist."""
    if names_a_database(word, project):
        return
    if word in COMMANDS:  # `workbench --project db inspect`: argparse took the command for a target
        raise UsageError(f"{word} is a command, so it comes first: `workbench {word} [TARGET] --project DIR`")
    import difflib

    from workbench.commands.migrate_actions import ACTIONS

    # `migrate status` is a command too: `workbench status` and `workbench statu` mean it
    spelled = {name: name for name in COMMANDS} | {f"migrate {action}": action for action in ACTIONS}
    closeness = {name: difflib.SequenceMatcher(None, word, key).ratio() for name, key in spelled.items()}
    nearest = max(closeness, key=closeness.__getitem__)
    hint = (
        f"did you mean `workbench {nearest}`?"
        if closeness[nearest] >= 0.6
        else f"the nearest command is `workbench {nearest}`; `workbench --help` lists them all"
    )
    raise UsageError(
        f"unknown command or database {word!r} — {hint} (a database is a URL, a SQLite path such as "
        f"./{word}.db, or a profile of the project)"
    )
