"""The tree's outline and fuzzy filter: grouping, ranking, and speed on a 5,000-table catalog."""

from __future__ import annotations

import datetime as dt
import time

from workbench.browse.cells import cell_text, full_text, short_count
from workbench.browse.fuzzy import match, rank
from workbench.browse.outline import ObjectRef, find, outline
from workbench.db import Connection
from workbench.db.catalog import Catalog, Enum, Function, Schema, Table, View


def catalog(n: int = 3) -> Catalog:
    tables = tuple(Table("public", f"t{i:05d}", row_estimate=i) for i in range(n))
    tables += (Table("public", "booking_orders"), Table("audit", "booking_log"))
    return Catalog(
        backend="postgresql",
        schemas=(Schema("public"), Schema("audit")),
        tables=tables,
        views=(View("public", "active_bookings"), View("public", "mv", materialized=True)),
        enums=(Enum("public", "booking_status", ("a",)),),
        functions=(Function("public", "book", "x integer", "void", "sql"),),
    )


def test_fuzzy_prefers_substrings_then_word_starts() -> None:
    assert match("bkord", "booking_orders") is not None
    assert match("xyz", "booking_orders") is None
    names = ["abooking", "booking_orders", "big_key_orders"]
    assert [n for n, _ in rank("book", names, key=str)][0] == "booking_orders"
    assert match("BO", "booking_orders").positions == (0, 1)
    assert match("bkord", "booking_orders").positions == (0, 3, 8, 9, 10)


def test_outline_groups_by_schema_and_kind_and_filters() -> None:
    groups = outline(catalog())
    assert [(g.schema, g.title) for g in groups] == [
        ("public", "Tables"),
        ("public", "Views"),
        ("public", "Materialized views"),
        ("public", "Enums"),
        ("public", "Functions"),
        ("audit", "Tables"),
    ]
    filtered = outline(catalog(), "booking")
    names = [e.ref.name for g in filtered for e in g.entries]
    assert names == ["booking_orders", "active_bookings", "booking_status", "book(x integer)", "booking_log"]
    assert outline(catalog(), "nothing-like-this") == []
    ref = ObjectRef("function", "public", "book(x integer)")
    assert find(catalog(), ref).name == "book"


def test_filtering_five_thousand_tables_stays_interactive() -> None:
    big = catalog(5000)
    start = time.process_time()  # CPU time: a busy machine must not fail the test
    for query in ("t", "t0", "t04", "t049", "t0499"):
        outline(big, query)
    assert (time.process_time() - start) / 5 < 0.25  # ~0.015 s typical; the bound catches an O(n²) slip


def test_cells_are_short_single_lines_and_full_text_is_whole() -> None:
    assert cell_text("a\nb") == "a⏎b"
    assert cell_text("x" * 100, width=10) == "x" * 9 + "…"
    assert cell_text(b"\x00\x01" * 100).startswith("200 Bytes: 00 01")
    assert full_text(None) == "NULL" and full_text(b"AB").startswith("00000000  41 42")
    assert full_text({"a": [1]}) == '{\n  "a": [\n    1\n  ]\n}'
    assert [short_count(n) for n in (950, 12_345, 4_500_000, 1_000_000_000)] == ["950", "12.3k", "4.5M", "1.0G"]


def test_a_timestamp_cell_reads_to_the_second_and_says_utc_but_the_full_text_keeps_everything() -> None:
    utc = dt.datetime(2026, 12, 7, 18, 44, 2, 123456, tzinfo=dt.UTC)
    assert cell_text(utc) == "2026-12-07 18:44:02 UTC"
    assert full_text(utc) == "2026-12-07 18:44:02.123456+00:00"  # the viewer and copying lose nothing
    paris = dt.datetime(2026, 12, 7, 19, 44, 2, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert cell_text(paris) == "2026-12-07 19:44:02+01:00"
    assert cell_text(dt.datetime(2026, 12, 7, 18, 44, 2, 500)) == "2026-12-07 18:44:02"  # no zone: none shown
    assert cell_text(dt.time(9, 30, 0, 250)) == "09:30:00"
    assert cell_text(dt.date(2026, 12, 7)) == "2026-12-07"


def test_the_connections_outline_gives_the_catalogs_groups(conn: Connection) -> None:
    conn.execute_script("""
        CREATE TABLE booking_orders (id integer PRIMARY KEY);
        CREATE TABLE booking_log (id integer PRIMARY KEY, note text);
        INSERT INTO booking_log VALUES (1, 'a'), (2, 'b');
        CREATE VIEW active_bookings AS SELECT id FROM booking_orders;
    """)
    names, catalog = conn.outline(), conn.introspect()
    assert outline(names) == outline(catalog)
    assert outline(names, "blog") == outline(catalog, "blog")
