"""Generate the wide benchmark schema: N tables × 20 columns, each with a PK, an FK and two indexes.

On PostgreSQL it adds 50 enums, 100 functions, 100 triggers and 50 RLS policies, so every
object kind the catalog loads is present at scale.

    python -m benchmarks.wide_schema sqlite:///tmp/wide.db --tables 1000
    python -m benchmarks.wide_schema postgresql://postgres@127.0.0.1/wide --tables 1000
"""

from __future__ import annotations

import argparse

from workbench.db import Connection, connect

COLUMNS = 20


def table_name(i: int) -> str:
    return f"t{i:04d}"


# Tables per transaction: PostgreSQL's lock table (max_locks_per_transaction × connections) holds
# a few thousand relations, so 5,000 tables with their indexes do not fit in one.
CHUNK = 1000


def build(conn: Connection, tables: int, rows_per_table: int = 0) -> None:
    """Create the schema (and optionally a few rows per table), a transaction per 1,000 tables."""
    pg = conn.backend.name == "postgresql"
    statements: list[str] = []
    if pg:
        statements += [f"CREATE TYPE e{i:03d} AS ENUM ('a', 'b', 'c')" for i in range(50)]
    for i in range(tables):
        name = table_name(i)
        cols = ["id integer PRIMARY KEY", f"parent_id integer REFERENCES {table_name(max(i - 1, 0))} (id)"]
        cols += [f"c{j:02d} {'text' if j % 2 else 'integer'}" for j in range(COLUMNS - 2)]
        statements.append(f"CREATE TABLE {name} ({', '.join(cols)})")
        statements.append(f"CREATE INDEX {name}_parent ON {name} (parent_id)")
        statements.append(f"CREATE INDEX {name}_c01 ON {name} (c01, c02)")
        if rows_per_table:
            statements.append(
                f"INSERT INTO {name} (id, c00, c01) "
                + (
                    "SELECT g, g, 'v' || g FROM generate_series(1, {n}) g"
                    if pg
                    else "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) SELECT g, g, 'v' || g FROM s"
                ).format(n=rows_per_table)
            )
    if pg:
        for i in range(100):
            statements.append(
                f"CREATE FUNCTION f{i:03d}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$"
            )
            statements.append(
                f"CREATE TRIGGER tr{i:03d} BEFORE UPDATE ON {table_name(i % tables)} "
                f"FOR EACH ROW EXECUTE FUNCTION f{i:03d}()"
            )
        for i in range(50):
            name = table_name(i % tables)
            statements.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            statements.append(f"CREATE POLICY p{i:03d} ON {name} USING (c00 > 0)")
    per_table = 4 if rows_per_table else 3
    head = 50 if pg else 0
    step = CHUNK * per_table
    chunks = [statements[:head]] + [statements[head + i : head + i + step] for i in range(0, tables * per_table, step)]
    chunks[-1] += statements[head + tables * per_table :]
    for chunk in filter(None, chunks):
        with conn.transaction():
            conn.execute_script(";\n".join(chunk) + ";")
    if pg:
        conn.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=0, help="rows per table")
    args = parser.parse_args()
    conn = connect(args.url, options={"create": True})
    try:
        build(conn, args.tables, args.rows)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
