"""Keyset and OFFSET paging over real tables on both backends: every row once, in order, bounded."""

from __future__ import annotations

import dataclasses

import pytest

from tests.browse.conftest import make_items, series
from workbench.browse.paging import Filter, Page, Pager
from workbench.db import Connection
from workbench.db.catalog import Table
from workbench.errors import UsageError


def walk_forward(pager: Pager) -> list[Page]:
    pages = [pager.first()]
    while not pages[-1].at_end:
        pages.append(pager.next(pages[-1]))
        assert len(pages) < 1000, "paging never ends"
    return pages


def walk_backward(pager: Pager) -> list[Page]:
    pages = [pager.last()]
    while not pages[-1].at_start:
        pages.append(pager.previous(pages[-1]))
        assert len(pages) < 1000, "paging never ends"
    return pages[::-1]


def ids(pages: list[Page]) -> list[int]:
    return [row[0] for page in pages for row in page.rows]


def test_keyset_paging_visits_every_row_once_in_key_order(conn: Connection, items: Table) -> None:
    pager = Pager(conn, items, page_size=64)
    assert pager.strategy == "keyset"
    pages = walk_forward(pager)
    assert ids(pages) == list(range(1, 1001))
    assert all(len(p.rows) <= 64 for p in pages)
    assert [p.offset for p in pages] == list(range(0, 1000, 64))
    assert pages[-1].from_end == 0


def test_paging_backwards_from_the_end_meets_the_start(conn: Connection, items: Table) -> None:
    pager = Pager(conn, items, page_size=64)
    pages = walk_backward(pager)
    assert ids(pages) == list(range(1, 1001))
    assert pages[-1].offset is None and pages[-1].from_end == 0  # the end is reached without counting
    assert pages[0].offset == 0
    located = [p.locate(pager.count()) for p in pages]
    assert [p.offset for p in located] == [0] + [1000 - 64 * k for k in range(len(pages) - 1, 0, -1)]


def test_jump_to_a_row_then_keyset_onwards(conn: Connection, items: Table) -> None:
    pager = Pager(conn, items, page_size=50)
    page = pager.at(500)
    assert page.rows[0][0] == 501 and page.offset == 500
    after = pager.next(page)
    assert after.rows[0][0] == 551 and after.offset == 550
    before = pager.previous(page)
    assert before.rows[0][0] == 451 and before.offset == 450
    assert pager.at(5000).rows == () and pager.at(5000).at_end


def test_sorting_on_a_not_null_column_stays_keyset_and_ties_break_on_the_key(conn: Connection, items: Table) -> None:
    pager = Pager(conn, items, order_by="grp", descending=True, page_size=30)
    assert pager.strategy == "keyset"
    rows = [row for page in walk_forward(pager) for row in page.rows]
    assert [(r[1], r[0]) for r in rows] == sorted(((r[1], r[0]) for r in rows), reverse=True)
    assert len(rows) == 1000
    backward = [row for page in walk_backward(pager) for row in page.rows]
    assert backward == rows


def test_sorting_on_a_nullable_column_falls_back_to_offset_with_nulls_first(conn: Connection, items: Table) -> None:
    pager = Pager(conn, items, order_by="label", page_size=100)
    assert pager.strategy == "offset"
    rows = [row for page in walk_forward(pager) for row in page.rows]
    assert len(rows) == 1000 and len({r[0] for r in rows}) == 1000
    assert all(r[2] is None for r in rows[:100]) and rows[100][2] is not None
    labels = [r[2] for r in rows[100:]]
    assert labels == sorted(labels)
    assert ids(walk_backward(pager)) == [r[0] for r in rows]


def test_a_table_without_a_key_still_pages_completely(conn: Connection) -> None:
    table = make_items(conn, 250, key="integer")  # no primary key, no unique index
    pager = Pager(conn, table, page_size=40)
    # SQLite pages on its implicit rowid; PostgreSQL has no row key and falls back to OFFSET.
    assert pager.strategy == ("keyset" if conn.backend.name == "sqlite" else "offset")
    assert sorted(ids(walk_forward(pager))) == list(range(1, 251))
    assert sorted(ids(walk_backward(pager))) == list(range(1, 251))
    assert pager.first().rows[0] == (1, 1, "item 1")  # the hidden row id never reaches the caller


def test_every_page_carries_each_rows_key_whatever_the_sort(conn: Connection) -> None:
    table = make_items(conn, 120, key="integer")  # no declared key: SQLite's rowid, else none
    conn.execute("UPDATE items SET id = id + 1000")  # the rowid (1..120) and id now differ
    pager = Pager(conn, table, order_by="label", page_size=50)  # nullable sort: OFFSET paging
    pages = walk_forward(pager)
    if conn.backend.name == "sqlite":
        assert pager.key == ("rowid",)
        assert all(key == (row[0] - 1000,) for page in pages for row, key in zip(page.rows, page.keys, strict=True))
        assert all(len(row) == 3 for page in pages for row in page.rows)  # the rowid stays hidden
    else:
        assert pager.key is None and all(page.keys == () for page in pages)


