"""PostgreSQL introspection from pg_catalog: one query per object kind, whatever the table count.

Each query reads every object of its kind in the wanted schemas at once (relations, columns,
constraints, indexes, triggers, policies, enums, domains, sequences, functions), and the
results are stitched together in Python by relation oid. Expressions come from the server's
own deparsers (`pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`, …), so they read as
PostgreSQL would print them. Objects that belong to extensions are left out: they are not the
user's schema. Row estimates come from `reltuples`, falling back to the statistics collector's
live-tuple count for tables never analyzed — never a count(*).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.db.base import CatalogOutline, OutlineEntry
from workbench.db.catalog import (
    Catalog,
    CheckConstraint,
    Collation,
    Domain,
    Enum,
    Extension,
    ForeignKey,
    Function,
    Grant,
    Index,
    Policy,
    Schema,
    Sequence as SequenceObj,
    Table,
    Trigger,
    View,
    new_check,
    new_column,
    new_foreign_key,
    new_index,
    new_primary_key,
    new_table,
    new_unique,
)

if TYPE_CHECKING:
    from workbench.db.postgres import PostgresConnection

_SYSTEM = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'"
_NOT_EXTENSION = (
    "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{cls}'::regclass AND d.objid = {oid} AND d.deptype = 'e')"
)
_FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}
_MATCH = {"f": "FULL", "p": "PARTIAL", "s": None}
_REPLICA_IDENTITY = {"d": "default", "n": "nothing", "f": "full", "i": "index"}
_FIRING = {"O": "origin", "D": "disabled", "R": "replica", "A": "always"}

# A comment from pg_description by join (a function call per row costs more on wide schemas).
_COMMENT = (
    "LEFT JOIN pg_description {alias} ON {alias}.objoid = {oid} "
    "AND {alias}.classoid = '{cls}'::regclass AND {alias}.objsubid = 0"
)

_EXTENSIONS = """
SELECT e.extname, n.nspname, e.extversion
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' {filter}
ORDER BY e.extname
"""

# Collations users made (the built-in ones live in pg_catalog); the whole row as JSON, since
# the locale column is named differently across PostgreSQL versions.
_COLLATIONS = f"""
SELECT n.nspname, c.collname, to_jsonb(c)
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_collation", oid="c.oid")} {{filter}}
ORDER BY n.nspname, c.collname
"""
_PROVIDERS = {"i": "icu", "c": "libc", "b": "builtin", "d": "default"}

_SCHEMAS = f"""
SELECT n.nspname, obj_description(n.oid, 'pg_namespace'), pg_get_userbyid(n.nspowner)
FROM pg_namespace n
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_namespace", oid="n.oid")} {{filter}}
ORDER BY n.nspname
"""

# Relations, their row estimate and the parent of a partition: shared by the catalog and its outline.
# pg_stat_get_live_tuples is the statistics view's n_live_tup, read for the relation kinds that
# view lists, without the view's twenty other counters per relation and its GROUP BY.
_ESTIMATE = (
    "CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint "
    "WHEN c.relkind IN ('r', 'm', 'p') THEN pg_stat_get_live_tuples(c.oid) END"
)
_PARENT = "CASE WHEN c.relispartition THEN pn.nspname || '.' || pc.relname END"
_RELATION_JOINS = """pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"""
_RELATION_WHERE = f"""WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_SYSTEM}
  AND {_NOT_EXTENSION.format(cls="pg_class", oid="c.oid")}"""
_RELATION_SOURCE = f"{_RELATION_JOINS}\n{_RELATION_WHERE}"
# INHERITS parents of every table that has some (partitions are not inheritance children here),
# aggregated once and joined, rather than a subquery per relation.
_INHERITS = """LEFT JOIN (SELECT ih.inhrelid, array_agg(ipn.nspname || '.' || ipc.relname ORDER BY ih.inhseqno) AS parents
           FROM pg_inherits ih
           JOIN pg_class ich ON ich.oid = ih.inhrelid AND NOT ich.relispartition
           JOIN pg_class ipc ON ipc.oid = ih.inhparent
           JOIN pg_namespace ipn ON ipn.oid = ipc.relnamespace
           GROUP BY ih.inhrelid) inh ON inh.inhrelid = c.oid"""

_RELATIONS = f"""
SELECT c.oid, n.nspname, c.relname, c.relkind, dsc.description, {_ESTIMATE},
       c.relrowsecurity, c.relforcerowsecurity, c.relpersistence, {_PARENT},
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
       pg_get_userbyid(c.relowner),
       c.reloptions,
       tc.reloptions,
       CASE WHEN c.reltablespace <> 0 THEN (SELECT ts.spcname FROM pg_tablespace ts WHERE ts.oid = c.reltablespace)
            ELSE '' END,
       c.relreplident, inh.parents
