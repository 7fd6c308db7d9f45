"""Other tools' ledgers: their history adopted, their dirty or failed runs respected, and their
tables kept in step when the workbench applies and rolls back, on both backends."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.migrations.foreign_ledgers import ForeignLedgerBlocked
from workbench.migrations.service import MigrationService
from tests.migrations.foreign_tools import PG, applied_per_tool, run_as, sqitch_deploy, table
from tests.migrations.helpers import register_corpus_functions

TABLES = {"users": "id integer PRIMARY KEY, name text", "posts": "id integer PRIMARY KEY", "tags": "id integer"}


def _create(name: str) -> str:
    return f"CREATE TABLE {name} ({TABLES[name]});\n"


def _drop(name: str) -> str:
    return f"DROP TABLE {name};\n"


def layout(tool: str) -> dict[str, str]:
    """Three migrations (users, posts, tags) in `tool`'s own folder layout."""
    names = list(TABLES)
    if tool == "golang-migrate":
        return {
            f"{i}_{n}.{d}.sql": (_create(n) if d == "up" else _drop(n))
            for i, n in enumerate(names, 1)
            for d in ("up", "down")
        }
    if tool == "dbmate":
        return {
            f"2023010{i}000000_{n}.sql": f"-- migrate:up\n{_create(n)}\n-- migrate:down\n{_drop(n)}"
            for i, n in enumerate(names, 1)
        }
    if tool == "diesel":
        files = {f"2023-01-0{i}-000000_{n}/up.sql": _create(n) for i, n in enumerate(names, 1)}
        return files | {f"2023-01-0{i}-000000_{n}/down.sql": _drop(n) for i, n in enumerate(names, 1)}
    if tool == "flyway":
        return {f"V{i}__{n}.sql": _create(n) for i, n in enumerate(names, 1)} | {
            f"U{i}__{n}.sql": _drop(n) for i, n in enumerate(names, 1)
        }
    if tool == "prisma":
        return {f"2023010{i}000000_{n}/migration.sql": _create(n) for i, n in enumerate(names, 1)} | {
            "migration_lock.toml": 'provider = "postgresql"\n'
        }
    journal = {
        "version": "7",
        "dialect": "postgresql",
        "entries": [
            {"idx": i, "version": "7", "when": 1700000000000 + i * 1000, "tag": f"000{i}_{n}", "breakpoints": True}
            for i, n in enumerate(names)
        ],
    }
    return {f"000{i}_{n}.sql": _create(n) for i, n in enumerate(names)} | {"meta/_journal.json": json.dumps(journal)}


TOOLS = ["golang-migrate", "dbmate", "diesel", "flyway", "prisma", "drizzle"]
NAMES = {"flyway": "Flyway", "prisma": "Prisma"}


def folder(tmp_path: Path, tool: str) -> Path:
    root = tmp_path / "migrations"
    for name, text in layout(tool).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def project(tmp_path: Path, tool: str) -> Path:
    """A project folder: `tool`'s migrations and an empty workbench.toml."""
    root = folder(tmp_path, tool).parent
    (root / "workbench.toml").write_text("")
    return root


@pytest.mark.parametrize("tool", TOOLS)
def test_history_of_another_tool_is_adopted_then_kept_in_step(tool: str, conn: Connection, tmp_path: Path) -> None:
    mg = Migrator(conn, folder(tmp_path, tool))
    first_two, everything = mg.migrations[:2], mg.migrations
    run_as(conn, tool, first_two)

    statuses = mg.status()
    assert [s.state for s in statuses] == ["applied", "applied", "pending"]
    assert [s.entry.adopted_from if s.entry else None for s in statuses] == [NAMES.get(tool, tool)] * 2 + [None]
    plan = mg.plan_up()
    assert [p.version for p in plan.migrations] == [everything[2].version]
    assert any("kept in step" in note for note in plan.notes)

    assert mg.up().ok
    assert [s.state for s in Migrator(conn, mg.migrations).status()] == ["applied"] * 3
    assert applied_per_tool(conn, tool, everything) == [m.version for m in everything]

    assert mg.down(steps=1).ok  # the workbench's own apply: its way back
    assert applied_per_tool(conn, tool, everything) == [m.version for m in first_two]
    assert [s.state for s in mg.status()] == ["applied", "applied", "pending"]


def _dbmate_files(tmp_path: Path, ups: list[str]) -> Path:
    root = tmp_path / "migrations"
    root.mkdir()
    for i, up in enumerate(ups, 1):
        (root / f"2023010{i}000000_m{i}.sql").write_text(f"-- migrate:up\n{up}\n-- migrate:down\n")
    return root


def test_a_ledger_a_migration_makes_is_kept_in_step_from_that_migration_on(conn: Connection, tmp_path: Path) -> None:
    """The run asks once which ledgers exist, and again after a migration that may make one."""
    mg = Migrator(conn, _dbmate_files(tmp_path, [_create("users"), PG["dbmate"] + ";", _create("posts")]))
    assert mg.up().ok
    assert applied_per_tool(conn, "dbmate", mg.migrations) == [m.version for m in mg.migrations[1:]]


