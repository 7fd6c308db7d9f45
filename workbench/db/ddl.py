"""SQL statements for catalog objects: one vocabulary to put objects back and to show them.

Two callers use the same builders:

- Putting objects back (rollback, repair, the coverage report) uses the defaults. Where the
  database keeps an object's own text (SQLite's `CREATE TABLE`, every `CREATE INDEX` and
  trigger, PostgreSQL's function definitions), that text is used as it is, so the object comes
  back exactly; everything else is rendered from the catalog's fields. Names are always
  schema-qualified, since the search path at restore time is not ours to assume.
- Showing objects (Browse's DDL tab) goes through `ddl()`, which renders from the catalog
  (`stored_text=False`) with `readable=True`: names in the connection's default schema left
  unqualified, one clause per line, the outer parentheses the database adds to expressions
  dropped, default foreign-key actions left out, and comments as SQL comments where the
  backend has no `COMMENT ON`.

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
    Column,
    Domain,
    Enum,
    ForeignKey,
    Function,
    Policy,
    PrimaryKey,
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


def qualified(conn: Connection, obj: Table | View | Enum | Domain | Sequence, *, readable: bool = False) -> str:
    """The object's quoted name: schema-qualified, except in the default schema when `readable`."""
    return _name(conn, obj.schema, obj.name, readable)


def comment_on(kind: str, target: str, text: str | None) -> str:
    """`COMMENT ON kind target IS 'text'`; None removes the comment (`IS NULL`)."""
    return f"COMMENT ON {kind} {target} IS {literal(text) if text is not None else 'NULL'}"


# -- tables -----------------------------------------------------------------------------------


def create_table(conn: Connection, t: Table, catalog: Catalog | None = None, *, stored_text: bool = True,
                 foreign_keys: bool = False, readable: bool = False) -> str:
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
    if t.partition_of:
        parent_schema, _, parent = t.partition_of.partition(".")
        head = f"CREATE TABLE {name} PARTITION OF {_name(conn, parent_schema, parent, readable)}"
        return _clauses([head, t.partition_bound or ""], readable)
    body = [_column(conn, t, c, catalog, readable) for c in t.columns]
    named: list[Constraint] = [t.primary_key] if t.primary_key else []
    named += [*t.uniques, *(c for c in t.checks if not c.column)]
    named += t.foreign_keys if foreign_keys else ()
    body += [_constraint_name(conn, c.name) + constraint(conn, c, readable=readable) for c in named]
    unlogged = "UNLOGGED " if "UNLOGGED" in t.options else ""
    tail = f"{_break(readable)}PARTITION BY {t.partition_key}" if t.partition_key else ""
    options = [o for o in t.options if o != "UNLOGGED"]  # WITHOUT ROWID, STRICT
    if options:
        tail += " " + ", ".join(options)
    return f"CREATE {unlogged}TABLE {name} {_listed(body, True)}{tail}"


