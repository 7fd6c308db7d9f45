"""Round trips judged by the databases' own tools: `migrate up`, then `migrate down` to 0, and
`pg_dump` / `sqlite3 .dump` (with rows, sequence positions and rowids) must read exactly as
before. Our own catalog, diff and checksums play no part in the verdict (tests/judge.py), so a
property our catalog does not read cannot come back wrong unseen.

Each case first proves that its migration changed something the judge sees.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests import judge
from tests.migrations.helpers import DATA, dialect, register_corpus_functions, river_folder, write_files
from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator


def round_trip(url: str, conn: Connection, migrations: Path, to: str | None = None) -> None:
    """Up (to `to`, default all), then down to 0, each through the engine as the CLI runs it;
    judged before and after."""
    before = judge.snapshot(url)
    mg = Migrator(conn, migrations)
    outcome = mg.up(to=to)
    assert outcome.ok, outcome.failure
    judge.assert_changed(before, judge.snapshot(url))
    outcome = mg.down(to="0")
    assert outcome.ok, outcome.failure
    judge.assert_same(before, judge.snapshot(url))


# -- the judge itself -------------------------------------------------------------------------


def test_the_judge_ignores_row_order_and_the_workbenchs_own_objects(backend_url: str, conn: Connection) -> None:
    conn.execute_script("CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');")
    before = judge.snapshot(backend_url)
    assert judge.differences(before, judge.snapshot(backend_url)) == []  # dump headers, per-run keys
    own = (
        "CREATE SCHEMA workbench; CREATE TABLE workbench.ledger (x integer);"
        if dialect(conn) == "postgres"
        else "CREATE TABLE workbench_ledger (x integer PRIMARY KEY); INSERT INTO workbench_ledger VALUES (7);"
    )
    conn.execute_script(own + "DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (1, 'a');")
    judge.assert_same(before, judge.snapshot(backend_url))


def test_the_judge_sees_a_value_a_rowid_and_a_sequence_position(backend_url: str, conn: Connection) -> None:
    serial = "serial" if dialect(conn) == "postgres" else "integer PRIMARY KEY AUTOINCREMENT"
    conn.execute_script(
        f"CREATE TABLE t (id {serial}, v text); CREATE TABLE r (v text);"
        "INSERT INTO t (v) VALUES ('a'), ('b'); INSERT INTO r VALUES ('x'), ('y'), ('z');"
    )
    before = judge.snapshot(backend_url)
    conn.execute("UPDATE t SET v = 'c' WHERE v = 'b'")
    assert "-" in "".join(judge.differences(before, judge.snapshot(backend_url)))
    conn.execute("UPDATE t SET v = 'b' WHERE v = 'c'")
    conn.execute_script("INSERT INTO t (v) VALUES ('gone'); DELETE FROM t WHERE v = 'gone';")  # the counter moved
    assert judge.differences(before, judge.snapshot(backend_url))
    if dialect(conn) == "sqlite":  # same rows, other rowids: a table without INTEGER PRIMARY KEY renumbered
        middle = judge.snapshot(backend_url)
        conn.execute_script("DELETE FROM r WHERE v = 'x'; INSERT INTO r VALUES ('x');")
        assert judge.differences(middle, judge.snapshot(backend_url))


# -- the fixtures the promise tests use ------------------------------------------------------


def test_refactor_fixture_round_trip(backend_url: str, conn: Connection, tmp_path: Path) -> None:
    data = DATA / "refactor" / dialect(conn)
    conn.execute_script((data / "base.sql").read_text())
    folder = write_files(tmp_path / "migrations", {"001_mvp_refactor.sql": (data / "001_mvp_refactor.sql").read_text()})
    round_trip(backend_url, conn, folder)


def test_booking_sample_round_trip(sqlite_url: str) -> None:
    """The sample's destructive clean-up restores tables from backups: their `sqlite_stat1` rows
    (the sample is ANALYZEd) come back with them."""
    booking = Path(__file__).resolve().parents[2] / "sample_dbs" / "booking"
    conn = connect(sqlite_url)
    conn.execute_script((booking / "schema.sql").read_text())
    round_trip(sqlite_url, conn, booking / "migrations")
    conn.close()


# -- PostgreSQL: each property pg_dump prints, changed by a migration ------------------------

BASE_PG = """
CREATE TABLE t (id serial PRIMARY KEY, body text, n integer CONSTRAINT n_positive CHECK (n > 0), amount numeric(10, 2));
CREATE INDEX t_n ON t (n);
CREATE UNIQUE INDEX t_body ON t (body);
ALTER TABLE t ALTER COLUMN body SET NOT NULL;
INSERT INTO t (body, n, amount) SELECT 'row ' || g, g, g / 3.0 FROM generate_series(1, 20) g;
CREATE TABLE child (id integer PRIMARY KEY, t_id integer REFERENCES t (id));
INSERT INTO child SELECT g, g FROM generate_series(1, 5) g;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE lines (line text);
CREATE TABLE log_lines (line text, at timestamp);
CREATE TABLE tally (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, m mood);
INSERT INTO tally (m) VALUES ('calm'), ('busy');
CREATE VIEW big AS SELECT id, n FROM t WHERE n > 10;
"""

# Each: what the migration does (no down script). {role} is a role made for the test.
PROPERTY_CHANGES = {
    "fillfactor": "ALTER TABLE t SET (fillfactor = 70, toast.autovacuum_enabled = false);",
    "statistics": "ALTER TABLE t ALTER COLUMN n SET STATISTICS 500;",
    # numeric's own storage is main, text's extended: both must come back to their type's own
    "storage": "ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL; ALTER TABLE t ALTER COLUMN amount SET STORAGE EXTENDED;",
    "compression": "ALTER TABLE t ALTER COLUMN body SET COMPRESSION pglz;",
    "replica identity": "ALTER TABLE t REPLICA IDENTITY USING INDEX t_body;",
    "column grants": "GRANT SELECT (n), UPDATE (body) ON t TO {role};",
    "comments": "COMMENT ON CONSTRAINT n_positive ON t IS 'positive'; COMMENT ON INDEX t_n IS 'by n';"
    " COMMENT ON SEQUENCE t_id_seq IS 'ids'; COMMENT ON SCHEMA public IS 'the public schema';",
    "owner": "ALTER TABLE t OWNER TO {role};",
    "cluster": "ALTER TABLE t CLUSTER ON t_n;",
    "sequence options": "ALTER SEQUENCE t_id_seq CACHE 10 CYCLE MAXVALUE 1000000;",
    "not valid": "ALTER TABLE child DROP CONSTRAINT child_t_id_fkey;"
    " ALTER TABLE child ADD CONSTRAINT child_t_id_fkey FOREIGN KEY (t_id) REFERENCES t (id) NOT VALID;",
    "deferrable": "ALTER TABLE child ALTER CONSTRAINT child_t_id_fkey DEFERRABLE INITIALLY DEFERRED;",
    "unlogged": "ALTER TABLE log_lines SET UNLOGGED;",
    "inheritance": "ALTER TABLE log_lines INHERIT lines;",
    "trigger firing": "ALTER TABLE t ENABLE REPLICA TRIGGER t_touch; COMMENT ON TRIGGER t_touch ON t IS 'touch';",
    "row security": "ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;"
    " CREATE POLICY small ON t USING (n < 10); COMMENT ON POLICY small ON t IS 'small ones';",
    "identity options": "ALTER TABLE tally ALTER COLUMN id SET MAXVALUE 1000 SET CACHE 5;",
    "view options": "ALTER VIEW big SET (security_barrier = true); COMMENT ON VIEW big IS 'big ones';"
    " GRANT SELECT (n) ON big TO {role};",
    "function and type": "ALTER FUNCTION touch() OWNER TO {role}; COMMENT ON FUNCTION touch() IS 'touches';"
    " ALTER TYPE mood OWNER TO {role}; COMMENT ON TYPE mood IS 'moods';",
}

# The same properties already on the table, which the migration then drops: they come back
# with the table, from its backup and its recorded definition.
EVERY_PROPERTY = """
ALTER TABLE t SET (fillfactor = 70, toast.autovacuum_enabled = false);
ALTER TABLE t ALTER COLUMN n SET STATISTICS 500;
ALTER TABLE t ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE t ALTER COLUMN body SET COMPRESSION pglz;
ALTER TABLE t REPLICA IDENTITY USING INDEX t_body;
ALTER TABLE t CLUSTER ON t_n;
GRANT SELECT (n), UPDATE (body) ON t TO {role};
GRANT SELECT ON t TO {role};
COMMENT ON TABLE t IS 'the table';
COMMENT ON COLUMN t.n IS 'a number';
COMMENT ON CONSTRAINT n_positive ON t IS 'positive';
COMMENT ON CONSTRAINT child_t_id_fkey ON child IS 'to t';
COMMENT ON INDEX t_n IS 'by n';
ALTER SEQUENCE t_id_seq CACHE 10;
COMMENT ON SEQUENCE t_id_seq IS 'ids';
ALTER TABLE t ADD CONSTRAINT n_small CHECK (n < 1000) NOT VALID;
ALTER TABLE t ENABLE ALWAYS TRIGGER t_touch;
COMMENT ON TRIGGER t_touch ON t IS 'touch';
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY small ON t USING (n < 10);
COMMENT ON POLICY small ON t IS 'small ones';
ALTER VIEW big SET (security_barrier = true);
COMMENT ON VIEW big IS 'big ones';
ALTER TABLE t OWNER TO {role};
"""


def pg_case(pg_url: str, role: str, tmp_path: Path, base: str, files: dict[str, str]) -> None:
    conn = connect(pg_url)
    try:
        conn.execute_script((BASE_PG + base).format(role=role))
        folder = write_files(tmp_path / "migrations", {n: text.format(role=role) for n, text in files.items()})
        round_trip(pg_url, conn, folder)
    finally:
        conn.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")  # so that the role can go
        conn.close()


@pytest.mark.postgres
@pytest.mark.parametrize("change", list(PROPERTY_CHANGES))
def test_a_property_changed_without_down_script_is_put_back(
    change: str, pg_url: str, pg_role: str, tmp_path: Path
) -> None:
    pg_case(pg_url, pg_role, tmp_path, "", {"001_change.sql": PROPERTY_CHANGES[change]})


@pytest.mark.postgres
def test_a_down_script_that_forgets_properties_is_completed(pg_url: str, pg_role: str, tmp_path: Path) -> None:
    up = " ".join(PROPERTY_CHANGES[c] for c in ("fillfactor", "statistics", "storage", "column grants", "owner"))
    down = "ALTER TABLE t RESET (fillfactor); ALTER TABLE t ALTER COLUMN n SET STATISTICS -1;"
    pg_case(pg_url, pg_role, tmp_path, "", {"001_change.up.sql": up, "001_change.down.sql": down})


@pytest.mark.postgres
def test_a_dropped_table_comes_back_with_every_property(pg_url: str, pg_role: str, tmp_path: Path) -> None:
    pg_case(pg_url, pg_role, tmp_path, EVERY_PROPERTY, {"001_drop.sql": "DROP TABLE child; DROP TABLE t CASCADE;"})


@pytest.mark.postgres
def test_a_rebuilt_table_comes_back_with_every_property(pg_url: str, pg_role: str, tmp_path: Path) -> None:
    """A column's type changes: the table is recreated from its backup, not altered in place."""
    retype = "ALTER TABLE t ALTER COLUMN amount TYPE numeric(12, 2);"
    pg_case(pg_url, pg_role, tmp_path, EVERY_PROPERTY, {"001_retype.sql": retype})