def test_a_ledger_a_migration_drops_is_no_longer_written(conn: Connection, tmp_path: Path) -> None:
    mg = Migrator(conn, _dbmate_files(tmp_path, [_create("users"), "DROP TABLE schema_migrations;", _create("posts")]))
    run_as(conn, "dbmate", mg.migrations[:1])
    report = mg.up()
    assert report.ok, report.failure
    assert [s.state for s in mg.status()][1:] == ["applied", "applied"]  # the first was only in dbmate's ledger
    assert "posts" in {t.name for t in conn.introspect().tables}


@pytest.mark.parametrize("tool", ["golang-migrate", "dbmate", "diesel", "flyway"])
def test_rolling_back_an_adopted_migration_runs_its_down_script_and_tells_the_tool(
    tool: str, conn: Connection, tmp_path: Path
) -> None:
    mg = Migrator(conn, folder(tmp_path, tool))
    run_as(conn, tool, mg.migrations)
    report = mg.down(steps=2)
    assert report.ok, report.failure
    assert applied_per_tool(conn, tool, mg.migrations) == [mg.migrations[0].version]
    assert [s.state for s in mg.status()] == ["applied", "pending", "pending"]
    assert mg.up().ok and applied_per_tool(conn, tool, mg.migrations) == [m.version for m in mg.migrations]


def test_flyway_history_gives_time_and_user_and_an_edited_file_is_drift_until_repaired(
    conn: Connection, tmp_path: Path
) -> None:
    root = folder(tmp_path, "flyway")
    mg = Migrator(conn, root)
    run_as(conn, "flyway", mg.migrations[:2])
    first = mg.status()[0]
    assert first.entry is not None
    assert (first.entry.applied_at, first.entry.applied_by) == ("2020-01-01T12:00:00Z", "alice")
    (root / "V2__posts.sql").write_text(_create("posts") + "-- edited\n")
    assert [s.state for s in Migrator(conn, root).status()] == ["applied", "drifted", "pending"]
    history = conn.query("SELECT * FROM flyway_schema_history ORDER BY installed_rank").rows
    assert Migrator(conn, root).repair_checksums() == ["2"]  # accepted in our ledger; Flyway's row stays
    assert [s.state for s in Migrator(conn, root).status()] == ["applied", "applied", "pending"]
    assert conn.query("SELECT * FROM flyway_schema_history ORDER BY installed_rank").rows == history


def test_prisma_checksum_and_time_adopted_and_an_edit_is_drift(conn: Connection, tmp_path: Path) -> None:
    root = folder(tmp_path, "prisma")
    mg = Migrator(conn, root)
    run_as(conn, "prisma", mg.migrations[:2])
    assert [s.entry.applied_at for s in mg.status()[:2] if s.entry] == ["2021-03-01T09:30:00Z", "2021-03-02T09:30:00Z"]
    (root / "20230101000000_users" / "migration.sql").write_text(_create("users") + "\n")
    assert [s.state for s in Migrator(conn, root).status()] == ["drifted", "applied", "pending"]


@pytest.mark.parametrize("tool", ["golang-migrate", "flyway", "prisma"])
def test_a_dirty_or_failed_run_in_the_other_tool_is_shown_and_never_overwritten(
    tool: str, conn: Connection, tmp_path: Path
) -> None:
    mg = Migrator(conn, folder(tmp_path, tool))
    run_as(conn, tool, mg.migrations[:2], fail_last=True)
    before = conn.query(f"SELECT * FROM {table(conn, tool)}").rows
    statuses = mg.status()
    assert [s.state for s in statuses] == ["applied", "failed", "pending"]
    assert statuses[1].entry is not None and NAMES.get(tool, tool) in (statuses[1].entry.adopted_from or "")
    with pytest.raises(ForeignLedgerBlocked, match=f"marks {mg.migrations[1].version} .*applies nothing over it"):
        mg.up()
    assert conn.query(f"SELECT * FROM {table(conn, tool)}").rows == before
    assert conn.query("SELECT COUNT(*) FROM users").scalar() == 0  # the workbench ran nothing


