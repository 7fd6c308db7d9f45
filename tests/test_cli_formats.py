"""Listings in pipes and CI logs: full values, no boxes, and `--format table|plain|tsv|json`.

Each test runs the real command in a subprocess whose stdin and stdout are not a terminal and
whose environment sets no COLUMNS, as a CI job does: rich would cut every table at 80 columns.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.db import connect

LONG = "booking_order_private_notes_kept_by_each_practitioner"  # PostgreSQL keeps 63 bytes
BOX = re.compile("[┏┃┡│└─━]")
STAMP = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\b")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def make_long_names(url: str) -> None:
    conn = connect(url)
    conn.execute_script(f"""
        CREATE TABLE clients_of_the_practice_with_a_rather_long_name (id integer PRIMARY KEY);
        CREATE TABLE {LONG} (
            id integer PRIMARY KEY,
            client_id integer REFERENCES clients_of_the_practice_with_a_rather_long_name (id),
            note text
        );
    """)
    conn.close()


def test_inspect_into_a_pipe_prints_every_name_whole_without_boxes(backend_url: str) -> None:
    make_long_names(backend_url)
    out = ok(run_cli("inspect", backend_url))
    assert LONG in out and "client_id → clients_of_the_practice_with_a_rather_long_name" in out
    assert "…" not in out and not BOX.search(out)
    assert max(len(line) for line in out.splitlines()) > 80, "wider than 80 columns, as the values are"


def test_inspect_tsv_is_one_row_per_table_with_a_header(backend_url: str) -> None:
    make_long_names(backend_url)
    rows = [line.split("\t") for line in ok(run_cli("inspect", backend_url, "--format", "tsv")).splitlines()]
    header, *tables = rows
    assert header[:3] == ["table", "rows ≈", "columns"]
    assert all(len(row) == len(header) for row in tables)
    by_name = {row[0].split(".")[-1]: row for row in tables}
    assert by_name[LONG][2] == "3"
    assert by_name[LONG][4] == "client_id → clients_of_the_practice_with_a_rather_long_name"


def test_inspect_table_format_into_a_pipe_keeps_its_boxes_and_cuts_nothing(sqlite_url: str) -> None:
    make_long_names(sqlite_url)
    out = ok(run_cli("inspect", sqlite_url, "--format", "table"))
    assert BOX.search(out) and LONG in out and "…" not in out


def test_format_json_is_the_json_contract_and_two_formats_are_refused(sqlite_url: str) -> None:
    make_long_names(sqlite_url)
    assert json.loads(ok(run_cli("inspect", sqlite_url, "--format", "json"))) == json.loads(
        ok(run_cli("inspect", sqlite_url, "--json"))
    )
    both = run_cli("inspect", sqlite_url, "--json", "--format", "tsv")
    assert both.returncode == 2 and "two formats" in both.stderr


def test_inspect_one_table_plain_and_tsv(sqlite_url: str) -> None:
    make_long_names(sqlite_url)
    plain = ok(run_cli("inspect", sqlite_url, "--table", LONG))
    assert (
        f"main.{LONG}" in plain and "FK client_id → main.clients_of_the_practice_with_a_rather_long_name(id)" in plain
    )
    tsv = ok(run_cli("inspect", sqlite_url, "--table", LONG, "--format", "tsv")).splitlines()
    assert tsv[0].split("\t")[:4] == ["#", "column", "keys", "type"]
    assert [row.split("\t")[1] for row in tsv[1:]] == ["id", "client_id", "note"]


def destructive_project(root: Path) -> Path:
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "001_notes.sql").write_text(
        f"CREATE TABLE {LONG} (id integer PRIMARY KEY, note text);\nINSERT INTO {LONG} VALUES (1, 'x');\n"
    )
    (root / "migrations" / "002_drop_note.sql").write_text(f"ALTER TABLE {LONG} DROP COLUMN note;\n")
    return root


def test_migrate_backups_into_a_pipe_prints_whole_timestamps_and_names(backend_url: str, tmp_path: Path) -> None:
    root = destructive_project(tmp_path)
    ok(run_cli("migrate", "up", backend_url, "--project", str(root)))
    out = ok(run_cli("migrate", "backups", backend_url, "--project", str(root)))
    header, row = out.splitlines()
    assert header.split()[:3] == ["#", "taken", "migration"]
    assert STAMP.search(row) and LONG in row and "before migration" in row and "needs it" in row
    assert "…" not in out
    tsv = ok(run_cli("migrate", "backups", backend_url, "--project", str(root), "--format", "tsv")).splitlines()
    fields = tsv[1].split("\t")
    assert STAMP.fullmatch(fields[1]) and fields[2] == "002" and fields[3].endswith(LONG)


def test_migrate_status_tsv_and_plain(sqlite_url: str, tmp_path: Path) -> None:
    root = destructive_project(tmp_path)
    ok(run_cli("migrate", "up", sqlite_url, "--project", str(root), "--to", "001"))
    rows = [
        r.split("\t")
        for r in ok(run_cli("migrate", "status", sqlite_url, "--project", str(root), "--format", "tsv")).splitlines()
    ]
    assert rows[0] == ["version", "name", "state", "applied at", "note"]
    assert [r[:3] for r in rows[1:]] == [["001", "notes", "applied"], ["002", "drop_note", "pending"]]
    assert STAMP.fullmatch(rows[1][3])
    plain = ok(run_cli("migrate", "status", sqlite_url, "--project", str(root)))
    assert re.search(r"^001\s+notes\s+applied\s+\d{4}-", plain, re.M) and not BOX.search(plain)


def test_verify_tsv_is_one_row_per_check(sqlite_url: str, tmp_path: Path) -> None:
    make_long_names(sqlite_url)
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "notes.sql").write_text(
        f"-- check: no notes yet\n-- expect: no rows\nSELECT id FROM {LONG};\n\n"
        "-- check: one client\n-- expect: 1\nSELECT count(*) FROM clients_of_the_practice_with_a_rather_long_name;\n"
    )
    proc = run_cli("verify", sqlite_url, "--project", str(tmp_path), "--no-builtins", "--format", "tsv")
    assert proc.returncode == 1, proc.stderr
    rows = [r.split("\t") for r in proc.stdout.splitlines()]
    assert rows[0] == ["file", "line", "check", "status", "ms", "expected", "actual", "error"]
    assert [(r[2], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("no notes yet", "pass", "no rows", "no rows"),
        ("one client", "fail", "1", "0"),
    ]


def test_coverage_tsv_is_one_row_per_use_case(sqlite_url: str, tmp_path: Path) -> None:
    make_long_names(sqlite_url)
    (tmp_path / "use_cases.toml").write_text(
        f'[[use_case]]\nid = "UC-1"\ntitle = "Practitioners keep private notes on each client"\ntables = ["{LONG}"]\n'
    )
    out = ok(run_cli("coverage", sqlite_url, "--project", str(tmp_path), "--format", "tsv"))
    assert out.splitlines() == [
        "use case\ttitle\tstatus\trequirements\tscenarios",
        "UC-1\tPractitioners keep private notes on each client\tstrong\t1/1\t0/0",
    ]


def test_sample_list_formats() -> None:
    rows = [r.split("\t") for r in ok(run_cli("sample", "list", "--format", "tsv")).splitlines()]
    assert rows[0] == ["name", "backend", "description"] and ["booking", "sqlite"] == rows[1][:2]
    listed = json.loads(ok(run_cli("sample", "list", "--format", "json")))["samples"]
    assert [s["name"] for s in listed] == [r[0] for r in rows[1:]]


@pytest.mark.parametrize(
    "command",
    [["inspect"], ["migrate", "status"], ["migrate", "backups"], ["verify"], ["coverage"], ["sample", "list"]],
)
def test_every_listing_offers_the_four_formats(command: list[str]) -> None:
    assert "--format {table,plain,tsv,json}" in ok(run_cli(*command, "--help")).replace("\n", " ").replace("  ", " ")


def test_verify_into_a_pipe_keeps_each_line_whole(sqlite_url: str, tmp_path: Path) -> None:
    make_long_names(sqlite_url)
    name = f"every note in {LONG} belongs to a client of the practice"
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "notes.sql").write_text(
        f"-- check: {name}\n-- expect: no rows\nSELECT id FROM {LONG} WHERE client_id IS NULL;\n"
    )
    out = ok(run_cli("verify", sqlite_url, "--project", str(tmp_path), "--no-builtins"))
    assert any(name in line for line in out.splitlines()), out
