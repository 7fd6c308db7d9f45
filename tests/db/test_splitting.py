"""Statements are cut where the database itself ends them, and each reaches it alone.

PostgreSQL's text is cut by PostgreSQL's own scanner and parser (pglast), SQLite's by SQLite's
own `sqlite3.complete_statement`. Each case below is one a generic splitter gets wrong: the
database then runs a statement the workbench never saw (PostgreSQL) or refuses a valid file
(SQLite).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.db import Connection, DatabaseError, split_statements


def texts(sql: str, dialect: str) -> list[str]:
    return [s.sql for s in split_statements(sql, dialect)]


BOTH = ["sqlite", "postgresql"]


# -- the attack cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", BOTH)
def test_a_backslash_does_not_escape_a_quote(dialect: str) -> None:
    assert texts("SELECT 'a\\'; COMMIT; -- '", dialect) == ["SELECT 'a\\';", "COMMIT; -- '"]
    sql = "UPDATE settings SET path = 'C:\\'; DROP TABLE legacy_settings; UPDATE settings SET path = 'D:';"
    assert texts(sql, dialect) == [
        "UPDATE settings SET path = 'C:\\';",
        "DROP TABLE legacy_settings;",
        "UPDATE settings SET path = 'D:';",
    ]


@pytest.mark.parametrize("dialect", BOTH)
def test_quoted_names_keep_their_semicolons(dialect: str) -> None:
    sql = 'SELECT 1 AS "a;b\\"; SELECT \'x\' AS "c\'d;"'
    assert texts(sql, dialect) == ['SELECT 1 AS "a;b\\";', "SELECT 'x' AS \"c'd;\""]


def test_postgres_dollar_quotes_nest_by_tag() -> None:
    sql = (
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $outer$ SELECT $inner$ 'C:\\'; $$ $inner$ $outer$;\n"
        "SELECT $$ ; $$, 'C:\\';\nSELECT $t$'$t$;"
    )
    assert texts(sql, "postgresql") == [
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $outer$ SELECT $inner$ 'C:\\'; $$ $inner$ $outer$;",
        "SELECT $$ ; $$, 'C:\\';",
        "SELECT $t$'$t$;",
    ]


def test_postgres_escape_strings_and_standard_strings() -> None:
    sql = "SELECT E'it\\'s; fine', 'C:\\'; DELETE FROM t WHERE x = E'\\\\';"
    assert texts(sql, "postgresql") == ["SELECT E'it\\'s; fine', 'C:\\';", "DELETE FROM t WHERE x = E'\\\\';"]


def test_postgres_begin_atomic_bodies_stay_whole() -> None:
    body = (
        "CREATE FUNCTION drive(a int) RETURNS text LANGUAGE sql\n"
        "BEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN a > 0 THEN 'C:\\' ELSE 'D:\\' END;\nEND;"
    )
    statements = split_statements(f"{body}\nSELECT 'C:\\';", "postgresql")
    assert [(s.sql, s.line) for s in statements] == [(body, 1), ("SELECT 'C:\\';", 6)]


def test_postgres_text_that_does_not_parse_follows_psql_and_loses_nothing() -> None:
    """The scanner fallback (a typo, or syntax newer than the parser): psql's rules, and every
    character that is not a comment lands in exactly one statement."""
    body = "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELEC 1; SELECT 2; END"
    sql = f"SELECT 'C:\\'; {body}; SELEC bad; SELECT 'open; SELECT 3"
    assert texts(sql, "postgresql") == ["SELECT 'C:\\';", f"{body};", "SELEC bad;", "SELECT 'open; SELECT 3"]


def test_postgres_nested_comments() -> None:
    sql = "/* outer /* inner; */ still a comment; 'C:\\' */ SELECT 1;\n-- a line; comment\nSELECT 2 -- ; \n;"
    statements = split_statements(sql, "postgresql")
    assert [(s.sql, s.line) for s in statements] == [
        ("/* outer /* inner; */ still a comment; 'C:\\' */ SELECT 1;", 1),
        ("-- a line; comment\nSELECT 2 -- ; \n;", 2),
    ]


def test_sqlite_trigger_bodies_with_case_stay_whole() -> None:
    trigger = (
        "CREATE TRIGGER items_log AFTER INSERT ON items BEGIN\n"
        "  UPDATE items SET label = CASE WHEN NEW.id > 1 THEN 'big;' ELSE 'C:\\' END WHERE id = NEW.id;\n"
        "  INSERT INTO log VALUES ('C:\\');\n"
        "END;"
    )
    statements = split_statements(f"-- the log; kept\n{trigger}\nSELECT [a;b] FROM `t;u`;", "sqlite")
    assert [(s.sql, s.line) for s in statements] == [
        (f"-- the log; kept\n{trigger}", 1),
        ("SELECT [a;b] FROM `t;u`;", 6),
    ]


@pytest.mark.parametrize("dialect", BOTH)
def test_comment_only_pieces_are_dropped_and_lines_are_kept(dialect: str) -> None:
    sql = "-- header\n\nSELECT 'C:\\'; -- same line\n;\n/* nothing */ ;\n\nSELECT 'two'\n-- trailing\n"
    statements = split_statements(sql, dialect)
    assert [(s.sql, s.line) for s in statements] == [
        ("-- header\n\nSELECT 'C:\\'; -- same line", 1),
        ("SELECT 'two'\n-- trailing", 7),
    ]


# -- split(join(x)) == x --------------------------------------------------------------------------

COMMON = [
    "SELECT 1",
    "SELECT 'C:\\'",
    "SELECT 'it''s; fine'",
    'SELECT 1 AS "a;b"',
    "SELECT 'x' -- a ; comment\n",
    "/* a; comment */ SELECT 2",
    "SELECT 'a\\', 'b\\'",
    "INSERT INTO t VALUES ('--', '/*')",
]
FRAGMENTS = {
    "postgresql": COMMON
    + [
        "SELECT $$a;b$$",
        "SELECT $t$ $$;'$$ $t$",
        "SELECT E'x\\';y'",
        "SELECT U&'d\\0061t;a'",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 'C:\\'; END",
        "SELECT /* a /* b; */ c; */ 1",
        "DO $body$ BEGIN RAISE NOTICE ';'; END $body$",
    ],
    "sqlite": COMMON
    + [
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 'a;' ELSE 'C:\\' END; "
        "UPDATE t SET x = 1; END",
        "SELECT [a;b] FROM t",
        "SELECT `a;'b`",
        "SELECT x'00;'",
    ],
}


def _property(dialect: str) -> None:
    @settings(max_examples=200, deadline=None)
    @given(
        st.lists(st.sampled_from(FRAGMENTS[dialect]), min_size=1, max_size=8),
        st.sampled_from(["\n", " ", "\n\n", "\n-- note\n"]),
    )
    def check(statements: list[str], gap: str) -> None:
        head = gap.strip()
        sql = "".join(f"{s};{gap}" for s in statements)
        expected = [(f"{head}\n" if head and i else "") + f"{s};" for i, s in enumerate(statements)]
        assert texts(sql, dialect) == expected

    check()


@pytest.mark.parametrize("dialect", BOTH)
def test_splitting_a_joined_list_gives_the_list_back(dialect: str) -> None:
    _property(dialect)


# -- one statement per round trip -----------------------------------------------------------------


def test_two_statements_in_one_call_are_refused_and_nothing_runs(conn: Connection) -> None:
    conn.execute("CREATE TABLE t (id integer)")
    conn.execute("INSERT INTO t VALUES (1), (2)")
    for run in (conn.execute, conn.query):
        with pytest.raises(DatabaseError):
            run("INSERT INTO t VALUES (3); DELETE FROM t")
    assert conn.row_count(conn.default_schema, "t") == 2
    with conn.transaction():
        with pytest.raises(DatabaseError), conn.savepoint():
            conn.execute("SELECT 'a\\'; COMMIT; -- '")
        conn.execute("INSERT INTO t VALUES (4)")  # the transaction is still open and usable
        assert conn.in_transaction()
    assert conn.row_count(conn.default_schema, "t") == 3


def test_execute_script_runs_what_the_database_reads_statement_by_statement(conn: Connection) -> None:
    conn.execute("CREATE TABLE paths (p text)")
    with conn.transaction():
        conn.execute_script("INSERT INTO paths VALUES ('C:\\'); INSERT INTO paths VALUES ('D:\\');")
    assert sorted(conn.query("SELECT p FROM paths").rows) == [("C:\\",), ("D:\\",)]


@pytest.mark.postgres
def test_statements_that_refuse_a_transaction_block_still_run_alone(pg_url: str) -> None:
    """A guard for the extended protocol (one statement, then a sync): the server runs these
    only outside a transaction block, as before."""
    from workbench.db import connect

    conn = connect(pg_url)
    try:
        conn.execute("CREATE TABLE t (id integer)")
        conn.execute("CREATE INDEX CONCURRENTLY t_id ON t (id)")
        conn.execute("VACUUM (ANALYZE) t")
        conn.query("VACUUM t")  # a query too is its own implicit transaction
        assert conn.query("SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'").scalar() == 1
    finally:
        conn.close()


@pytest.mark.postgres
def test_a_placeholder_after_an_escaped_quote_is_bound(pg_url: str) -> None:
    from workbench.db import connect

    conn = connect(pg_url)
    try:
        result = conn.query("SELECT E'\\'', %s, '50%' || %s, 7 % %s /* 100% */", (5, "!", 4)).rows
        assert result == [("'", 5, "50%!", 3)]
    finally:
        conn.close()


# -- what loads ----------------------------------------------------------------------------------


def test_only_the_named_backends_lexer_loads() -> None:
    code = (
        "import sys\nfrom workbench.db import split_statements\n"
        "assert len(split_statements('SELECT 1; SELECT 2', 'sqlite')) == 2\n"
        "assert not {'pglast', 'psycopg', 'sqlparse'} & set(sys.modules), 'sqlite'\n"
        "assert len(split_statements('SELECT $$;$$; SELECT 2', 'postgresql')) == 2\n"
        "assert 'psycopg' not in sys.modules, 'postgresql'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