def test_pocket_id_half_applied_by_golang_migrate_is_finished_by_the_workbench(conn: Connection, corpus: Path) -> None:
    register_corpus_functions(conn)
    mg = Migrator(conn, corpus / "pocket-id-migrations")
    half = mg.migrations[: len(mg.migrations) // 2]
    run_as(conn, "golang-migrate", half)
    states = [(s.state, s.entry.adopted_from if s.entry else None) for s in mg.status()]
    assert states[: len(half)] == [("applied", "golang-migrate")] * len(half)
    assert {state for state, _ in states[len(half) :]} == {"pending"}
    report = mg.up()
    assert report.ok, report.failure
    assert conn.query("SELECT version, dirty FROM schema_migrations").rows[0][0] == int(mg.migrations[-1].version)
    assert {s.state for s in mg.status()} == {"applied"}


def test_status_json_names_the_tool_a_migration_was_adopted_from(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "flyway")
    with closing(connect(backend_url)) as conn:
        run_as(conn, "flyway", Migrator(conn, root / "migrations").migrations[:1])
    assert main(["migrate", "status", backend_url, "--project", str(root), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["migrations"]
    assert [(r["state"], r["adopted_from"], r["applied_by"]) for r in rows] == [
        ("applied", "Flyway", "alice"),
        ("pending", None, None),
        ("pending", None, None),
    ]
    assert main(["migrate", "status", backend_url, "--project", str(root)]) == 0
    assert "adopted from Flyway" in capsys.readouterr().out


SQITCH = {
    "sqitch.plan": "%syntax-version=1.0.0\n%project=flipr\n\n"
    + "".join(f"{n} 2019-05-01T00:00:00Z Marge <marge@example.com> # {n}\n" for n in TABLES),
    **{f"deploy/{n}.sql": _create(n) for n in TABLES},
    **{f"revert/{n}.sql": _drop(n) for n in TABLES},
}


def test_sqitch_registry_is_adopted_read_only_and_the_plan_says_so(conn: Connection, tmp_path: Path) -> None:
    root = tmp_path / "db"
    for name, text in SQITCH.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    mg = Migrator(conn, root)
    sqitch_deploy(conn, "flipr", mg.migrations[:2])
    statuses = mg.status()
    assert [(s.state, s.entry.adopted_from if s.entry else None) for s in statuses] == [
        ("applied", "sqitch"),
        ("applied", "sqitch"),
        ("pending", None),
    ]
    assert statuses[0].entry is not None and statuses[0].entry.applied_by == "Marge <marge@example.com>"
    assert statuses[0].entry.applied_at == "2019-05-01T08:00:00Z"
    notes = mg.plan_up().notes
    registry = "sqitch.changes" if conn.capabilities.schemas else "sqitch.db"
    assert any(f"sqitch's ledger ({registry}) will not be kept in step" in n for n in notes), notes
    assert mg.up().ok
    (root / "deploy" / "users.sql").write_text(_create("users") + "-- edited\n")
    assert [s.state for s in Migrator(conn, root).status()] == ["drifted", "applied", "applied"]


def test_a_dirty_run_blocks_a_rollback_too_and_status_says_why(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "golang-migrate")
    with closing(connect(backend_url)) as conn:
        mg = Migrator(conn, root / "migrations")
        run_as(conn, "golang-migrate", mg.migrations[:2], fail_last=True)
        with pytest.raises(ForeignLedgerBlocked, match="golang-migrate marks 2 dirty"):
            mg.down(steps=1)
        assert conn.query("SELECT version, dirty FROM schema_migrations").rows[0][0] == 2
        assert MigrationService(conn, root / "migrations").overview().statuses  # the screen still loads
    assert main(["migrate", "status", backend_url, "--project", str(root)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "dirty (a run failed part-way): fix the database, then clear the flag with `migrate force 2`" in out
    assert main(["migrate", "up", backend_url, "--project", str(root)]) == 2
    assert "the workbench applies nothing over it" in capsys.readouterr().err


def test_a_row_no_version_can_be_read_from_is_one_sentence_not_a_traceback(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "dbmate")
    with closing(connect(backend_url)) as conn:
        run_as(conn, "dbmate", Migrator(conn, root / "migrations").migrations[:1])
        conn.execute("INSERT INTO schema_migrations (version) VALUES ('latest')")
    assert main(["migrate", "status", backend_url, "--project", str(root)]) == 2
    err = capsys.readouterr().err
    assert "dbmate's ledger (schema_migrations) holds a row the workbench cannot read" in err
    assert "Traceback" not in err


@pytest.mark.postgres
def test_a_partial_run_leaves_golang_migrate_dirty_and_its_resume_clears_it(pg_url: str, tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    files = {
        "1_t.up.sql": "CREATE TABLE t (x integer);\n",
        "2_index.up.sql": "CREATE INDEX CONCURRENTLY t_x ON t (x);\nINSERT INTO nowhere VALUES (1);\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    with closing(connect(pg_url)) as conn:
        mg = Migrator(conn, root)
        run_as(conn, "golang-migrate", mg.migrations[:1])
        assert not mg.up().ok  # the index stayed (it cannot run in a transaction); the INSERT failed
        assert conn.query("SELECT version, dirty FROM schema_migrations").rows == [(2, True)]
        assert [s.state for s in mg.status()] == ["applied", "failed"]  # our own partial run, resumable

        (root / "2_index.up.sql").write_text("CREATE INDEX CONCURRENTLY t_x ON t (x);\nSELECT 1;\n")
        assert Migrator(conn, root).up().ok
        assert conn.query("SELECT version, dirty FROM schema_migrations").rows == [(2, False)]
