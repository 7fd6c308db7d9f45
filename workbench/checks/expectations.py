"""The expectation language shared by verification checks and use-case scenarios.

An expectation is the text after `-- expect:` in a check or scenario file. It is parsed once
(`parse_expectation`) and then judges what a query did (`Expectation.evaluate`). Both are pure:
no database, no files, so checks (issue 6) and scenarios (issue 7) agree on every case.

Public API (stable):

    parse_expectation(text) -> Expectation      # raises ExpectationError (a ConfigError)
    RUNS                                        # the expectation of a query with none
    Expectation.evaluate(result_or_error) -> Outcome
    Expectation.text                            # canonical text; parses back to an equal value
    Expectation.expects_error                   # True only for `error`
    Outcome(status, expected, actual, error, detail)

The language, one expectation per check (keywords are case-insensitive):

    59              'draft'   true   NULL      the single value (1 row x 1 column) equals it
    >= 15   < 3   != 0   = 'x'                 a comparison with the single value
    between 40 and 60                          inclusive range
    no rows         rows: 3      rows: >= 1    the number of rows
    error           error: permission denied   the query must fail (message contains the text)
    <table>                                    the rows, when the text has several lines

A table is a header line of column names, then one line per row, cells split by `|`.
Separator lines (`---+---`), outer pipes and psql's `(3 rows)` footer are ignored, so pasted
psql or Markdown output works. Cells are literals; unquoted text is a string and an empty cell
is NULL (as psql shows it). Rows compare in any order unless the first line is `ordered`.

How values compare: numbers numerically whatever their type (an integer, a float, a numeric,
a boolean as 0/1, or text that reads as a number); text against text exactly, a non-text actual
value by its `str()`; booleans also match 0/1 (SQLite has no boolean type). `= NULL` and
`!= NULL` test for NULL; otherwise a NULL actual value meets no comparison (as in SQL).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Protocol

from workbench.db.base import QueryCancelled, QueryTimeout
from workbench.errors import ConfigError

Value = None | bool | Decimal | str
Status = Literal["pass", "fail", "error"]

SHOWN_ROWS = 20  # rows rendered of an actual table; the rest is summarised
SHOWN_DETAIL_ROWS = 5  # rows listed when a row count is off (orphans, undeclared values)


class QueryResult(Protocol):
    """What `evaluate` reads of a result: `workbench.db.Result` satisfies it."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


class ExpectationError(ConfigError):
    """The expectation text is malformed. `line` is the 0-based line within the text."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Outcome:
    """The verdict on one query: `pass`, `fail` (expected vs actual differ) or `error` (it broke).

    `expected` and `actual` are display text; `detail` holds extra lines (a table diff).
    """

    status: Status
    expected: str
    actual: str = ""
    error: str | None = None
    detail: tuple[str, ...] = ()


class Expectation:
    """Base of every expectation; subclasses judge a result, the base handles errors."""

    expects_error = False

    @property
    def text(self) -> str:
        raise NotImplementedError

    def evaluate(self, actual: QueryResult | BaseException) -> Outcome:
        """Judge a query's result, or the exception it raised."""
        if isinstance(actual, BaseException):
            return Outcome("error", self.text, "", error=str(actual) or type(actual).__name__)
        return self._judge(actual)

    def _judge(self, result: QueryResult) -> Outcome:
        raise NotImplementedError


# -- values ---------------------------------------------------------------------------------


