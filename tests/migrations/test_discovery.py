"""Discovery of every supported layout, numeric ordering and clear errors for bad folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.errors import ConfigError
from workbench.migrations.discovery import canonical_version, discover, version_key


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_up_down_pairs_are_paired_by_version_and_ordered_numerically(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "10_ten.up.sql": "CREATE TABLE ten (id int);",
            "10_ten.down.sql": "DROP TABLE ten;",
            "9_nine.up.sql": "CREATE TABLE nine (id int);",
            "README.md": "not a migration",
        },
    )
    found = discover(tmp_path)
    assert [(m.version, m.name) for m in found] == [("9", "nine"), ("10", "ten")]
    assert found[0].down_sql is None
    assert found[1].down_sql == "DROP TABLE ten;"


def test_timestamp_versions_and_double_dots_pair_like_pocket_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "20240813211251_passkey_backup_flags..up.sql": "SELECT 1;",
            "20240813211251_passkey_backup_flags.down.sql": "SELECT 2;",
            "20240731203656_init.up.sql": "SELECT 0;",
        },
    )
    found = discover(tmp_path)
    assert [m.version for m in found] == ["20240731203656", "20240813211251"]
    assert found[1].name == "passkey_backup_flags" and found[1].down_sql == "SELECT 2;"


def test_authelia_style_v_prefix_with_dots(tmp_path: Path) -> None:
    write(tmp_path, {"V0002.WebAuthn.up.sql": "", "V0002.WebAuthn.down.sql": "", "V0001.Initial_Schema.up.sql": ""})
    assert [(m.version, m.name) for m in discover(tmp_path)] == [("0001", "Initial_Schema"), ("0002", "WebAuthn")]


def test_dbmate_sections_split_into_up_and_down(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "20151129054053_create_users.sql": "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
            "20151129054054_index.sql": "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON users (id);\n",
        },
    )
    first, second = discover(tmp_path)
    assert first.up_sql.strip() == "CREATE TABLE users (id int);"
    assert first.down_sql.strip() == "DROP TABLE users;"
    assert first.transactional and not second.transactional and second.down_sql is None


def test_flyway_versions_with_undo_and_dotted_versions(tmp_path: Path) -> None:
    write(tmp_path, {"V1__init.sql": "a", "V1.10__later.sql": "c", "V1.9__middle.sql": "b", "U1__init.sql": "undo"})
    found = discover(tmp_path)
    assert [m.up_sql for m in found] == ["a", "b", "c"]
    assert found[0].down_sql == "undo" and found[0].down_path.name == "U1__init.sql"


def test_plain_numbered_files_have_no_down(tmp_path: Path) -> None:
    write(tmp_path, {"002_b.sql": "B", "001_a.sql": "A"})
    assert [(m.name, m.down_sql) for m in discover(tmp_path)] == [("a", None), ("b", None)]


def test_drizzle_journal_gives_the_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "0000_init.sql": "CREATE TABLE a (id int);",
            "0001_more.sql": "CREATE TABLE b (id int);--> statement-breakpoint\nCREATE TABLE c (id int);",
            "meta/_journal.json": json.dumps(
                {
                    "version": "7",
                    "dialect": "postgresql",
                    "entries": [
                        {"idx": 1, "version": "7", "when": 2, "tag": "0001_more", "breakpoints": True},
                        {"idx": 0, "version": "7", "when": 1, "tag": "0000_init", "breakpoints": True},
                    ],
                }
            ),
        },
    )
    assert [(m.version, m.name) for m in discover(tmp_path)] == [("0000", "init"), ("0001", "more")]


def test_drizzle_journal_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"meta/_journal.json": json.dumps({"entries": [{"idx": 0, "tag": "0000_gone"}]})})
    with pytest.raises(ConfigError, match="0000_gone.sql is missing"):
        discover(tmp_path)


def test_sql_file_missing_from_drizzle_journal_is_named(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "0000_a.sql": "",
            "0001_stray.sql": "",
            "meta/_journal.json": json.dumps({"entries": [{"idx": 0, "tag": "0000_a"}]}),
        },
    )
    with pytest.raises(ConfigError, match="0001_stray.sql: not listed"):
        discover(tmp_path)


def test_duplicate_versions_name_both_files(tmp_path: Path) -> None:
    write(tmp_path, {"001_a.sql": "", "1_b.up.sql": ""})
    with pytest.raises(ConfigError, match=r"1_b\.up\.sql.*001_a\.sql|001_a\.sql.*1_b\.up\.sql"):
        discover(tmp_path)


def test_down_without_up_is_named(tmp_path: Path) -> None:
    write(tmp_path, {"001_a.up.sql": "", "002_b.down.sql": ""})
    with pytest.raises(ConfigError, match="002_b.down.sql: down script for version 002 has no up script"):
        discover(tmp_path)


def test_unversioned_sql_file_is_named(tmp_path: Path) -> None:
    write(tmp_path, {"001_a.sql": "", "seed.sql": ""})
    with pytest.raises(ConfigError, match="seed.sql: cannot tell the version"):
        discover(tmp_path)


def test_dbmate_file_with_two_up_sections_is_rejected(tmp_path: Path) -> None:
    write(tmp_path, {"1_x.sql": "-- migrate:up\nA;\n-- migrate:up\nB;\n"})
    with pytest.raises(ConfigError, match="1_x.sql: needs exactly one"):
        discover(tmp_path)


def test_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="migrations folder not found"):
        discover(tmp_path / "nope")


def test_versions_compare_as_numbers_and_leading_zeros_do_not_matter() -> None:
    assert version_key("0010") > version_key("9")
    assert version_key("1.10") > version_key("1.9")
    assert canonical_version("001") == canonical_version("1") == "1"
    assert canonical_version("1.0") == "1"


def test_checksum_ignores_line_endings_and_covers_only_the_up_script(tmp_path: Path) -> None:
    write(tmp_path, {"1_a.up.sql": "SELECT 1;\r\n", "1_a.down.sql": "x"})
    first = discover(tmp_path)[0].checksum
    write(tmp_path, {"1_a.up.sql": "SELECT 1;\n", "1_a.down.sql": "fixed"})
    assert discover(tmp_path)[0].checksum == first


def test_every_corpus_set_is_discovered(corpus: Path) -> None:
    counts = {}
    for path in sorted(corpus.glob("*-migrations/*")):
        if path.is_dir():
            found = discover(path)
            counts[f"{path.parent.name}/{path.name}"] = (len(found), sum(m.down_sql is None for m in found))
    assert counts == {
        "authelia-migrations/postgres": (26, 0),
        "authelia-migrations/sqlite": (26, 0),
        "pocket-id-migrations/postgres": (35, 1),
        "pocket-id-migrations/sqlite": (43, 1),
        "river-migrations/postgres": (7, 0),
        "river-migrations/sqlite": (7, 0),
    }
