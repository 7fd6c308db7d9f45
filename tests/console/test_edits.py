"""Inline edits on both backends: staged cells become parameterised UPDATEs, checked in a rolled-back
transaction, applied as one journaled change and undone; judged by the databases' own dumps."""

from __future__ import annotations

import pytest

from tests import judge
from workbench.console.edits import EditRejected, Edits, NotEditable, apply, check, edits_for
from workbench.console.journal import changes
from workbench.console.session import Console
from workbench.console.undo import undo
from workbench.db import Connection
from workbench.db.catalog import Table


def make_films(conn: Connection) -> Table:
    conn.execute("CREATE TABLE films (id integer PRIMARY KEY, title text NOT NULL, year integer, note text)")
    conn.execute(
        "INSERT INTO films (id, title, year, note) VALUES "
        "(1, 'Alien', 1979, NULL), (2, 'Heat', 1995, ''), (3, 'Ran', 1985, 'Kurosawa')"
    )
    table = conn.introspect().table("films", conn.default_schema)
    assert table is not None
    return table


def rows(conn: Connection) -> list[tuple[object, ...]]:
    return conn.query("SELECT id, title, year, note FROM films ORDER BY id").rows


def test_staged_cells_become_one_parameterised_update_per_row(conn: Connection) -> None:
    edits = edits_for(conn, make_films(conn))
    edits = edits.stage((2,), "title", "Heat (1995)", "Heat").stage((2,), "note", None, "")
    edits = edits.stage((1,), "year", "1980", 1979)
    updates = edits.updates(conn)
    mark, t = conn.placeholder, conn.qualify(conn.default_schema, "films")
    assert [u.sql for u in updates] == [
        f'UPDATE {t} SET "title" = {mark}, "note" = {mark} WHERE "id" = {mark}',
        f'UPDATE {t} SET "year" = {mark} WHERE "id" = {mark}',
    ]
    assert [u.params for u in updates] == [("Heat (1995)", None, 2), ("1980", 1)]
    assert edits.preview(conn).splitlines()[0].endswith("-- 'Heat (1995)', NULL, 2")


def test_setting_a_cell_back_to_what_it_was_unstages_it(conn: Connection) -> None:
    edits = edits_for(conn, make_films(conn)).stage((3,), "note", "x", "Kurosawa").stage((3,), "note", "Kurosawa", "x")
    assert edits.cells == ()
    nulled = edits.stage((1,), "note", "", None)  # the empty string is not NULL: a change
    assert nulled.cells[0].value == "" and nulled.stage((1,), "note", None, "").cells == ()


def test_a_table_whose_rows_cannot_be_told_apart_is_refused(conn: Connection) -> None:
    conn.execute("CREATE TABLE loose (a integer, b text)")
    table = conn.introspect().table("loose", conn.default_schema)
    assert table is not None
    if conn.backend.name == "sqlite":
        assert edits_for(conn, table).key_columns == ("rowid",)  # found by its implicit rowid
    else:
        with pytest.raises(NotEditable, match="no primary key or unique NOT NULL columns"):
            edits_for(conn, table)


def test_key_and_unknown_columns_are_refused_before_any_sql(conn: Connection) -> None:
    edits = edits_for(conn, make_films(conn))
    with pytest.raises(NotEditable, match="key each row is found by"):
        edits.stage((1,), "id", "7", 1)
    with pytest.raises(NotEditable, match="no column"):
        edits.stage((1,), "nope", "7", 1)


@pytest.mark.parametrize("value", ["abc", "", "12abc"])
def test_text_in_an_integer_column_is_refused_in_one_sentence_and_nothing_is_kept(
    conn: Connection, backend_url: str, value: str
) -> None:
    edits = edits_for(conn, make_films(conn)).stage((1,), "title", "Aliens", "Alien").stage((2,), "year", value, 1995)
    before = judge.snapshot(backend_url)
    with pytest.raises(EditRejected) as caught:
        check(conn, edits)
    message = str(caught.value)
    assert message.startswith("Row id=2, year: ") and "\n" not in message
    judge.assert_same(before, judge.snapshot(backend_url))