FROM {_RELATION_JOINS}
{_INHERITS}
LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid AND c.reltoastrelid <> 0
{_COMMENT.format(alias="dsc", oid="c.oid", cls="pg_class")}
{_RELATION_WHERE} {{filter}}
ORDER BY n.nspname, c.relname
"""

# Privileges other roles hold on tables, views and sequences (the owner's own are implied), then
# every privilege on their columns, the owner's too (column NULL: the relation's own); grantee 0
# is PUBLIC.
_GRANTEE = "CASE a.grantee WHEN 0 THEN 'public' ELSE pg_get_userbyid(a.grantee) END"
_GRANTS = f"""
SELECT n.nspname, c.relname, NULL::name, {_GRANTEE}, a.privilege_type, a.is_grantable
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND c.relacl IS NOT NULL AND a.grantee <> c.relowner
  AND {_SYSTEM} {{filter}}
UNION ALL
SELECT n.nspname, c.relname, att.attname, {_GRANTEE}, a.privilege_type, a.is_grantable
FROM pg_attribute att
JOIN pg_class c ON c.oid = att.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(att.attacl) a
WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND {_SYSTEM} {{filter}}
ORDER BY 1, 2, 3, 4, 5
"""

# attrelid, attnum, then a Column's fields in order (but grants: `load` puts them in), so each
# row becomes a Column without being taken apart.
_COLUMNS = f"""
SELECT a.attrelid, a.attnum, a.attname,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
       format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,
       CASE a.attgenerated WHEN 's' THEN 'stored' END,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END,
       dsc.description,
       coalesce(a.attstattarget, -1),
       CASE WHEN a.attstorage = t.typstorage THEN ''
            ELSE CASE a.attstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'x' THEN 'extended'
                                   WHEN 'm' THEN 'main' ELSE a.attstorage::text END END,
       CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE a.attcompression::text END,
       NOT a.attislocal
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
-- a join, not col_description() per row: half the time of the whole query on wide schemas
LEFT JOIN pg_description dsc ON dsc.objoid = a.attrelid AND dsc.classoid = 'pg_class'::regclass
                            AND dsc.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND {_SYSTEM} {{filter}}
ORDER BY a.attrelid, a.attnum
"""

# Key columns come as attribute numbers, named from the column rows `load` already has (a
# subquery per constraint costs more); a referenced table in another schema, which a schema
# filter may leave out of those rows, is named here.
_CONSTRAINTS = f"""
SELECT con.conrelid, con.conname, con.contype, con.conkey, rn.nspname, rc.relname, con.confrelid, con.confkey,
       CASE WHEN rc.relnamespace <> c.relnamespace THEN
            ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) END,
       con.confdeltype, con.confupdtype, con.condeferrable, con.condeferred, con.confmatchtype,
       pg_get_constraintdef(con.oid, true),
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END,
       dsc.description, NOT con.conislocal
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
{_COMMENT.format(alias="dsc", oid="con.oid", cls="pg_constraint")}
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conrelid <> 0
  AND (con.contype <> 'f' OR con.conparentid = 0)
  AND {_SYSTEM} {{filter}}
