"""Other migration tools' ledger tables, created and filled exactly as each tool does.

Used to put a database in the state a years-long use of that tool leaves: its migrations ran
(their SQL executed as the tool runs it) and its own table says so, in its own format.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from workbench.db import Connection, connect
from workbench.migrations.discovery import Migration

PG = {
    "golang-migrate": "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty boolean not null)",
    "dbmate": "create table if not exists schema_migrations (version varchar(128) primary key)",
    "diesel": (
        "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, "
        "run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    ),
    "flyway": """CREATE TABLE "flyway_schema_history" (
    "installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL);
ALTER TABLE "flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");""",
    "prisma": """CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0);""",
    "drizzle": """CREATE SCHEMA IF NOT EXISTS "drizzle";
CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);""",
}
SQLITE = {
    "golang-migrate": (
        "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);\n"
        "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);"
    ),
    "dbmate": PG["dbmate"],
    "diesel": PG["diesel"],
    "flyway": """CREATE TABLE "flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL, "success" BOOLEAN NOT NULL);
CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");""",
    "prisma": """CREATE TABLE "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0);""",
    "drizzle": 'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
}
TABLES = {
    "golang-migrate": "schema_migrations",
    "dbmate": "schema_migrations",
    "diesel": "__diesel_schema_migrations",
    "flyway": "flyway_schema_history",
    "prisma": "_prisma_migrations",
}


def is_pg(conn: Connection) -> bool:
    return bool(conn.capabilities.schemas)


def table(conn: Connection, tool: str) -> str:
    return (
        '"drizzle"."__drizzle_migrations"'
        if tool == "drizzle" and is_pg(conn)
        else f'"{TABLES.get(tool, "__drizzle_migrations")}"'
    )


def create(conn: Connection, tool: str) -> None:
    conn.execute_script((PG if is_pg(conn) else SQLITE)[tool])


def run_as(conn: Connection, tool: str, migrations: Sequence[Migration], *, fail_last: bool = False) -> None:
    """Create `tool`'s table, run `migrations` and record each as `tool` does (the last one
    recorded dirty/failed instead when `fail_last`)."""
    create(conn, tool)
    for i, m in enumerate(migrations):
        failed = fail_last and i == len(migrations) - 1
        if not failed:
            conn.execute_script(m.up_sql)
        RECORD[tool](conn, m, i + 1, failed)


def _p(conn: Connection, n: int) -> str:
    return ", ".join([conn.placeholder] * n)


def _golang(conn: Connection, m: Migration, _rank: int, failed: bool) -> None:
    conn.execute("DELETE FROM schema_migrations")
    conn.execute(f"INSERT INTO schema_migrations (version, dirty) VALUES ({_p(conn, 2)})", (int(m.version), failed))


def _dbmate(conn: Connection, m: Migration, _rank: int, _failed: bool) -> None:
    conn.execute(f"INSERT INTO schema_migrations (version) VALUES ({_p(conn, 1)})", (m.version,))


def _diesel(conn: Connection, m: Migration, _rank: int, _failed: bool) -> None:
    conn.execute(f"INSERT INTO __diesel_schema_migrations (version) VALUES ({_p(conn, 1)})", (m.version,))


def flyway_crc(path: Path) -> int:
    crc = 0
    for line in path.read_text().splitlines():
        crc = zlib.crc32(line.encode(), crc)
    return crc - 2**32 if crc >= 2**31 else crc


def _flyway(conn: Connection, m: Migration, rank: int, failed: bool) -> None:
    on = datetime(2020, 1, rank, 12, 0, tzinfo=UTC)
    conn.execute(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
        f"installed_by, installed_on, execution_time, success) VALUES ({_p(conn, 10)})",
        (
            rank,
            None if m.repeatable else m.version,
            m.name.replace("_", " "),
            "SQL",
            m.path.name,
            flyway_crc(m.path),
            "alice",
            on.replace(tzinfo=None) if is_pg(conn) else on.strftime("%Y-%m-%d %H:%M:%S.000"),
            12,
            not failed,
        ),
    )


def _prisma(conn: Connection, m: Migration, rank: int, failed: bool) -> None:
    at = datetime(2021, 3, rank, 9, 30, tzinfo=UTC)
    stamp: object = at if is_pg(conn) else int(at.timestamp() * 1000)
    conn.execute(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, "
        f"started_at, applied_steps_count) VALUES ({_p(conn, 8)})",
        (
            str(uuid.uuid4()),
            hashlib.sha256(m.path.read_bytes()).hexdigest(),
            None if failed else stamp,
            m.path.parent.name,
            "Database error: relation missing" if failed else None,
            None,
            stamp,
            0 if failed else 1,
        ),
    )


def _drizzle(conn: Connection, m: Migration, _rank: int, _failed: bool) -> None:
    journal = json.loads((m.path.parent / "meta" / "_journal.json").read_text())
    when = next(e["when"] for e in journal["entries"] if e["tag"] == m.path.stem)
    conn.execute(
        f"INSERT INTO {table(conn, 'drizzle')} (hash, created_at) VALUES ({_p(conn, 2)})",
        (hashlib.sha256(m.path.read_bytes()).hexdigest(), when),
    )


