"""The statement reader's tokens are sqlparse's, token for token, only found faster.

`sql_tokens` matches sqlparse's own rule table as one alternation; these tests hold its stream
to sqlparse's lexer (whitespace left out) on generated text full of the rules' corner cases and
on every schema and migration file of the shared corpus, so a new sqlparse that changes its rules fails here.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlparse import lexer
from sqlparse import tokens as T

from workbench.migrations import sql_tokens


def sqlparse_tokens(sql: str) -> list[tuple[object, str]]:
    return [(ttype, text) for ttype, text in lexer.tokenize(sql) if ttype not in T.Whitespace]


PIECES = [
    "SELECT",
    "select",
    "a",
    "b1",
    "t.c",
    "x.1",
    "1.5",
    "-2",
    "0x1F",
    "1e-3",
    ".5",
    "1abc",
    "_x",
    "'s'",
    "'it''s'",
    "'C:\\'",
    "E'x\\'y'",
    '"q"',
    '"a""b"',
    "`b`",
    "[n]",
    "´m´",
    "$$body$$",
    "$t$ ; $t$",
    "$1",
    ":name",
    "?",
    "%s",
    "%(k)s",
    "@v",
    "#tmp",
    "##g",
    "\\cmd",
    "-- c\n",
    "# c\n",
    "/* c */",
    "/* a /* b */",
    "/*+ hint */",
    "--+ hint\n",
    "::",
    ":=",
    "*",
    "(",
    ")",
    ",",
    ";",
    ".",
    "->>",
    "#>",
    "@>",
    "<@",
    "?|",
    "<=",
    "<>",
    "!=",
    "||",
    "+",
    "/",
    "%",
    "^",
    "&",
    "|",
    "~",
    "NOT NULL",
    "IF NOT EXISTS",
    "GROUP BY",
    "ORDER  BY",
    "LEFT OUTER JOIN",
    "END IF",
    "ASC NULLS LAST",
    "UNION ALL",
    "CREATE OR REPLACE",
    "DOUBLE PRECISION",
    "PRIMARY KEY",
    "NOT LIKE",
    "ilike",
    "AT TIME ZONE 'UTC'",
    "GO 2",
    "DIV",
    "CASE",
    "VALUES",
    "f(",
    "ÀÉ",
    "名前",
    "\t",
    "\n",
    "\r\n",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=25), st.lists(st.sampled_from(["", " ", "\n"]), min_size=1)
)
def test_the_tokens_are_sqlparses_on_generated_text(pieces: list[str], gaps: list[str]) -> None:
    sql = "".join(p + gaps[i % len(gaps)] for i, p in enumerate(pieces))
    assert list(sql_tokens.tokens(sql)) == sqlparse_tokens(sql)


def test_the_tokens_are_sqlparses_on_the_corpus_schemas_and_migrations(corpus: Path) -> None:
    # the schemas and migration sets; the data dumps (rows only, megabytes) would take a minute
    files = sorted(p for p in corpus.rglob("*.sql") if p.stat().st_size < 200_000)
    assert len(files) > 100, "the corpus holds its migration sets"
    for path in files:
        sql = path.read_text(errors="replace")
        assert list(sql_tokens.tokens(sql)) == sqlparse_tokens(sql), path
