"""Export streams a (filtered, sorted) table to CSV or JSON, with progress, and never leaves half a file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from workbench.browse.export import export
from workbench.browse.paging import Filter, Pager
from workbench.db import Connection
from workbench.db.catalog import Table
from workbench.errors import UsageError


def test_csv_export_writes_every_row_with_a_header_and_reports_progress(
    conn: Connection, items: Table, tmp_path: Path
) -> None:
    seen: list[tuple[int, int | None]] = []
    result = export(
        Pager(conn, items),
        tmp_path / "items.csv",
        total=1000,
        progress=lambda done, total: seen.append((done, total)),
        batch_size=300,
    )
    assert result.rows == 1000 and not result.stopped
    with (tmp_path / "items.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "grp", "label"]
    assert rows[1] == ["1", "1", "item 1"] and rows[10] == ["10", "3", ""]  # NULL is an empty field
    assert len(rows) == 1001
    assert [done for done, _ in seen] == [300, 600, 900, 1000] and seen[-1][1] == 1000


def test_json_export_follows_filter_and_sort(conn: Connection, items: Table, tmp_path: Path) -> None:
    pager = Pager(conn, items, order_by="id", descending=True, where=Filter("grp", "=", "0"))
    export(pager, tmp_path / "zeros.json")
    records = json.loads((tmp_path / "zeros.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == sorted((i for i in range(1, 1001) if i % 7 == 0), reverse=True)
    assert records[0] == {"id": 994, "grp": 0, "label": "item 994"}
    assert any(r["label"] is None for r in records)  # NULL stays null in JSON


def test_values_of_every_kind_export_readably(conn: Connection, tmp_path: Path) -> None:
    blob = "bytea" if conn.backend.name == "postgresql" else "blob"
    conn.execute(f"CREATE TABLE v (id integer PRIMARY KEY, b {blob}, n numeric(10, 2), t text)")
    conn.execute(
        "INSERT INTO v VALUES (1, " + conn.placeholder + ", 12.50, " + conn.placeholder + ")",
        (b"\x00\xffA", 'naïve, "quoted"\nline'),
    )
    table = conn.introspect().table("v", conn.default_schema)
    export(Pager(conn, table), tmp_path / "v.json")
    export(Pager(conn, table), tmp_path / "v.csv")
    record = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))[0]
    assert record["b"] == "00ff41" and record["t"] == 'naïve, "quoted"\nline'
    assert str(record["n"]) in ("12.5", "12.50")
    with (tmp_path / "v.csv").open(newline="", encoding="utf-8") as f:
        assert list(csv.reader(f))[1][1:] in (
            ["00ff41", "12.50", 'naïve, "quoted"\nline'],
            ["00ff41", "12.5", 'naïve, "quoted"\nline'],
        )


def test_stopping_an_export_leaves_no_file(conn: Connection, items: Table, tmp_path: Path) -> None:
    calls = iter(range(100))
    out = tmp_path / "out"
    out.mkdir()
    result = export(Pager(conn, items), out / "items.csv", batch_size=100, should_stop=lambda: next(calls) >= 3)
    assert result.stopped and result.rows == 300
    assert list(out.iterdir()) == []


def test_bad_targets_are_one_sentence_errors(conn: Connection, items: Table, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"\.csv or \.json"):
        export(Pager(conn, items), tmp_path / "items.xlsx")
    with pytest.raises(UsageError, match="does not exist"):
        export(Pager(conn, items), tmp_path / "missing" / "items.csv")
