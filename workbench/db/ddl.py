"""SQL statements for catalog objects: one vocabulary to put objects back and to show them.

Two callers use the same builders:

- Putting objects back (rollback, repair, the coverage report) uses the defaults. Where the
  database keeps an object's own text (SQLite's `CREATE TABLE`, every `CREATE INDEX` and
  trigger, PostgreSQL's function definitions and constraint definitions), that text is used as
  it is, so the object comes back exactly; everything else is rendered from the catalog's
  fields, down to what pg_dump prints (storage parameters, statistics targets, storage,
  compression, replica identity, CLUSTER ON, comments, owners, column grants). Names are always
  schema-qualified, since the search path at restore time is not ours to assume.
- Showing objects (Browse's DDL tab) goes through `ddl()`: the database's own text where it
  keeps one (SQLite), otherwise rendered from the catalog with `readable=True`: names in the
  connection's default schema left unqualified, one clause per line, the outer parentheses the
  database adds to expressions dropped, default foreign-key actions left out, and comments as
  SQL comments where the backend has no `COMMENT ON`.

Identifiers always go through `conn.quote`/`qualify`; the only values pasted are the catalog's
own expressions and string literals for comments and enum labels, which DDL cannot take as
parameters. Branches follow capability flags (`comments`, `rls`, `functions`), never backend
names.
"""

from __future__ import annotations

import re

from workbench.db.base import Connection
from workbench.db.catalog import (
    Catalog,
    CheckConstraint,
    Collation,
    Column,
    Domain,
    Enum,
    ForeignKey,
    Function,
    Grant,
    Index,
    Policy,
    PrimaryKey,
    Schema,
    Sequence,
    Table,
    Trigger,
    UniqueConstraint,
    View,
)

CatalogObject = Table | View | Enum | Domain | Sequence | Function
Constraint = PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey

_INDENT = "  "


def literal(text: str) -> str:
    """A SQL string literal (standard quoting, understood by both backends)."""
    return "'" + text.replace("'", "''") + "'"


def qualified(conn: Connection, obj: CatalogObject, *, readable: bool = False) -> str:
    """The object's quoted name: schema-qualified, except in the default schema when `readable`."""
    return _name(conn, obj.schema, obj.name, readable)


def comment_on(kind: str, target: str, text: str | None) -> str:
    """`COMMENT ON kind target IS 'text'`; None removes the comment (`IS NULL`)."""
    return f"COMMENT ON {kind} {target} IS {literal(text) if text is not None else 'NULL'}"


# -- tables -----------------------------------------------------------------------------------


def create_table(
    conn: Connection,
    t: Table,
    catalog: Catalog | None = None,
    *,
    stored_text: bool = True,
    foreign_keys: bool = False,
    readable: bool = False,
) -> str:
    """The CREATE TABLE for `t`, without its indexes, comments, policies and triggers
    (`table_dressing`).

    With `stored_text`, the table's own text where the database keeps it (SQLite), foreign keys
    included, so it comes back exactly. Otherwise rendered from the catalog, with foreign keys
    only when `foreign_keys` (a restore adds them with `add_foreign_key` once every table they
    point at is back). Given the `catalog`, identity columns name their sequence and its options.
    """
    if stored_text and t.sql:
        return t.sql
    name = qualified(conn, t, readable=readable)
    unlogged = "UNLOGGED " if "UNLOGGED" in t.options else ""
    storage = _storage_clauses(conn, t.parameters, t.tablespace)
    if t.partition_of:
        head = f"CREATE {unlogged}TABLE {name} PARTITION OF {_dotted_name(conn, t.partition_of, readable)}"
        key = [f"PARTITION BY {t.partition_key}"] if t.partition_key else []
        return _clauses([head, t.partition_bound or "", *key, *storage], readable)
    # Columns and CHECKs that only come from INHERITS parents come back with the parents.
    own = [c for c in t.columns if not (t.inherits and c.inherited)]
    body = [_column(conn, t, c, catalog, readable) for c in own]
    named: list[Constraint] = [t.primary_key] if t.primary_key else []
    named += [*t.uniques, *(c for c in t.checks if not c.column and not c.inherited and not _not_valid(c))]
    named += [fk for fk in t.foreign_keys if not _not_valid(fk)] if foreign_keys else ()
    body += [_constraint_name(conn, c.name) + constraint(conn, c, readable=readable) for c in named]
    tail = [f"INHERITS ({', '.join(_dotted_name(conn, p, readable) for p in t.inherits)})"] if t.inherits else []
    tail += [f"PARTITION BY {t.partition_key}"] if t.partition_key else []
    sql = f"CREATE {unlogged}TABLE {name} {_listed(body, True)}"
    if tail or storage:
        sql += _break(readable) + _clauses([*tail, *storage], readable)
    options = [o for o in t.options if o != "UNLOGGED"]  # WITHOUT ROWID, STRICT
    return sql + (" " + ", ".join(options) if options else "")