ORDER BY con.conrelid, con.contype, con.conname
"""

# Indexes whose CREATE INDEX text is only names: key columns (no expressions, no INCLUDE), each
# with its column's default operator class (for the column's exact type), collation and order,
# no predicate, storage parameters or operator class options, not a partitioned index (ON ONLY).
# Their text is written here, as pg_get_indexdef would print it, with the key columns joined
# in one pass. pg_get_indexdef itself costs a catalog cache miss or two per index and a scan of
# the method's operator classes per key column: on a fresh connection (every `inspect`) about
# 80 µs an index, the whole query's time on a wide schema. Any other index still goes to it.
_PLAIN_INDEXES = """
WITH k AS MATERIALIZED (  -- a table to hash-join, not a function scan per index
  SELECT x.indexrelid, x.indrelid, u.attnum, u.opclass, u.coll, u.opts, u.ord
  FROM pg_index x
  CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indclass::oid[], x.indcollation::oid[], x.indoption::int2[])
       WITH ORDINALITY u(attnum, opclass, coll, opts, ord)
  WHERE x.indexprs IS NULL AND x.indpred IS NULL AND x.indnatts = x.indnkeyatts {nulls_distinct}
    AND x.indexrelid NOT IN (SELECT ia.attrelid FROM pg_attribute ia JOIN pg_class r ON r.oid = ia.attrelid
                             WHERE ia.attoptions IS NOT NULL AND r.relkind IN ('i', 'I'))
)
SELECT k.indexrelid, string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) AS keys
FROM k
JOIN pg_attribute a ON a.attrelid = k.indrelid AND a.attnum = k.attnum
JOIN pg_opclass o ON o.oid = k.opclass
GROUP BY k.indexrelid
HAVING bool_and(o.opcdefault AND o.opcintype = a.atttypid AND k.coll IN (0, a.attcollation) AND k.opts = 0)
"""
# NULLS NOT DISTINCT (PostgreSQL 15 and later) is printed too: such an index is not plain.
_NULLS_DISTINCT = "AND NOT x.indnullsnotdistinct"

_INDEXES = f"""
SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary, am.amname,
       pg_get_expr(i.indpred, i.indrelid, true),
       CASE WHEN plain.keys IS NOT NULL AND ic.relkind = 'i' AND ic.reloptions IS NULL
            THEN 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
                 || quote_ident(ic.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                 || ' USING ' || quote_ident(am.amname) || ' (' || plain.keys || ')'
            ELSE pg_get_indexdef(i.indexrelid) END,
       (i.indkey::int2[])[0:i.indnkeyatts - 1],
       CASE WHEN 0 = ANY (i.indkey::int2[]) THEN
            ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) END,
       ci.conindid IS NOT NULL, dsc.description, i.indisclustered, i.indisreplident
FROM pg_index i
LEFT JOIN (SELECT DISTINCT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) ci
       ON ci.conindid = i.indexrelid
