"""`workbench inspect` as a user and a CI script run it: a subprocess, its output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.db import connect


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )


def make_shop(url: str) -> None:
    conn = connect(url)
    conn.execute_script("""
        CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL);
        CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), total integer);
        CREATE INDEX orders_customer ON orders (customer_id);
        CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
        CREATE TABLE workbench_ledger (version text);
    """)
    conn.close()


def test_inspect_json_is_the_documented_contract(backend_url: str) -> None:
    make_shop(backend_url)
    proc = run_cli("inspect", backend_url, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"backend", "tables", "views", "enums", "functions", "triggers", "policies"} <= set(data)
    tables = {t["name"]: t for t in data["tables"]}
    assert set(tables) == {"customers", "orders"}, "the workbench's own tables are hidden"
    orders = tables["orders"]
    assert {"schema", "name", "columns", "indexes", "foreign_keys", "row_estimate"} <= set(orders)
    assert [c["name"] for c in orders["columns"]] == ["id", "customer_id", "total"]
    assert orders["foreign_keys"][0]["ref_table"] == "customers"
    assert tables["customers"]["referenced_by"][0]["table"] == "orders"
    assert [v["name"] for v in data["views"]] == ["big_orders"]


def test_inspect_all_shows_workbench_objects(sqlite_url: str) -> None:
    make_shop(sqlite_url)
    data = json.loads(run_cli("inspect", sqlite_url, "--json", "--all").stdout)
    assert "workbench_ledger" in {t["name"] for t in data["tables"]}


def test_inspect_for_people_prints_tables_and_counts(sqlite_url: str) -> None:
    make_shop(sqlite_url)
    proc = run_cli("inspect", sqlite_url)
    assert proc.returncode == 0, proc.stderr
    assert "2 tables, 1 views" in proc.stdout
    assert "orders" in proc.stdout and "customer_id → customers" in proc.stdout


def test_inspect_one_table_in_detail(sqlite_url: str) -> None:
    make_shop(sqlite_url)
    proc = run_cli("inspect", sqlite_url, "--table", "customers")
    assert proc.returncode == 0, proc.stderr
    assert "email" in proc.stdout and "referenced by main.orders(customer_id)" in proc.stdout
    missing = run_cli("inspect", sqlite_url, "--table", "nope")
    assert missing.returncode == 2 and "no table named 'nope'" in missing.stderr


def test_inspect_a_profile_of_a_project(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('[profiles.dev]\nurl = "sqlite:///data/dev.db"\n')
    (tmp_path / "data").mkdir()
    make_shop(str(connect(str(tmp_path / "data" / "dev.db"), options={"create": True}).path))
    proc = run_cli("inspect", "dev", "--project", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert {t["name"] for t in json.loads(proc.stdout)["tables"]} == {"customers", "orders"}


def test_bad_usage_exits_2() -> None:
    proc = run_cli("inspect")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.corpus
def test_inspect_chinook_sqlite(corpus: Path) -> None:
    proc = run_cli("inspect", str(corpus / "chinook" / "Chinook_Sqlite.sqlite"), "--json")
    data = json.loads(proc.stdout)
    assert len(data["tables"]) == 11
    assert {t["name"]: t["row_estimate"] for t in data["tables"]}["Track"] == 3503


@pytest.mark.postgres
@pytest.mark.corpus
def test_inspect_pagila_postgres(pagila_url: str) -> None:
    proc = run_cli("inspect", pagila_url, "--json", "--schema", "public")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["tables"]) == 22 and len(data["triggers"]) == 15 and data["enums"][0]["name"] == "mpaa_rating"
    unknown = run_cli("inspect", pagila_url, "--schema", "nope")
    assert unknown.returncode == 2 and "no schema named nope" in unknown.stderr


def test_every_command_falls_back_to_the_projects_default_profile(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('[profiles.dev]\nurl = "dev.db"\n')
    make_shop(str(connect(str(tmp_path / "dev.db"), options={"create": True}).path))
    (tmp_path / "migrations").mkdir()
    for command in (["inspect", "--json"], ["verify", "--json"], ["migrate", "status", "--json"]):
        proc = run_cli(*command, "--project", str(tmp_path))
        assert proc.returncode == 0, (command, proc.stderr)