def _storage_clauses(conn: Connection, parameters: tuple[str, ...] | None, tablespace: str | None = None) -> list[str]:
    """`WITH (name='value', …)` and `TABLESPACE name`, where there are any."""
    out = [f"WITH ({with_parameters(parameters)})"] if parameters else []
    if tablespace:
        out.append(f"TABLESPACE {conn.quote(tablespace)}")
    return out


def with_parameters(parameters: tuple[str, ...]) -> str:
    """Storage parameters as `WITH (…)` takes them: `fillfactor='70', toast.autovacuum_enabled='false'`."""
    return ", ".join(f"{name}={literal(value)}" for name, _, value in (p.partition("=") for p in parameters))


def _not_valid(c: Constraint) -> bool:
    """A constraint the database does not hold true of existing rows: added after them, NOT VALID."""
    return (c.definition or "").endswith(" NOT VALID")


def column_definition(conn: Connection, t: Table, c: Column, catalog: Catalog | None = None) -> str:
    """The column as CREATE TABLE or ALTER TABLE … ADD COLUMN takes it (name, type, default, …)."""
    return _column(conn, t, c, catalog, False)


def _column(conn: Connection, t: Table, c: Column, catalog: Catalog | None, readable: bool) -> str:
    parts = [conn.quote(c.name), c.data_type]
    if c.compression:
        parts.append(f"COMPRESSION {c.compression}")
    if c.collation:
        parts.append(f"COLLATE {conn.quote(c.collation)}")
    if c.generated:
        kind = (c.generated_kind or "stored").upper()
        parts.append(f"GENERATED ALWAYS AS ({_expression(c.generated, readable)}) {kind}")
    elif c.identity:
        seq = owned_sequence(catalog, t, c.name) if catalog is not None else None
        options = (
            f" (SEQUENCE NAME {' '.join([qualified(conn, seq, readable=readable), *sequence_options(seq)])})"
            if seq is not None and seq.start is not None
            else ""
        )
        parts.append(f"GENERATED {c.identity.upper()} AS IDENTITY{options}")
    elif c.default is not None:
        parts.append(f"DEFAULT {c.default}")
    if not c.nullable:
        parts.append("NOT NULL")
    # CHECKs declared on the column (SQLite reports which) stay on it.
    parts += [_constraint_name(conn, k.name) + constraint(conn, k) for k in t.checks if k.column == c.name]
    return " ".join(parts)


def constraint(conn: Connection, c: Constraint, *, readable: bool = False) -> str:
    """A table constraint's body, as it follows `CONSTRAINT name` in CREATE or ALTER TABLE.

    The database's own definition where it reports one; a foreign key is rendered from its
    fields (so its target is schema-qualified), with the definition's NOT VALID kept.
    """
    if isinstance(c, PrimaryKey):
        return c.definition or f"PRIMARY KEY ({_columns(conn, c.columns)})"
    if isinstance(c, UniqueConstraint):
        return c.definition or f"UNIQUE ({_columns(conn, c.columns)})"
    if isinstance(c, CheckConstraint):  # domains report the whole `CHECK (…)`, tables the expression
        if c.definition:
            return c.definition
        return c.expression if re.match(r"\s*check\b", c.expression, re.IGNORECASE) else f"CHECK ({c.expression})"
    sql = (
        f"FOREIGN KEY ({_columns(conn, c.columns)}) "
        f"REFERENCES {_name(conn, c.ref_schema, c.ref_table, readable)} ({_columns(conn, c.ref_columns)})"
    )
    if c.match:
        sql += f" MATCH {c.match}"
    for event, action in (("DELETE", c.on_delete), ("UPDATE", c.on_update)):
        if not readable or action != "NO ACTION":
            sql += f" ON {event} {action}"
    if c.deferrable:
        sql += " DEFERRABLE INITIALLY " + ("DEFERRED" if c.initially_deferred else "IMMEDIATE")
    return sql + (" NOT VALID" if _not_valid(c) else "")


