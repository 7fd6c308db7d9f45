"""SQL text shared by every engine: statements with the line they start on, first keywords.

Where a statement ends is the database's business: each backend finds the `;` that end its
statements with its own lexer (`Backend.split_statements`, or `workbench.db.split_statements`
without a connection). This module only cuts the text at those ends, the same way for every
backend, so that a statement's text and line mean the same everywhere:

- a statement runs from the end of the one before it to its `;` (kept), plus the comments that
  end that line; comments above it belong to it, and its line is where they start;
- text after the last `;` is a last statement; pieces holding only whitespace, comments and
  semicolons are dropped;
- the text is the source's, stripped: nothing is normalised or lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple


class Statement(NamedTuple):
    """One statement and the 1-based line of the file where it starts (for `file:line`)."""

    sql: str
    line: int


# A 100,000-statement seed file makes 100,000 of them: built without the Python-level __new__.
_statement = tuple.__new__


def cut(sql: str, ends: Iterable[int], nested_comments: bool = False) -> list[Statement]:
    """The statements of `sql`, given the offsets (ascending) of the `;` that end statements.

    `nested_comments`: `/* /* */ */` is one comment (PostgreSQL), not a comment and junk (SQLite).
    """
    out: list[Statement] = []
    size = len(sql)
    stops = [*ends, size]
    start, line, counted = 0, 1, 0
    for end, limit in zip(stops, [*stops[1:], size], strict=True):  # each end, and the next one
        begin, stop = start, (end + 1 if end < size else size)
        if stop < size and sql[stop] != "\n":
            stop = _line_comments_end(sql, stop, limit, nested_comments)
        start = stop
        piece = sql[begin:stop]
        text = piece.strip()
        if not text:
            continue
        if text[0] in ";-/":  # a comment or an empty statement first: is there code after it?
            begin, code = _leading(sql, begin, stop, nested_comments)
            if code == stop:
                continue
            text = sql[begin:stop].rstrip()
        else:
            begin += piece.find(text[0])
        line += sql.count("\n", counted, begin)
        counted = begin
        out.append(_statement(Statement, (text, line)))
    return out


_BLANKS = re.compile(r"\s*")
_SPACES = re.compile(r"[ \t\f\v\r]*")


def blanks_end(sql: str, i: int, stop: int) -> int:
    """The first offset from `i` that is not whitespace (`stop` when there is none)."""
    blanks = _BLANKS.match(sql, i, stop)
    assert blanks is not None  # `\s*` matches the empty string
    return blanks.end()


def _leading(sql: str, i: int, stop: int, nested: bool) -> tuple[int, int]:
    """Where the statement starting at `i` begins (past whitespace and empty statements, at its
    first comment or code) and where its first code is (`stop` when it holds none)."""
    begin = None
    while True:
        i = blanks_end(sql, i, stop)
        if i < stop and sql[i] == ";":
            i, begin = i + 1, None
            continue
        if begin is None:
            begin = i
        if sql.startswith("--", i, stop):
            newline = sql.find("\n", i, stop)
            i = stop if newline < 0 else newline
        elif sql.startswith("/*", i, stop):
            i = _comment_end(sql, i, stop, nested)
        else:
            return begin, i


def _line_comments_end(sql: str, i: int, stop: int, nested: bool) -> int:
    """Past the comments after a statement's `;` when nothing else follows on that line (they
    belong to it); `i` itself when code follows (those comments belong to the next one)."""
    j = i
    while True:
        spaces = _SPACES.match(sql, j, stop)
        assert spaces is not None  # a starred pattern matches the empty string
        j = spaces.end()
        if j >= stop or sql[j] == "\n":
            return j
        if sql.startswith("--", j, stop):
            newline = sql.find("\n", j, stop)
            return stop if newline < 0 else newline
        if not sql.startswith("/*", j, stop):
            return i
        start, j = j, _comment_end(sql, j, stop, nested)
        if "\n" in sql[start:j]:
            return j


def _comment_end(sql: str, i: int, stop: int, nested: bool) -> int:
    """Past the `/* … */` comment opening at `i` (an unterminated one runs to `stop`)."""
    depth, i = 1, i + 2
    while depth:
        close = sql.find("*/", i, stop)
        if close < 0:
            return stop
        opening = sql.find("/*", i, close) if nested else -1
        if opening >= 0:
            depth, i = depth + 1, opening + 2
        else:
            depth, i = depth - 1, close + 2
    return i


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
