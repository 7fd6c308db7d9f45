"""An independent judge of a database's whole state, from the database tools' own dumps.

Round-trip tests that compare our own catalog, diff and checksums cannot see what our catalog
does not know: a property it never reads comes back wrong and both snapshots agree. This module
asks the databases' own tools instead and imports nothing of the workbench:

- PostgreSQL: `pg_dump` (schema with owners and privileges, every row, every sequence position),
  rows sorted within each table, since a restore may put them back in another physical order.
- SQLite: `sqlite3 FILE .dump` (the stored CREATE text, every row, `sqlite_sequence`), rows sorted
  within each table, plus every rowid table's rowids (`.dump` keeps them only where a column
  aliases them), `PRAGMA user_version` and `application_id`, and the files beside the database.

Only what legitimately differs between two dumps of the same state is normalised away: the dump's
header (server and tool versions, pg_dump's per-run `\\restrict` key), row order, and on SQLite
the order of the CREATE statements (`.dump` lists them in `sqlite_schema` order, where a table
made again comes last; pg_dump sorts by kind and name itself). The workbench's own objects
(schema `workbench`, tables `workbench_*`, triggers `workbench_*` of the change capture, `*.lock`
files) are left out by name.

    before = judge.snapshot(url)
    ...
    judge.assert_same(before, judge.snapshot(url))
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
WORKBENCH_SCHEMA = "workbench"
WORKBENCH_PREFIX = "workbench_"
_DIFF_LINES = 60  # a failure shows at most this many lines of the unified diff


@dataclass(frozen=True)
class Snapshot:
    """A database's state as two texts: its schema and its data (rows, sequence positions)."""

    backend: str
    schema: str
    data: str

    def lines(self) -> list[str]:
        return ["== schema", *self.schema.splitlines(), "== data", *self.data.splitlines()]


def snapshot(url: str) -> Snapshot:
    """The judge's snapshot of the database at `url` (sqlite:///… or a PostgreSQL URL/conninfo)."""
    if url.startswith("sqlite:"):
        return sqlite_snapshot(sqlite_path(url))
    return pg_snapshot(url)


def differences(before: Snapshot, after: Snapshot, limit: int = _DIFF_LINES) -> list[str]:
    """A unified diff of the two snapshots, at most `limit` lines (empty when they are the same)."""
    diff = list(difflib.unified_diff(before.lines(), after.lines(), "before", "after", n=2, lineterm=""))
    if len(diff) > limit:
        diff = diff[:limit] + [f"… {len(diff) - limit} more diff lines"]
    return diff


def assert_same(before: Snapshot, after: Snapshot) -> None:
    diff = differences(before, after)
    if diff:
        pytest.fail("the judge's dumps differ:\n" + "\n".join(diff), pytrace=False)


def assert_changed(before: Snapshot, after: Snapshot) -> None:
    if not differences(before, after):
        pytest.fail("the judge's dumps are the same: the migration changed nothing it can see", pytrace=False)


def _tool(name: str) -> str:
    """The path of a command-line tool; a missing one skips loudly, and fails under CI=true."""
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        message = f"the judge needs `{name}` on PATH and it is missing"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(f"!!! {message}: the judged round trips did NOT run")
    return path


def _run(args: list[str], stdin: str | None = None) -> str:
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, encoding="utf-8", errors="surrogateescape")
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


# -- PostgreSQL --------------------------------------------------------------------------------

# One entry of a plain dump starts with a comment block naming it, e.g.
#   -- Name: runs; Type: TABLE; Schema: public; Owner: postgres
#   -- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: postgres
_ENTRY = re.compile(r"^-- (?:Data for )?Name: .*; Type: (?P<type>[^;]+); Schema: ")
_CAPTURE_TRIGGER = re.compile(rf"^-- Name: \S+ {WORKBENCH_PREFIX}\S*; Type: TRIGGER; ")
_DATA_TYPES = {"TABLE DATA", "SEQUENCE SET", "BLOBS", "BLOB DATA", "LARGE OBJECT"}
# Lines that differ between two dumps of the same database.
_PG_VOLATILE = re.compile(r"^(-- Dumped (from database|by pg_dump) version |\\(un)?restrict )")


