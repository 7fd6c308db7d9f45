"""Change capture in SQL, per backend: the triggers that note which rows were written.

The capture is deliberately lean. At install, the keys the table holds are copied once (the
snapshot); after that, triggers note only the key of each row an UPDATE or DELETE touched (an
UPDATE that moves a key notes both keys). INSERTs need no trigger at all: a key the table holds
at rollback time but the snapshot does not was inserted since, and a key deleted and inserted
again is in the log through its DELETE. The net effect per key needs nothing more, because the
row's final state is still in the captured table when a rollback starts: present means "upsert
this", absent means "delete this" (see `changed_keys`).

- SQLite: AFTER row triggers doing one `INSERT INTO log VALUES (OLD.key)`.
- PostgreSQL: statement-level AFTER triggers with a transition table (`REFERENCING OLD TABLE`),
  whose function copies the keys in one set-based INSERT, so a bulk UPDATE costs one call; a key
  moved by an UPDATE is caught by a row-level trigger whose WHEN is checked without a call.

Branches follow the `schemas` capability (PostgreSQL-style functions live in the workbench's
schema), as elsewhere in `db/`.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.db.base import Connection

TRIGGER_PREFIX = "workbench_capture"
_OPS = ("update", "delete", "moved")


def trigger_name(capture_id: int, op: str) -> str:
    """One trigger's name; starts with `workbench_` so catalogs and dumps leave it out."""
    return f"{TRIGGER_PREFIX}_{capture_id}_{op}"


def create_log(conn: Connection, table: str, log: str, snapshot: str, keys: Sequence[str]) -> list[str]:
    """The log table (qualified `log`): the key columns of `table`, with their types, no rows;
    and the snapshot of the keys `table` holds now."""
    cols = ", ".join(conn.quote(k) for k in keys)
    return [
        f"CREATE TABLE {log} AS SELECT {cols} FROM {table} WHERE 1 = 0",
        f"CREATE TABLE {snapshot} AS SELECT {cols} FROM {table}",
    ]


def changed_keys(conn: Connection, table: str, log: str, snapshot: str, keys: Sequence[str]) -> str:
    """A query of every key written since the install, once each: noted by an UPDATE or DELETE,
    held now but not then (inserted), or held then but not now (deleted)."""
    cols = ", ".join(conn.quote(k) for k in keys)
    row = f"({cols})" if len(keys) > 1 else cols
    return (
        f"SELECT {cols} FROM {log} UNION SELECT {cols} FROM {table} WHERE {row} NOT IN (SELECT {cols} FROM {snapshot}) "
        f"UNION SELECT {cols} FROM {snapshot} WHERE {row} NOT IN (SELECT {cols} FROM {table})"
    )


def install(
    conn: Connection, table: str, log: str, function: str | None, capture_id: int, keys: Sequence[str]
) -> list[str]:
    """Statements that start capturing writes to `table` (qualified) into `log` (qualified);
    `function` (qualified) is the trigger function PostgreSQL needs."""
    cols = ", ".join(conn.quote(k) for k in keys)
    new = ", ".join(f"NEW.{conn.quote(k)}" for k in keys)
    old = ", ".join(f"OLD.{conn.quote(k)}" for k in keys)
    moved = " OR ".join(f"OLD.{conn.quote(k)} IS DISTINCT FROM NEW.{conn.quote(k)}" for k in keys)
    if conn.capabilities.schemas:
        assert function is not None
        body = (
            "BEGIN\n"
            f"  IF TG_LEVEL = 'ROW' THEN INSERT INTO {log} ({cols}) VALUES ({new});\n"
            f"  ELSE INSERT INTO {log} ({cols}) SELECT {cols} FROM workbench_old;\n"
            "  END IF;\n  RETURN NULL;\nEND"
        )
        return [
            # the definer's rights: an application's role may write the table without any right on
            # the workbench's schema; a fixed search path, as a definer's function must have
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            f"SET search_path = pg_catalog, pg_temp AS $workbench$\n{body}\n$workbench$",
            *(
                f"CREATE TRIGGER {conn.quote(trigger_name(capture_id, op))} AFTER {op.upper()} ON {table} "
                f"REFERENCING OLD TABLE AS workbench_old FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                for op in ("update", "delete")
            ),
            # a key moved by an UPDATE: its new key too; the WHEN is checked without calling anything
            f"CREATE TRIGGER {conn.quote(trigger_name(capture_id, 'moved'))} AFTER UPDATE ON {table} "
            f"FOR EACH ROW WHEN ({moved}) EXECUTE FUNCTION {function}()",
        ]
    return [
        f"CREATE TRIGGER {conn.quote(trigger_name(capture_id, 'update'))} AFTER UPDATE ON {table} "
        f"BEGIN INSERT INTO {log} ({cols}) VALUES ({old}); END",
        f"CREATE TRIGGER {conn.quote(trigger_name(capture_id, 'moved'))} AFTER UPDATE ON {table} "
        f"WHEN {moved.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN INSERT INTO {log} ({cols}) VALUES ({new}); END",
        f"CREATE TRIGGER {conn.quote(trigger_name(capture_id, 'delete'))} AFTER DELETE ON {table} "
        f"BEGIN INSERT INTO {log} ({cols}) VALUES ({old}); END",
    ]