def owned_sequence(catalog: Catalog, t: Table, column: str) -> Sequence | None:
    """The sequence owned by `t.column` (serial or identity), when the catalog has one."""
    return next((s for s in catalog.sequences if s.schema == t.schema and s.owned_by == f"{t.name}.{column}"), None)


def owned_sequences(catalog: Catalog, t: Table) -> list[Sequence]:
    """The sequences `t`'s columns own, in column order (a backup records their positions)."""
    return [s for s in (owned_sequence(catalog, t, c.name) for c in t.columns) if s is not None]


def table_dressing(conn: Connection, t: Table, *, readable: bool = False, foreign_keys: bool = False) -> list[str]:
    """What goes on a table after its rows are in: indexes, column settings, constraints that are
    NOT VALID, replica identity, CLUSTER ON, comments, row security, triggers (then its owner and
    grants: `privileges`). With `foreign_keys` (the CREATE had them), the foreign keys' comments
    and NOT VALID ones too; otherwise they come with `add_foreign_key`."""
    out = [i.definition for i in t.indexes if i.definition and not i.constraint and not i.primary]
    name = qualified(conn, t, readable=readable)
    out += column_settings(conn, t, readable=readable)
    keys = t.foreign_keys if foreign_keys else ()
    checked: tuple[CheckConstraint | ForeignKey, ...] = (*t.checks, *keys)
    out += [
        f"ALTER TABLE {name} ADD {_constraint_name(conn, c.name)}{constraint(conn, c, readable=readable)}"
        for c in checked
        if _not_valid(c) and not getattr(c, "inherited", False)
    ]
    out += table_settings(conn, t, readable=readable)
    out += _comments(conn, "TABLE", name, t.comment, readable)
    for c in t.columns:
        out += _comments(conn, "COLUMN", f"{name}.{conn.quote(c.name)}", c.comment, readable)
    for part in (*([t.primary_key] if t.primary_key else ()), *t.uniques, *t.checks, *keys, *t.indexes):
        out += part_comment(conn, t, part, readable=readable)
    if conn.capabilities.rls:
        if t.rls_enabled:
            out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
        if t.rls_forced:
            out.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        for p in t.policies:
            out.append(create_policy(conn, t, p, readable=readable))
            out += part_comment(conn, t, p, readable=readable)
    for trigger in t.triggers:
        out += create_trigger(conn, t, trigger, readable=readable)
        out += part_comment(conn, t, trigger, readable=readable)
    return out


def column_settings(conn: Connection, t: Table, have: Table | None = None, *, readable: bool = False) -> list[str]:
    """SET STATISTICS, SET STORAGE and SET COMPRESSION of `t`'s columns where they differ from
    `have` (None: a table just created, which has the defaults, and compression from CREATE)."""
    name = qualified(conn, t, readable=readable)
    held = {c.name: c for c in have.columns} if have else {}
    defaults = Column("", 0, "", statistics=-1, storage="", compression="")
    out = []
    for c in t.columns:
        now = held.get(c.name, defaults)
        alter = f"ALTER TABLE ONLY {name} ALTER COLUMN {conn.quote(c.name)}"
        if c.statistics is not None and c.statistics != now.statistics:
            out.append(f"{alter} SET STATISTICS {c.statistics}")
        if c.storage is not None and c.storage != now.storage:
            out.append(f"{alter} SET STORAGE {c.storage.upper()}" if c.storage else _type_storage(alter, c))
        if have is not None and c.compression is not None and c.compression != now.compression:
            out.append(f"{alter} SET COMPRESSION {c.compression or 'DEFAULT'}")
    return out