LEFT JOIN ({{plain}}) plain ON plain.indexrelid = i.indexrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
{_COMMENT.format(alias="dsc", oid="i.indexrelid", cls="pg_class")}
WHERE {_SYSTEM} {{filter}}
ORDER BY i.indrelid, ic.relname
"""

_TRIGGERS = f"""
SELECT t.tgrelid, n.nspname, c.relname, t.tgname, t.tgtype, fn.nspname || '.' || p.proname,
       t.tgenabled, pg_get_triggerdef(t.oid, true), dsc.description
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = p.pronamespace
{_COMMENT.format(alias="dsc", oid="t.oid", cls="pg_trigger")}
WHERE NOT t.tgisinternal AND {_SYSTEM} {{filter}}
ORDER BY t.tgrelid, t.tgname
"""

_POLICIES = f"""
SELECT pol.polrelid, n.nspname, c.relname, pol.polname, pol.polcmd, pol.polpermissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END FROM unnest(pol.polroles) r),
       pg_get_expr(pol.polqual, pol.polrelid, true), pg_get_expr(pol.polwithcheck, pol.polrelid, true),
       dsc.description
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
{_COMMENT.format(alias="dsc", oid="pol.oid", cls="pg_policy")}
WHERE {_SYSTEM} {{filter}}
ORDER BY pol.polrelid, pol.polname
"""

_ENUMS = f"""
SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type'),
       pg_get_userbyid(t.typowner)
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_type", oid="t.oid")} {{filter}}
GROUP BY n.nspname, t.typname, t.oid, t.typowner
ORDER BY n.nspname, t.typname
"""

_DOMAINS = f"""
SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), NOT t.typnotnull, t.typdefault,
       ARRAY(SELECT con.conname FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname),
       ARRAY(SELECT pg_get_constraintdef(con.oid, true) FROM pg_constraint con
             WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname),
       obj_description(t.oid, 'pg_type'), pg_get_userbyid(t.typowner)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_type", oid="t.oid")} {{filter}}