def test_a_composite_primary_key_pages_by_keyset(conn: Connection) -> None:
    conn.execute("CREATE TABLE pairs (a integer NOT NULL, b integer NOT NULL, v text, PRIMARY KEY (a, b))")
    conn.execute(f"INSERT INTO pairs SELECT g % 13, g, 'v' FROM ({series(conn, 300)}) AS q")
    table = conn.introspect().table("pairs", conn.default_schema)
    pager = Pager(conn, table, page_size=17)
    assert pager.strategy == "keyset"
    rows = [row[:2] for page in walk_forward(pager) for row in page.rows]
    assert rows == sorted(rows) and len(rows) == 300


def test_views_page_with_offset(conn: Connection, items: Table) -> None:
    conn.execute("CREATE VIEW odd_items AS SELECT id, label FROM items WHERE id % 2 = 1")
    view = conn.introspect().view("odd_items")
    pager = Pager(conn, view, order_by="id", page_size=100)
    assert pager.strategy == "offset"
    assert ids(walk_forward(pager)) == list(range(1, 1001, 2))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Filter("grp", "=", "3"), 143),
        (Filter("grp", "!=", "3"), 857),
        (Filter("id", "<=", "10"), 10),
        (Filter("label", "is null"), 100),
        (Filter("label", "is not null"), 900),
        (Filter("label", "contains", "ITEM 99"), 10),  # 99, 990..999 minus 990 (NULL): case-insensitive
    ],
)
def test_filters_count_and_page_the_same_rows(conn: Connection, items: Table, where: Filter, expected: int) -> None:
    pager = Pager(conn, items, where=where, page_size=50)
    assert pager.count() == expected
    assert len(ids(walk_forward(pager))) == expected
    assert pager.estimate is None  # a filtered view has no catalog estimate


def test_filter_values_are_parameters_never_sql(conn: Connection, items: Table) -> None:
    for value in ("x' OR '1'='1", "'; DROP TABLE items; --", "%", "_", "\\"):
        assert Pager(conn, items, where=Filter("label", "contains", value)).count() == 0
        assert Pager(conn, items, where=Filter("label", "=", value)).count() == 0
    assert conn.row_count(conn.default_schema, "items") == 1000


def test_contains_matches_like_wildcards_literally(conn: Connection) -> None:
    conn.execute("CREATE TABLE t (id integer PRIMARY KEY, s text)")
    conn.execute("INSERT INTO t VALUES (1, '100% sure'), (2, '100 percent'), (3, 'a_b'), (4, 'axb')")
    table = conn.introspect().table("t", conn.default_schema)
    assert [r[0] for r in Pager(conn, table, where=Filter("s", "contains", "0%")).first().rows] == [1]
    assert [r[0] for r in Pager(conn, table, where=Filter("s", "contains", "a_")).first().rows] == [3]


def test_bad_filters_and_columns_are_refused_before_any_sql(conn: Connection, items: Table) -> None:
    with pytest.raises(UsageError, match="needs a value"):
        Filter("label", "=")
    with pytest.raises(UsageError, match="unknown filter operator"):
        Filter("label", "LIKE", "x")
    with pytest.raises(UsageError, match="no column"):
        Pager(conn, items, order_by="nope")
    with pytest.raises(UsageError, match="no column"):
        Pager(conn, items, where=Filter("nope", "=", "1"))


def test_stream_yields_every_row_in_order_in_bounded_batches(conn: Connection, items: Table) -> None:
    batches = list(Pager(conn, items, order_by="grp").stream(batch_size=128))
    assert max(len(b) for b in batches) <= 128
    rows = [r for b in batches for r in b]
    assert len(rows) == 1000 and [r[1] for r in rows] == sorted(r[1] for r in rows)
    assert all(len(r) == 3 for r in rows)


def test_an_empty_table_is_one_empty_page(conn: Connection) -> None:
    table = make_items(conn, 0)
    pager = Pager(conn, table)
    for page in (pager.first(), pager.last()):
        assert page.rows == () and page.at_start and page.at_end
    assert pager.count() == 0


TORTURE = ['we"ird tab le', "select", "Ünï ✓ 名前", "MixedCase"]


@pytest.mark.parametrize("name", TORTURE)
def test_identifier_torture_in_paging_sorting_and_filtering(conn: Connection, name: str) -> None:
    q, quoted = conn.quote, 'a "b" c'
    conn.execute(
        f"CREATE TABLE {q(name)} ({q(name + ' id')} integer PRIMARY KEY, {q('order')} text NOT NULL, {q(quoted)} text)"
    )
    conn.execute(f"INSERT INTO {q(name)} VALUES (1, 'b', 'x'), (2, 'a', NULL), (3, 'c', 'y')")
    table = conn.introspect().table(name, conn.default_schema)
    assert table is not None
    pager = Pager(conn, table, order_by="order", page_size=2)
    assert ids(walk_forward(pager)) == [2, 1, 3]
    assert Pager(conn, table, where=Filter(quoted, "contains", "y")).first().rows == ((3, "c", "y"),)
    assert Pager(conn, dataclasses.replace(table), where=Filter("order", "=", "a")).count() == 1
