"""A query's result paged like a table, read through one server-side stream (`Connection.stream`).

`ResultPager` answers the questions `browse.paging.Pager` answers (first, next, previous, at, last,
count), so the data grid shows a query's result as it shows a table. The rows come from one stream
that is read forward only as far as the grid asks: the first page shows while the database still
produces the rest, and at most a batch beyond the page is in memory, with the `RECENT` rows read last.
Going back within those is served from memory; further back runs the statement again and skips
forward. `last` and `count` read to the end.

A connection runs one stream at a time (PostgreSQL's protocol is busy until a stream ends), so the
pagers of one connection share a `Streams`: a pager that reads closes the stream another left open,
and `Streams.release` closes it before the connection is used for anything else (a write, EXPLAIN).

Each stream runs inside `Connection.read_only` and `Connection.limits`: the database itself refuses a
statement that is not a single read, and the profile's statement and lock timeouts apply. On a stream
kept open while the user reads, the statement timeout counts that reading time too (the statement is
still running on the server until its last row is read).
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from workbench.browse.paging import Page
from workbench.db.base import Connection, DatabaseError

BATCH = 1000  # rows per fetch from the stream: the first page waits for at most this many
RECENT = 10_000  # rows read last, kept so that paging back (from the end, too) needs no new run


class Streams:
    """The one open stream of a connection, if any (see the module's docstring)."""

    def __init__(self) -> None:
        self._owner: ResultPager | None = None

    def claim(self, pager: ResultPager) -> None:
        """`pager` is about to read: close the stream another pager left open."""
        if self._owner is not None and self._owner is not pager:
            self._owner.close()
        self._owner = pager

    def release(self) -> None:
        """Close the open stream, so the connection can run something else."""
        if self._owner is not None:
            self._owner.close()
            self._owner = None


@dataclass(frozen=True)
class Limits:
    """Seconds a statement may run, and may wait for a lock (None: the connection's own setting)."""

    statement_timeout_s: float | None = None
    lock_timeout_s: float | None = None


@contextmanager
def reading(conn: Connection, limits: Limits) -> Iterator[None]:
    """A read-only transaction under `limits`: what every statement of a result runs in."""
    with conn.limits(limits.statement_timeout_s, limits.lock_timeout_s), conn.read_only(limits.statement_timeout_s):
        yield


NO_LIMITS = Limits()


def result_columns(conn: Connection, sql: str, limits: Limits = NO_LIMITS) -> tuple[str, ...]:
    """The column names `sql` returns, read without producing any row (the statement as a subquery)."""
    with reading(conn, limits):
        return conn.query(f"SELECT * FROM (\n{sql.strip().rstrip(';')}\n) AS result LIMIT 0").columns


class ResultPager:
    """Pages of one read statement's result, through `Pager`'s interface (see the module's docstring)."""

    estimate: int | None = None  # a query has no catalog estimate

    def __init__(
        self,
        conn: Connection,
        sql: str,
        streams: Streams,
        *,
        page_size: int = 200,
        limits: Limits = NO_LIMITS,
    ) -> None:
        self.conn = conn
        self.sql = sql.strip().rstrip(";")
        self.page_size = max(1, page_size)
        self.limits = limits
        self.total: int | None = None  # known once the stream reached the end
        self._streams = streams
        self._batches: Iterator[Sequence[tuple[Any, ...]]] | None = None
        self._buffer: deque[tuple[Any, ...]] = deque()  # read from the stream, not yet asked for
        self._recent: deque[tuple[Any, ...]] = deque(maxlen=RECENT)  # the rows just before `_position`
        self._position = 0  # the index of the row `_buffer` starts with
        self._held: list[tuple[Any, ...]] | None = None
        streams.release()  # the probe below needs the connection
        try:
            self.columns = result_columns(conn, self.sql, limits)
        except DatabaseError:
            # Not a query that can be a subquery (EXPLAIN, SHOW, PRAGMA, … RETURNING): such results are
            # small, so they are read whole; a statement that simply fails raises its own error here.
            with reading(conn, limits):
                result = conn.query(self.sql)
            self.columns, self._held, self.total = result.columns, result.rows, len(result.rows)

    # -- what the grid asks ------------------------------------------------------------------

    def first(self) -> Page:
        return self.at(0)

    def at(self, offset: int) -> Page:
        """The page starting at row `offset` (0-based)."""
        offset = max(0, offset)
        rows = self._recalled(offset, offset + self.page_size)
        if rows is None:
            self._seek(offset)
            rows = self._take(self.page_size)
        at_end = offset + len(rows) == self.total if self.total is not None else not self._more()
        return self._page(rows, offset, at_end)

    def next(self, page: Page) -> Page:
        start = (page.offset or 0) + len(page.rows)
        if page.at_end:
            return self._page([], start, True)
        return self.at(start)

    def previous(self, page: Page) -> Page:
        end = page.offset or 0
        start = max(0, end - self.page_size)
        rows = self._recalled(start, end)
        if rows is None:
            self._seek(start)
            rows = self._take(end - start)
        return self._page(rows, start, False)

    def last(self) -> Page:
        """The last page: reads the rest of the stream (the last `RECENT` rows stay at hand)."""
        total = self.count()
        return self.at(max(0, total - self.page_size))

    def count(self) -> int:
        """The number of rows (reads the rest of the stream)."""
        if self.total is None:
            for _ in self._rest():
                pass
        return self.total if self.total is not None else self._position

    def stream(self, batch_size: int = BATCH) -> Iterator[Sequence[tuple[Any, ...]]]:
        """Every row from the first, in batches (for an export or a copy): the statement runs again."""
        self._streams.claim(self)
        self.close()
        yield from self._read(batch_size)

    def close(self) -> None:
        """Stop reading: the statement ends on the server; the next read starts it again."""
        if self._batches is not None:
            batches, self._batches = self._batches, None
            with suppress(DatabaseError):  # a stream that failed or was cancelled has nothing left to stop
                batches.close()  # type: ignore[attr-defined]
        self._buffer.clear()
        self._recent.clear()
        self._position = 0

    # -- the stream --------------------------------------------------------------------------

    def _open(self) -> None:
        self._streams.claim(self)
        self.close()
        self._batches = self._read()

    def _read(self, batch_size: int = BATCH) -> Iterator[Sequence[tuple[Any, ...]]]:
        if self._held is not None:
            yield self._held
            return
        with reading(self.conn, self.limits):
            yield from self.conn.stream(self.sql, batch_size=batch_size)

    def _fill(self) -> bool:
        """One more batch into the buffer; False at the end of the result."""
        if self._batches is None:
            return False
        batch = next(self._batches, None)
        if batch is None:
            self.total = self._position + len(self._buffer)
            self._batches = None
            return False
        self._buffer.extend(batch)
        return True

    def _consume(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """`rows` were read: they move past the position, and the last `RECENT` of them stay at hand."""
        self._recent.extend(rows)
        self._position += len(rows)

    def _recalled(self, start: int, end: int) -> list[tuple[Any, ...]] | None:
        """Rows `start` to `end` from those just read, when they are all still at hand."""
        if self.total is not None:
            end = min(end, self.total)
        first = self._position - len(self._recent)
        if not first <= start <= end <= self._position:
            return None
        return list(islice(self._recent, start - first, end - first))

    def _seek(self, offset: int) -> None:
        """Make `offset` the next row read: forward by skipping, backward by starting again."""
        if (self._batches is None and not self._buffer) or offset < self._position:
            self._open()
        while self._position + len(self._buffer) <= offset:  # all that is held lies before the offset
            self._consume(self._buffer)
            self._buffer.clear()
            if not self._fill():
                break
        skipped = min(offset - self._position, len(self._buffer))
        if skipped > 0:
            self._consume([self._buffer.popleft() for _ in range(skipped)])

    def _take(self, n: int) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        while len(rows) < n and (self._buffer or self._fill()):
            take = [self._buffer.popleft() for _ in range(min(n - len(rows), len(self._buffer)))]
            self._consume(take)  # before the next fill, which may find the end and count on the position
            rows += take
        return rows

    def _more(self) -> bool:
        return bool(self._buffer) or self._fill()

    def _rest(self) -> Iterator[Sequence[tuple[Any, ...]]]:
        """The rows not read yet, batch by batch; `_position` ends at the row count."""
        if self._batches is None and self.total is None:
            self._open()
        if self._buffer:
            held = list(self._buffer)
            self._buffer.clear()
            self._consume(held)
            yield held
        while self._batches is not None:
            batch = next(self._batches, None)
            if batch is None:
                self.total, self._batches = self._position, None
                return
            self._consume(batch)
            yield batch

    def _page(self, rows: list[tuple[Any, ...]], offset: int, at_end: bool) -> Page:
        from_end = 0 if at_end else (self.total - offset - len(rows) if self.total is not None else None)
        return Page(
            columns=self.columns,
            rows=tuple(rows),
            offset=offset,
            from_end=from_end,
            at_start=offset == 0,
            at_end=at_end,
        )
