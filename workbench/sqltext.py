"""Splitting SQL text into statements, shared by every engine (migrations, checks, scenarios).

sqlparse keeps dollar-quoted bodies, string literals, comments and SQLite `BEGIN … END`
trigger bodies intact. Statements that hold only comments are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlparse
from sqlparse import lexer
from sqlparse import tokens as T


@dataclass(frozen=True)
class Statement:
    """One statement and the 1-based line of the file where it starts (for `file:line`)."""

    sql: str
    line: int


def split_statements(sql: str) -> list[Statement]:
    """The statements of `sql`, each stripped, with their starting line; comments-only parts dropped."""
    out: list[Statement] = []
    offset = 0
    for piece in sqlparse.split(sql, strip_semicolon=False):
        start = sql.find(piece, offset)
        if start < 0:  # sqlparse normalised whitespace; fall back to the running offset
            start = offset
        offset = start + len(piece)
        if _only_comments(piece):
            continue
        lead = len(piece) - len(piece.lstrip())
        out.append(Statement(piece.strip(), sql.count("\n", 0, start + lead) + 1))
    return out


def _only_comments(piece: str) -> bool:
    """Whether `piece` holds nothing but comments, whitespace and semicolons (read with the lexer
    alone: `strip_comments` groups the whole statement, which costs ~40× more)."""
    head = piece.lstrip()[:1]
    if head and head not in "-/;":
        return False  # starts with something that is neither a comment nor a semicolon
    return all(
        ttype in T.Whitespace or ttype in T.Comment or (ttype in T.Punctuation and text == ";")
        for ttype, text in lexer.tokenize(piece)
    )


def strip_comments(sql: str) -> str:
    """`sql` without `--` and `/* */` comments (string literals untouched)."""
    return sqlparse.format(sql, strip_comments=True)


_FIRST_WORD = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/|\()*(\w+)", re.DOTALL)
TRANSACTION_CONTROL = frozenset(
    {"begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "prepare"}
)


def first_keyword(sql: str) -> str:
    """The statement's first word, lower-case, past comments and opening parentheses."""
    match = _FIRST_WORD.match(sql)
    return match.group(1).lower() if match else ""


def transaction_control(sql: str) -> str | None:
    """The verb (upper-case) when `sql` opens, ends or marks a transaction, else None.

    Engines that run statements inside their own transaction (checks, scenarios) refuse these:
    a COMMIT in a check would end the read-only transaction, one in a scenario would keep data.
    """
    word = first_keyword(sql)
    return word.upper() if word in TRANSACTION_CONTROL else None