def _type_storage(alter: str, c: Column) -> str:
    """`alter` SET STORAGE to the column type's own: PostgreSQL before 16 has no `SET STORAGE
    DEFAULT`, so the server looks the type's storage up and runs the ALTER itself."""
    lookup = (
        f"SELECT CASE typstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' "
        f"ELSE 'EXTENDED' END FROM pg_catalog.pg_type WHERE oid = CAST({literal(c.data_type)} AS regtype)"
    )
    return f"DO $workbench$BEGIN EXECUTE {literal(alter + ' SET STORAGE ')} || ({lookup}); END$workbench$"


def table_settings(conn: Connection, t: Table, have: Table | None = None, *, readable: bool = False) -> list[str]:
    """Storage parameters, tablespace, LOGGED, replica identity and CLUSTER ON of `t`, where they
    differ from `have` (None: a table just created with its parameters and tablespace)."""
    name = qualified(conn, t, readable=readable)
    out = []
    if have is not None:
        if t.parameters is not None and have.parameters is not None and t.parameters != have.parameters:
            gone = [
                p.partition("=")[0]
                for p in have.parameters
                if p.partition("=")[0] not in {q.partition("=")[0] for q in t.parameters}
            ]
            if gone:
                out.append(f"ALTER TABLE {name} RESET ({', '.join(gone)})")
            if t.parameters:
                out.append(f"ALTER TABLE {name} SET ({with_parameters(t.parameters)})")
        if t.tablespace is not None and have.tablespace is not None and t.tablespace != have.tablespace:
            out.append(f"ALTER TABLE {name} SET TABLESPACE {conn.quote(t.tablespace or 'pg_default')}")
        if ("UNLOGGED" in t.options) != ("UNLOGGED" in have.options) and conn.capabilities.alter_column:
            out.append(f"ALTER TABLE {name} SET {'UNLOGGED' if 'UNLOGGED' in t.options else 'LOGGED'}")
    identity = _replica_identity(conn, t)
    if identity is not None and identity != (_replica_identity(conn, have) if have else "DEFAULT"):
        out.append(f"ALTER TABLE ONLY {name} REPLICA IDENTITY {identity}")
    clustered = next((i.name for i in t.indexes if i.clustered), None)
    had = next((i.name for i in have.indexes if i.clustered), None) if have else None
    if clustered != had and any(i.clustered is not None for i in t.indexes):
        out.append(
            f"ALTER TABLE ONLY {name} CLUSTER ON {conn.quote(clustered)}"
            if clustered
            else f"ALTER TABLE ONLY {name} SET WITHOUT CLUSTER"
        )
    return out


def _replica_identity(conn: Connection, t: Table) -> str | None:
    """What follows REPLICA IDENTITY for `t` (None: not known)."""
    if t.replica_identity == "index":
        index = next((i.name for i in t.indexes if i.replica_identity), None)
        return f"USING INDEX {conn.quote(index)}" if index else "DEFAULT"
    return t.replica_identity.upper() if t.replica_identity else None


Part = PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey | Index | Trigger | Policy


def part_comment(
    conn: Connection, t: Table | View, part: Part, *, readable: bool = False, removed: bool = False
) -> list[str]:
    """COMMENT ON the constraint, index, trigger or policy `part` of `t` (nothing when it has no
    comment, unless `removed`: then `IS NULL`)."""
    if part.comment is None and not removed or not part.name:
        return []
    kind = {Index: "INDEX", Trigger: "TRIGGER", Policy: "POLICY"}.get(type(part), "CONSTRAINT")
    target = (
        _name(conn, t.schema, part.name, readable)
        if kind == "INDEX"
        else f"{conn.quote(part.name)} ON {qualified(conn, t, readable=readable)}"
    )
    return (
        [comment_on(kind, target, part.comment)] if removed else _comments(conn, kind, target, part.comment, readable)
    )


def part_comments(conn: Connection, t: Table, have: Table) -> list[str]:
    """Comments of `t`'s constraints, indexes, triggers and policies back on the same parts of
    `have` (matched by kind and name) where they differ; parts `have` lacks are left out."""

    def parts(x: Table) -> dict[tuple[type, str], Part]:
        every = (
            *([x.primary_key] if x.primary_key else ()),
            *x.uniques,
            *x.checks,
            *x.foreign_keys,
            *x.indexes,
            *x.triggers,
            *x.policies,
        )
        return {(type(p), p.name): p for p in every if p.name}

    held = parts(have)
    return [
        s
        for key, part in parts(t).items()
        if key in held and held[key].comment != part.comment
        for s in part_comment(conn, t, part, removed=True)
    ]


