"""`introspect_table` reads one table only, and describes it exactly as the whole catalog does
(the console's backups decide by its key, columns and types)."""

from __future__ import annotations

from workbench.db import Connection


def test_one_table_is_described_as_the_whole_catalog_describes_it(conn: Connection) -> None:
    conn.execute_script(
        "CREATE TABLE maker (id integer PRIMARY KEY, name text NOT NULL UNIQUE);"
        "CREATE TABLE gadget (id integer PRIMARY KEY, maker_id integer REFERENCES maker (id), "
        "code text NOT NULL, price numeric(8, 2) DEFAULT 0 CHECK (price >= 0), UNIQUE (maker_id, code));"
        "CREATE INDEX gadget_price ON gadget (price);"
        "CREATE VIEW cheap AS SELECT * FROM gadget WHERE price < 10;"
    )
    schema = conn.default_schema
    whole = conn.introspect([schema])
    for name in ("maker", "gadget"):
        alone = conn.introspect_table(schema, name)
        assert alone is not None and alone == whole.table(name, schema)
    assert conn.introspect_table(schema, "cheap") is None  # a view is not a table
    assert conn.introspect_table(schema, "missing") is None
