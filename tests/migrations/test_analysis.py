"""Statement analysis, migration impact and lint: pure functions, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import row_runs, split_statements
from workbench.migrations.analysis import _LITERAL_INSERT, analyse, analyse_statement
from workbench.migrations.impact import assess
from workbench.migrations.lint import lint


def effects(sql: str) -> list[tuple]:
    return [(e.action, str(e.table) if e.table else None, e.column) for e in analyse_statement(sql).effects]


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("CREATE TABLE t (id int)", "create"),
        ("ALTER TABLE t ADD COLUMN c int", "alter"),
        ("ALTER TABLE t ALTER COLUMN c DROP DEFAULT", "alter"),
        ("ALTER TABLE t DROP COLUMN c", "drop"),
        ("ALTER TABLE t RENAME TO u", "rename"),
        ("DROP TABLE IF EXISTS a, b CASCADE", "drop"),
        ("UPDATE t SET a = 1 WHERE id = 2", "data"),
        ("WITH x AS (SELECT 1) DELETE FROM t USING x WHERE t.id = x.x", "data"),
        ("COMMENT ON COLUMN public.runs.run_id IS 'ulid'", "alter"),
        ("SET search_path TO public", "other"),
        ("BEGIN", "transaction"),
        ("COMMIT", "transaction"),
        ("DO $$ BEGIN PERFORM 1; END $$", "other"),
    ],
)
def test_statements_are_classified(sql: str, kind: str) -> None:
    assert analyse_statement(sql).kind == kind


def test_alter_table_with_several_actions_reports_each_with_its_column() -> None:
    assert effects("ALTER TABLE s.t ALTER COLUMN c TYPE int USING c::int, DROP COLUMN d, ADD COLUMN e text") == [
        ("alter_column_type", "s.t", "c"),
        ("drop_column", "s.t", "d"),
        ("add_column", "s.t", "e"),
    ]


def test_unquoted_names_fold_and_quoted_names_keep_their_case() -> None:
    (e,) = analyse_statement('DROP TABLE "MixedCase"').effects
    assert e.table.name == "MixedCase" and e.table.quoted
    (e,) = analyse_statement("DROP TABLE MixedCase").effects
    assert e.table.name == "mixedcase" and not e.table.quoted


def test_template_comments_inside_names_are_ignored() -> None:
    assert effects("ALTER TABLE /* TEMPLATE: schema */river_job ADD COLUMN IF NOT EXISTS k bytea") == [
        ("add_column", "river_job", "k")
    ]


def test_data_loss_and_transaction_needs_are_detected() -> None:
    assert analyse_statement("ALTER TABLE t DROP COLUMN c").loses_data
    assert analyse_statement("TRUNCATE t").loses_data
    assert not analyse_statement("ALTER TABLE t ADD COLUMN c int").loses_data
    assert not analyse_statement("CREATE INDEX CONCURRENTLY i ON t (a)").transactional
    assert analyse_statement("CREATE INDEX i ON t (a)").heavy_lock
    assert analyse_statement("ALTER TYPE s ADD VALUE 'x'").needs_pg12_for_transaction
    assert not analyse_statement("VACUUM").transactional


def test_dollar_quoted_bodies_comments_and_trigger_bodies_stay_whole() -> None:
    postgres = """
    -- a comment; with a semicolon
    CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.a := 1; RETURN NEW; END $body$ LANGUAGE plpgsql;
    /* block; comment */ DROP TABLE x;
    """
    statements = analyse(postgres, "postgresql")
    assert [s.kind for s in statements] == ["create", "drop"]
    assert [s.line for s in statements] == [2, 4]  # a leading comment belongs to its statement
    sqlite = """
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END;
    /* block; comment */ DROP TABLE x;
    """
    statements = analyse(sqlite, "sqlite")
    assert [s.kind for s in statements] == ["create", "drop"]
    assert [s.line for s in statements] == [2, 3]
    assert effects(statements[0].sql) == [("create_trigger", "t", None)]


def test_unknown_statements_are_opaque_and_mention_their_words() -> None:
    st = analyse_statement("DO $$ BEGIN UPDATE accounts SET x = 1; END $$")
    assert st.opaque and st.loses_data and "accounts" in st.mentions


def test_impact_traces_destruction_back_to_the_table_before_the_migration() -> None:
    statements = analyse(
        """
        ALTER TABLE a RENAME TO b;
        ALTER TABLE b DROP COLUMN x;
        CREATE TABLE c (id int);
        INSERT INTO c SELECT 1;
        DROP TABLE c;
        UPDATE d SET y = 1;
    """,
        "postgresql",
    )
    impact = assess(statements, "public", existing={("public", "a"), ("public", "d")})
    assert [(str(s.table), s.statement, s.reason) for s in impact.at_stake] == [
        ("a", 1, "rename_table"),
        ("d", 6, "update"),
    ]
    assert impact.inverse is None


def test_purely_additive_migration_gets_an_inverse() -> None:
    impact = assess(
        analyse(
            """
        CREATE TABLE t (id int);
        CREATE INDEX t_id ON t (id);
        INSERT INTO t VALUES (1);
        ALTER TABLE old ADD COLUMN c int;
        CREATE TYPE mood AS ENUM ('ok');
    """,
            "postgresql",
        ),
        "public",
    )
    assert [e.action for e in impact.inverse] == ["create_table", "add_column", "create_type"]  # the index goes with t
    assert impact.at_stake == ()


def test_if_not_exists_needs_the_catalog_to_be_additive() -> None:
    statements = analyse("CREATE TABLE IF NOT EXISTS t (id int); INSERT INTO t VALUES (1);", "postgresql")
    assert assess(statements, "public").inverse is None
    assert assess(statements, "public", existing=set()).inverse is not None
    there = assess(statements, "public", existing={("public", "t")})
    assert [str(s.table) for s in there.at_stake] == ["t"]


def test_sqlite_rebuild_puts_the_old_table_at_stake_and_not_the_new_one() -> None:
    statements = analyse(
        """
        PRAGMA foreign_keys=OFF; BEGIN;
        CREATE TABLE t_new (id int, b text);
        INSERT INTO t_new SELECT id, a FROM t;
        DROP TABLE t;
        ALTER TABLE t_new RENAME TO t;
        COMMIT;
    """,
        "sqlite",
    )
    impact = assess(statements, "main", existing={("main", "t")})
    assert [(str(s.table), s.reason) for s in impact.at_stake] == [("t", "drop_table")]
    assert impact.created_tables == {("main", "t")}


def test_lint_warns_about_destructive_statements_but_not_about_new_tables() -> None:
    statements = analyse(
        """
        CREATE TABLE fresh (id int);
        CREATE INDEX fresh_id ON fresh (id);
        ALTER TABLE orders DROP COLUMN note;
        ALTER TABLE orders ADD COLUMN status text NOT NULL;
        DELETE FROM audit;
        ALTER TABLE orders RENAME COLUMN a TO b;
        CREATE INDEX orders_b ON orders (b);
    """,
        "postgresql",
    )
    impact = assess(statements, "public", existing={("public", "orders"), ("public", "audit")})
    codes = [(f.statement, f.code) for f in lint(statements, impact, "public") if f.severity != "info"]
    assert codes == [
        (3, "drop-column"),
        (4, "not-null-without-default"),
        (5, "unconditioned-write"),
        (6, "rename"),
        (7, "index-not-concurrent"),
    ]


def test_every_corpus_statement_is_analysed_without_crashing(corpus: Path) -> None:
    opaque = []
    for path in sorted(corpus.glob("*-migrations/*/*.sql")):
        for st in analyse(path.read_text(), "postgresql" if path.parent.name == "postgres" else "sqlite"):
            if st.opaque:
                opaque.append(path.name)
    assert set(opaque) == {
        "20250705000000_normalize.up.sql",
        "005_migration_unique_client.up.sql",
        "005_migration_unique_client.down.sql",
    }


def test_the_literal_insert_reading_stays_linear_on_long_column_lists_and_rows() -> None:
    """The one-match reading of literal INSERTs must never backtrack: a statement that is not one
    (a SELECT after a long column list, a row with a call in it) is told at once."""
    import time

    columns = ", ".join(f"column_{i}" for i in range(40))
    cases = [
        f"INSERT INTO t ({columns}) SELECT 1 FROM x;",
        f"INSERT INTO t ({columns}) VALUES ({', '.join(['12345678901234567890'] * 40)}, now());",
        "INSERT INTO t VALUES " + ", ".join(["(1, 'a', 2.5)"] * 2000) + ", (f());",
    ]
    for sql in cases:
        # the match alone (about a millisecond): backtracking would take seconds to years
        start = time.perf_counter()
        assert _LITERAL_INSERT.fullmatch(sql) is None and row_runs.read(sql + "\n", "sqlite") == split_statements(
            sql + "\n", "sqlite"
        )
        assert time.perf_counter() - start < 0.5, sql[:60]
        assert not analyse_statement(sql).effects[0].has("values")