RECORD = {
    "golang-migrate": _golang,
    "dbmate": _dbmate,
    "diesel": _diesel,
    "flyway": _flyway,
    "prisma": _prisma,
    "drizzle": _drizzle,
}


def applied_per_tool(conn: Connection, tool: str, migrations: Sequence[Migration]) -> list[str]:
    """The versions of `migrations` that `tool` itself would count as applied, from its table."""
    t = table(conn, tool)
    if tool == "golang-migrate":
        rows = conn.query(f"SELECT version, dirty FROM {t}").rows
        assert len(rows) <= 1 and not any(bool(r[1]) for r in rows), rows
        return [m.version for m in migrations if rows and int(m.version) <= int(rows[0][0])]
    if tool in ("dbmate", "diesel"):
        have = {str(r[0]) for r in conn.query(f"SELECT version FROM {t}").rows}
    elif tool == "flyway":
        have = {str(r[0]) for r in conn.query(f"SELECT version FROM {t} WHERE success").rows}
    elif tool == "prisma":
        sql = f"SELECT migration_name FROM {t} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"
        return [m.version for m in migrations if m.path.parent.name in {r[0] for r in conn.query(sql).rows}]
    else:
        newest = conn.query(f"SELECT MAX(created_at) FROM {t}").scalar()
        hashes = {r[0] for r in conn.query(f"SELECT hash FROM {t}").rows}
        journal = json.loads((migrations[0].path.parent / "meta" / "_journal.json").read_text())
        whens = {e["tag"]: e["when"] for e in journal["entries"]}
        return [
            m.version
            for m in migrations
            if newest is not None
            and whens[m.path.stem] <= int(newest)
            and hashlib.sha256(m.path.read_bytes()).hexdigest() in hashes
        ]
    return [m.version for m in migrations if m.version in have]


SQITCH_REGISTRY = """CREATE TABLE {s}projects (
    project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE,
    created_at {ts} NOT NULL DEFAULT {now},
    creator_name TEXT NOT NULL, creator_email TEXT NOT NULL);
CREATE TABLE {s}changes (
    change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL,
    project TEXT NOT NULL REFERENCES {s}projects(project) ON UPDATE CASCADE,
    note TEXT NOT NULL DEFAULT '', committed_at {ts} NOT NULL DEFAULT {now},
    committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
    planned_at {ts} NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL,
    UNIQUE (project, script_hash));"""


def sqitch_registry(conn: Connection) -> Connection:
    """sqitch's registry as `sqitch deploy` creates it: schema `sqitch` on PostgreSQL, the file
    `sqitch.db` beside the database on SQLite (the caller closes what it gets when not `conn`)."""
    if is_pg(conn):
        conn.execute_script(
            "CREATE SCHEMA sqitch;\n" + SQITCH_REGISTRY.format(s="sqitch.", ts="TIMESTAMPTZ", now="clock_timestamp()")
        )
        return conn
    main = next(r[2] for r in conn.query("PRAGMA database_list").rows if r[1] == "main")
    registry = connect(str(Path(main).parent / "sqitch.db"), options={"create": True})
    registry.execute_script(SQITCH_REGISTRY.format(s="", ts="DATETIME", now="(strftime('%Y-%m-%d %H:%M:%f'))"))
    return registry


def sqitch_deploy(conn: Connection, project: str, migrations: Sequence[Migration]) -> None:
    """`migrations` deployed and recorded in the registry as `sqitch deploy` records them."""
    registry = sqitch_registry(conn)
    try:
        registry.execute(
            f"INSERT INTO {'sqitch.' if registry is conn else ''}projects (project, creator_name, creator_email) "
            f"VALUES ({_p(conn, 3)})",
            (project, "Marge", "marge@example.com"),
        )
        for i, m in enumerate(migrations, 1):
            conn.execute_script(m.up_sql)
            at, planned = datetime(2019, 5, i, 8, 0, tzinfo=UTC), datetime(2019, 5, i, tzinfo=UTC)
            registry.execute(
                f"INSERT INTO {'sqitch.' if registry is conn else ''}changes (change_id, script_hash, change, project, "
                f"committed_at, committer_name, committer_email, planned_at, planner_name, planner_email) "
                f"VALUES ({_p(conn, 10)})",
                (
                    hashlib.sha1(f"{project}:{m.name}:{i}".encode()).hexdigest(),
                    hashlib.sha1(m.path.read_bytes()).hexdigest(),
                    m.name,
                    project,
                    at if is_pg(conn) else at.strftime("%Y-%m-%d %H:%M:%S.000"),
                    "Marge",
                    "marge@example.com",
                    planned if is_pg(conn) else planned.strftime("%Y-%m-%d %H:%M:%S.000"),
                    "Marge",
                    "marge@example.com",
                ),
            )
    finally:
        if registry is not conn:
            registry.close()