ORDER BY n.nspname, t.typname
"""

_SEQUENCES = f"""
SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
       (SELECT tc.relname || '.' || a.attname FROM pg_depend d
          JOIN pg_class tc ON tc.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i') LIMIT 1),
       s.seqmin, s.seqmax, s.seqcache, s.seqcycle, pg_get_userbyid(c.relowner), dsc.description
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
{_COMMENT.format(alias="dsc", oid="c.oid", cls="pg_class")}
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_class", oid="c.oid")} {{filter}}
ORDER BY n.nspname, c.relname
"""

_FUNCTIONS = f"""
SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END, l.lanname,
       CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'window' END,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END,
       obj_description(p.oid, 'pg_proc'), pg_get_userbyid(p.proowner),
       ARRAY(SELECT ARRAY[{_GRANTEE}, a.privilege_type, a.is_grantable::text]
             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
             WHERE a.grantee <> p.proowner ORDER BY 1)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_proc", oid="p.oid")} {{filter}}
ORDER BY n.nspname, p.proname, 3
"""


# The names `load` reads, kind by kind with the same filters, in one statement: (what, schema, name,
# estimate, partition parent, relkind). The second column is of type name, so ORDER BY 2 lists the
# schemas in the order _SCHEMAS does.
_OUTLINE = f"""
SELECT 'schema', n.nspname, NULL::text, NULL::bigint, NULL::text, NULL::"char"
FROM pg_namespace n
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_namespace", oid="n.oid")}
UNION ALL
SELECT 'relation', n.nspname, c.relname, {_ESTIMATE}, {_PARENT}, c.relkind
FROM {_RELATION_SOURCE}
UNION ALL
SELECT 'enum', n.nspname, t.typname, NULL, NULL, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE EXISTS (SELECT 1 FROM pg_enum e WHERE e.enumtypid = t.oid)
  AND {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_type", oid="t.oid")}
UNION ALL
SELECT 'domain', n.nspname, t.typname, NULL, NULL, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_type", oid="t.oid")}
UNION ALL
SELECT 'sequence', n.nspname, c.relname, NULL, NULL, NULL
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_class", oid="c.oid")}
UNION ALL
SELECT 'function', n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL, NULL, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE {_SYSTEM} AND {_NOT_EXTENSION.format(cls="pg_proc", oid="p.oid")}
ORDER BY 2
"""
_RELATION_KINDS = {"v": "view", "m": "materialized view"}  # r, p and f are tables


def outline(conn: PostgresConnection) -> CatalogOutline:
    """Every object `load` would return, with the same row estimates, from one statement."""
    rows = conn.query(_OUTLINE).rows
    totals = _partition_totals((parent, estimate) for what, _s, _n, estimate, parent, _k in rows if what == "relation")
    objects = []
    for what, schema, name, estimate, _parent, relkind in rows:
        if what == "relation":
            if relkind == "p":
                estimate = totals.get(f"{schema}.{name}", 0)
            objects.append(
                OutlineEntry(
                    _RELATION_KINDS.get(relkind, "table"),
                    schema,
                    name,
                    None if relkind == "v" or estimate is None else int(estimate),
                )
            )
        elif what != "schema":
            objects.append(OutlineEntry(what, schema, name))
    return CatalogOutline(tuple(schema for what, schema, *_ in rows if what == "schema"), tuple(objects))


_ATTNAMES = "SELECT attrelid, attnum, attname FROM pg_attribute WHERE attrelid = ANY(%s) AND attnum > 0"


def load(conn: PostgresConnection, schemas: Sequence[str] | None = None, relation: str | None = None) -> Catalog:
    """The catalog of `schemas` (default: every non-system schema), in one read-only transaction;
    with `relation`, only that table or view of them (no types, functions, sequences, …): what a
    caller that needs one table's shape reads, in a fraction of the time."""

    def run(sql: str, scoped: bool = False) -> list[tuple[Any, ...]]:
        if relation is not None and not scoped:
            return []
        where = ("AND n.nspname = ANY(%s) " if schemas else "") + ("AND c.relname = %s" if relation else "")
        params: tuple[Any, ...] = ((list(schemas),) if schemas else ()) + ((relation,) if relation else ())
        return conn.query(sql.format(filter=where), params * sql.count("{filter}")).rows

    # One REPEATABLE READ snapshot, so the pieces describe the same moment (inside a caller's
    # transaction, that transaction's view of the schema is the right one already).
    nested = conn.in_transaction()
    with conn.transaction():
        if not nested:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # The sorts of a wide schema's columns and indexes (a few MB) otherwise spill to disk.
            conn.execute("SET LOCAL work_mem = '64MB'")
        schema_rows = run(_SCHEMAS)
        relations = run(_RELATIONS, scoped=True)
        columns = _by_rel(run(_COLUMNS, scoped=True))
        attnames = {oid: {r[0]: r[1] for r in rows} for oid, rows in columns.items()}
        constraint_rows = run(_CONSTRAINTS, scoped=True)
        # a foreign key may reference a table this read left out (one relation asked for)
        unread = list({r[6] for r in constraint_rows if r[6] and r[8] is None and r[6] not in attnames})
        if unread:
            for relid, num, attname in conn.query(_ATTNAMES, (unread,)).rows:
                attnames.setdefault(relid, {})[num] = attname
        constraints = _by_rel(_with_key_names(constraint_rows, attnames))
        nulls = _NULLS_DISTINCT if conn.server_version >= 150000 else ""
        indexes = _by_rel(run(_INDEXES.replace("{plain}", _PLAIN_INDEXES.format(nulls_distinct=nulls)), scoped=True))
        triggers = _by_rel(run(_TRIGGERS, scoped=True))
        policies = _by_rel(run(_POLICIES, scoped=True))
        grants: dict[tuple[str, str], list[Grant]] = defaultdict(list)
        column_grants: dict[tuple[str, str, str], list[Grant]] = defaultdict(list)
        for schema, name, column, *grant in run(_GRANTS, scoped=True):
            if column is None:
                grants[(schema, name)].append(Grant(*grant))
            else:
                column_grants[(schema, name, column)].append(Grant(*grant))
        enums = run(_ENUMS)
        domains = run(_DOMAINS)
        sequences = run(_SEQUENCES)
        functions = run(_FUNCTIONS)
        extensions = run(_EXTENSIONS)
        collations = run(_COLLATIONS)
        version = conn.query("SHOW server_version").scalar()

    tables, views = [], []
    for (
        oid,
        schema,
        name,
        kind,
        comment,
        estimate,
        rls,
        rls_forced,
        persistence,
        parent,
        bound,
        partkey,
        viewdef,
        owner,
        reloptions,
        toast_options,
        tablespace,
        replident,
        parents,
    ) in relations:
        column_rows = columns.get(oid, ())
        cols = tuple(
            new_column(*r[1:14], tuple(column_grants.get((schema, name, r[1]), ())), r[14]) for r in column_rows
        )
        idx = tuple(_index(r, attnames.get(oid, {})) for r in indexes.get(oid, ()))
        trg = tuple(_trigger(r) for r in triggers.get(oid, ()))
        if kind in ("v", "m"):
            views.append(
                View(
                    schema,
                    name,
                    viewdef,
                    kind == "m",
                    cols,
                    idx if kind == "m" else (),
                    trg,
                    comment,
                    int(estimate) if kind == "m" and estimate is not None else None,
                    owner=owner,
                    grants=tuple(grants.get((schema, name), ())),
                    parameters=tuple(reloptions or ()),
                )
            )
            continue
        cons = constraints.get(oid, ())
        pk = next((new_primary_key(r[0], tuple(r[2]), r[11], r[13]) for r in cons if r[1] == "p"), None)
        tables.append(
            new_table(
                schema=schema,
                name=name,
                kind={"p": "partitioned table", "f": "foreign table"}.get(kind, "table"),
                columns=cols,
                primary_key=pk,
                uniques=tuple(new_unique(r[0], tuple(r[2]), r[11], r[13]) for r in cons if r[1] in ("u", "x")),
                checks=tuple(new_check(r[0], r[12] or r[11], None, r[11], r[13], r[14]) for r in cons if r[1] == "c"),
                foreign_keys=tuple(_foreign_key(r) for r in cons if r[1] == "f"),
                indexes=idx,
                triggers=trg,
                policies=tuple(_policy(r) for r in policies.get(oid, ())),
                rls_enabled=rls,
                rls_forced=rls_forced,
                comment=comment,
                row_estimate=int(estimate) if estimate is not None else None,
                partition_of=parent,
                partition_bound=bound,
                partition_key=partkey,
                options=("UNLOGGED",) if persistence == "u" else (),
                owner=owner,
                grants=tuple(grants.get((schema, name), ())),
                parameters=(*(reloptions or ()), *(f"toast.{o}" for o in toast_options or ())),
                tablespace=tablespace,
                replica_identity=_REPLICA_IDENTITY[replident],
                inherits=tuple(parents or ()),
            )
        )
    tables = _with_partition_totals(tables)
    return Catalog(
        backend="postgresql",
        database=conn.database,
        server_version=str(version),
        schemas=tuple(Schema(n, c, o) for n, c, o in schema_rows),
        extensions=tuple(Extension(*row) for row in extensions),
        tables=tuple(tables),
        views=tuple(views),
        enums=tuple(Enum(s, n, tuple(v), c, o) for s, n, v, c, o in enums),
        domains=tuple(
            Domain(
                s,
                n,
                base,
                nullable,
                default,
                tuple(CheckConstraint(cn, cd) for cn, cd in zip(names, defs, strict=True)),
                c,
                o,
            )
            for s, n, base, nullable, default, names, defs, c, o in domains
        ),
        sequences=tuple(
            SequenceObj(s, n, t, st, inc, owned_by, tuple(grants.get((s, n), ())), *rest)
            for s, n, t, st, inc, owned_by, *rest in sequences
        ),
        collations=tuple(_collation(schema, name, row) for schema, name, row in collations),
        functions=tuple(
            Function(
                f[0],
                f[1],
                f[2],
                f[3],
                f[4],
                f[5],
                f[6],
                f[7],
                f[8],
                tuple(Grant(g, p, o == "true") for g, p, o in f[9]),
            )
            for f in functions
        ),
    )


def _collation(schema: str, name: str, row: dict[str, Any]) -> Collation:
    locale = row.get("colllocale", row.get("colliculocale"))
    return Collation(
        schema,
        name,
        _PROVIDERS.get(row["collprovider"], row["collprovider"]),
        locale,
        row.get("collcollate"),
        row.get("collctype"),
        bool(row["collisdeterministic"]),
    )


def _partition_totals(partitions: Iterable[tuple[str | None, int | None]]) -> dict[str, int]:
    """A partitioned parent holds no rows itself: its estimate is the sum of its partitions'.

    `partitions` are (parent as "schema.name", estimate) pairs; a parent of None is no partition."""
    totals: dict[str, int] = defaultdict(int)
    for parent, estimate in partitions:
        if parent and estimate:
            totals[parent] += int(estimate)
    return totals


def _with_partition_totals(tables: list[Table]) -> list[Table]:
    totals = _partition_totals((t.partition_of, t.row_estimate) for t in tables)
    return [
        dataclasses.replace(t, row_estimate=totals.get(t.qualified_name, 0)) if t.kind == "partitioned table" else t
        for t in tables
    ]


def _by_rel(rows: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1:])
    return out


def _with_key_names(rows: list[tuple[Any, ...]], attnames: dict[int, dict[int, str]]) -> list[tuple[Any, ...]]:
    """Constraint rows with their key and referenced columns' attribute numbers turned into names.

    In: (conrelid, name, type, conkey, ref schema, ref table, confrelid, confkey, ref names or
    None, rest…); out: (conrelid, name, type, key names, ref schema, ref table, ref names, rest…).
    `attnames` holds each relation's column names by attribute number.
    """

    def named(relid: int, attnums: list[int] | None) -> list[str]:
        by_num = attnames.get(relid, {})
        return [by_num[num] for num in attnums or ()]

    return [
        (relid, name, kind, named(relid, key), ref_schema, ref_table, ref_names or named(ref_relid, ref_key), *rest)
        for relid, name, kind, key, ref_schema, ref_table, ref_relid, ref_key, ref_names, *rest in rows
    ]


def _foreign_key(r: tuple[Any, ...]) -> ForeignKey:
    (
        name,
        _t,
        cols,
        ref_schema,
        ref_table,
        ref_cols,
        on_del,
        on_upd,
        deferrable,
        deferred,
        match,
        definition,
        _e,
        comment,
        _inherited,
    ) = r
    return new_foreign_key(
        name,
        tuple(cols),
        ref_schema,
        ref_table,
        tuple(ref_cols),
        _FK_ACTIONS.get(on_del, "NO ACTION"),
        _FK_ACTIONS.get(on_upd, "NO ACTION"),
        deferrable,
        deferred,
        _MATCH.get(match),
        definition,
        comment,
    )


def _index(r: tuple[Any, ...], attnames: dict[int, str]) -> Index:
    """Key columns by attribute number; expression terms (attnum 0) as the server deparses them."""
    name, unique, primary, method, predicate, definition, attnums, terms, constraint, comment, clustered, replica = r
    columns = tuple(terms[k] if num == 0 else attnames[num] for k, num in enumerate(attnums))
    return new_index(
        name, columns, unique, primary, predicate, method, definition, constraint, comment, clustered, replica
    )


def _trigger(r: tuple[Any, ...]) -> Trigger:
    schema, table, name, tgtype, function, enabled, definition, comment = r
    # tgtype bits (pg_trigger.h): 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE, 64 INSTEAD
    timing = "INSTEAD OF" if tgtype & 64 else "BEFORE" if tgtype & 2 else "AFTER"
    events = tuple(e for bit, e in ((4, "INSERT"), (16, "UPDATE"), (8, "DELETE"), (32, "TRUNCATE")) if tgtype & bit)
    return Trigger(
        schema,
        table,
        name,
        timing,
        events,
        "ROW" if tgtype & 1 else "STATEMENT",
        function,
        enabled != "D",
        definition,
        comment,
        _FIRING[enabled],
    )


def _policy(r: tuple[Any, ...]) -> Policy:
    schema, table, name, cmd, permissive, roles, using, with_check, comment = r
    return Policy(
        schema, table, name, _POLICY_COMMANDS.get(cmd, cmd), permissive, tuple(roles), using, with_check, comment
    )
