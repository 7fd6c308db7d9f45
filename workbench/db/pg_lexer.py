"""Where PostgreSQL statements end, as the server reads them.

pglast wraps libpg_query, which is PostgreSQL's own scanner and parser: a `\\'` does not escape
a quote (standard_conforming_strings, on since 9.1), `E'\\''` does, dollar quotes nest by tag,
`/* /* */ */` is one comment, and a `BEGIN ATOMIC … END` body keeps its semicolons.

Valid text is split by the parser, exactly as the server splits it. A statement that does not
parse (a mistake, or syntax newer than this libpg_query) is ended by psql's rules over the
scanner's tokens instead: a `;` ends it outside parentheses and outside the `BEGIN … END` (and
nested CASE … END) of a CREATE FUNCTION/PROCEDURE; the parser reads on after it. Nothing is ever
dropped: an unterminated quote or comment keeps the rest of the text in its statement, as it
would on the server.

This module loads pglast (~40 ms): import it where text is split, not at start-up.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from pglast import parser
from pglast.parser import ParseError

from workbench.sqltext import Statement, blanks_end, cut


def split(sql: str) -> list[Statement]:
    """The statements of `sql`, cut where PostgreSQL ends them (see `workbench.sqltext.cut`)."""
    return cut(sql, statement_ends(sql), nested_comments=True)


def statement_ends(sql: str) -> list[int]:
    """Offsets of the `;` that end statements, in order.

    The parser reads as far as the text parses; a statement it refuses is ended by psql's rules
    over the scanner's tokens, and the parser takes over again after it.
    """
    ends: list[int] = []
    start = 0
    while True:
        try:
            ends += _parsed_ends(sql, start, len(sql))
            return ends
        except ParseError as exc:
            failed = start + _location(exc)
        last, before = _parsed_prefix(sql, start, failed)
        ends += before
        end = _scanned_end(sql, last + 1)
        if end is None:
            return ends
        ends.append(end)
        start = end + 1


def end_finder(sql: str) -> Callable[[int], int | None]:
    """For `sql`: where the statement starting at a given offset (a statement start) ends, the
    offset of its `;`, or None when it runs to the end of the text. The whole text is split once."""
    ends = statement_ends(sql)

    def next_end(start: int) -> int | None:
        i = bisect_left(ends, start)
        return ends[i] if i < len(ends) else None

    return next_end


def _parsed_ends(sql: str, start: int, stop: int) -> list[int]:
    """The parser's statement ends in `sql[start:stop]`; `ParseError` if that text does not parse."""
    ends = []
    for piece in parser.split(sql[start:stop], only_slices=True):
        # a statement's slice stops where the blanks before its `;` start
        after = blanks_end(sql, start + piece.stop, stop)
        if after < stop and sql[after] == ";":
            ends.append(after)
    return ends


_ATTEMPTS = 16


def _parsed_prefix(sql: str, start: int, failed: int) -> tuple[int, list[int]]:
    """The last statement end before the statement the parser refused at `failed`, and the ends
    up to it. A `;` is one when the text up to it parses: inside a string, a body or
    parentheses, the text before it is incomplete. `(start - 1, [])` when none is found."""
    limit = failed
    for _ in range(_ATTEMPTS):
        last = sql.rfind(";", start, limit)
        if last < 0:
            break
        try:
            return last, _parsed_ends(sql, start, last + 1)
        except ParseError as exc:
            limit = min(last, start + _location(exc))
    return start - 1, []


def _location(exc: ParseError) -> int:
    at = exc.args[1] if len(exc.args) > 1 else 0
    return at if isinstance(at, int) else 0


# psql's first words of a statement whose BEGIN … END body keeps its semicolons
_ROUTINE_HEADS = (
    ("create", "function"),
    ("create", "procedure"),
    ("create", "or", "replace", "function"),
    ("create", "or", "replace", "procedure"),
)
_WINDOW = 4096


def _scanned_end(sql: str, start: int) -> int | None:
    """Where the statement starting at `start` ends by psql's rules (psqlscan.l), over the
    server's own tokens; None when it runs to the end of the text. Tokens are read from a window
    that doubles until it holds the end (only its last token can be cut short, and a `;` found
    before it is exact)."""
    window = _WINDOW
    while True:
        stop = min(start + window, len(sql))
        end = _first_end(sql, start, _scan(sql[start:stop])[0])
        if end is not None or stop == len(sql):
            return end
        window *= 2


def _first_end(sql: str, start: int, tokens: list[parser.Token]) -> int | None:
    parens = blocks = 0
    head: list[str] = []  # the statement's first unquoted words, while they may name a routine
    for token in tokens:
        name = token.name
        if name == "ASCII_59":
            if parens == 0 and blocks == 0:
                return start + token.start
        elif name == "ASCII_40":
            parens += 1
        elif name == "ASCII_41":
            parens = max(parens - 1, 0)
        elif token.kind != "NO_KEYWORD" or (name == "IDENT" and sql[start + token.start] != '"'):
            word = sql[start + token.start : start + token.end + 1].lower()
            if len(head) < 4:
                head.append(word)
            if parens == 0 and any(tuple(head[: len(h)]) == h for h in _ROUTINE_HEADS):
                if word == "begin" or (word == "case" and blocks):
                    blocks += 1
                elif word == "end" and blocks:
                    blocks -= 1
    return None


def _scan(sql: str) -> tuple[list[parser.Token], int]:
    """The scanner's tokens, and how far they reach: up to the first text the scanner cannot
    read, after which the rest of the text is one piece with no statement end in it (an
    unterminated string or comment runs to the end on the server too)."""
    end = len(sql)
    while True:
        try:
            return parser.scan(sql[:end]), end
        except ParseError as exc:
            at = _location(exc)
            if at <= 0:
                return [], 0
            end = min(at, end - 1)


# Tokens whose text is data or a comment, where a character means itself
_QUOTED = frozenset({"SCONST", "USCONST", "BCONST", "XCONST", "UIDENT", "SQL_COMMENT", "C_COMMENT"})


def quoted_spans(sql: str) -> list[tuple[int, int]]:
    """(start, end) of every string constant, quoted identifier and comment in `sql`, as the
    server reads them (text the scanner cannot read runs to the end, as an unterminated quote)."""
    tokens, reach = _scan(sql)
    spans = [(t.start, t.end + 1) for t in tokens if t.name in _QUOTED or (t.name == "IDENT" and sql[t.start] == '"')]
    if reach < len(sql):
        spans.append((reach, len(sql)))
    return spans
