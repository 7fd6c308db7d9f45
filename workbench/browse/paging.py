"""Page through a table or view of any size, a screenful at a time, with flat memory.

A `Pager` turns "first / next / previous / last / jump to row N" into one bounded query each.
Where the relation has a usable key (a primary key or unique index on NOT NULL columns, or
SQLite's implicit rowid) it pages by *keyset*: `WHERE (sort, key) > (last seen) ORDER BY … LIMIT n`,
so page 50,000 costs what page 1 costs. Without a key, or when sorting on a nullable column,
it falls back to LIMIT/OFFSET. Only "jump to row N" always uses OFFSET, once, then goes on by
keyset from there.

Callers may rely on:
- Identifiers are quoted by the connection; filter values are always bound parameters.
- Each `Page` knows its absolute `offset` and/or its distance `from_end` when they can be known
  without counting the whole table; `count()` is the one full count, run only when asked.
- A `Pager` holds no rows: the caller keeps as many pages as it wants to show.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterator, Sequence

from workbench.db.base import Connection
from workbench.db.catalog import Table, View
from workbench.db.row_key import row_key
from workbench.errors import UsageError

#: The filter operators, in the order a picker should offer them.
OPERATORS: tuple[str, ...] = ("=", "!=", "<", "<=", ">", ">=", "contains", "is null", "is not null")
_NO_VALUE = {"is null", "is not null"}
DEFAULT_PAGE_SIZE = 200


@dataclass(frozen=True)
class Filter:
    """`column op value` — one condition on one column; `value` is bound, never pasted."""

    column: str
    op: str = "="
    value: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise UsageError(f"unknown filter operator {self.op!r}; use one of {', '.join(OPERATORS)}")
        if self.op not in _NO_VALUE and self.value is None:
            raise UsageError(f"the filter {self.op!r} needs a value")

    def describe(self) -> str:
        return f"{self.column} {self.op}" + ("" if self.op in _NO_VALUE else f" {self.value!r}")


@dataclass(frozen=True)
class Page:
    """A run of consecutive rows. `offset`: index of the first row; `from_end`: rows after the last."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    offset: int | None
    from_end: int | None
    at_start: bool
    at_end: bool
    first_key: tuple[Any, ...] | None = field(default=None, repr=False)
    last_key: tuple[Any, ...] | None = field(default=None, repr=False)
    keys: tuple[tuple[Any, ...], ...] = field(default=(), repr=False)  # each row's `Pager.key` values; () without one

    def locate(self, total: int) -> Page:
        """The same page with `offset` and `from_end` both filled in, once the total is known."""
        offset = self.offset if self.offset is not None else total - (self.from_end or 0) - len(self.rows)
        return dataclasses.replace(self, offset=offset, from_end=total - offset - len(self.rows))


