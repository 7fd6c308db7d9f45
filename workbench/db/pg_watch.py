"""Which tables a PostgreSQL statement changed, as the server itself records it.

PostgreSQL cannot say beforehand what a statement will write (a function, a trigger, a rule or a
CASCADE through a type decides that while it runs), but it records it: the transaction's own
statistics count the rows inserted, updated and deleted per table (`pg_stat_get_xact_tuples_*`),
and the catalog shows a table dropped, rewritten or truncated (a new relfilenode) or a column
dropped, renamed or retyped (`pg_attribute`). `Fingerprint` reads all of that in one query, before
and after a statement that runs inside a savepoint; the difference is the tables it changed.
Sequence positions are read too: a savepoint rolls rows back but not sequences, so a statement
that must run again after its tables were copied aside first puts them back where they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.db.base import TableKey

if TYPE_CHECKING:
    from workbench.db.postgres import PostgresConnection

_USER = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'workbench') AND n.nspname !~ '^pg_(toast|temp_)'"

_FINGERPRINT = f"""
SELECT json_build_object(
  'tables', (SELECT coalesce(json_object_agg(c.oid::text, json_build_array(
        n.nspname, c.relname, c.relfilenode,
        pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
          + pg_stat_get_xact_tuples_deleted(c.oid),
        (SELECT md5(string_agg(a.attnum || ' ' || a.attname || ' ' || a.atttypid || ' ' || a.atttypmod
                               || ' ' || a.attisdropped, ',' ORDER BY a.attnum))
           FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0))), '{{}}')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'm') AND {_USER}),
  'sequences', (SELECT coalesce(json_object_agg(format('%I.%I', n.nspname, c.relname),
        json_build_array(s.last_value, s.start_value)), '{{}}')
     FROM pg_sequences s
     JOIN pg_namespace n ON n.nspname = s.schemaname
     JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
     WHERE {_USER}))
"""


@dataclass(frozen=True)
class Fingerprint:
    """Per user table: (schema, name, relfilenode, rows written in this transaction, columns hash);
    per user sequence: (last value or None when never used, start value)."""

    # The query's JSON arrays, as they come (mixed types: names, numbers, a hash, nulls).
    tables: dict[str, list[Any]]
    sequences: dict[str, list[Any]]

    @classmethod
    def read(cls, conn: PostgresConnection) -> Fingerprint:
        data = conn.query(_FINGERPRINT).scalar()
        data = json.loads(data) if isinstance(data, str) else data
        return cls(data["tables"], data["sequences"])

    def changed(self, after: Fingerprint) -> frozenset[TableKey]:
        """Tables (by their names before) that `after` shows dropped, renamed, rewritten, truncated,
        reshaped, or with rows written since this fingerprint was read."""
        out = set()
        for oid, (schema, name, node, written, columns) in self.tables.items():
            now = after.tables.get(oid)
            if now is None or now[:3] != [schema, name, node] or now[3] != written or now[4] != columns:
                out.add((schema, name))
        return frozenset(out)

    def sequence_reset_sql(self, after: Fingerprint) -> list[str]:
        """Statements that put back every sequence that moved between this fingerprint and `after`."""
        out = []
        for name, (last, start) in self.sequences.items():
            if after.sequences.get(name, [last])[0] != last:
                value, called = (last, "true") if last is not None else (start, "false")
                out.append(f"SELECT setval('{name.replace(chr(39), chr(39) * 2)}', {int(value)}, {called})")
        return out