def format_value(value: Any) -> str:
    """A value as an expectation literal would spell it (`NULL`, `true`, `'text'`, `59`)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return "'" + _as_text(value).replace("'", "''") + "'"


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    return str(value)


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _comparable(actual: Any, expected: Value) -> tuple[Any, Any] | None:
    """`actual` and `expected` brought to one type, or None when they cannot be compared."""
    if actual is None or expected is None:
        return None
    if isinstance(expected, bool):
        if isinstance(actual, bool):
            return actual, expected
        number = _as_number(actual) if isinstance(actual, (int, Decimal)) else None
        return (bool(number), expected) if number in (0, 1) else None
    if isinstance(expected, Decimal):
        number = _as_number(actual)
        return None if number is None else (number, expected)
    return _as_text(actual), expected


def values_equal(actual: Any, expected: Value) -> bool:
    """Whether a database value matches an expected literal, under the rules in the module doc."""
    if expected is None or actual is None:
        return expected is None and actual is None
    pair = _comparable(actual, expected)
    return pair is not None and pair[0] == pair[1]


_OPS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_OP_ALIASES = {"==": "=", "<>": "!="}


@dataclass(frozen=True)
class Compare:
    """`<op> literal`; `=` is written as the bare literal."""

    op: str
    value: Value

    @property
    def text(self) -> str:
        return format_value(self.value) if self.op == "=" else f"{self.op} {format_value(self.value)}"

    def holds(self, actual: Any) -> bool:
        if self.value is None:
            return (actual is None) == (self.op == "=")
        if self.op == "!=" and actual is not None:
            return not values_equal(actual, self.value)
        if self.op == "=":
            return values_equal(actual, self.value)
        pair = _comparable(actual, self.value)
        if pair is None or isinstance(pair[1], bool):
            return False
        return bool(_OPS[self.op](*pair))


@dataclass(frozen=True)
class Between:
    """`between low and high`, both ends included."""

    low: Decimal | str
    high: Decimal | str

    @property
    def text(self) -> str:
        return f"between {format_value(self.low)} and {format_value(self.high)}"

    def holds(self, actual: Any) -> bool:
        lo, hi = _comparable(actual, self.low), _comparable(actual, self.high)
        return lo is not None and hi is not None and lo[1] <= lo[0] <= hi[1]


Condition = Compare | Between


# -- the expectation kinds ------------------------------------------------------------------


def _shape(result: QueryResult) -> str:
    n = len(result.rows)
    rows = "no rows" if n == 0 else "1 row" if n == 1 else f"{n} rows"
    width = len(result.columns)
    return rows if width == 1 else f"{rows} x {width} columns"


@dataclass(frozen=True)
class Runs(Expectation):
    """No expectation: the query passes when it runs without error."""

    @cached_property
    def text(self) -> str:
        return "runs without error"

    def _judge(self, result: QueryResult) -> Outcome:
        return Outcome("pass", self.text, _shape(result))


RUNS = Runs()


@dataclass(frozen=True)
class ValueIs(Expectation):
    """The query returns one row of one column, and its value meets `condition`."""

    condition: Condition

    @cached_property
    def text(self) -> str:
        return self.condition.text

    def _judge(self, result: QueryResult) -> Outcome:
        if len(result.rows) != 1 or len(result.columns) != 1:
            return Outcome("fail", self.text, _shape(result), detail=("expected a single value",))
        value = result.rows[0][0]
        return Outcome("pass" if self.condition.holds(value) else "fail", self.text, format_value(value))


@dataclass(frozen=True)
class RowCount(Expectation):
    """The number of rows meets `condition` (`no rows` is `rows: 0`)."""

    condition: Condition

    @cached_property
    def text(self) -> str:
        if self.condition == Compare("=", Decimal(0)):
            return "no rows"
        return f"rows: {self.condition.text}"

    def _judge(self, result: QueryResult) -> Outcome:
        n = len(result.rows)
        actual = "no rows" if n == 0 else f"rows: {n}"
        if self.condition.holds(n):
            return Outcome("pass", self.text, actual)
        shown = [f"row: {' | '.join(map(_shown, row))}" for row in result.rows[:SHOWN_DETAIL_ROWS]]
        more = [f"({n - SHOWN_DETAIL_ROWS} more rows)"] if n > SHOWN_DETAIL_ROWS else []
        return Outcome("fail", self.text, actual, detail=tuple(shown + more))


@dataclass(frozen=True)
class Fails(Expectation):
    """The query must raise; with `match`, its message must contain that text (any case).

    A timeout or a cancellation is not the failure a check asks for: it stays an error.
    """

    match: str | None = None
    expects_error = True

    @cached_property
    def text(self) -> str:
        return f"error: {self.match}" if self.match else "error"

    def evaluate(self, actual: QueryResult | BaseException) -> Outcome:
        if isinstance(actual, (QueryTimeout, QueryCancelled)) or not isinstance(actual, BaseException):
            return super().evaluate(actual)
        message = str(actual) or type(actual).__name__
        if self.match and self.match.lower() not in message.lower():
            return Outcome("fail", self.text, f"error: {message}")
        return Outcome("pass", self.text, f"error: {message}")

    def _judge(self, result: QueryResult) -> Outcome:
        return Outcome("fail", self.text, f"no error ({_shape(result)})")


@dataclass(frozen=True)
class TableIs(Expectation):
    """The rows equal a small table; column names match case-insensitively."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    ordered: bool = False

    @cached_property
    def text(self) -> str:
        lines = [" | ".join(map(_header_text, self.columns)), *(_row_text(row) for row in self.rows)]
        return "\n".join(["ordered", *lines] if self.ordered else lines)

    def _judge(self, result: QueryResult) -> Outcome:
        actual = render_table(result)
        got = tuple(str(c).lower() for c in result.columns)
        if got != tuple(c.lower() for c in self.columns):
            detail = f"columns differ: expected {', '.join(self.columns)}; got {', '.join(map(str, result.columns))}"
            return Outcome("fail", self.text, actual, detail=(detail,))
        diff = self._ordered_diff(result.rows) if self.ordered else self._unordered_diff(result.rows)
        return Outcome("fail" if diff else "pass", self.text, actual, detail=tuple(diff))

    def _ordered_diff(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        diff = []
        for i in range(max(len(rows), len(self.rows))):
            want = self.rows[i] if i < len(self.rows) else None
            got = rows[i] if i < len(rows) else None
            if got is not None and want is None:
                diff.append(f"row {i + 1}: unexpected {_row_text(got)}")
            elif want is not None and got is None:
                diff.append(f"row {i + 1}: missing {_row_text(want)}")
            elif got is not None and want is not None and not _row_matches(got, want):
                diff.append(f"row {i + 1}: expected {_row_text(want)}; got {_row_text(got)}")
        return diff

    def _unordered_diff(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        unmatched = list(rows)
        missing = []
        for want in self.rows:
            hit = next((i for i, got in enumerate(unmatched) if _row_matches(got, want)), None)
            if hit is None:
                missing.append(f"missing: {_row_text(want)}")
            else:
                del unmatched[hit]
        return missing + [f"unexpected: {_row_text(got)}" for got in unmatched]


def _row_matches(got: Sequence[Any], want: tuple[Value, ...]) -> bool:
    return len(got) == len(want) and all(values_equal(a, e) for a, e in zip(got, want, strict=True))


def _plain(text: str) -> bool:
    """Whether `text` reads back as itself when written bare in a table."""
    return bool(_PLAIN.fullmatch(text)) and not _FOOTER.match(text)


def _header_text(name: str) -> str:
    return name if _plain(name) and name.lower() != "ordered" else format_value(name)


def _cell_text(value: Any) -> str:
    if isinstance(value, str) and _plain(value) and not _reads_as_literal(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return format_value(value)


def _reads_as_literal(text: str) -> bool:
    """Whether bare `text` in a table cell would read as a number, NULL or a boolean."""
    return text.lower() in _KEYWORD_LITERALS or bool(_NUMBER.fullmatch(text))


def _shown(value: Any) -> str:
    """A value for people to read: text bare (quoted only when empty), the rest as literals."""
    return value if isinstance(value, str) and value else format_value(value)


def _row_text(row: Sequence[Any]) -> str:
    return " | ".join(_cell_text(v) for v in row)


def render_table(result: QueryResult, limit: int = SHOWN_ROWS) -> str:
    """A result as expectation-table text (header, then rows), cut after `limit` rows."""
    lines = [" | ".join(map(str, result.columns)), *(_row_text(r) for r in result.rows[:limit])]
    if not result.rows:
        lines.append("(no rows)")
    if len(result.rows) > limit:
        lines.append(f"({len(result.rows) - limit} more rows)")
    return "\n".join(lines)


# -- parsing --------------------------------------------------------------------------------

_NUMBER_TEXT = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_NUMBER = re.compile(_NUMBER_TEXT)
_TOKEN = re.compile(
    rf"""\s*(?:
        (?P<str>'(?:[^']|'')*')
      | (?P<num>{_NUMBER_TEXT})(?![\w.])
      | (?P<op><=|>=|<>|!=|==|=|<|>)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<colon>:)
      | (?P<other>\S)
    )""",
    re.VERBOSE,
)
_KEYWORD_LITERALS: dict[str, Value] = {"null": None, "true": True, "false": False}
_SEPARATOR = re.compile(r"^[\s|+:=-]*-[\s|+:=-]*$")
_FOOTER = re.compile(r"^\(\d+ rows?\)$", re.IGNORECASE)
_PLAIN = re.compile(r"[\w$()*.,#@:/][\w$()*.,#@:/ ]*(?<! )")
_HINT = "a value, a comparison (>= 15), between A and B, no rows, rows: N, error, or a table"


def parse_expectation(text: str) -> Expectation:
    """Parse the text after `expect:`; several lines make a table (optional `ordered` line first).

    Raises `ExpectationError` with the 0-based line of the text that is wrong.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0].strip()
    if len(lines) > 1 and any(line.strip() for line in lines[1:]):
        ordered = first.lower() == "ordered"
        return _parse_table(lines, start=1 if ordered else 0, ordered=ordered)
    if not first:
        raise ExpectationError(f"empty expectation; write {_HINT}")
    return _parse_line(first)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, end) triples; an unterminated string is an error."""
    out = []
    pos = 0
    while pos < len(text) and text[pos:].strip():
        m = _TOKEN.match(text, pos)
        assert m is not None  # `other` matches any non-space character
        kind = m.lastgroup or "other"
        if kind == "other" and m.group(kind) == "'":
            raise ExpectationError(f"unterminated string in {text!r}")
        out.append((kind, m.group(kind), m.end()))
        pos = m.end()
    return out


def _parse_line(line: str) -> Expectation:
    tokens = _tokens(line)
    words = [t[1].lower() if t[0] == "word" else None for t in tokens]
    if words[:1] == ["error"]:
        rest = line[tokens[0][2] :].strip()
        if rest and not rest.startswith(":"):
            raise ExpectationError(f"write 'error' or 'error: text the message contains', not {line!r}")
        match = rest[1:].strip()
        if len(match) >= 2 and match[0] == match[-1] == "'":
            match = match[1:-1].replace("''", "'")
        return Fails(match or None)
    if words == ["no", "rows"]:
        return RowCount(Compare("=", Decimal(0)))
    if words[:1] == ["rows"]:
        after = tokens[2:] if len(tokens) > 1 and tokens[1][0] == "colon" else tokens[1:]
        condition = _parse_condition(after, line)
        _check_row_count(condition, line)
        return RowCount(condition)
    return ValueIs(_parse_condition(tokens, line))


def _parse_condition(tokens: list[tuple[str, str, int]], line: str) -> Condition:
    kinds = [t[0] for t in tokens]
    if kinds and kinds[0] == "word" and tokens[0][1].lower() == "between":
        if len(tokens) == 4 and tokens[2][0] == "word" and tokens[2][1].lower() == "and":
            low, high = _literal(tokens[1], line), _literal(tokens[3], line)
            return _between(low, high, line)
        raise ExpectationError(f"write 'between LOW and HIGH', not {line!r}")
    if len(tokens) == 2 and kinds[0] == "op":
        op = _OP_ALIASES.get(tokens[0][1], tokens[0][1])
        value = _literal(tokens[1], line)
        if value is None and op not in ("=", "!="):
            raise ExpectationError(f"NULL can only be compared with = or != in {line!r}")
        if isinstance(value, bool) and op not in ("=", "!="):
            raise ExpectationError(f"true/false can only be compared with = or != in {line!r}")
        return Compare(op, value)
    if len(tokens) == 1:
        return Compare("=", _literal(tokens[0], line))
    raise ExpectationError(f"cannot read {line!r}: write {_HINT}")


def _literal(token: tuple[str, str, int], line: str) -> Value:
    kind, text, _ = token
    if kind == "str":
        return text[1:-1].replace("''", "'")
    if kind == "num":
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ExpectationError(f"the number {text} is out of range in {line!r}") from None
    if kind == "word" and text.lower() in _KEYWORD_LITERALS:
        return _KEYWORD_LITERALS[text.lower()]
    if kind == "word":
        raise ExpectationError(f"unquoted text {text!r} in {line!r}: write text in quotes, as '{text}'")
    raise ExpectationError(f"cannot read {line!r}: write {_HINT}")


def _between(low: Value, high: Value, line: str) -> Between:
    if isinstance(low, Decimal) and isinstance(high, Decimal) or isinstance(low, str) and isinstance(high, str):
        if low > high:  # type: ignore[operator]  # both numbers or both strings, as just tested
            raise ExpectationError(f"the lower bound comes first in {line!r}")
        return Between(low, high)
    raise ExpectationError(f"between needs two numbers or two strings in {line!r}")


def _check_row_count(condition: Condition, line: str) -> None:
    bounds = [condition.value] if isinstance(condition, Compare) else [condition.low, condition.high]
    for bound in bounds:
        if not isinstance(bound, Decimal) or bound != bound.to_integral_value() or bound < 0:
            raise ExpectationError(f"a row count is a whole number >= 0, in {line!r}")


def _parse_table(lines: list[str], start: int, ordered: bool) -> TableIs:
    header: tuple[str, ...] | None = None
    rows: list[tuple[Value, ...]] = []
    for index, raw in enumerate(lines[start:], start=start):
        line = raw.strip()
        if not line or _SEPARATOR.match(line) or _FOOTER.match(line):
            continue
        cells = _split_cells(line, index)
        if header is None:
            header = tuple(_column_name(c, index) for c in cells)
            continue
        if len(cells) != len(header):
            raise ExpectationError(f"this row has {len(cells)} cells but the header has {len(header)}", index)
        try:
            rows.append(tuple(_parse_cell(c) for c in cells))
        except ExpectationError as exc:
            raise ExpectationError(exc.reason, index) from None
    if header is None:
        raise ExpectationError("the table has no header line", len(lines) - 1)
    if not rows:
        raise ExpectationError("the table has a header but no rows; write 'no rows' instead", len(lines) - 1)
    return TableIs(header, tuple(rows), ordered)


def _split_cells(line: str, index: int) -> list[str]:
    """Cells of one table line, split on `|` outside quotes; a pair of outer pipes is dropped."""
    cells: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in line:
        if ch == "'":
            quoted = not quoted
        if ch == "|" and not quoted:
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
    if quoted:
        raise ExpectationError(f"unterminated string in {line!r}", index)
    cells.append("".join(current))
    if len(cells) > 2 and not cells[0].strip() and not cells[-1].strip():  # | a | b | (Markdown)
        cells = cells[1:-1]
    return [c.strip() for c in cells]


def _column_name(cell: str, index: int) -> str:
    name = cell[1:-1].replace("''", "'") if len(cell) >= 2 and cell[0] == cell[-1] == "'" else cell
    if not name:
        raise ExpectationError("a column name in the header is empty", index)
    return name


def _parse_cell(cell: str) -> Value:
    """A table cell: a literal, or bare text as a string; empty is NULL."""
    if not cell:
        return None
    tokens = _tokens(cell)
    if len(tokens) == 1 and tokens[0][0] in ("str", "num"):
        return _literal(tokens[0], cell)
    if len(tokens) == 1 and tokens[0][0] == "word" and cell.lower() in _KEYWORD_LITERALS:
        return _KEYWORD_LITERALS[cell.lower()]
    return cell
