"""Shared test helpers: snapshots that prove the promise, migration folders, corpus preparation."""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbench.db import Connection
from workbench.db.catalog import Catalog, is_workbench_object
from workbench.db.catalog_diff import diff
from workbench.migrations.engine import Migrator
from tests import judge

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Snapshot:
    """Every user object's definition and every user table's content checksum."""

    catalog: Catalog
    checksums: dict[str, str]

    def differences(self, other: Snapshot) -> list[str]:
        """Empty when `other` holds the same schema and the same rows."""
        out = diff(self.catalog, other.catalog).describe()
        for table in sorted(self.checksums.keys() | other.checksums.keys()):
            if self.checksums.get(table) != other.checksums.get(table):
                out.append(f"rows of {table} differ")
        return out


def snapshot(conn: Connection) -> Snapshot:
    catalog = conn.introspect().without(is_workbench_object)
    return Snapshot(catalog, {t.qualified_name: conn.table_checksum(t.schema, t.name) for t in catalog.tables})


def write_files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def dialect(conn: Connection) -> str:
    """The folder name of this backend's variant in test data and corpus sets."""
    return "postgres" if conn.capabilities.schemas else "sqlite"


def register_corpus_functions(conn: Connection) -> None:
    """The app functions the corpus's SQLite migrations call (Authelia, Pocket ID register them)."""
    raw = getattr(conn, "raw", None)
    if raw is None or conn.capabilities.schemas:
        return
    raw.create_function("BIN2B64", 1, lambda b: None if b is None else base64.b64encode(bytes(b)).decode())
    raw.create_function("B642BIN", 1, lambda s: None if s is None else base64.b64decode(s))
    raw.create_function("normalize", 2, lambda s, form: None if s is None else unicodedata.normalize(form.upper(), s))


def river_folder(corpus: Path, conn: Connection, target: Path) -> Path:
    """River's files with its template marker replaced by nothing, as River does before running them."""
    source = corpus / "river-migrations" / dialect(conn)
    for path in source.glob("*.sql"):
        (target / path.name).write_text(path.read_text().replace("/* TEMPLATE: schema */", ""))
    return target


def judged_round_trip(url: str, mg: Migrator, to: str | None = None) -> Migrator:
    """Up (to `to`, default all), then down to 0, each through the engine as the CLI runs it;
    judged by the database's own dump (tests/judge.py): changed by the up, as before after the
    down. Returns the engine for further questions."""
    before = judge.snapshot(url)
    report = mg.up(to=to)
    assert report.ok, report.failure
    judge.assert_changed(before, judge.snapshot(url))
    report = mg.down(to="0")
    assert report.ok, report.failure
    judge.assert_same(before, judge.snapshot(url))
    return mg
