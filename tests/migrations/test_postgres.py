"""What only PostgreSQL has: sequences, enums, statements that cannot run in a transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.db import Connection, connect
from workbench.migrations.engine import Migrator
from workbench.migrations.ledger import Ledger
from tests.migrations.helpers import DATA, snapshot, write_files

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_url: str) -> Iterator[Connection]:
    conn = connect(pg_url)
    yield conn
    conn.close()


def test_rollback_puts_sequences_back_where_they_were(pg: Connection, tmp_path: Path) -> None:
    pg.execute_script((DATA / "refactor" / "postgres" / "base.sql").read_text())
    folder = write_files(
        tmp_path / "m", {"001.sql": (DATA / "refactor" / "postgres" / "001_mvp_refactor.sql").read_text()}
    )
    positions = "SELECT last_value FROM decisions_id_seq UNION ALL SELECT last_value FROM agent_state_snapshots_id_seq"
    before = pg.query(positions).rows
    mg = Migrator(pg, folder)
    assert mg.up().ok and mg.down(steps=1).ok
    assert pg.query(positions).rows == before == [(100,), (200,)]
    assert pg.query("INSERT INTO decisions (rationale) VALUES ('next') RETURNING id").scalar() == 101


def test_concurrent_index_runs_outside_the_transaction_and_is_recorded_honestly(pg: Connection, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_t.sql": "CREATE TABLE t (a integer);",
            "002_idx.sql": "CREATE INDEX CONCURRENTLY t_a ON t (a);\nINSERT INTO missing VALUES (1);",
        },
    )
    mg = Migrator(pg, folder)
    plan = mg.plan_up().migrations[1]
    assert plan.method == "partly outside a transaction"
    outcome = mg.up()
    assert outcome.done == ("001",) and outcome.failure.statement == 2
    entry = Ledger(pg).entries()["2"]
    assert (entry.outcome, entry.statements_run) == ("partial", 1)
    assert [i.name for i in pg.introspect().table("t").indexes] == ["t_a"]  # it stayed, and the ledger says so


def test_enum_values_added_without_down_script_cannot_be_taken_back(pg: Connection, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_mood.sql": "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE feel (m mood);",
            "002_more.sql": "ALTER TYPE mood ADD VALUE 'great';",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up().ok
    plan = mg.plan_down(steps=1).migrations[0]
    assert (
        plan.refusal
        == "enum public.mood has values it did not have before (great), and PostgreSQL cannot remove enum values"
    )


def test_backups_never_pin_a_type_a_later_migration_drops(pg: Connection, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_mood.sql": "CREATE TYPE mood AS ENUM ('ok', 'meh');\nCREATE TABLE feel (id serial PRIMARY KEY, m mood, ms mood[]);\n"
            "INSERT INTO feel (m, ms) VALUES ('ok', '{ok,meh}'), ('meh', NULL), (NULL, '{}');",
            "002_touch.sql": "UPDATE feel SET m = 'ok';",
            "003_gone.sql": "DROP TABLE feel;\nDROP TYPE mood;",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up(to="1").ok
    before = snapshot(pg)
    assert mg.up().ok
    assert pg.introspect().enum("mood") is None
    assert mg.down(to="1").ok
    assert before.differences(snapshot(pg)) == []


def test_an_opaque_do_block_backs_up_every_table_it_mentions(pg: Connection, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_t.sql": "CREATE TABLE accounts (id int PRIMARY KEY, balance int);\nINSERT INTO accounts VALUES (1, 10), (2, 20);",
            "002_do.sql": "DO $$ BEGIN UPDATE accounts SET balance = 0; DELETE FROM accounts WHERE id = 2; END $$;",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up(to="1").ok
    before = snapshot(pg)
    plan = mg.plan_up().migrations[0]
    assert [(s.action, s.table) for s in plan.steps if s.action == "backup"] == [("backup", "public.accounts")]
    assert any(f.code == "opaque" for f in plan.findings)
    assert mg.up().ok
    assert mg.down(steps=1).ok
    assert before.differences(snapshot(pg)) == []


def privileges(pg: Connection, table: str, role: str) -> list[str]:
    """What `role` may do with `table`, as PostgreSQL itself answers."""
    kinds = ("SELECT", "INSERT", "UPDATE", "DELETE")
    return [k for k in kinds if pg.query("SELECT has_table_privilege(%s, %s, %s)", (role, table, k)).scalar()]


def test_a_dropped_table_comes_back_with_its_owner_and_grants(pg: Connection, pg_role: str, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_accounts.sql": "CREATE TABLE accounts (id int PRIMARY KEY, balance int);\n"
            "INSERT INTO accounts VALUES (1, 10), (2, 20);\n"
            f"GRANT SELECT, UPDATE ON accounts TO {pg_role};\n"
            "GRANT SELECT ON accounts TO PUBLIC;\n"
            f"ALTER TABLE accounts OWNER TO {pg_role};",
            "002_drop.sql": "DROP TABLE accounts;",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up(to="1").ok
    before = snapshot(pg)
    assert mg.up().ok and mg.down(to="1").ok
    assert before.differences(snapshot(pg)) == []
    accounts = pg.introspect().table("accounts")
    assert accounts.owner == pg_role
    assert privileges(pg, "accounts", "public") == ["SELECT"]
    assert pg.query("SELECT count(*) FROM accounts").scalar() == 2


def test_rollback_takes_back_the_grants_a_migration_gave_and_returns_those_it_took(
    pg: Connection, pg_role: str, tmp_path: Path
) -> None:
    folder = write_files(
        tmp_path / "m",
        {
            "001_t.sql": f"CREATE TABLE t (id int PRIMARY KEY);\nGRANT SELECT ON t TO {pg_role};\n"
            f"CREATE VIEW v AS SELECT id FROM t;\nGRANT SELECT ON v TO {pg_role};",
            "002_grants.sql": f"GRANT INSERT, DELETE ON t TO {pg_role};\nREVOKE SELECT ON t FROM {pg_role};\n"
            f"GRANT UPDATE ON v TO {pg_role};",
            "003_view.sql": "DROP VIEW v;",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up().ok
    assert privileges(pg, "t", pg_role) == ["INSERT", "DELETE"]
    assert [m.refusal for m in mg.plan_down(to="1").migrations] == [None, None]
    assert mg.down(steps=1).ok
    assert privileges(pg, "v", pg_role) == ["SELECT", "UPDATE"], "the dropped view is back with its grants"
    assert mg.down(steps=1).ok
    assert privileges(pg, "t", pg_role) == ["SELECT"]
    assert privileges(pg, "v", pg_role) == ["SELECT"]


def test_sequences_come_back_with_their_grants(pg: Connection, pg_role: str, tmp_path: Path) -> None:
    """Inserts through a serial or identity column need USAGE on its sequence, so a rollback that
    recreates the table must give that back too, however it was granted."""
    folder = write_files(
        tmp_path / "m",
        {
            "001_tables.sql": "CREATE TABLE serials (id serial PRIMARY KEY, note text);\n"
            "CREATE TABLE identities (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, note text);\n"
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {pg_role};",
            "002_grant.sql": f"GRANT SELECT ON SEQUENCE serials_id_seq TO {pg_role};",
            "003_drop.sql": "DROP TABLE serials;\nDROP TABLE identities;",
        },
    )
    mg = Migrator(pg, folder)
    assert mg.up(to="1").ok
    before = snapshot(pg)

    def held(sequence: str) -> tuple[bool, bool]:
        sql = "SELECT has_sequence_privilege(%s, %s, 'USAGE'), has_sequence_privilege(%s, %s, 'SELECT')"
        return pg.query(sql, (pg_role, sequence, pg_role, sequence)).rows[0]

    assert mg.up().ok and mg.down(to="2").ok
    assert (held("serials_id_seq"), held("identities_id_seq")) == ((True, True), (True, False))
    assert mg.down(to="1").ok
    assert (held("serials_id_seq"), held("identities_id_seq")) == ((True, False), (True, False))
    assert before.differences(snapshot(pg)) == []


def test_a_rollback_that_cannot_give_a_table_back_to_its_owner_changes_nothing(
    pg: Connection, pg_url: str, pg_roles: Callable[[], str], tmp_path: Path
) -> None:
    """The migrating role may drop the table (it is a member of the owner) but not hand a new
    one to that owner (who may not create in the schema): the rollback says so and does nothing."""
    owner, migrator = pg_roles(), pg_roles()
    database = pg.query("SELECT current_database()").scalar()
    pg.execute_script(f"""
        GRANT {owner} TO {migrator};
        GRANT CREATE ON SCHEMA public TO {migrator};
        GRANT CREATE ON DATABASE "{database}" TO {migrator};
        CREATE TABLE accounts (id int PRIMARY KEY);
        INSERT INTO accounts VALUES (1);
        ALTER TABLE accounts OWNER TO {owner};
    """)
    pg.execute(f"SET ROLE {migrator}")
    mg = Migrator(pg, write_files(tmp_path / "m", {"001_drop.sql": "DROP TABLE accounts;"}))
    assert mg.up().ok
    outcome = mg.down(steps=1)
    pg.execute("RESET ROLE")
    assert outcome.failure is not None
    assert (
        "owner and grants of public.accounts as recorded: permission denied for schema public" in outcome.failure.error
    )
    assert pg.query("SELECT to_regclass('accounts')").scalar() is None, "nothing was half restored"
    assert Ledger(pg).entries()["1"].outcome == "applied"
