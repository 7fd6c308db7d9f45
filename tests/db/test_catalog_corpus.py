"""Catalog correctness on real databases nobody here wrote: Chinook (both backends) and Pagila."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.db import connect
from workbench.db.catalog import Catalog

pytestmark = pytest.mark.corpus

CHINOOK_TABLES = {
    "album": 347,
    "artist": 275,
    "customer": 59,
    "employee": 8,
    "genre": 25,
    "invoice": 412,
    "invoice_line": 2240,
    "media_type": 5,
    "playlist": 18,
    "playlist_track": 8715,
    "track": 3503,
}


def load(url: str) -> Catalog:
    conn = connect(url)
    try:
        return conn.introspect()
    finally:
        conn.close()


def test_chinook_sqlite_tables_keys_and_estimates(corpus: Path) -> None:
    catalog = load(str(corpus / "chinook" / "Chinook_Sqlite.sqlite"))
    names = {
        t.name.lower()
        .replace("invoiceline", "invoice_line")
        .replace("mediatype", "media_type")
        .replace("playlisttrack", "playlist_track")
        for t in catalog.tables
    }
    assert names == set(CHINOOK_TABLES)
    track = catalog.table("Track")
    assert track.column_names == (
        "TrackId",
        "Name",
        "AlbumId",
        "MediaTypeId",
        "GenreId",
        "Composer",
        "Milliseconds",
        "Bytes",
        "UnitPrice",
    )
    assert track.primary_key.columns == ("TrackId",) and track.primary_key.name == "PK_Track"
    assert {(fk.columns, fk.ref_table) for fk in track.foreign_keys} == {
        (("AlbumId",), "Album"),
        (("GenreId",), "Genre"),
        (("MediaTypeId",), "MediaType"),
    }
    assert track.row_estimate == 3503
    playlist_track = catalog.table("PlaylistTrack")
    assert playlist_track.primary_key.columns == ("PlaylistId", "TrackId")
    assert {ix.name for ix in playlist_track.indexes} >= {"IFK_PlaylistTrackTrackId"}
    incoming = {(t.name, fk.columns) for t, fk in catalog.referencing(catalog.table("Album"))}
    assert incoming == {("Track", ("AlbumId",))}
    employee = catalog.table("Employee")
    assert [fk.ref_table for fk in employee.foreign_keys] == ["Employee"]  # self-reference


@pytest.mark.postgres
def test_chinook_postgres_matches_the_script(chinook_pg_url: str) -> None:
    catalog = load(chinook_pg_url)
    assert {t.name for t in catalog.tables} == set(CHINOOK_TABLES)
    track = catalog.table("track")
    assert track.column("unit_price").data_type == "numeric(10,2)"
    assert track.column("name").data_type == "character varying(200)"
    assert not track.column("name").nullable
    fk = next(fk for fk in track.foreign_keys if fk.ref_table == "album")
    assert fk.columns == ("album_id",) and fk.ref_columns == ("album_id",)
    assert fk.on_delete == "NO ACTION"
    assert {t.name: t.row_estimate for t in catalog.tables}["invoice_line"] in range(2000, 2500)


@pytest.mark.postgres
def test_pagila_every_object_kind(pagila_url: str) -> None:
    catalog = load(pagila_url)
    assert len(catalog.tables) == 22
    assert len([t for t in catalog.tables if t.partition_of == "public.payment"]) == 7
    payment = catalog.table("payment")
    assert payment.kind == "partitioned table" and payment.partition_key == "RANGE (payment_date)"
    assert payment.row_estimate == 16049
    jan = catalog.table("payment_p2022_01")
    assert "2022-01-01" in jan.partition_bound
    assert [e.values for e in catalog.enums if e.name == "mpaa_rating"] == [("G", "PG", "PG-13", "R", "NC-17")]
    assert {d.name for d in catalog.domains} == {"year", "bıgınt"}
    year = next(d for d in catalog.domains if d.name == "year")
    assert year.base_type == "integer" and "1901" in year.checks[0].expression
    assert len(catalog.views) == 8
    assert [v.name for v in catalog.views if v.materialized] == ["rental_by_category"]
    assert next(v for v in catalog.views if v.materialized).indexes
    assert len(catalog.functions) == 10
    assert {f.kind for f in catalog.functions if f.name == "group_concat"} == {"aggregate"}
    film_in_stock = next(f for f in catalog.functions if f.name == "film_in_stock")
    assert film_in_stock.language == "sql" and "p_film_id integer" in film_in_stock.arguments
    assert len(catalog.triggers) == 15
    film = catalog.table("film")
    fulltext = next(t for t in film.triggers if t.name == "film_fulltext_trigger")
    assert fulltext.timing == "BEFORE" and fulltext.events == ("INSERT", "UPDATE") and fulltext.level == "ROW"
    assert film.column("rating").data_type == "mpaa_rating"
    assert film.column("special_features").data_type == "text[]"
    assert film.column("film_id").default == "nextval('film_film_id_seq'::regclass)"
    assert len(catalog.sequences) == 13
    assert sum(len(t.foreign_keys) for t in catalog.tables) == 36
    assert sum(len(t.indexes) for t in catalog.tables) + sum(len(v.indexes) for v in catalog.views) == 56
    customer = catalog.table("customer")
    fk = next(fk for fk in customer.foreign_keys if fk.ref_table == "address")
    assert (fk.on_update, fk.on_delete) == ("CASCADE", "RESTRICT")
    assert {ix.name for ix in film.indexes if ix.method == "gist"} == {"film_fulltext_idx"}
