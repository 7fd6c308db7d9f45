"""A query's result paged through one stream: right rows at every page, never all in memory,
reads only, and several results on one connection taking turns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workbench.console.results import BATCH, RECENT, ResultPager, Streams
from workbench.db import Connection
from workbench.db.base import StatementRefused

ROWS = 5000


@pytest.fixture
def streams() -> Iterator[Streams]:
    """The connection's one stream, closed before the connection is (as the Query screen does)."""
    held = Streams()
    yield held
    held.release()


@pytest.fixture
def numbers(conn: Connection) -> Connection:
    conn.execute("CREATE TABLE numbers (n integer PRIMARY KEY, word text)")
    with conn.transaction():
        for start in range(0, ROWS, 500):
            values = ", ".join(f"({n}, 'w{n}')" for n in range(start, start + 500))
            conn.execute(f"INSERT INTO numbers VALUES {values}")
    return conn


def test_pages_walk_the_result_in_order_and_find_its_end(numbers: Connection, streams: Streams) -> None:
    pager = ResultPager(numbers, "SELECT n, word FROM numbers ORDER BY n;", streams, page_size=200)
    assert pager.columns == ("n", "word")
    first = pager.first()
    assert [r[0] for r in first.rows] == list(range(200)) and first.at_start and not first.at_end
    second = pager.next(first)
    assert second.rows[0] == (200, "w200") and second.offset == 200
    last = pager.last()
    assert last.rows[-1] == (ROWS - 1, f"w{ROWS - 1}") and last.offset == ROWS - 200 and last.at_end
    assert pager.total == ROWS
    before = pager.previous(last)
    assert before.rows[0][0] == ROWS - 400 and before.offset == ROWS - 400
    assert pager.at(1234).rows[0][0] == 1234
    assert pager.count() == ROWS


def test_the_pager_holds_at_most_a_batch_beyond_the_page(numbers: Connection, streams: Streams) -> None:
    pager = ResultPager(numbers, "SELECT * FROM numbers ORDER BY n", streams, page_size=100)
    pager.at(3000)
    assert len(pager._buffer) <= BATCH and len(pager._recent) <= RECENT
    assert pager.total is None  # the end was never read: nothing says how many rows there are


def test_paging_back_from_the_end_runs_nothing_again(numbers: Connection, streams: Streams) -> None:
    pager = ResultPager(numbers, "SELECT n FROM numbers ORDER BY n", streams, page_size=100)
    page = pager.last()
    for _ in range(20):
        page = pager.previous(page)
    assert page.rows[0] == (ROWS - 2100,) and pager._batches is None  # from memory: no stream reopened


def test_two_results_on_one_connection_take_turns(numbers: Connection, streams: Streams) -> None:
    evens = ResultPager(numbers, "SELECT n FROM numbers WHERE n % 2 = 0 ORDER BY n", streams, page_size=50)
    odds = ResultPager(numbers, "SELECT n FROM numbers WHERE n % 2 = 1 ORDER BY n", streams, page_size=50)
    first_evens = evens.first()
    first_odds = odds.first()  # closes the evens' stream: PostgreSQL runs one at a time
    assert evens.next(first_evens).rows[0] == (100,)
    assert odds.next(first_odds).rows[0] == (101,)
    streams.release()
    assert numbers.query("SELECT count(*) FROM numbers").scalar() == ROWS  # the connection is free again


def test_an_empty_result_still_has_its_columns(numbers: Connection, streams: Streams) -> None:
    pager = ResultPager(numbers, "SELECT n, word FROM numbers WHERE n < 0", streams)
    page = pager.first()
    assert pager.columns == ("n", "word") and page.rows == () and page.at_end
    assert pager.count() == 0


def test_a_result_that_is_no_subquery_is_read_whole(numbers: Connection, streams: Streams) -> None:
    explain = "EXPLAIN SELECT * FROM numbers"
    pager = ResultPager(numbers, explain, streams)
    rows = pager.first().rows
    assert rows and pager.total == len(rows)


def test_a_write_is_refused_and_changes_nothing(numbers: Connection, streams: Streams) -> None:
    with pytest.raises(StatementRefused):
        ResultPager(numbers, "DELETE FROM numbers", streams).first()
    assert numbers.query("SELECT count(*) FROM numbers").scalar() == ROWS


def test_the_whole_result_streams_again_for_an_export(numbers: Connection, streams: Streams) -> None:
    pager = ResultPager(numbers, "SELECT n FROM numbers ORDER BY n", streams)
    pager.first()
    rows = [row for batch in pager.stream(700) for row in batch]
    assert rows == [(n,) for n in range(ROWS)]
