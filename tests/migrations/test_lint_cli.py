"""`workbench migrate lint`: offline and against a real database on both backends, its formats
(text, JSON, SARIF, GitHub annotations), --fail-on and accepted findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.migrations.helpers import write_files
from workbench.cli import main
from workbench.db import connect

RISKY = {
    "001_orders.sql": "CREATE TABLE orders (id int PRIMARY KEY, total int);\n",
    "002_index.sql": "-- the report needs it\nCREATE INDEX orders_total ON orders (total);\n",
    "003_rename.sql": "ALTER TABLE orders RENAME COLUMN total TO amount;\n",
}


def project(tmp_path: Path, files: dict[str, str], config: str = "") -> Path:
    write_files(tmp_path / "migrations", files)
    (tmp_path / "workbench.toml").write_text(config)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["migrate", "lint", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def test_offline_text_lists_findings_riskiest_first_and_fails_on_danger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = project(tmp_path, RISKY)
    code, out = lint(capsys, "--project", str(root), "--dialect", "postgresql")
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("migrations/002_index.sql:2: danger index-not-concurrent: builds index orders_total")
    assert "migrations/003_rename.sql:1: warning rename: renames column orders.total to amount" in out
    assert "001_orders" not in out  # the table's own migration: nothing to say
    assert lines[-1].startswith("4 findings: 1 danger, 1 warning, 2 info")
    assert lint(capsys, "--project", str(root), "--dialect", "postgresql", "--fail-on", "never")[0] == 0
    assert lint(capsys, "--project", str(root), "--dialect", "postgresql", "--fail-on", "warning")[0] == 1


def test_an_allow_comment_accepts_a_finding_and_it_fails_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        **RISKY,
        "002_index.sql": "-- workbench: allow index-not-concurrent orders is tiny\n" + RISKY["002_index.sql"],
    }
    root = project(tmp_path, files)
    code, out = lint(capsys, "--project", str(root), "--dialect", "postgresql")
    assert code == 0
    assert "danger index-not-concurrent: builds index orders_total" in out and "(accepted: orders is tiny)" in out
    code, out = lint(capsys, "--project", str(root), "--dialect", "postgresql", "--json")
    accepted = [f for f in json.loads(out)["findings"] if f["code"] == "index-not-concurrent"]
    assert accepted[0]["allowed"] == "orders is tiny" and accepted[0]["line"] == 3


def test_sarif_is_code_scanning_shaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, RISKY)
    code, out = lint(capsys, "--project", str(root), "--dialect", "postgresql", "--format", "sarif")
    sarif = json.loads(out)
    assert code == 1 and sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"index-not-concurrent", "rename"}
    first = run["results"][0]
    assert first["ruleId"] == "index-not-concurrent" and first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("migrations/002_index.sql")
    assert location["region"]["startLine"] == 2
    assert first["properties"]["lock"] == "SHARE"


def test_github_annotations_name_file_line_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, RISKY)
    _, out = lint(capsys, "--project", str(root), "--dialect", "postgresql", "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith("::error file=") and "002_index.sql,line=2,title=workbench index-not-concurrent::" in first
    assert "::warning file=" in out and "title=workbench rename::" in out


def test_json_and_another_format_is_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, RISKY)
    code = main(["migrate", "lint", "--project", str(root), "--json", "--format", "sarif"])
    _, err = capsys.readouterr()
    assert code == 2 and "give one" in err


def test_offline_reads_as_the_default_profiles_backend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"001_t.sql": "CREATE TABLE t (id int);\n", "002_alter.sql": "ALTER TABLE t ALTER COLUMN id TYPE bigint;\n"}
    root = project(tmp_path, files, '[profiles.local]\nurl = "sqlite:///x.db"\n')
    code, out = lint(capsys, "--project", str(root))
    assert code == 1 and "danger sqlite-alter: SQLite's ALTER TABLE cannot ALTER COLUMN" in out


def test_with_a_target_findings_carry_rows_and_an_empty_table_is_no_danger(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(backend_url)
    try:
        conn.execute_script(
            "CREATE TABLE busy (id int PRIMARY KEY, note text); CREATE TABLE idle (id int PRIMARY KEY, note text);"
            "INSERT INTO busy VALUES (1, 'a'), (2, 'b'), (3, 'c');"
        )
        conn.execute_script("ANALYZE")
    finally:
        conn.close()
    root = project(tmp_path, {"001_purge.sql": "DELETE FROM idle;\nDELETE FROM busy;\n"})
    code, out = lint(capsys, backend_url, "--project", str(root), "--json")
    found = {f["table"]: f for f in json.loads(out)["findings"] if f["code"] == "unconditioned-write"}
    assert code == 1
    assert found["busy"]["severity"] == "danger" and found["busy"]["rows"] == 3
    assert "3 rows" in found["busy"]["message"]
    assert found["idle"]["severity"] == "info" and found["idle"]["rows"] == 0
    assert found["busy"]["bytes"] > 0  # its size on disk, with its indexes
    ordered = [f["table"] for f in json.loads(out)["findings"] if f.get("table") in ("busy", "idle")]
    assert ordered.index("busy") < ordered.index("idle")  # ranked by risk


def test_with_a_target_only_pending_migrations_are_read(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, {"001_t.sql": "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"})
    assert main(["migrate", "up", backend_url, "--project", str(root)]) == 0
    write_files(root / "migrations", {"002_drop.sql": "DROP TABLE t;\n"})
    capsys.readouterr()
    code, out = lint(capsys, backend_url, "--project", str(root))
    assert code == 1 and "002_drop.sql" in out and "danger drop-table: drops table t" in out
    assert "001_t.sql" not in out


def test_offline_a_later_migration_widening_a_column_an_earlier_one_declared_is_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "001_t.sql": "CREATE TABLE t (code varchar(20), price numeric(8, 2), n int);\n",
        "002_widen.sql": "ALTER TABLE t ALTER COLUMN code TYPE varchar(64);\n"
        "ALTER TABLE t ALTER COLUMN price TYPE numeric(12, 2);\n",
        "003_more.sql": "ALTER TABLE t ALTER COLUMN code TYPE text;\nALTER TABLE t ALTER COLUMN code TYPE varchar(10);\n",
    }
    root = project(tmp_path, files)
    code, out = lint(capsys, "--project", str(root), "--dialect", "postgresql", "--json")
    changes = [
        (f["version"], f["statement"], f["severity"]) for f in json.loads(out)["findings"] if f["code"] == "type-change"
    ]
    assert changes == [("003", 2, "danger")]  # text → varchar(10) checks and rewrites; the rest only widen


@pytest.mark.postgres
def test_with_a_target_the_catalog_tells_a_widening_from_a_rewrite(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script(
            "CREATE TABLE t (code varchar(20), price numeric(8, 2), n int);"
            "INSERT INTO t SELECT 'c' || i, i, i FROM generate_series(1, 50) i; ANALYZE t;"
        )
    finally:
        conn.close()
    sql = (
        "ALTER TABLE t ALTER COLUMN code TYPE varchar(64);\n"
        "ALTER TABLE t ALTER COLUMN price TYPE numeric(12, 2);\n"
        "ALTER TABLE t ALTER COLUMN n TYPE bigint;\n"
    )
    root = project(tmp_path, {"001_types.sql": sql})
    code, out = lint(capsys, pg_url, "--project", str(root), "--json")
    changes = [
        (f["statement"], f["severity"], f["rows"]) for f in json.loads(out)["findings"] if f["code"] == "type-change"
    ]
    assert code == 1 and changes == [(3, "danger", 50)]


def test_with_a_target_names_match_as_the_database_folds_them_and_new_tables_are_empty(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = connect(sqlite_url)
    try:
        conn.execute_script('CREATE TABLE "Orders" (id int); INSERT INTO "Orders" VALUES (1), (2); ANALYZE;')
    finally:
        conn.close()
    files = {
        "001_new.sql": "CREATE TABLE fresh (id int);\n",
        "002_purge.sql": "DELETE FROM orders;\nDELETE FROM fresh;\n",
    }
    root = project(tmp_path, files)
    _, out = lint(capsys, sqlite_url, "--project", str(root), "--json")
    found = {f["table"]: (f["severity"], f["rows"]) for f in json.loads(out)["findings"]}
    assert found == {"orders": ("danger", 2), "fresh": ("info", 0)}