def privileges(
    conn: Connection,
    want: Table | View | Sequence,
    have: Table | View | Sequence | None = None,
    *,
    readable: bool = False,
) -> list[str]:
    """Give `want` (a table, view or sequence) its owner and grants, its columns' grants too,
    from what it `have`s now (None: a new one).

    What `want` does not know (None) is left as it is. Revokes come first, so a grant that only
    changed its grant option is given again after. An owned sequence's owner follows its table's.
    """
    name = qualified(conn, want, readable=readable)
    out = owner_to(conn, want, have, readable=readable)
    if isinstance(want, Sequence):
        name = f"SEQUENCE {name}"
    out += _grants(conn, name, want.grants, have.grants if have else ())
    if isinstance(want, (Table, View)):
        held = {c.name: c.grants for c in have.columns} if isinstance(have, (Table, View)) else {}
        for c in want.columns:
            out += _grants(conn, name, c.grants, held.get(c.name) or (), f" ({conn.quote(c.name)})")
    return out


def function_privileges(conn: Connection, want: Function, have: Function | None = None) -> list[str]:
    """Give the function `want` its owner and EXECUTE grants from what it `have`s now (None: one
    just created, which everyone may execute)."""
    held = have.grants if have is not None else (Grant("public", "EXECUTE"),)
    target = f"{'PROCEDURE' if want.kind == 'procedure' else 'FUNCTION'} {_signature(conn, want)}"
    return owner_to(conn, want, have) + _grants(conn, target, want.grants, held)


def _grants(
    conn: Connection, target: str, want: tuple[Grant, ...] | None, held: tuple[Grant, ...] | None, columns: str = ""
) -> list[str]:
    """REVOKE what is `held` and not wanted, then GRANT what is wanted and not held (on `columns`)."""
    if want is None:
        return []
    held = held or ()
    out = [f"REVOKE {g.privilege}{columns} ON {target} FROM {_role(conn, g.grantee)}" for g in held if g not in want]
    missing: dict[tuple[str, bool], list[str]] = {}
    for g in want:
        if g not in held:
            missing.setdefault((g.grantee, g.grantable), []).append(g.privilege + columns)
    for (grantee, grantable), names in missing.items():
        option = " WITH GRANT OPTION" if grantable else ""
        out.append(f"GRANT {', '.join(names)} ON {target} TO {_role(conn, grantee)}{option}")
    return out


_OWNED_KINDS = {Table: "TABLE", Sequence: "SEQUENCE", Enum: "TYPE", Domain: "DOMAIN"}


def owner_to(
    conn: Connection,
    want: Table | View | Sequence | Enum | Domain | Function | Schema,
    have: object | None = None,
    *,
    readable: bool = False,
) -> list[str]:
    """`ALTER … OWNER TO` when `want` knows its owner and `have` (None: a new object) has another.
    An owned sequence is left alone: it belongs to its table's owner."""
    owner = want.owner
    if not owner or (have is not None and getattr(have, "owner", None) == owner):
        return []
    if isinstance(want, Sequence) and want.owned_by:
        return []
    if isinstance(want, Function):
        kind, name = (
            ("PROCEDURE" if want.kind == "procedure" else "AGGREGATE" if want.kind == "aggregate" else "FUNCTION"),
            _signature(conn, want, readable),
        )
    elif isinstance(want, Schema):
        kind, name = "SCHEMA", conn.quote(want.name)
    else:
        kind = (
            ("MATERIALIZED VIEW" if want.materialized else "VIEW")
            if isinstance(want, View)
            else _OWNED_KINDS[type(want)]
        )
        name = qualified(conn, want, readable=readable)
    return [f"ALTER {kind} {name} OWNER TO {conn.quote(owner)}"]


def add_foreign_key(conn: Connection, t: Table, fk: ForeignKey) -> str:
    return f"ALTER TABLE {qualified(conn, t)} ADD {_constraint_name(conn, fk.name)}{constraint(conn, fk)}"


def drop_constraint(conn: Connection, t: Table, name: str) -> str:
    return f"ALTER TABLE {qualified(conn, t)} DROP CONSTRAINT {conn.quote(name)}"


