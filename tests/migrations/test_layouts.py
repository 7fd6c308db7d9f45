"""Other tools' folder layouts found without configuration, and folders we cannot read said so."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.errors import ConfigError
from workbench.migrations.discovery import discover
from tests.migrations.test_discovery import write


def test_a_folder_in_which_nothing_is_recognised_is_an_error_naming_the_layouts(tmp_path: Path) -> None:
    write(tmp_path, {"README.md": "notes", "schema.prisma": "model X {}"})
    with pytest.raises(ConfigError, match=r"no migrations recognised; the layouts read are .*diesel.*Prisma.*sqitch"):
        discover(tmp_path)


def test_an_empty_folder_is_still_a_project_without_migrations(tmp_path: Path) -> None:
    assert discover(tmp_path) == []


def test_migrate_status_on_an_unrecognised_folder_exits_2(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "migrations", {"notes.txt": "x"})
    (tmp_path / "workbench.toml").write_text("")
    assert main(["migrate", "status", sqlite_url, "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no migrations recognised" in err and "Traceback" not in err


def test_a_directory_named_like_a_migration_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, {"0002_y.sql": "SELECT 1;"})
    (tmp_path / "0001_x.sql").mkdir()
    with pytest.raises(ConfigError, match=r"0001_x.sql: named like a migration but is not a readable file"):
        discover(tmp_path)


def test_a_dangling_symlink_named_like_a_migration_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, {"0002_y.sql": "SELECT 1;"})
    (tmp_path / "0001_x.sql").symlink_to(tmp_path / "gone.sql")
    with pytest.raises(ConfigError, match=r"0001_x.sql: named like a migration but is not a readable file"):
        discover(tmp_path)


def test_diesel_folders_pair_up_and_down_with_the_timestamp_as_version(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "00000000000000_diesel_initial_setup/up.sql": "SELECT 0;",
            "00000000000000_diesel_initial_setup/down.sql": "SELECT 0;",
            "2019-02-27-170003_create_user/up.sql": "CREATE TABLE u (id int);",
            "2019-02-27-170003_create_user/down.sql": "DROP TABLE u;",
            "2020-01-01-000000_no_down/up.sql": "SELECT 2;",
            ".keep": "",
        },
    )
    found = discover(tmp_path)
    assert [(m.version, m.name) for m in found] == [
        ("00000000000000", "diesel_initial_setup"),
        ("20190227170003", "create_user"),
        ("20200101000000", "no_down"),
    ]
    assert found[1].down_sql == "DROP TABLE u;" and found[2].down_sql is None


def test_diesel_metadata_can_ask_to_run_outside_a_transaction(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "2020-01-01-000000_index/up.sql": "CREATE INDEX CONCURRENTLY i ON t (x);",
            "2020-01-01-000000_index/metadata.toml": "run_in_transaction = false\n",
            "2020-01-02-000000_plain/up.sql": "SELECT 1;",
        },
    )
    assert [m.transactional for m in discover(tmp_path)] == [False, True]


def test_prisma_migration_folders_are_read_with_no_down(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "migration_lock.toml": 'provider = "postgresql"',
            "20210102000000_add_posts/migration.sql": "CREATE TABLE posts (id int);",
            "20210101000000_init/migration.sql": "CREATE TABLE users (id int);",
        },
    )
    found = discover(tmp_path)
    assert [(m.version, m.name, m.down_sql) for m in found] == [
        ("20210101000000", "init", None),
        ("20210102000000", "add_posts", None),
    ]


def test_a_folder_named_like_a_migration_without_scripts_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"20210101000000_init/readme.txt": "x"})
    with pytest.raises(ConfigError, match=r"20210101000000_init: named like a migration folder"):
        discover(tmp_path)


def test_one_subfolder_per_dialect_reads_the_one_of_the_backend(tmp_path: Path) -> None:
    write(tmp_path, {"postgres/1_a.sql": "SELECT 'pg';", "sqlite/1_a.sql": "SELECT 'lite';", "mysql/1_a.sql": "x"})
    assert discover(tmp_path, "postgresql")[0].up_sql == "SELECT 'pg';"
    assert discover(tmp_path, "sqlite")[0].up_sql == "SELECT 'lite';"
    with pytest.raises(ConfigError, match=r"one folder per dialect \(mysql, postgres, sqlite\)"):
        discover(tmp_path)


def test_corpus_sets_are_read_from_their_top_folder_by_dialect(corpus: Path) -> None:
    counts = {
        (name, dialect): len(discover(corpus / f"{name}-migrations", dialect))
        for name in ("authelia", "pocket-id", "river")
        for dialect in ("postgresql", "sqlite")
    }
    assert counts == {
        ("authelia", "postgresql"): 26,
        ("authelia", "sqlite"): 26,
        ("pocket-id", "postgresql"): 35,
        ("pocket-id", "sqlite"): 43,
        ("river", "postgresql"): 7,
        ("river", "sqlite"): 7,
    }


SQITCH_PLAN = """%syntax-version=1.0.0
%project=flipr
%uri=https://github.com/sqitchers/sqitch-intro/

appschema 2013-12-30T23:19:39Z Marge N. O'Vera <marge@example.com> # Add schema.
users [appschema] 2013-12-30T23:49:00Z Marge N. O'Vera <marge@example.com> # Users table.
@v1.0.0-dev1 2013-12-31T18:26:59Z Marge N. O'Vera <marge@example.com> # Tag v1.0.0-dev1.

users [users@v1.0.0-dev1] 2014-01-01T00:00:00Z Marge N. O'Vera <marge@example.com> # Rework users.
"""


def test_sqitch_plan_gives_changes_in_order_with_reworked_scripts_and_verify(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "sqitch.plan": SQITCH_PLAN,
            "sqitch.conf": "[core]\n",
            "deploy/appschema.sql": "CREATE TABLE app (id int);",
            "revert/appschema.sql": "DROP TABLE app;",
            "verify/appschema.sql": "SELECT id FROM app WHERE false;",
            "deploy/users@v1.0.0-dev1.sql": "CREATE TABLE users (id int);",
            "revert/users@v1.0.0-dev1.sql": "DROP TABLE users;",
            "deploy/users.sql": "ALTER TABLE users ADD COLUMN name text;",
        },
    )
    found = discover(tmp_path)
    assert [(m.version, m.name) for m in found] == [("1", "appschema"), ("2", "users"), ("3", "users")]
    assert found[1].up_sql == "CREATE TABLE users (id int);" and found[1].down_sql == "DROP TABLE users;"
    assert found[2].up_sql.startswith("ALTER TABLE users") and found[2].down_sql is None
    assert found[0].verify_sql == "SELECT id FROM app WHERE false;"


def test_sqitch_change_without_deploy_script_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"sqitch.plan": "%project=x\n\nmissing 2013-12-30T23:19:39Z M <m@x> # n\n"})
    with pytest.raises(ConfigError, match="change 'missing' has no deploy script"):
        discover(tmp_path)