# -- SQLite: the database's own CREATE text ----------------------------------------------------

BASE_SQLITE = """
CREATE TABLE artist ( ArtistId INTEGER  NOT NULL, Name NVARCHAR(120),
    CONSTRAINT PK_Artist PRIMARY KEY  (ArtistId) );
CREATE TABLE album (
    AlbumId INTEGER NOT NULL, -- the key
    Title NVARCHAR(160) NOT NULL,
    ArtistId INTEGER NOT NULL,
    CONSTRAINT PK_Album PRIMARY KEY (AlbumId),
    FOREIGN KEY (ArtistId) REFERENCES artist (ArtistId) ON DELETE NO ACTION ON UPDATE NO ACTION
);
CREATE INDEX IFK_AlbumArtistId ON album (ArtistId);
CREATE TABLE note (body text, at   integer);
INSERT INTO artist VALUES (1, 'AC/DC'), (2, 'Accept');
INSERT INTO album VALUES (1, 'For Those About To Rock', 1), (2, 'Balls to the Wall', 2);
INSERT INTO note VALUES ('a', 1), ('b', 2), ('c', 3);
DELETE FROM note WHERE body = 'a';
"""

SQLITE_CHANGES = {
    "dropped table": "DROP TABLE album;",
    "added column": "ALTER TABLE album ADD COLUMN Year integer;",
    "renamed table": "ALTER TABLE artist RENAME TO performer;",
    "rowid table rebuilt": "ALTER TABLE note ADD COLUMN extra text;",
}


