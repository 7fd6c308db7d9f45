"""`migrate new NAME --from-diff TARGET`: up takes the migrations' schema to TARGET's, down takes
it back; applied elsewhere it gets the same backups as any migration, and its rollback leaves
that database exactly as before (judged by sqlite3 .dump / pg_dump)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import judge
from tests.conftest import create_pg_database, drop_pg_database, pg_url_for
from tests.diff.helpers import TWO_MIGRATIONS, write_project
from workbench.cli import main
from workbench.db import connect
from workbench.diff import diff_catalogs
from workbench.diff.sources import load_catalog
from workbench.project import load_project


@pytest.fixture
def prod_url(backend_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same backend as `backend_url`."""
    if backend_url.startswith("sqlite"):
        path = tmp_path / "prod.db"
        connect(str(path), options={"create": True}).close()
        yield f"sqlite:///{path}"
        return
    name = create_pg_database()
    try:
        yield pg_url_for(name)
    finally:
        drop_pg_database(name)


HAND_CHANGES = (
    "CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), total numeric)",
    "ALTER TABLE customers ADD COLUMN phone text",
    "DROP INDEX customers_email",
    "ALTER TABLE customers DROP COLUMN email",
)


def test_a_migration_from_the_diff_applies_with_backups_and_rolls_back_exactly(
    backend_url: str, prod_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_project(tmp_path, backend_url, TWO_MIGRATIONS, prod=prod_url)
    project = ["--project", str(tmp_path)]
    assert main(["migrate", "up", *project]) == 0
    assert main(["migrate", "up", "prod", *project]) == 0
    prod = connect(prod_url)
    prod.execute("INSERT INTO customers (id, name, email) VALUES (1, 'ann', 'ann@example.com'), (2, 'bob', NULL)")
    prod.close()
    dev = connect(backend_url)
    for sql in HAND_CHANGES:
        dev.execute(sql)
    dev.close()

    capsys.readouterr()
    assert main(["migrate", "new", "invoices and phones", "--from-diff", "db", *project]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {folder / '0003_invoices_and_phones.up.sql'}",
        f"wrote {folder / '0003_invoices_and_phones.down.sql'}",
    ]
    up = (folder / "0003_invoices_and_phones.up.sql").read_text()
    assert "invoices" in up and "phone" in up

    before = judge.snapshot(prod_url)
    assert main(["migrate", "up", "prod", *project]) == 0
    dev_catalog, dev_conn = load_catalog(backend_url, load_project(tmp_path))
    prod_catalog, prod_conn = load_catalog(prod_url, load_project(tmp_path))
    try:
        assert diff_catalogs(prod_catalog, dev_catalog, prod_conn).entries == ()  # prod now has dev's schema
    finally:
        dev_conn.close()
        prod_conn.close()
    capsys.readouterr()
    assert main(["migrate", "backups", "prod", *project, "--json"]) == 0
    taken = [
        (b["migration"], b["source"].rsplit(".", 1)[-1], b["row_count"])
        for b in json.loads(capsys.readouterr().out)["backups"]
    ]
    assert ("0003", "customers", 2) in taken  # the dropped column's values were copied first

    assert main(["migrate", "down", "prod", "--steps", "1", "--yes", *project]) == 0
    judge.assert_same(before, judge.snapshot(prod_url))


def test_nothing_to_write_is_refused_and_writes_nothing(
    backend_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_project(tmp_path, backend_url, TWO_MIGRATIONS)
    assert main(["migrate", "up", "--project", str(tmp_path)]) == 0
    files = sorted(p.name for p in folder.iterdir())
    capsys.readouterr()
    assert main(["migrate", "new", "nothing", "--from-diff", "db", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nothing to write: the migrations already produce the schema of" in err
    assert sorted(p.name for p in folder.iterdir()) == files
