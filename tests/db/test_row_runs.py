"""A seed file's runs of row INSERTs are read by one match each, and cut exactly as the lexer cuts.

The run reading decides where statements end for most of a seed file, so it is held to the
engine's own lexer: expanded, it must give `split_statements`' statements and lines, whatever
the mix of rows, strings holding `;` or quotes, comments and other statements.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.db.test_splitting import BOTH, FRAGMENTS
from workbench.db import split_statements
from workbench.db.row_runs import RowRun, read, statements
from workbench.sqltext import Statement


def expanded(sql: str, dialect: str) -> list[Statement]:
    out: list[Statement] = []
    for piece in read(sql, dialect):
        if isinstance(piece, RowRun):
            rows = list(statements(sql, piece))
            assert len(rows) == piece.size
            out += rows
        else:
            out.append(piece)
    return out


def runs(sql: str, dialect: str) -> list[tuple[int, int]]:
    """(line, count) of each run read."""
    return [(p.line, p.size) for p in read(sql, dialect) if isinstance(p, RowRun)]


ROWS = [
    "INSERT INTO t VALUES (1, 'a')",
    "insert into t (id, name) values (2, 'it''s; fine'), (3, NULL)",
    "INSERT INTO t VALUES (-4.5e3, X'00ff', TRUE, DEFAULT)",
    "INSERT INTO t VALUES ('C:\\', 'x')",
    "INSERT INTO t VALUES ('a;\nb', '--', '/*')",
    'INSERT INTO "t" VALUES (5)',
    "INSERT INTO T VALUES (6)",
    'INSERT INTO s . "we;ird""name" ("a;b") VALUES (7)',
    "INSERT INTO t VALUES (E'x\\';y')",  # an escape string: not a row of the run grammar
    "INSERT INTO t VALUES (1abc)",
    "INSERT INTO t VALUES (now())",
    "INSERT INTO t VALUES ('a' 'b')",
]


@pytest.mark.parametrize("dialect", BOTH)
def test_a_seed_is_one_run_and_cuts_as_the_lexer_does(dialect: str) -> None:
    sql = "".join(f"INSERT INTO items VALUES ({i}, 'item {i}; it''s new');\n" for i in range(1000))
    assert runs(sql, dialect) == [(1, 1000)]
    assert expanded(sql, dialect) == split_statements(sql, dialect)


@pytest.mark.parametrize("dialect", BOTH)
def test_other_statements_comments_and_other_tables_end_a_run(dialect: str) -> None:
    sql = (
        "-- seed\n"
        "INSERT INTO a VALUES (1);\n"
        "INSERT INTO a VALUES (2);\n"
        "UPDATE a SET x = 1 WHERE id = 2;\n"
        "INSERT INTO a VALUES (3);\n"
        "INSERT INTO a VALUES (4); -- a note on the same line\n"
        "INSERT INTO b VALUES (5);\n"
        "INSERT INTO B VALUES (6);\n"
        "INSERT INTO b VALUES (7); INSERT INTO b VALUES (8);\n"
    )
    # the comment above the first row is that row's: the lexer reads it, as it reads a row with
    # a comment after it on its line, the statement after that one, and two rows on one line
    assert runs(sql, dialect) == [(3, 1), (5, 1), (8, 1), (9, 1)]
    assert expanded(sql, dialect) == split_statements(sql, dialect)


def test_a_trigger_body_is_never_read_as_rows() -> None:
    sql = (
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
        "INSERT INTO log VALUES (1);\n"
        "INSERT INTO log VALUES (2);\n"
        "END;\n"
        "INSERT INTO log VALUES (3);\n"
    )
    assert runs(sql, "sqlite") == [(5, 1)]
    assert [s.sql for s in expanded(sql, "sqlite")] == [s.sql for s in split_statements(sql, "sqlite")]


def test_a_postgres_function_body_is_never_read_as_rows() -> None:
    sql = (
        "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC\n"
        "INSERT INTO log VALUES (1);\n"
        "INSERT INTO log VALUES (2);\n"
        "END;\n"
        "INSERT INTO log VALUES (3);\n"
    )
    assert runs(sql, "postgresql") == [(5, 1)]
    assert expanded(sql, "postgresql") == split_statements(sql, "postgresql")


@pytest.mark.parametrize("dialect", BOTH)
def test_reading_runs_cuts_any_mix_as_the_lexer_does(dialect: str) -> None:
    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.sampled_from(ROWS * 3 + FRAGMENTS[dialect]), min_size=1, max_size=12),
        st.lists(st.sampled_from(["\n", " ", "\n\n", "\n-- note\n", " -- same line\n", "\r\n", "\t\n  "]), min_size=1),
    )
    def check(pieces: list[str], gaps: list[str]) -> None:
        sql = "".join(f"{s};{gaps[i % len(gaps)]}" for i, s in enumerate(pieces))
        assert expanded(sql, dialect) == split_statements(sql, dialect)
        assert expanded(sql.rstrip().rstrip(";"), dialect) == split_statements(sql.rstrip().rstrip(";"), dialect)

    check()
