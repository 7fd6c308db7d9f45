"""Where PostgreSQL statements end, as the server reads them.

pglast wraps libpg_query, which is PostgreSQL's own scanner and parser: a `\\'` does not escape
a quote (standard_conforming_strings, on since 9.1), `E'\\''` does, dollar quotes nest by tag,
`/* /* */ */` is one comment, and a `BEGIN ATOMIC … END` body keeps its semicolons.

Valid text is split by the parser, exactly as the server splits it. Text that does not parse (a
mistake somewhere, or syntax newer than this libpg_query) is split over the scanner's tokens with
psql's rules instead: a `;` ends a statement outside parentheses and outside the `BEGIN … END`
(and nested CASE … END) of a CREATE FUNCTION/PROCEDURE. Nothing is ever dropped: an unterminated
quote or comment keeps the rest of the text in its statement, as it would on the server.

This module loads pglast (~40 ms): import it where text is split, not at start-up.
"""

from __future__ import annotations

import re

from pglast import parser
from pglast.parser import ParseError

from workbench.sqltext import Statement, cut

_BLANK = re.compile(r"\s*")


def split(sql: str) -> list[Statement]:
    """The statements of `sql`, cut where PostgreSQL ends them (see `workbench.sqltext.cut`)."""
    return cut(sql, statement_ends(sql), nested_comments=True)


def statement_ends(sql: str) -> list[int]:
    """Offsets of the `;` that end statements, in order."""
    try:
        slices = parser.split(sql, only_slices=True)
    except ParseError:
        return _scanned_ends(sql)
    ends = []
    for piece in slices:  # a statement's slice stops where the blanks before its `;` start
        after = _BLANK.match(sql, piece.stop).end()
        if after < len(sql) and sql[after] == ";":
            ends.append(after)
    return ends


# psql's first words of a statement whose BEGIN … END body keeps its semicolons
_ROUTINE_HEADS = (("create", "function"), ("create", "procedure"),
                  ("create", "or", "replace", "function"), ("create", "or", "replace", "procedure"))


def _scanned_ends(sql: str) -> list[int]:
    """Statement ends by psql's rules (psqlscan.l) over the server's own tokens."""
    ends: list[int] = []
    parens = blocks = 0
    head: list[str] = []  # the statement's first unquoted words, while they may name a routine
    for token in _scan(sql)[0]:
        name = token.name
        if name == "ASCII_59":
            if parens == 0 and blocks == 0:
                ends.append(token.start)
                head = []
        elif name == "ASCII_40":
            parens += 1
        elif name == "ASCII_41":
            parens = max(parens - 1, 0)
        elif token.kind != "NO_KEYWORD" or (name == "IDENT" and sql[token.start] != '"'):
            word = sql[token.start:token.end + 1].lower()
            if len(head) < 4:
                head.append(word)
            if parens == 0 and any(tuple(head[:len(h)]) == h for h in _ROUTINE_HEADS):
                if word == "begin" or (word == "case" and blocks):
                    blocks += 1
                elif word == "end" and blocks:
                    blocks -= 1
    return ends


def _scan(sql: str) -> tuple[list[parser.Token], int]:
    """The scanner's tokens, and how far they reach: up to the first text the scanner cannot
    read, after which the rest of the text is one piece with no statement end in it (an
    unterminated string or comment runs to the end on the server too)."""
    end = len(sql)
    while True:
        try:
            return parser.scan(sql[:end]), end
        except ParseError as exc:
            at = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
            if at <= 0:
                return [], 0
            end = min(at, end - 1)


# Tokens whose text is data or a comment, where a character means itself
_QUOTED = frozenset({"SCONST", "USCONST", "BCONST", "XCONST", "UIDENT", "SQL_COMMENT", "C_COMMENT"})


def quoted_spans(sql: str) -> list[tuple[int, int]]:
    """(start, end) of every string constant, quoted identifier and comment in `sql`, as the
    server reads them (text the scanner cannot read runs to the end, as an unterminated quote)."""
    tokens, reach = _scan(sql)
    spans = [(t.start, t.end + 1) for t in tokens
             if t.name in _QUOTED or (t.name == "IDENT" and sql[t.start] == '"')]
    if reach < len(sql):
        spans.append((reach, len(sql)))
    return spans