def pg_snapshot(url: str) -> Snapshot:
    """`pg_dump` of the whole database, owners and privileges kept, the workbench's schema and
    `workbench_*` tables left out; rows sorted within each table, sequence positions as data."""
    dump = _run(
        [
            _tool("pg_dump"),
            "--no-password",
            f"--exclude-schema={WORKBENCH_SCHEMA}",
            f"--exclude-table=*.{WORKBENCH_PREFIX}*",
            "--dbname",
            url,
        ]
    )
    schema: list[str] = []
    data: list[str] = []
    target = schema
    lines = iter(dump.splitlines())
    pending: list[str] = []  # the "--" line that opens the next entry's comment block
    for line in lines:
        if _PG_VOLATILE.match(line):
            continue
        if line == "--":
            pending.append(line)
            continue
        entry = _ENTRY.match(line)
        if line.startswith("-- PostgreSQL database dump complete"):
            target = schema
        if entry:
            target = data if entry.group("type") in _DATA_TYPES else schema
            if _CAPTURE_TRIGGER.match(line):
                target = []  # the workbench's change capture on a user table: its own object
        target += pending
        pending = []
        target.append(line)
        if line.startswith("COPY ") and line.endswith(" FROM stdin;"):
            rows = []
            for row in lines:
                if row == "\\.":
                    break
                rows.append(row)
            target += sorted(rows)
            target.append("\\.")
    schema += pending
    return Snapshot("postgresql", "\n".join(schema), "\n".join(data))


# -- SQLite ------------------------------------------------------------------------------------

_INSERT = re.compile(r"""^INSERT INTO (?P<name>"(?:[^"]|"")+"|'(?:[^']|'')+'|\[[^\]]+\]|`[^`]+`|[^\s(]+)""")
_CREATE = re.compile(
    r"""^CREATE\s+(?:UNIQUE\s+|TEMP\w*\s+|VIRTUAL\s+)*(?P<kind>TABLE|INDEX|VIEW|TRIGGER)\s+"""
    r"""(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>"(?:[^"]|"")+"|'(?:[^']|'')+'|\[[^\]]+\]|`[^`]+`|[^\s(]+)""",
    re.IGNORECASE,
)
_ON_TABLE = re.compile(r"""\sON\s+(?P<name>"(?:[^"]|"")+"|\[[^\]]+\]|`[^`]+`|[^\s(]+)""", re.IGNORECASE)


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite:///relative` or `sqlite:////absolute` URL."""
    return Path(unquote(urlsplit(url).path[1:] if url.startswith("sqlite:///") else url))


def _unquote(name: str) -> str:
    if name[:1] in "\"'`[":
        inner = name[1:-1]
        return inner.replace('""', '"') if name[0] == '"' else inner.replace("''", "'") if name[0] == "'" else inner
    return name


def _is_workbench(name: str) -> bool:
    return _unquote(name).lower().startswith(WORKBENCH_PREFIX)


def _statements(text: str) -> list[str]:
    """The dump's statements, split where SQLite itself says a statement is complete."""
    out, current = [], ""
    for line in text.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def sqlite_snapshot(path: Path) -> Snapshot:
    """`sqlite3 FILE .dump` with rows sorted per table and the `workbench_*` tables left out,
    plus each rowid table's rowids, the database's user_version and application_id, and the
    names of the files beside it that belong to it (a journal left behind, say) but `*.lock`."""
    cli = _tool("sqlite3")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        rowid_tables = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND NOT wr "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
            if not _is_workbench(name)
        ]
    raw.close()
    script = [".dump", ".mode quote", ".print -- judge: pragmas", "PRAGMA user_version;", "PRAGMA application_id;"]
    for name in rowid_tables:
        quoted = '"' + name.replace('"', '""') + '"'
        script += [f".print -- judge: rowids of {quoted}", f"SELECT rowid, * FROM {quoted} ORDER BY rowid;"]
    out = _run([cli, "-bail", "-readonly", str(path)], "\n".join(script) + "\n")
    dump, _, extra = out.partition("-- judge: pragmas\n")

    schema: list[str] = []
    rows: dict[str, list[str]] = {}
    for statement in _statements(dump):
        insert = _INSERT.match(statement)
        if insert:
            table = _unquote(insert.group("name"))
            if table == "sqlite_sequence":
                if _is_workbench(statement.split("VALUES(", 1)[1].split(",", 1)[0]):
                    continue
            elif _is_workbench(table):
                continue
            rows.setdefault(table, []).append(statement)
            continue
        create = _CREATE.match(statement)
        if create:
            owner = create.group("name")
            if create.group("kind").upper() in ("INDEX", "TRIGGER"):
                on = _ON_TABLE.search(statement)
                owner = on.group("name") if on else owner
            if _is_workbench(create.group("name")) or _is_workbench(owner):
                continue
        schema.append(statement)
    if "sqlite_sequence" not in rows:
        # SQLite makes sqlite_sequence with the first AUTOINCREMENT table and refuses to drop it
        # ("may not be dropped"): empty, it holds nothing, so it counts as absent
        schema = [s for s in schema if s != "DELETE FROM sqlite_sequence;"]
    schema.sort()
    data = [line for table in sorted(rows) for line in (f"-- rows of {table}", *sorted(rows[table]))]
    data += extra.splitlines()
    data.append("-- files beside the database")
    data += sorted(p.name for p in path.parent.glob(f"{path.name}*") if p != path and p.suffix != ".lock")
    return Snapshot("sqlite", "\n".join(schema), "\n".join(data))