def test_check_converts_typed_text_without_keeping_it(conn: Connection, backend_url: str) -> None:
    edits = edits_for(conn, make_films(conn)).stage((1,), "year", " 1980", 1979).stage((2,), "note", None, "")
    before = judge.snapshot(backend_url)
    check(conn, edits)
    judge.assert_same(before, judge.snapshot(backend_url))


def test_a_row_deleted_since_it_was_shown_is_reported(conn: Connection) -> None:
    edits: Edits = edits_for(conn, make_films(conn)).stage((3,), "note", "gone", "Kurosawa")
    conn.execute("DELETE FROM films WHERE id = 3")
    with pytest.raises(EditRejected, match="Row id=3 is no longer in"):
        check(conn, edits)


def test_apply_is_one_journaled_change_and_undo_gives_every_row_back(conn: Connection, backend_url: str) -> None:
    edits = edits_for(conn, make_films(conn))
    edits = edits.stage((1,), "title", "Aliens", "Alien").stage((1,), "note", "", None)
    edits = edits.stage((2,), "note", None, "").stage((3,), "year", "1986", 1985)
    before = judge.snapshot(backend_url)
    record = apply(Console(conn), edits)
    assert rows(conn) == [(1, "Aliens", 1979, ""), (2, "Heat", 1995, None), (3, "Ran", 1986, "Kurosawa")]
    assert [c.id for c in changes(conn)] == [record.id] and record.rows == 3
    report = undo(conn, record.id)
    assert report.refused is None
    judge.assert_same(before, judge.snapshot(backend_url))


def test_a_refused_value_applies_nothing_and_journals_nothing(conn: Connection, backend_url: str) -> None:
    edits = (
        edits_for(conn, make_films(conn)).stage((1,), "title", "Aliens", "Alien").stage((3,), "year", "MCMLXXXV", 1985)
    )
    before = judge.snapshot(backend_url)
    with pytest.raises(EditRejected, match="Row id=3, year: "):
        apply(Console(conn), edits)
    judge.assert_same(before, judge.snapshot(backend_url))
    assert changes(conn) == []


def test_a_rowid_table_is_edited_and_undone_by_rowid(sqlite_url: str) -> None:
    from workbench.db import connect

    conn = connect(sqlite_url, options={"create": True})
    try:
        conn.execute("CREATE TABLE loose (a integer, b text)")
        conn.execute("INSERT INTO loose VALUES (1, 'x'), (1, 'x'), (2, 'y')")  # two rows alike but for their rowid
        table = conn.introspect().table("loose", conn.default_schema)
        assert table is not None
        before = judge.snapshot(sqlite_url)
        record = apply(Console(conn), edits_for(conn, table).stage((2,), "b", "changed", "x"))
        assert conn.query("SELECT rowid, a, b FROM loose ORDER BY rowid").rows == [
            (1, 1, "x"),
            (2, 1, "changed"),
            (3, 2, "y"),
        ]
        assert undo(conn, record.id).refused is None
        judge.assert_same(before, judge.snapshot(sqlite_url))
    finally:
        conn.close()


def test_edits_of_the_same_columns_in_many_rows_undo_exactly(conn: Connection, backend_url: str) -> None:
    edits = edits_for(conn, make_films(conn))
    for film in (1, 2, 3):  # the same UPDATE text three times, with other values
        edits = edits.stage((film,), "title", f"title {film}", None)
    before = judge.snapshot(backend_url)
    record = apply(Console(conn), edits)
    assert [r[1] for r in rows(conn)] == ["title 1", "title 2", "title 3"]
    assert undo(conn, record.id).refused is None
    judge.assert_same(before, judge.snapshot(backend_url))