def _column(conn: Connection, t: Table, c: Column, catalog: Catalog | None, readable: bool) -> str:
    parts = [conn.quote(c.name), c.data_type]
    if c.collation:
        parts.append(f"COLLATE {conn.quote(c.collation)}")
    if c.generated:
        kind = (c.generated_kind or "stored").upper()
        parts.append(f"GENERATED ALWAYS AS ({_expression(c.generated, readable)}) {kind}")
    elif c.identity:
        seq = owned_sequence(catalog, t, c.name) if catalog is not None else None
        options = (
            f" (SEQUENCE NAME {qualified(conn, seq, readable=readable)}"
            f" START WITH {seq.start} INCREMENT BY {seq.increment})"
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
    """A table constraint's body, as it follows `CONSTRAINT name` in CREATE or ALTER TABLE."""
    if isinstance(c, PrimaryKey):
        return f"PRIMARY KEY ({_columns(conn, c.columns)})"
    if isinstance(c, UniqueConstraint):
        return c.definition or f"UNIQUE ({_columns(conn, c.columns)})"
    if isinstance(c, CheckConstraint):  # domains report the whole `CHECK (…)`, tables the expression
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
    return sql


def owned_sequence(catalog: Catalog, t: Table, column: str) -> Sequence | None:
    """The sequence owned by `t.column` (serial or identity), when the catalog has one."""
    return next(
        (s for s in catalog.sequences if s.schema == t.schema and s.owned_by == f"{t.name}.{column}"), None
    )


def owned_sequences(catalog: Catalog, t: Table) -> list[Sequence]:
    """The sequences `t`'s columns own, in column order (a backup records their positions)."""
    return [s for s in (owned_sequence(catalog, t, c.name) for c in t.columns) if s is not None]


def table_dressing(conn: Connection, t: Table, *, readable: bool = False) -> list[str]:
    """What goes on a table after its rows are in: indexes, comments, row security, triggers
    (then its owner and grants: `privileges`)."""
    out = [i.definition for i in t.indexes if i.definition and not i.constraint and not i.primary]
    name = qualified(conn, t, readable=readable)
    out += _comments(conn, "TABLE", name, t.comment, readable)
    for c in t.columns:
        out += _comments(conn, "COLUMN", f"{name}.{conn.quote(c.name)}", c.comment, readable)
    if conn.capabilities.rls:
        if t.rls_enabled:
            out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
        if t.rls_forced:
            out.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        out += [create_policy(conn, t, p, readable=readable) for p in t.policies]
    for trigger in t.triggers:
        out += create_trigger(conn, t, trigger, readable=readable)
    return out


def privileges(conn: Connection, want: Table | View | Sequence, have: Table | View | Sequence | None = None, *,
               readable: bool = False) -> list[str]:
    """Give `want` (a table, view or sequence) its owner and grants, from what it `have`s now
    (None: a new one).

    What `want` does not know (None) is left as it is. Revokes come first, so a grant that only
    changed its grant option is given again after. A sequence's owner follows its table's.
    """
    name = qualified(conn, want, readable=readable)
    out = []
    owner = getattr(want, "owner", None)
    if owner and (have is None or getattr(have, "owner", None) != owner):
        kind = "TABLE" if isinstance(want, Table) else "MATERIALIZED VIEW" if want.materialized else "VIEW"
        out.append(f"ALTER {kind} {name} OWNER TO {conn.quote(owner)}")
    if want.grants is None:
        return out
    if isinstance(want, Sequence):
        name = f"SEQUENCE {name}"
    held = (have.grants or ()) if have else ()
    out += [f"REVOKE {g.privilege} ON {name} FROM {_role(conn, g.grantee)}" for g in held if g not in want.grants]
    missing: dict[tuple[str, bool], list[str]] = {}
    for g in want.grants:
        if g not in held:
            missing.setdefault((g.grantee, g.grantable), []).append(g.privilege)
    for (grantee, grantable), names in missing.items():
        option = " WITH GRANT OPTION" if grantable else ""
        out.append(f"GRANT {', '.join(names)} ON {name} TO {_role(conn, grantee)}{option}")
    return out


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
    """The trigger's own CREATE text, then DISABLE when it was disabled."""
    out = [trigger.definition] if trigger.definition else []
    if out and not trigger.enabled:
        out.append(f"ALTER TABLE {qualified(conn, t, readable=readable)} DISABLE TRIGGER {conn.quote(trigger.name)}")
    return out


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
        out = [f"CREATE {kind} {name} AS{_break(readable)}{definition}"]
    out += [i.definition for i in v.indexes if i.definition]
    out += _comments(conn, kind, name, v.comment, readable)
    for trigger in v.triggers:
        out += create_trigger(conn, v, trigger, readable=readable)
    return out + privileges(conn, v, readable=readable)


def drop_view(conn: Connection, v: View) -> str:
    return f"DROP {'MATERIALIZED VIEW' if v.materialized else 'VIEW'} {qualified(conn, v)}"


def create_enum(conn: Connection, e: Enum, *, readable: bool = False) -> list[str]:
    name = qualified(conn, e, readable=readable)
    values = _listed([literal(v) for v in e.values], readable)
    return [f"CREATE TYPE {name} AS ENUM {values}", *_comments(conn, "TYPE", name, e.comment, readable)]


def create_domain(conn: Connection, d: Domain, *, readable: bool = False) -> list[str]:
    name = qualified(conn, d, readable=readable)
    parts = [f"CREATE DOMAIN {name} AS {d.base_type}"]
    if d.default is not None:
        parts.append(f"DEFAULT {d.default}")
    if not d.nullable:
        parts.append("NOT NULL")
    parts += [_constraint_name(conn, c.name) + constraint(conn, c) for c in d.checks]
    return [_clauses(parts, readable), *_comments(conn, "DOMAIN", name, d.comment, readable)]


def create_sequence(conn: Connection, s: Sequence, *, readable: bool = False) -> str:
    parts = [f"CREATE SEQUENCE {qualified(conn, s, readable=readable)} AS {s.data_type}"]
    if s.start is not None:
        parts.append(f"START WITH {s.start}")
    if s.increment is not None:
        parts.append(f"INCREMENT BY {s.increment}")
    return _clauses(parts, readable)


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
    return [f.definition, *_comments(conn, f.kind.upper(), signature, f.comment, readable)]


def drop_function(conn: Connection, f: Function) -> str:
    return f"DROP {'PROCEDURE' if f.kind == 'procedure' else 'FUNCTION'} {_signature(conn, f)}"


def drop_type(conn: Connection, obj: Enum | Domain) -> str:
    return f"DROP {'DOMAIN' if isinstance(obj, Domain) else 'TYPE'} {qualified(conn, obj)}"


# -- showing one object -----------------------------------------------------------------------


def ddl(obj: CatalogObject, conn: Connection, catalog: Catalog | None = None) -> str:
    """Readable DDL for `obj`: statements separated by blank lines, each ending in `;`.

    Rendered from the catalog, not from stored text, so it shows what the workbench believes the
    schema is; it runs on an empty database and gives the same catalog back. With `catalog`,
    identity columns show their sequence's options.
    """
    if isinstance(obj, Table):
        statements = [
            create_table(conn, obj, catalog, stored_text=False, foreign_keys=True, readable=True),
            *table_dressing(conn, obj, readable=True),
            *privileges(conn, obj, readable=True),
        ]
    elif isinstance(obj, View):
        statements = create_view(conn, obj, readable=True)
    elif isinstance(obj, Enum):
        statements = create_enum(conn, obj, readable=True)
    elif isinstance(obj, Domain):
        statements = create_domain(conn, obj, readable=True)
    elif isinstance(obj, Sequence):
        statements = [create_sequence(conn, obj, readable=True)]
        statements += [own_sequence(conn, obj, readable=True)] if obj.owned_by else []
        statements += privileges(conn, obj, readable=True)
    else:
        statements = create_function(conn, obj, readable=True)
    return "\n\n".join(_terminated(s) for s in statements) + "\n"


# -- pieces -----------------------------------------------------------------------------------


def _name(conn: Connection, schema: str, name: str, readable: bool) -> str:
    return conn.quote(name) if readable and schema == conn.default_schema else conn.qualify(schema, name)


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
