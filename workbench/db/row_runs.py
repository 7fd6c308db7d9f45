"""Runs of INSERTs of literal rows — the bulk of a seed file — read by one match each.

Splitting a 100,000-row seed file statement by statement costs more than the database takes to
run it. So at each statement start the text is first tried against one grammar: INSERT INTO one
table (the same name, spelled the same way) VALUES rows of literals, each statement ending its
line. Literals are those both backends read alike: numbers, `'…'` strings where `''` is a quote
and a backslash is an ordinary character, X'…', NULL, TRUE, FALSE, DEFAULT. Text made only of
those tokens ends a statement at every `;` outside its quotes, for SQLite's lexer and for
PostgreSQL's alike, so a whole run is read by one match, and cut into statements only when
they are asked for (`statements`). Anything else — a comment, an `E''` string, a function call,
a second statement on the line — is not a run, and the backend's own lexer reads on from there.
Whitespace is ASCII whitespace and keywords are ASCII letters, as the lexers have them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from workbench.db.registry import lexer_module, split_statements
from workbench.sqltext import Statement, blanks_end


def _keyword(word: str) -> str:
    """`word` in any case of ASCII letters only (re.IGNORECASE would also take 'ı' for 'I')."""
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


_SP = r"[ \t\n\r\f\v]"
_NAME = r'(?:[A-Za-z_][A-Za-z0-9_$]*+|"[^"]*+(?:""[^"]*+)*+")'
_LITERAL = (
    r"(?>'[^']*+(?:''[^']*+)*+'|[-+]?+(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][-+]?+[0-9]++)?+"
    rf"|[Xx]'[0-9A-Fa-f]*+'|{_keyword('null')}|{_keyword('true')}|{_keyword('false')}|{_keyword('default')})"
    r"(?![A-Za-z0-9_$'\"])"  # a literal ends a token: `1abc`, `NULLx` and `'a'b` are not rows
)
_ROW = rf"\({_SP}*+{_LITERAL}(?:{_SP}*+,{_SP}*+{_LITERAL})*+{_SP}*+\)"
_TARGET = rf"(?:{_NAME}{_SP}*+\.{_SP}*+)?+{_NAME}"
_COLUMNS = rf"(?:\({_SP}*+{_NAME}(?:{_SP}*+,{_SP}*+{_NAME})*+{_SP}*+\){_SP}*+)?+"
_VALUES = rf"{_keyword('values')}{_SP}*+{_ROW}(?:{_SP}*+,{_SP}*+{_ROW})*+{_SP}*+"
_INTO = rf"{_keyword('insert')}{_SP}++{_keyword('into')}{_SP}++"

# One INSERT of literal rows, up to (not including) its `;`; `schema`/`name` are its table.
LITERAL_INSERT = rf"{_INTO}(?P<schema>{_NAME}{_SP}*+\.{_SP}*+)?+(?P<name>{_NAME}){_SP}*+{_COLUMNS}{_VALUES}"
_ONE = re.compile(rf"{_INTO}{_TARGET}{_SP}*+{_COLUMNS}{_VALUES};")
_LINE_END = r"[ \t\r\f\v]*+(?:\n|\Z)"
_RUN = re.compile(
    rf"{_INTO}(?P<target>{_TARGET}){_SP}*+{_COLUMNS}{_VALUES};{_LINE_END}"
    rf"(?:{_SP}*+{_INTO}(?P=target){_SP}*+{_COLUMNS}{_VALUES};{_LINE_END})*+"
)
# Quoted text to leave out when counting `;`: a doubled quote reads as two adjacent quotes, which
# cover the same characters. Names are in double quotes, and a run without them is read faster.
_STRINGS = re.compile(r"'[^']*+'")
_QUOTES = re.compile(r"'[^']*+'|\"[^\"]*+\"")
_MAY_HOLD_A_RUN = re.compile(_keyword("insert"))


class RowRun(NamedTuple):
    """Consecutive INSERTs of literal rows into one table, each ending its line.

    `sql[start:stop]` holds them (from the first INSERT to the last line end); `line` is the
    line the first starts on; `size` how many statements the run holds.
    """

    start: int
    stop: int
    line: int
    size: int


def read(sql: str, backend: str) -> list[Statement | RowRun]:
    """The statements of `sql` as `split_statements(sql, backend)` cuts them, with each run of
    literal-row INSERTs held as one `RowRun` instead of one `Statement` per row."""
    next_end = _end_finder(sql, backend) if _MAY_HOLD_A_RUN.search(sql) is not None else None
    if next_end is None:
        return list(split_statements(sql, backend))
    out: list[Statement | RowRun] = []
    size, gap, pos = len(sql), 0, 0  # the text from `gap` to `pos` is plain statements
    gap_line = 1  # the line `gap` is on
    while pos < size:
        at = blanks_end(sql, pos, size)
        run = _RUN.match(sql, at)
        first = _ONE.match(sql, at) if run is not None else None
        if run is not None and first is not None and next_end(at) == first.end() - 1:
            line = gap_line + sql.count("\n", gap, at)
            out += _plain(sql, gap, at, gap_line, backend)
            out.append(RowRun(at, run.end(), line, _count(sql, at, run.end())))
            gap = pos = run.end()
            gap_line = line + sql.count("\n", at, gap)
            continue
        end = next_end(pos)
        if end is None:
            break
        pos = end + 1
    out += _plain(sql, gap, size, gap_line, backend)
    return out


def statements(sql: str, run: RowRun) -> Iterator[Statement]:
    """The statements of `run`, each with its line, as the backend's lexer would cut them."""
    line, counted = run.line, run.start
    for match in _ONE.finditer(sql, run.start, run.stop):
        line += sql.count("\n", counted, match.start())
        counted = match.start()
        yield Statement(match.group(), line)


def _end_finder(sql: str, backend: str) -> Callable[[int], int | None] | None:
    """The backend lexer's `end_finder` for `sql`, if its lexer has one."""
    module = lexer_module(backend)
    if module is None:
        return None
    finder: Callable[[str], Callable[[int], int | None]] = importlib.import_module(module).end_finder
    return finder(sql)


def _plain(sql: str, start: int, stop: int, line: int, backend: str) -> list[Statement | RowRun]:
    """The statements of `sql[start:stop]` (whole statements), on the lines of the whole text."""
    if not sql[start:stop].strip():
        return []
    return [Statement(s.sql, s.line + line - 1) for s in split_statements(sql[start:stop], backend)]


def _count(sql: str, start: int, stop: int) -> int:
    """The statements in a run: its `;` outside quotes (a run holds no other `;`)."""
    text = sql[start:stop]
    if '"' in text:
        text = _QUOTES.sub("", text)
    elif "'" in text:
        text = _STRINGS.sub("", text)
    return text.count(";")