def remove(
    conn: Connection, table: str | None, log: str, snapshot: str, function: str | None, capture_id: int
) -> list[str]:
    """Statements that stop the capture and drop its log (`table` None: the table is gone, and
    its triggers with it)."""
    out = []
    if table is not None:
        on = f" ON {table}" if conn.capabilities.schemas else ""
        out += [f"DROP TRIGGER IF EXISTS {conn.quote(trigger_name(capture_id, op))}{on}" for op in _OPS]
    elif not conn.capabilities.schemas:
        out += [f"DROP TRIGGER IF EXISTS {conn.quote(trigger_name(capture_id, op))}" for op in _OPS]
    if function is not None:
        out.append(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
    out += [f"DROP TABLE IF EXISTS {log}", f"DROP TABLE IF EXISTS {snapshot}"]
    return out


def advance_sequences(conn: Connection, table: str, table_text: str, columns: Sequence[str]) -> list[str]:
    """Statements that move each sequence `table`'s columns own past the largest value the table
    holds, never back: carried rows keep the keys the new shape gave them, so the next default
    must not collide (`table_text` is the qualified name as text). SQLite needs none: an
    AUTOINCREMENT counter follows the largest rowid inserted by itself."""
    if not conn.capabilities.schemas:
        return []
    out = []
    for column in columns:
        col = conn.quote(column)
        seq = f"pg_get_serial_sequence({_text(table_text)}, {_text(column)})"
        out.append(
            f"SELECT setval(s, m) FROM (SELECT {seq} AS s, (SELECT max({col}) FROM {table}) AS m) x "
            "WHERE s IS NOT NULL AND m IS NOT NULL AND m > coalesce(pg_sequence_last_value(s::regclass), 0)"
        )
    return out


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def fits(conn: Connection, expression: str, data_type: str) -> str | None:
    """A condition true when `expression` keeps its value as `data_type`, where the database
    would not say so itself: SQLite's CAST never fails (`'abc'` becomes 0). None where a failing
    cast raises (PostgreSQL), so the replay learns it from the error."""
    if conn.capabilities.schemas:
        return None
    affinity = sqlite_affinity(data_type)
    if affinity not in ("INTEGER", "REAL", "NUMERIC"):
        return None
    return (
        f"({expression} IS NULL OR typeof({expression}) IN ('integer', 'real') "
        f"OR CAST(CAST({expression} AS {affinity}) AS TEXT) = CAST({expression} AS TEXT))"
    )


def sqlite_affinity(data_type: str) -> str:
    """SQLite's column affinity of a declared type (its documented rules, in their order)."""
    t = data_type.upper()
    if "INT" in t:
        return "INTEGER"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not t or "BLOB" in t:
        return "BLOB"
    if any(s in t for s in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"
