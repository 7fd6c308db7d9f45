"""What every subcommand does the same way: the TARGET/--project arguments and opening them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from workbench.db import Connection, connect, missing_sqlite_file
from workbench.project import Project, Target, load_project, resolve_target


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """TARGET (URL, SQLite path or profile name; default: the project's default profile) and --project DIR."""
    parser.add_argument(
        "target",
        nargs="?",
        help="database URL (sqlite:///x.db, postgresql://…), SQLite path, or a profile of the project "
        "(default: the project's default profile)",
    )
    parser.add_argument("--project", metavar="DIR", help="project folder (default: the current folder)")


def open_project_and_target(
    target_arg: str | None, project_dir: str | None, *, sample_when_empty: bool = False
) -> tuple[Project, Target]:
    """The project and the target the arguments name.

    With `sample_when_empty` and neither argument, the bundled sample project is used (a working
    copy in the user's data folder, built on first use).
    """
    if sample_when_empty and target_arg is None and project_dir is None:
        from workbench.samples import open_sample

        project = open_sample("booking")
    else:
        project = load_project(project_dir)
    return project, resolve_target(target_arg, project)


@contextmanager
def connection_for(args: argparse.Namespace, *, create: bool = False) -> Iterator[tuple[Connection, Target, Project]]:
    """Open the connection named by `args.target`/`args.project`; closed when the block ends.

    With `create` (only `migrate up`, as dbmate and golang-migrate do), a SQLite file that does not
    exist yet is created, and stderr says so; one the command then fails on before writing
    anything is removed again. Every other command refuses a missing file and creates nothing.
    """
    project, target = open_project_and_target(getattr(args, "target", None), getattr(args, "project", None))
    new_file = missing_sqlite_file(target.url) if create else None
    options = {**target.connect_options(), **({"create": True} if new_file else {})}
    conn = connect(target.url, options=options)
    if new_file:
        print(f"note: created the SQLite database {new_file} (there was no such file)", file=sys.stderr)
    try:
        yield conn, target, project
    except BaseException:
        if new_file and _still_empty(new_file):
            conn.close()
            Path(new_file).unlink()
            print(f"note: removed {new_file} again: the command failed before writing to it", file=sys.stderr)
        raise
    finally:
        conn.close()


def _still_empty(path: str) -> bool:
    """Nothing was ever written: SQLite leaves a new file at 0 bytes until the first write."""
    try:
        return os.path.getsize(path) == 0
    except OSError:
        return False


def print_json(data: Any) -> None:
    """Indented for a person at a terminal; compact (and several times faster) into a pipe."""
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, indent=indent, ensure_ascii=False, default=str))
    sys.stdout.write("\n")