@pytest.mark.parametrize("change", list(SQLITE_CHANGES))
def test_sqlite_tables_come_back_with_their_own_text(change: str, sqlite_url: str, tmp_path: Path) -> None:
    conn = connect(sqlite_url)
    try:
        conn.execute_script(BASE_SQLITE)
        round_trip(sqlite_url, conn, write_files(tmp_path / "migrations", {"001_change.sql": SQLITE_CHANGES[change]}))
    finally:
        conn.close()


@pytest.mark.corpus
def test_chinook_tables_come_back_with_their_own_text(sqlite_url: str, corpus: Path, tmp_path: Path) -> None:
    """Chinook's file as published, `ON DELETE NO ACTION` and all."""
    from tests.corpus_loaders import chinook_sqlite_copy

    url = f"sqlite:///{chinook_sqlite_copy(corpus, tmp_path)}"
    conn = connect(url)
    try:
        change = (
            "DROP TABLE PlaylistTrack; ALTER TABLE Album ADD COLUMN Year integer; DELETE FROM Genre WHERE GenreId > 20;"
        )
        round_trip(url, conn, write_files(tmp_path / "migrations", {"001_change.sql": change}))
    finally:
        conn.close()


# -- the corpus migration sets ---------------------------------------------------------------

CorpusFolder = Callable[[Path, Connection, Path], Path]


