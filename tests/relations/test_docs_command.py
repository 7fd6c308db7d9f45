"""`workbench docs`: a page per table plus an index, stable across runs, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.relations.test_er_command import SCHEMA
from tests.test_cli_inspect import run_cli
from workbench.db import connect
from workbench.db.catalog import Table
from workbench.relations.docs import page_name


def docs(url: str, out: Path) -> str:
    done = run_cli("docs", url, "--output", str(out))
    assert done.returncode == 0, done.stderr
    return done.stderr


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir())}


def test_a_page_per_table_with_keys_both_ways_and_an_index_with_the_diagram(backend_url: str, tmp_path: Path) -> None:
    conn = connect(backend_url)
    try:
        conn.execute_script(SCHEMA)
        schema = conn.default_schema
    finally:
        conn.close()
    out = tmp_path / "schema-docs"
    assert "6 pages written, 0 unchanged" in docs(backend_url, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["index.md"] + sorted(
        f"{schema}.{t}.md" for t in ("categories", "customers", "line_notes", "order_lines", "orders")
    )
    index = (out / "index.md").read_text()
    assert "```mermaid\nerDiagram\n" in index and "5 tables, 4 foreign keys" in index
    assert f"| [{schema}.orders]({schema}.orders.md) | 3 |" in index
    orders = (out / f"{schema}.orders.md").read_text()
    assert f"# {schema}.orders" in orders
    assert "## Columns" in orders and "| 2 | customer_id |" in orders
    assert f"| customer_id | [{schema}.customers]({schema}.customers.md) | id | CASCADE |" in orders  # references
    assert f"| [{schema}.order_lines]({schema}.order_lines.md) | order_id | id | CASCADE |" in orders  # referenced by
    relations = orders.split("## Relations", 1)[1]
    assert "customers" in relations and "order_lines" in relations and "line_notes" not in relations
    assert "workbench_ledger" not in "".join(names) + index


def test_running_again_on_an_unchanged_schema_touches_no_file(sqlite_url: str, tmp_path: Path) -> None:
    conn = connect(sqlite_url)
    conn.execute_script(SCHEMA)
    out = tmp_path / "d"
    docs(sqlite_url, out)
    (out / "README.md").write_text("my own notes\n")
    before = snapshot(out)
    assert "0 pages written, 6 unchanged" in docs(sqlite_url, out)
    assert snapshot(out) == before
    # a dropped table's page goes; a changed table's page is rewritten; the user's file stays
    conn.execute_script("DROP TABLE line_notes; ALTER TABLE customers ADD COLUMN phone text;")
    conn.close()
    assert "removed" in docs(sqlite_url, out)
    after = snapshot(out)
    assert "main.line_notes.md" not in after and after["README.md"] == before["README.md"]
    assert after["main.customers.md"] != before["main.customers.md"] and "phone" in after["main.customers.md"][1]
    assert after["main.categories.md"] == before["main.categories.md"]


@pytest.mark.postgres
def test_postgres_pages_show_triggers_policies_comments_and_other_schemas(pg_url: str, tmp_path: Path) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script("""
            CREATE SCHEMA billing;
            CREATE TABLE billing.accounts (id integer PRIMARY KEY, owner text);
            COMMENT ON TABLE billing.accounts IS 'One row per customer account';
            COMMENT ON COLUMN billing.accounts.owner IS 'who pays';
            CREATE TABLE public.invoices (id integer PRIMARY KEY,
                account_id integer REFERENCES billing.accounts (id) ON DELETE RESTRICT);
            ALTER TABLE billing.accounts ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own_rows ON billing.accounts USING (owner = current_user);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER accounts_touch BEFORE UPDATE ON billing.accounts FOR EACH ROW EXECUTE FUNCTION touch();
        """)
    finally:
        conn.close()
    out = tmp_path / "d"
    docs(pg_url, out)
    page = (out / "billing.accounts.md").read_text()
    assert "One row per customer account" in page and "who pays" in page
    assert "## Triggers" in page and "accounts_touch" in page
    assert "## Policies" in page and "own_rows" in page and "Row-level security is on." in page
    assert "| [public.invoices](public.invoices.md) | account_id | id | RESTRICT |" in page
    assert '"billing.accounts" |o--o{ "public.invoices"' in page


def test_page_names_are_safe_distinct_and_stable() -> None:
    assert page_name(Table("public", "orders")) == "public.orders.md"
    odd = page_name(Table("sales dept", 'a/b"c~'))
    assert odd == "sales~20dept.a~2Fb~22c~7E.md"
    assert page_name(Table("s", "a b")) != page_name(Table("s", "a~20b"))
    assert page_name(Table("s", "Zürich")) == "s.Z~C3~BCrich.md"


def test_a_growing_table_leaves_its_page_alone_until_its_size_changes_noticeably() -> None:
    from workbench.db.catalog import Catalog
    from workbench.relations.docs import pages

    def docs_for(rows: int) -> dict[str, str]:
        return pages(Catalog("sqlite", tables=(Table("main", "events", row_estimate=rows),)))

    assert docs_for(20_345) == docs_for(20_412)
    assert "Rows: ≈ 20,000 (the database's estimate)." in docs_for(20_345)["main.events.md"]
    assert docs_for(20_345) != docs_for(26_000)
    assert "Rows: ≈ 42 " in docs_for(42)["main.events.md"]