class Pager:
    """Bounded queries over one relation, optionally sorted by a column and filtered on one."""

    def __init__(
        self,
        conn: Connection,
        relation: Table | View,
        *,
        order_by: str | None = None,
        descending: bool = False,
        where: Filter | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self.conn = conn
        self.relation = relation
        self.order_by = order_by
        self.descending = descending
        self.where = where
        self.page_size = max(1, page_size)
        names = [c.name for c in relation.columns]
        for wanted in (order_by, where.column if where else None):
            if wanted is not None and names and wanted not in names:
                raise UsageError(f"{relation.qualified_name} has no column {wanted!r}")
        self._source = conn.qualify(relation.schema, relation.name)
        self._display = ", ".join(map(conn.quote, names)) if names else "*"
        self.key = row_key(conn, relation)  # what each row is found by (editing), None without one
        self._order, self.strategy = self._ordering(self.key)
        # Keyset paging needs each row's ORDER BY values, and every page its rows' keys; a hidden
        # key (rowid) is fetched after the displayed columns and cut off before rows leave the pager.
        hidden = [c for c in self._order if c not in names] if self.strategy == "keyset" else []
        hidden += [c for c in self.key or () if c not in names and c not in hidden]
        self._select = ", ".join([self._display, *map(conn.quote, hidden)])
        self._hidden = len(hidden)
        fetched = [*names, *hidden]
        self._order_at = [fetched.index(c) for c in self._order] if self.strategy == "keyset" else []
        self._key_at = [fetched.index(c) for c in self.key or ()]
        self._cond, self._params = self._filter_sql()

    # -- what callers ask --------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        """The displayed columns' names, in order."""
        return tuple(c.name for c in self.relation.columns)

    @property
    def estimate(self) -> int | None:
        """The catalog's row estimate, when no filter makes it meaningless."""
        return None if self.where else self.relation.row_estimate

    def first(self) -> Page:
        return self.at(0)

    def last(self) -> Page:
        if self.strategy == "offset":
            return self.at(max(0, self.count() - self.page_size))
        rows, columns = self._fetch([], self.page_size + 1, reverse=True)
        more = len(rows) > self.page_size
        rows = rows[: self.page_size][::-1]
        return self._page(rows, columns, offset=None if more else 0, from_end=0, at_start=not more, at_end=True)

    def next(self, page: Page) -> Page:
        """The page after `page` (empty and `at_end` when there is none)."""
        offset = None if page.offset is None else page.offset + len(page.rows)
        if page.at_end:
            return self._page([], page.columns, offset=offset, from_end=0, at_start=False, at_end=True)
        if self.strategy == "offset":
            return self.at(offset or 0)
        rows, columns = self._fetch(self._after(page.last_key), self.page_size + 1)
        from_end = None if page.from_end is None else page.from_end - min(len(rows), self.page_size)
        return self._page(rows, columns, offset=offset, from_end=from_end, at_start=False)

    def previous(self, page: Page) -> Page:
        """The page before `page` (empty and `at_start` when there is none)."""
        from_end = None if page.from_end is None else page.from_end + len(page.rows)
        if page.at_start:
            return self._page([], page.columns, offset=0, from_end=from_end, at_start=True, at_end=False)
        if self.strategy == "offset":  # OFFSET mode always knows where a page starts
            start = max(0, (page.offset or 0) - self.page_size)
            rows, columns = self._fetch([], (page.offset or 0) - start, offset=start)
            return self._page(rows, columns, offset=start, from_end=from_end, at_start=start == 0, at_end=False)
        rows, columns = self._fetch(self._after(page.first_key, reverse=True), self.page_size + 1, reverse=True)
        more = len(rows) > self.page_size
        rows = rows[: self.page_size][::-1]
        offset = 0 if not more else (None if page.offset is None else page.offset - len(rows))
        return self._page(rows, columns, offset=offset, from_end=from_end, at_start=not more, at_end=False)

    def at(self, offset: int) -> Page:
        """The page starting at row `offset` (0-based): one OFFSET query, keyset after it."""
        offset = max(0, offset)
        rows, columns = self._fetch([], self.page_size + 1, offset=offset)
        return self._page(rows, columns, offset=offset, from_end=None, at_start=offset == 0)

    def count(self) -> int:
        """The exact number of rows matching the filter (a full count: may be slow)."""
        where = f" WHERE {self._cond}" if self._cond else ""
        return int(self.conn.query(f"SELECT count(*) FROM {self._source}{where}", self._params).scalar() or 0)

    def stream(self, batch_size: int = 1000) -> Iterator[Sequence[tuple[Any, ...]]]:
        """Every matching row in order, displayed columns only, one batch in memory at a time."""
        where = f" WHERE {self._cond}" if self._cond else ""
        sql = f"SELECT {self._display} FROM {self._source}{where}{self._order_sql()}"
        return self.conn.stream(sql, self._params, batch_size=batch_size)

    # -- query building ----------------------------------------------------------------------

    def _ordering(self, key: tuple[str, ...] | None) -> tuple[list[str], str]:
        """The ORDER BY columns and whether keyset paging is safe over them."""
        if self.order_by is None:
            return (list(key), "keyset") if key else ([], "offset")
        if key is None:
            return [self.order_by], "offset"
        rest = [k for k in key if k != self.order_by]
        column = next((c for c in self.relation.columns if c.name == self.order_by), None)
        never_null = (self.order_by in key and not rest) or (column is not None and not column.nullable)
        return [self.order_by, *rest], "keyset" if never_null else "offset"

    def _order_sql(self, reverse: bool = False) -> str:
        if not self._order:
            return ""
        descending = self.descending != reverse
        direction = " DESC" if descending else ""
        if self.strategy == "offset":
            # Both backends put NULLs in the same place, so the same data gives the same pages.
            direction += " NULLS LAST" if descending else " NULLS FIRST"
        return " ORDER BY " + ", ".join(f"{self.conn.quote(c)}{direction}" for c in self._order)

    def _after(self, key: tuple[Any, ...] | None, reverse: bool = False) -> list[tuple[str, list[Any]]]:
        """The keyset condition: rows strictly after (or before) `key` in the sort order."""
        if key is None:
            return []
        op = "<" if self.descending != reverse else ">"
        marks = ", ".join([self.conn.placeholder] * len(key))
        columns = ", ".join(map(self.conn.quote, self._order))
        return [(f"({columns}) {op} ({marks})", list(key))]

    def _filter_sql(self) -> tuple[str, list[Any]]:
        if self.where is None:
            return "", []
        column, op, mark = self.conn.quote(self.where.column), self.where.op, self.conn.placeholder
        if op in _NO_VALUE:
            return f"{column} {op.upper()}", []
        if op == "contains":
            pattern = "%" + _escape_like((self.where.value or "").lower()) + "%"
            return f"LOWER(CAST({column} AS TEXT)) LIKE {mark} ESCAPE '\\'", [pattern]
        return f"{column} {'<>' if op == '!=' else op} {mark}", [self.where.value]

    def _fetch(
        self, conditions: list[tuple[str, list[Any]]], limit: int, *, offset: int = 0, reverse: bool = False
    ) -> tuple[list[tuple[Any, ...]], tuple[str, ...]]:
        parts = ([(self._cond, self._params)] if self._cond else []) + conditions
        where = " WHERE " + " AND ".join(sql for sql, _ in parts) if parts else ""
        params = [p for _, values in parts for p in values] + [limit, offset]
        mark = self.conn.placeholder
        sql = f"SELECT {self._select} FROM {self._source}{where}{self._order_sql(reverse)} LIMIT {mark} OFFSET {mark}"
        result = self.conn.query(sql, params)
        return result.rows, result.columns[: len(result.columns) - self._hidden]

    def _page(
        self,
        rows: list[tuple[Any, ...]],
        columns: tuple[str, ...],
        *,
        offset: int | None,
        from_end: int | None,
        at_start: bool,
        at_end: bool | None = None,
    ) -> Page:
        """A page from fetched rows; with `at_end` unknown, one row past the page tells it."""
        if at_end is None:
            at_end = len(rows) <= self.page_size
            rows = rows[: self.page_size]
            from_end = 0 if at_end else from_end
        width = len(columns)
        keys = [tuple(row[i] for i in self._order_at) if self._order_at else None for row in rows[:1] + rows[-1:]]
        return Page(
            columns=columns,
            rows=tuple(tuple(row[:width]) for row in rows),
            offset=offset,
            from_end=from_end,
            at_start=at_start,
            at_end=at_end,
            first_key=keys[0] if keys else None,
            last_key=keys[-1] if keys else None,
            keys=tuple(tuple(row[i] for i in self._key_at) for row in rows) if self._key_at else (),
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