def _plain_folder(name: str) -> CorpusFolder:
    return lambda corpus, conn, target: corpus / f"{name}-migrations" / dialect(conn)


CORPUS_SETS: dict[str, CorpusFolder] = {
    "authelia": _plain_folder("authelia"),
    "pocket-id": _plain_folder("pocket-id"),
    "river": river_folder,
}
CORPUS_CASES = [
    ("authelia", "postgresql"),
    ("authelia", "sqlite"),
    ("river", "postgresql"),
    ("river", "sqlite"),
    ("pocket-id", "postgresql"),
    ("pocket-id", "sqlite"),
]


def _newest_supported(name: str, conn: Connection) -> str | None:
    """River's 007 needs SQLite 3.45 (jsonb()); an older SQLite goes up to 006 only."""
    if name == "river" and dialect(conn) == "sqlite":
        version = tuple(int(p) for p in str(conn.query("SELECT sqlite_version()").scalar()).split("."))
        return None if version >= (3, 45) else "006"
    return None


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize(
    "name, backend",
    [
        pytest.param(
            name, backend, marks=[pytest.mark.postgres] if backend == "postgresql" else [], id=f"{backend}-{name}"
        )
        for name, backend in CORPUS_CASES
    ],
)
def test_corpus_set_round_trip(
    name: str, backend: str, request: pytest.FixtureRequest, corpus: Path, tmp_path: Path
) -> None:
    url = request.getfixturevalue("pg_url" if backend == "postgresql" else "sqlite_url")
    conn = connect(url)
    try:
        register_corpus_functions(conn)
        round_trip(url, conn, CORPUS_SETS[name](corpus, conn, tmp_path), to=_newest_supported(name, conn))
    finally:
        conn.close()