def create_policy(conn: Connection, t: Table, p: Policy, *, readable: bool = False) -> str:
    roles = ", ".join("public" if r == "public" else conn.quote(r) for r in p.roles) or "public"
    parts = [
        f"CREATE POLICY {conn.quote(p.name)} ON {qualified(conn, t, readable=readable)}",
        f"AS {'PERMISSIVE' if p.permissive else 'RESTRICTIVE'} FOR {p.command} TO {roles}",
    ]
    if p.using:
        parts.append(f"USING ({_expression(p.using, readable)})")
    if p.with_check:
        parts.append(f"WITH CHECK ({_expression(p.with_check, readable)})")
    return _clauses(parts, readable)


def create_trigger(conn: Connection, t: Table | View, trigger: Trigger, *, readable: bool = False) -> list[str]:
    """The trigger's own CREATE text, then how it fires when not the default (disabled, replica,
    always)."""
    if not trigger.definition:
        return []
    return [trigger.definition, *trigger_firing(conn, t, trigger, readable=readable)]


def trigger_firing(
    conn: Connection, t: Table | View, trigger: Trigger, have: Trigger | None = None, *, readable: bool = False
) -> list[str]:
    """ENABLE / DISABLE / ENABLE REPLICA / ENABLE ALWAYS, where `trigger` fires otherwise than
    `have` (None: a trigger just created, which fires on origin)."""
    firing = trigger.firing or ("origin" if trigger.enabled else "disabled")
    held = (have.firing or ("origin" if have.enabled else "disabled")) if have else "origin"
    if firing == held:
        return []
    how = {"origin": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA", "always": "ENABLE ALWAYS"}[firing]
    return [f"ALTER TABLE {qualified(conn, t, readable=readable)} {how} TRIGGER {conn.quote(trigger.name)}"]


def drop_trigger(conn: Connection, trigger: Trigger) -> str:
    if conn.capabilities.functions:  # trigger names are per table where triggers call functions
        return f"DROP TRIGGER {conn.quote(trigger.name)} ON {conn.qualify(trigger.schema, trigger.table)}"
    return f"DROP TRIGGER {conn.qualify(trigger.schema, trigger.name)}"


def drop_policy(conn: Connection, p: Policy) -> str:
    return f"DROP POLICY {conn.quote(p.name)} ON {conn.qualify(p.schema, p.table)}"


# -- other objects ----------------------------------------------------------------------------


def create_view(conn: Connection, v: View, *, readable: bool = False) -> list[str]:
    """The view (its own CREATE text where the database keeps one), its indexes, comment, triggers,
    owner and grants."""
    definition = (v.definition or "").strip().rstrip(";")
    kind = "MATERIALIZED VIEW" if v.materialized else "VIEW"
    name = qualified(conn, v, readable=readable)
    if definition[:6].upper() == "CREATE":
        out = [definition]
    else:
        options = f" WITH ({with_parameters(v.parameters)})" if v.parameters else ""
        out = [f"CREATE {kind} {name}{options} AS{_break(readable)}{definition}"]
    out += [i.definition for i in v.indexes if i.definition]
    out += _comments(conn, kind, name, v.comment, readable)
    out += [s for i in v.indexes for s in part_comment(conn, v, i, readable=readable)]
    for trigger in v.triggers:
        out += create_trigger(conn, v, trigger, readable=readable)
        out += part_comment(conn, v, trigger, readable=readable)
    return out + privileges(conn, v, readable=readable)


def drop_view(conn: Connection, v: View) -> str:
    return f"DROP {'MATERIALIZED VIEW' if v.materialized else 'VIEW'} {qualified(conn, v)}"


def create_enum(conn: Connection, e: Enum, *, readable: bool = False) -> list[str]:
    name = qualified(conn, e, readable=readable)
    values = _listed([literal(v) for v in e.values], readable)
    return [
        f"CREATE TYPE {name} AS ENUM {values}",
        *_comments(conn, "TYPE", name, e.comment, readable),
        *owner_to(conn, e, readable=readable),
    ]


def create_domain(conn: Connection, d: Domain, *, readable: bool = False) -> list[str]:
    name = qualified(conn, d, readable=readable)
    parts = [f"CREATE DOMAIN {name} AS {d.base_type}"]
    if d.default is not None:
        parts.append(f"DEFAULT {d.default}")
    if not d.nullable:
        parts.append("NOT NULL")
    parts += [_constraint_name(conn, c.name) + constraint(conn, c) for c in d.checks]
    return [
        _clauses(parts, readable),
        *_comments(conn, "DOMAIN", name, d.comment, readable),
        *owner_to(conn, d, readable=readable),
    ]


def create_sequence(conn: Connection, s: Sequence, *, readable: bool = False) -> list[str]:
    """CREATE SEQUENCE with its options, then its comment (owner and grants: `privileges`)."""
    name = qualified(conn, s, readable=readable)
    create = _clauses([f"CREATE SEQUENCE {name} AS {s.data_type}", *sequence_options(s)], readable)
    return [create, *_comments(conn, "SEQUENCE", name, s.comment, readable)]


_TYPE_RANGE = {"smallint": 2**15, "integer": 2**31, "bigint": 2**63}


def sequence_options(s: Sequence, have: Sequence | None = None) -> list[str]:
    """START, INCREMENT, MINVALUE, MAXVALUE, CACHE and CYCLE of `s`, where they differ from
    `have` (None: a new sequence, which gets START and INCREMENT always and the others where they
    are not what CREATE SEQUENCE gives by itself)."""
    if have is None:
        limit = _TYPE_RANGE.get(s.data_type, 2**63)
        ascending = (s.increment or 1) > 0
        have = Sequence(
            s.schema,
            s.name,
            s.data_type,
            minimum=1 if ascending else -limit,
            maximum=limit - 1 if ascending else -1,
            cache=1,
            cycle=False,
        )
    out = []
    for field, clause in (
        ("start", "START WITH {}"),
        ("increment", "INCREMENT BY {}"),
        ("minimum", "MINVALUE {}"),
        ("maximum", "MAXVALUE {}"),
        ("cache", "CACHE {}"),
    ):
        value = getattr(s, field)
        if value is not None and value != getattr(have, field):
            out.append(clause.format(value))
    if s.cycle is not None and s.cycle != have.cycle:
        out.append("CYCLE" if s.cycle else "NO CYCLE")
    return out


def own_sequence(conn: Connection, s: Sequence, *, readable: bool = False) -> str:
    """ALTER SEQUENCE … OWNED BY the column the catalog says (or NONE)."""
    if not s.owned_by:
        return f"ALTER SEQUENCE {qualified(conn, s, readable=readable)} OWNED BY NONE"
    table, _, column = s.owned_by.rpartition(".")
    owner = f"{_name(conn, s.schema, table, readable)}.{conn.quote(column)}"
    return f"ALTER SEQUENCE {qualified(conn, s, readable=readable)} OWNED BY {owner}"


def create_function(conn: Connection, f: Function, *, readable: bool = False) -> list[str]:
    """The function's own CREATE text and its comment; nothing (to read: a note) when the
    database reports no definition (aggregates, window functions)."""
    signature = _signature(conn, f, readable)
    if not f.definition:
        return [f"-- {f.kind} {signature}: definition not reported"] if readable else []
    return [
        f.definition,
        *_comments(conn, f.kind.upper(), signature, f.comment, readable),
        *owner_to(conn, f, readable=readable),
    ]


def drop_function(conn: Connection, f: Function) -> str:
    return f"DROP {'PROCEDURE' if f.kind == 'procedure' else 'FUNCTION'} {_signature(conn, f)}"


def create_collation(conn: Connection, c: Collation) -> str:
    """CREATE COLLATION with its provider and locale (ICU and builtin) or LC_COLLATE/LC_CTYPE (libc)."""
    options = [f"provider = {c.provider}"]
    if c.provider == "libc":
        options += [f"lc_collate = {literal(c.lc_collate or '')}", f"lc_ctype = {literal(c.lc_ctype or '')}"]
    else:
        options.append(f"locale = {literal(c.locale or '')}")
    if not c.deterministic:
        options.append("deterministic = false")
    return f"CREATE COLLATION {conn.qualify(c.schema, c.name)} ({', '.join(options)})"


def drop_type(conn: Connection, obj: Enum | Domain) -> str:
    return f"DROP {'DOMAIN' if isinstance(obj, Domain) else 'TYPE'} {qualified(conn, obj)}"


# -- showing one object -----------------------------------------------------------------------


def ddl(obj: CatalogObject, conn: Connection, catalog: Catalog | None = None) -> str:
    """Readable DDL for `obj`: statements separated by blank lines, each ending in `;`.

    The database's own text where it keeps one (SQLite's CREATE TABLE), else rendered from the
    catalog; it runs on an empty database and gives the same catalog back. With `catalog`,
    identity columns show their sequence's options.
    """
    if isinstance(obj, Table):
        statements = [
            create_table(conn, obj, catalog, foreign_keys=True, readable=True),
            *table_dressing(conn, obj, readable=True, foreign_keys=True),
            *privileges(conn, obj, readable=True),
        ]
    elif isinstance(obj, View):
        statements = create_view(conn, obj, readable=True)
    elif isinstance(obj, Enum):
        statements = create_enum(conn, obj, readable=True)
    elif isinstance(obj, Domain):
        statements = create_domain(conn, obj, readable=True)
    elif isinstance(obj, Sequence):
        statements = create_sequence(conn, obj, readable=True)
        statements += [own_sequence(conn, obj, readable=True)] if obj.owned_by else []
        statements += privileges(conn, obj, readable=True)
    else:
        statements = create_function(conn, obj, readable=True)
    return "\n\n".join(_terminated(s) for s in statements) + "\n"


# -- pieces -----------------------------------------------------------------------------------


def _name(conn: Connection, schema: str, name: str, readable: bool) -> str:
    return conn.quote(name) if readable and schema == conn.default_schema else conn.qualify(schema, name)


def _dotted_name(conn: Connection, dotted: str, readable: bool) -> str:
    """`_name` of a "schema.name" the catalog stores as one string (a partition's or child's parent)."""
    schema, _, name = dotted.partition(".")
    return _name(conn, schema, name, readable)


def _role(conn: Connection, role: str) -> str:
    return "PUBLIC" if role == "public" else conn.quote(role)


def _signature(conn: Connection, f: Function, readable: bool = False) -> str:
    return f"{_name(conn, f.schema, f.name, readable)}({f.arguments})"


def _constraint_name(conn: Connection, name: str | None) -> str:
    return f"CONSTRAINT {conn.quote(name)} " if name else ""


def _columns(conn: Connection, columns: tuple[str, ...]) -> str:
    return ", ".join(conn.quote(c) for c in columns)


def _comments(conn: Connection, kind: str, target: str, text: str | None, readable: bool) -> list[str]:
    """COMMENT ON where the backend has it; to read elsewhere, the comment as SQL comment lines."""
    if text is None:
        return []
    if conn.capabilities.comments:
        return [comment_on(kind, target, text)]
    return ["\n".join(f"-- {line}" for line in f"{kind.lower()} {target}: {text}".splitlines())] if readable else []


def _break(readable: bool) -> str:
    return "\n" if readable else " "


def _clauses(parts: list[str], readable: bool) -> str:
    """A statement's clauses: on one line to run, one per line to read."""
    return (f"\n{_INDENT}" if readable else " ").join(parts)


def _listed(items: list[str], one_per_line: bool) -> str:
    """A parenthesised list: `(a, b)`, or one item per line."""
    if one_per_line:
        return f"(\n{_INDENT}" + f",\n{_INDENT}".join(items) + "\n)"
    return "(" + ", ".join(items) + ")"


def _expression(text: str, readable: bool) -> str:
    return _unwrap(text) if readable else text


def _unwrap(expression: str) -> str:
    """`(x > 0)` → `x > 0` when the outer parentheses enclose the whole expression (quoted
    text aside: `(a = '(') OR (b = ')')` stays as it is)."""
    text = expression.strip()
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:  # inside '…' or "…": parentheses there are text
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "()":
            depth += 1 if ch == "(" else -1
            if depth == 0 and i < len(text) - 1:
                return text
    return text[1:-1]


def _terminated(statement: str) -> str:
    statement = statement.rstrip()
    if statement.endswith(";") or statement.splitlines()[-1].lstrip().startswith("--"):
        return statement
    return statement + ";"
