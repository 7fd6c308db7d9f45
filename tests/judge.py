"""An independent judge of a database's schema and rows: the database's own dump tools.

Round-trip tests must not be judged only by our catalog and checksums, which share the blind
spots of the code under test. This reads `pg_dump` (schema, rows as INSERTs, sequence positions)
or `sqlite3 .dump` (plus rowids, which `.dump` does not keep), leaves out the workbench's own
objects by name, and sorts rows so physical order does not count.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from urllib.parse import unquote

import pytest

from tests.conftest import IN_CI


def judged_snapshot(url: str) -> str:
    """The dump of the database at `url`, normalised for comparison (see the module docstring)."""
    return _sqlite(url) if url.startswith("sqlite:") else _postgres(url)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"the independent judge needs {name} on PATH"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def _sorted_inserts(lines: list[str]) -> list[str]:
    """Runs of consecutive INSERT lines sorted, everything else in place."""
    out: list[str] = []
    run: list[str] = []
    for line in lines:
        if line.startswith("INSERT INTO"):
            run.append(line)
            continue
        out += sorted(run)
        run = []
        out.append(line)
    return out + sorted(run)


def _postgres(url: str) -> str:
    done = subprocess.run(
        [_tool("pg_dump"), "--inserts", "--exclude-schema=workbench", "--dbname", url],
        capture_output=True, text=True, check=True,
    )
    lines = [line for line in done.stdout.splitlines()
             if line.strip() and not line.startswith("--") and not line.startswith("\\")]
    return "\n".join(_sorted_inserts(lines))


_WORKBENCH = re.compile(r'^(CREATE TABLE (IF NOT EXISTS )?|INSERT INTO |CREATE (UNIQUE )?INDEX .* ON )"?workbench_')


def _statements(dump: str) -> list[str]:
    """The dump's statements, each on one line, as SQLite itself reads the boundaries."""
    out, pending = [], ""
    for line in dump.splitlines():
        pending += line + "\n"
        if sqlite3.complete_statement(pending):
            out.append(pending.strip().replace("\n", " "))
            pending = ""
    return out


def _sqlite(url: str) -> str:
    path = unquote(url.removeprefix("sqlite:///"))
    program = _tool("sqlite3")

    def run(*args: str) -> str:
        return subprocess.run([program, path, *args], capture_output=True, text=True, check=True).stdout

    lines = [statement for statement in _statements(run(".dump")) if not _WORKBENCH.match(statement)]
    tables = run("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                 "AND name NOT LIKE 'workbench%' AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name").split()
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        lines.append(f"-- rowids of {table}")
        lines += run("-list", f"SELECT rowid FROM {quoted} ORDER BY rowid").splitlines()
    return "\n".join(_sorted_inserts(lines))
