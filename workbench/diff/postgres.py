"""The statements that turn one PostgreSQL catalog into another, in dependency order.

Tables are altered in place wherever PostgreSQL can (columns added, dropped, retyped with
`USING col::type`, defaults, NOT NULL, identity, constraints, indexes), so rows stay. Views,
triggers and policies that stand in the way of a change are dropped and made again; enums gain
values in place (`ADD VALUE … BEFORE/AFTER`) and are rebuilt when values go or move. A table that
changes between ordinary and partitioned is rebuilt with its rows copied across.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TypeVar

from workbench.db import ddl
from workbench.db.base import Connection
from workbench.db.catalog import (
    Catalog,
    CheckConstraint,
    Column,
    Domain,
    Enum,
    ForeignKey,
    Function,
    Grant,
    Index,
    Policy,
    PrimaryKey,
    Sequence,
    Table,
    UniqueConstraint,
    View,
)
from workbench.db.catalog_diff import same
from workbench.diff.depends import closure, mentions, ordered, words
from workbench.diff.extensions import update_problem
from workbench.diff.steps import Steps

Key = tuple[str, str]
_ASIDE = "workbench_rebuild_"


def statements(a: Catalog, b: Catalog, conn: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(statements, problems) from `a` to `b`."""
    writer = _Writer(a, b, conn)
    writer.run()
    return writer.steps.statements(), tuple(writer.problems)


class _Writer:
    def __init__(self, a: Catalog, b: Catalog, conn: Connection) -> None:
        self.a, self.b, self.conn = a, b, conn
        self.steps = Steps()
        self.problems: list[str] = []
        self.a_tables = {t.key: t for t in a.tables}
        self.b_tables = {t.key: t for t in b.tables}
        self.rebuilt = {k for k, t in self.b_tables.items() if k in self.a_tables and _rebuild(self.a_tables[k], t)}
        self.gone = {k for k in self.a_tables if k not in self.b_tables} | self.rebuilt
        self.rebuilt_enums = {e.key for e in b.enums if _enum_rebuild(_by_key(a.enums).get(e.key), e)}
        self.replaced_functions: set[str] = set()  # "schema.name" of functions dropped and made again

    def add(self, phase: str, *sql: str) -> None:
        self.steps.add(phase, *sql)

    def run(self) -> None:
        self.extensions()
        self.schemas()
        self.collations()
        self.functions()
        self.enums()
        self.domains()
        self.sequences()
        self.views()
        self.tables()
        if self.steps.has("functions") or self.steps.has("late_functions"):
            self.add("pre", "SET check_function_bodies = false")

    # -- extensions and schemas ---------------------------------------------------------------

    def extensions(self) -> None:
        q = self.conn.quote
        olds = {x.name: x for x in self.a.extensions}
        news = {x.name: x for x in self.b.extensions}
        for name in olds:
            if name not in news:
                self.add("drop_extensions", f"DROP EXTENSION {q(name)}")
        for name, x in news.items():
            old = olds.get(name)
            if old is None:
                self.add(
                    "extensions",
                    f"CREATE EXTENSION IF NOT EXISTS {q(name)} WITH SCHEMA {q(x.schema)} VERSION {ddl.literal(x.version)}",
                )
                continue
            if old.schema != x.schema:
                self.add("extensions", f"ALTER EXTENSION {q(name)} SET SCHEMA {q(x.schema)}")
            if old.version != x.version:
                problem = update_problem(self.conn, old, x)
                if problem:
                    self.problems.append(problem)
                else:
                    self.add("extensions", f"ALTER EXTENSION {q(name)} UPDATE TO {ddl.literal(x.version)}")

    def schemas(self) -> None:
        q = self.conn.quote
        olds = {s.name: s for s in self.a.schemas}
        for s in self.b.schemas:
            old = olds.get(s.name)
            if old is None:
                self.add("schemas", f"CREATE SCHEMA {q(s.name)}")
            self.add("privileges", *ddl.owner_to(self.conn, s, old))
            if (old.comment if old else None) != s.comment:
                self.add("comments", ddl.comment_on("SCHEMA", q(s.name), s.comment))
        news = {s.name for s in self.b.schemas}
        for s in self.a.schemas:
            if s.name not in news:
                self.add("drop_schemas", f"DROP SCHEMA {q(s.name)}")

    # -- types --------------------------------------------------------------------------------

    def collations(self) -> None:
        olds = {c.key: c for c in self.a.collations}
        news = {c.key: c for c in self.b.collations}
        for key, c in olds.items():
            if key not in news:
                self.add("drop_types", f"DROP COLLATION {self.conn.qualify(*key)}")
            elif news[key] != c:
                self.add("replace_types", f"DROP COLLATION {self.conn.qualify(*key)}")
        for key, c in news.items():
            if olds.get(key) != c:
                self.add("types", ddl.create_collation(self.conn, c))

    def enums(self) -> None:
        olds = _by_key(self.a.enums)
        news = _by_key(self.b.enums)
        for key, e in olds.items():
            if key not in news:
                self.add("drop_types", ddl.drop_type(self.conn, e))
        for key, e in news.items():
            old = olds.get(key)
            name = ddl.qualified(self.conn, e)
            if old is None:
                self.add("types", *ddl.create_enum(self.conn, e))
                continue
            if key in self.rebuilt_enums:
                self.rebuild_enum(old, e)
            else:
                self.add("types", *_added_values(name, old.values, e.values))
            if old.comment != e.comment:
                self.add("comments", ddl.comment_on("TYPE", name, e.comment))
            self.add("privileges", *ddl.owner_to(self.conn, e, old))

    def rebuild_enum(self, old: Enum, e: Enum) -> None:
        """Values went or moved: a new type under the old name, its columns cast across by text."""
        conn, q = self.conn, self.conn.quote
        name = ddl.qualified(conn, e)
        aside = conn.qualify(e.schema, f"{e.name}__workbench_old")
        self.add("types", f"ALTER TYPE {name} RENAME TO {q(e.name + '__workbench_old')}")
        self.add("types", *ddl.create_enum(conn, dataclasses.replace(e, comment=None, owner=None)))
        for t, c in self.enum_columns(old):
            target = ddl.qualified(conn, t)
            array = "[]" if c.data_type.endswith("[]") else ""
            if c.default is not None:
                self.add("types", f"ALTER TABLE {target} ALTER COLUMN {q(c.name)} DROP DEFAULT")
            self.add(
                "types",
                f"ALTER TABLE {target} ALTER COLUMN {q(c.name)} TYPE {name}{array} "
                f"USING {q(c.name)}::text{array}::{name}{array}",
            )
            if c.default is not None:
                self.add("types", f"ALTER TABLE {target} ALTER COLUMN {q(c.name)} SET DEFAULT {c.default}")
        self.add("types", f"DROP TYPE {aside}")

    def enum_columns(self, e: Enum) -> list[tuple[Table, Column]]:
        """Columns of tables that stay whose type is `e` (or an array of it) on both sides."""
        out = []
        for key, t in self.a_tables.items():
            target = self.b_tables.get(key)
            if target is None or key in self.rebuilt or t.partition_of or t.inherits:
                continue
            for c in t.columns:
                new = target.column(c.name)
                if new is not None and _is_type(c.data_type, e) and _is_type(new.data_type, e):
                    out.append((target, new))
        return out

    def domains(self) -> None:
        conn = self.conn
        olds = _by_key(self.a.domains)
        news = _by_key(self.b.domains)
        for key, d in olds.items():
            if key not in news or news[key].base_type != d.base_type:
                self.add("drop_types", ddl.drop_type(conn, d))
        for key, d in news.items():
            old = olds.get(key)
            if old is None or old.base_type != d.base_type:
                self.add("types", *ddl.create_domain(conn, d))
            elif not same(old, d):
                self.alter_domain(old, d)

    def alter_domain(self, old: Domain, d: Domain) -> None:
        conn = self.conn
        name = f"DOMAIN {ddl.qualified(conn, d)}"
        if old.default != d.default:
            self.add("types", f"ALTER {name} " + (f"SET DEFAULT {d.default}" if d.default else "DROP DEFAULT"))
        if old.nullable != d.nullable:
            self.add("types", f"ALTER {name} {'DROP' if d.nullable else 'SET'} NOT NULL")
        had = {c.name: ddl.constraint(conn, c) for c in old.checks}
        want = {c.name: ddl.constraint(conn, c) for c in d.checks}
        for cname, body in had.items():
            if cname and want.get(cname) != body:
                self.add("types", f"ALTER {name} DROP CONSTRAINT {conn.quote(cname)}")
        for cname, body in want.items():
            if cname and had.get(cname) != body:
                self.add("types", f"ALTER {name} ADD CONSTRAINT {conn.quote(cname)} {body}")
        if old.comment != d.comment:
            self.add("comments", ddl.comment_on("DOMAIN", ddl.qualified(conn, d), d.comment))
        self.add("privileges", *ddl.owner_to(conn, d, old))

    # -- sequences ----------------------------------------------------------------------------

    def sequences(self) -> None:
        conn = self.conn
        olds = _by_key(self.a.sequences)
        news = _by_key(self.b.sequences)
        for key, s in olds.items():
            if key not in news and not _identity_sequence(self.a, s):
                self.add("drop_sequences", f"DROP SEQUENCE IF EXISTS {ddl.qualified(conn, s)}")
        for key, s in news.items():
            old = olds.get(key)
            name = ddl.qualified(conn, s)
            if _identity_sequence(self.b, s):
                self.identity_sequence(old, s)
                continue
            if old is None or _identity_sequence(self.a, old):
                self.add("sequences", *ddl.create_sequence(conn, s))
                old = None
            elif old.owned_by and (old.schema, old.owned_by.rpartition(".")[0]) in self.gone:
                # kept apart from its table before DROP TABLE would take it along
                self.add("set_aside", ddl.own_sequence(conn, dataclasses.replace(old, owned_by=None)))
                old = dataclasses.replace(old, owned_by=None)
            else:
                options = ddl.sequence_options(s, old)
                if old.data_type != s.data_type:
                    options.insert(0, f"AS {s.data_type}")
                if options:
                    self.add("sequences", f"ALTER SEQUENCE {name} {' '.join(options)}")
                if old.comment != s.comment:
                    self.add("comments", ddl.comment_on("SEQUENCE", name, s.comment))
            if (old.owned_by if old else None) != s.owned_by:
                self.add("ownership", ddl.own_sequence(conn, s))
            self.add("privileges", *ddl.privileges(conn, s, old))

    def identity_sequence(self, old: Sequence | None, s: Sequence) -> None:
        """An identity column's sequence comes with its column; only its options are set."""
        name = ddl.qualified(self.conn, s)
        table = s.owned_by.rpartition(".")[0] if s.owned_by else ""
        if old is None and (s.schema, table) not in self.a_tables:
            return  # made by CREATE TABLE with its options
        options = ddl.sequence_options(s, old if old is not None and _identity_sequence(self.a, old) else None)
        if old is not None and old.data_type != s.data_type:
            options.insert(0, f"AS {s.data_type}")
        if options:
            self.add("ownership", f"ALTER SEQUENCE {name} {' '.join(options)}")
        self.add("privileges", *ddl.privileges(self.conn, s, old))

    # -- functions ----------------------------------------------------------------------------

    def functions(self) -> None:
        conn = self.conn
        olds = {f.key: f for f in self.a.functions}
        news = {f.key: f for f in self.b.functions}
        enum_names = [k[1] for k in self.rebuilt_enums]
        for key, f in olds.items():
            new = news.get(key)
            if new is None or new.returns != f.returns or new.kind != f.kind or _uses(f, enum_names):
                self.add("drop_functions", ddl.drop_function(conn, f))
                self.replaced_functions.add(f"{f.schema}.{f.name}")
        relations = [t.name for t in self.b.tables] + [v.name for v in self.b.views]
        for key, f in news.items():
            old = olds.get(key)
            if old is not None and f"{f.schema}.{f.name}" not in self.replaced_functions:
                if same(old, f):
                    continue
                if same(dataclasses.replace(old, grants=f.grants), f):
                    self.add("privileges", *ddl.function_privileges(conn, f, old))
                    continue
            if not f.definition:
                self.problems.append(f"the {f.kind} {f.signature} has no definition the catalog can write")
                continue
            late = mentions(f"{f.arguments} {f.returns or ''}", relations)
            self.add("late_functions" if late else "functions", *ddl.create_function(conn, f))
            kept = old is not None and f"{f.schema}.{f.name}" not in self.replaced_functions
            made = dataclasses.replace(f, grants=(Grant("public", "EXECUTE"),))
            self.add("privileges", *ddl.function_privileges(conn, f, old if kept else made))

    # -- views --------------------------------------------------------------------------------

    def views(self) -> None:
        conn = self.conn
        olds = _by_key(self.a.views)
        news = _by_key(self.b.views)
        changed_tables = {k for k, t in self.a_tables.items() if k in self.gone or _columns_change(t, self.b_tables[k])}
        enum_tables = {t.key for e in self.rebuilt_enums for t, _ in self.enum_columns(_by_key(self.a.enums)[e])}
        start = {f"{k[0]}.{k[1]}" for k, v in olds.items() if k not in news or not same(v, news[k])}
        start |= {f"{s}.{n}" for s, n in changed_tables | enum_tables} | self.replaced_functions
        start |= {f"{k[0]}.{k[1]}" for k in self.rebuilt_enums}
        candidates = {f"{k[0]}.{k[1]}": v.definition for k, v in olds.items()}
        doomed = {name for name in closure(start, candidates) if name in candidates}
        dropping = [v for k, v in olds.items() if f"{k[0]}.{k[1]}" in doomed]
        for v in reversed(ordered(dropping, _dotted, _text)):
            self.add("drop_views", ddl.drop_view(conn, v))
        making = [v for k, v in news.items() if k not in olds or f"{k[0]}.{k[1]}" in doomed]
        for v in ordered(making, _dotted, _text):
            self.add("views", *ddl.create_view(conn, v))
            name = ddl.qualified(conn, v)
            for c in v.columns:
                if c.comment is not None:
                    self.add("comments", ddl.comment_on("COLUMN", f"{name}.{conn.quote(c.name)}", c.comment))

    # -- tables -------------------------------------------------------------------------------

    def tables(self) -> None:
        conn = self.conn
        dropping = [t for k, t in self.a_tables.items() if k in self.gone]
        if dropping:
            self.add("drop_tables", "DROP TABLE " + ", ".join(ddl.qualified(conn, t) for t in dropping))
        for key in self.rebuilt:
            self.set_aside(self.a_tables[key], self.b_tables[key])
        creating = [t for k, t in self.b_tables.items() if k not in self.a_tables or k in self.rebuilt]
        for t in _parents_first(creating):
            self.add("tables", ddl.create_table(conn, t, self.b, stored_text=False))
            self.alter_table(_as_created(t), t, new=True)
        doomed_refs = self.doomed_references()
        for key, t in self.b_tables.items():
            old = self.a_tables.get(key)
            if old is not None and key not in self.rebuilt:
                self.alter_table(old, t, new=False, doomed_refs=doomed_refs)

    def set_aside(self, old: Table, t: Table) -> None:
        """Rows of a table that is rebuilt wait in a copy and come back into the new one; its
        sequences stay (owned by nobody meanwhile)."""
        conn, q = self.conn, self.conn.quote
        aside = conn.qualify(old.schema, _ASIDE + old.name)
        self.add("set_aside", f"CREATE TABLE {aside} AS SELECT * FROM {ddl.qualified(conn, old)}")
        for s in self.a.sequences:
            if s.schema == old.schema and (s.owned_by or "").rpartition(".")[0] == old.name:
                if not _identity_sequence(self.a, s):
                    self.add("set_aside", ddl.own_sequence(conn, dataclasses.replace(s, owned_by=None)))
        for s in self.b.sequences:
            if s.schema == t.schema and (s.owned_by or "").rpartition(".")[0] == t.name:
                if not _identity_sequence(self.b, s):
                    self.add("ownership", ddl.own_sequence(conn, s))
        common = ", ".join(q(c.name) for c in t.columns if old.column(c.name) is not None and not c.generated)
        overriding = " OVERRIDING SYSTEM VALUE" if any(c.identity == "always" for c in t.columns) else ""
        if common:
            self.add(
                "refill",
                f"INSERT INTO {ddl.qualified(conn, t)} ({common}){overriding} SELECT {common} FROM {aside}",
            )
        self.add("refill", f"DROP TABLE {aside}")

    def doomed_references(self) -> set[Key]:
        """Tables whose keys change: foreign keys pointing at them are dropped and added again."""
        out = set(self.gone)
        for key, t in self.a_tables.items():
            new = self.b_tables.get(key)
            if new is None:
                continue
            if _keys(self.conn, t) != _keys(self.conn, new) or _columns_change(t, new):
                out.add(key)
        return out

    def alter_table(self, old: Table, t: Table, *, new: bool, doomed_refs: set[Key] | None = None) -> None:
        conn = self.conn
        name = ddl.qualified(conn, t)
        if not new:
            self.parentage(old, t)
            self.columns(old, t)
        self.constraints(old, t, doomed_refs or set())
        self.indexes(old, t)
        self.add("indexes", *ddl.table_settings(conn, t, None if new else old))
        self.add("refill" if new else "columns", *ddl.column_settings(conn, t, None if new else old))
        self.triggers(old, t)
        self.policies(old, t, new)
        if old.comment != t.comment:
            self.add("comments", ddl.comment_on("TABLE", name, t.comment))
        for c in t.columns:
            had = old.column(c.name)
            if (had.comment if had else None) != c.comment:
                self.add("comments", ddl.comment_on("COLUMN", f"{name}.{conn.quote(c.name)}", c.comment))
        self.add("privileges", *ddl.privileges(conn, t, None if new else old))

    def parentage(self, old: Table, t: Table) -> None:
        conn, name = self.conn, ddl.qualified(self.conn, t)
        if old.partition_of and (old.partition_of != t.partition_of or old.partition_bound != t.partition_bound):
            parent = conn.qualify(*old.partition_of.split(".", 1))
            self.add("detach", f"ALTER TABLE {parent} DETACH PARTITION {name}")
        if t.partition_of and (old.partition_of != t.partition_of or old.partition_bound != t.partition_bound):
            parent = conn.qualify(*t.partition_of.split(".", 1))
            self.add("constraints", f"ALTER TABLE {parent} ATTACH PARTITION {name} {t.partition_bound}")
        for p in old.inherits or ():
            if p not in (t.inherits or ()):
                self.add("detach", f"ALTER TABLE {name} NO INHERIT {conn.qualify(*p.split('.', 1))}")
        for p in t.inherits or ():
            if p not in (old.inherits or ()):
                self.add("constraints", f"ALTER TABLE {name} INHERIT {conn.qualify(*p.split('.', 1))}")
        if ("UNLOGGED" in old.options) != ("UNLOGGED" in t.options):
            self.add("columns", f"ALTER TABLE {name} SET {'UNLOGGED' if 'UNLOGGED' in t.options else 'LOGGED'}")

    def columns(self, old: Table, t: Table) -> None:
        conn, q = self.conn, self.conn.quote
        name = ddl.qualified(conn, t)
        child = bool(t.partition_of or t.inherits)
        stays_child = child and (old.partition_of == t.partition_of and (old.inherits or ()) == (t.inherits or ()))
        for c in old.columns:
            if t.column(c.name) is None and not (c.inherited and child):
                self.add("drop_columns", f"ALTER TABLE {name} DROP COLUMN IF EXISTS {q(c.name)}")
        for c in t.columns:
            had = old.column(c.name)
            if had is None:
                if not (c.inherited and stays_child):
                    self.add("columns", f"ALTER TABLE {name} ADD COLUMN {ddl.column_definition(conn, t, c, self.b)}")
            elif not (c.inherited and had.inherited and child):
                self.alter_column(t, had, c)

    def alter_column(self, t: Table, had: Column, c: Column) -> None:
        conn, q = self.conn, self.conn.quote
        name = ddl.qualified(conn, t)
        col = f"ALTER TABLE {name} ALTER COLUMN {q(c.name)}"
        if had.generated != c.generated and c.generated:
            self.add("drop_columns", f"ALTER TABLE {name} DROP COLUMN {q(c.name)}")
            self.add("columns", f"ALTER TABLE {name} ADD COLUMN {ddl.column_definition(conn, t, c, self.b)}")
            return
        if had.generated and not c.generated:
            self.add("columns", f"{col} DROP EXPRESSION")
        retyped = (had.data_type, had.collation) != (c.data_type, c.collation)
        if had.default is not None and (had.default != c.default or retyped):
            self.add("drop_defaults", f"{col} DROP DEFAULT")
        if had.identity and had.identity != c.identity and not c.identity:
            self.add("drop_defaults", f"{col} DROP IDENTITY")
        if retyped:
            collate = f" COLLATE {q(c.collation)}" if c.collation else ""
            self.add("columns", f"{col} TYPE {c.data_type}{collate} USING {q(c.name)}::{c.data_type}")
        if c.default is not None and (had.default != c.default or retyped):
            self.add("columns", f"{col} SET DEFAULT {c.default}")
        if had.nullable != c.nullable:
            self.add("columns", f"{col} {'DROP' if c.nullable else 'SET'} NOT NULL")
        if c.identity and had.identity != c.identity:  # after NOT NULL, which identity needs
            how = f"GENERATED {c.identity.upper()}"
            self.add("columns", f"{col} SET {how}" if had.identity else f"{col} ADD {how} AS IDENTITY")

    def constraints(self, old: Table, t: Table, doomed_refs: set[Key]) -> None:
        conn = self.conn
        name = ddl.qualified(conn, t)
        for kind, drop_phase, add_phase in (
            ("key", "drop_constraints", "constraints"),
            ("fk", "drop_foreign_keys", "foreign_keys"),
        ):
            had = _constraints(conn, old, kind)
            want = _constraints(conn, t, kind)
            for cname, (body, _) in had.items():
                doomed = kind == "fk" and (_fk_target(old, cname) in doomed_refs)
                if want.get(cname, (None,))[0] != body or (doomed and cname in want):
                    self.add(drop_phase, f"ALTER TABLE {name} DROP CONSTRAINT IF EXISTS {conn.quote(cname)}")
            for cname, (body, part) in want.items():
                doomed = kind == "fk" and (_fk_target(t, cname) in doomed_refs) and cname in had
                if had.get(cname, (None,))[0] != body or doomed:
                    self.add(add_phase, f"ALTER TABLE {name} ADD CONSTRAINT {conn.quote(cname)} {body}")
                    self.add("comments", *ddl.part_comment(conn, t, part))
                elif had[cname][1].comment != part.comment:
                    self.add("comments", *ddl.part_comment(conn, t, part, removed=True))

    def indexes(self, old: Table, t: Table) -> None:
        conn = self.conn
        had = {i.name: i for i in old.indexes if not (i.constraint or i.primary)}
        want = {i.name: i for i in t.indexes if not (i.constraint or i.primary)}
        for iname, i in had.items():
            if not _same_index(i, want.get(iname)):
                self.add("drop_constraints", f"DROP INDEX IF EXISTS {conn.qualify(old.schema, iname)}")
        for iname, i in want.items():
            if not _same_index(i, had.get(iname)) and i.definition:
                if t.partition_key:  # made on every partition too, before the partitions' own indexes
                    self.add("constraints", _if_not_exists(i.definition).replace(" ON ONLY ", " ON ", 1))
                else:
                    self.add("indexes", _if_not_exists(i.definition))
                self.add("comments", *ddl.part_comment(conn, t, i))
            elif iname in had and had[iname].comment != i.comment:
                self.add("comments", *ddl.part_comment(conn, t, i, removed=True))

    def triggers(self, old: Table, t: Table) -> None:
        conn = self.conn
        had = {tr.name: tr for tr in old.triggers}
        for tr in t.triggers:
            prior = had.get(tr.name)
            replaced = tr.function is not None and tr.function in self.replaced_functions
            if prior is None or prior.definition != tr.definition or replaced:
                if prior is not None:
                    self.add("drop_triggers", ddl.drop_trigger(conn, prior))
                self.add("triggers", *ddl.create_trigger(conn, t, tr), *ddl.part_comment(conn, t, tr))
            else:
                self.add("triggers", *ddl.trigger_firing(conn, t, tr, prior))
                if prior.comment != tr.comment:
                    self.add("comments", *ddl.part_comment(conn, t, tr, removed=True))
        names = {tr.name for tr in t.triggers}
        for tr in old.triggers:
            if tr.name not in names:
                self.add("drop_triggers", ddl.drop_trigger(conn, tr))

    def policies(self, old: Table, t: Table, new: bool) -> None:
        conn = self.conn
        name = ddl.qualified(conn, t)
        had = {p.name: p for p in old.policies}
        shaken = not new and _columns_change(old, t)
        for p in t.policies:
            prior = had.get(p.name)
            if prior is None or not _same_policy(prior, p) or shaken:
                if prior is not None:
                    self.add("drop_policies", ddl.drop_policy(conn, prior))
                self.add("policies", ddl.create_policy(conn, t, p), *ddl.part_comment(conn, t, p))
            elif prior.comment != p.comment:
                self.add("comments", *ddl.part_comment(conn, t, p, removed=True))
        names = {p.name for p in t.policies}
        for p in old.policies:
            if p.name not in names:
                self.add("drop_policies", ddl.drop_policy(conn, p))
        if old.rls_enabled != t.rls_enabled:
            self.add("policies", f"ALTER TABLE {name} {'ENABLE' if t.rls_enabled else 'DISABLE'} ROW LEVEL SECURITY")
        if old.rls_forced != t.rls_forced:
            self.add("policies", f"ALTER TABLE {name} {'' if t.rls_forced else 'NO '}FORCE ROW LEVEL SECURITY")


# -- helpers ------------------------------------------------------------------------------------


_Keyed = TypeVar("_Keyed", Enum, Domain, Sequence, View)


def _by_key(objects: Iterable[_Keyed]) -> dict[Key, _Keyed]:
    return {o.key: o for o in objects}


def _dotted(v: View) -> str:
    return f"{v.schema}.{v.name}"


def _text(v: View) -> str | None:
    return v.definition


def _rebuild(old: Table, t: Table) -> bool:
    """ALTER cannot give `t`: it changes between ordinary and partitioned, gains a parent, or its columns would
    end up in another order (PostgreSQL only appends them; a generated column whose expression
    changes is dropped and appended)."""
    if bool(old.partition_key) != bool(t.partition_key):
        return True
    if set(t.inherits or ()) - set(old.inherits or ()):
        return True  # INHERIT would keep the columns the table has as its own; CREATE … INHERITS does not
    if t.partition_of or t.inherits or old.partition_of or old.inherits:
        return False
    regenerated = {c.name for c in t.columns if c.generated and (old.column(c.name) or c).generated != c.generated}
    kept = [c.name for c in old.columns if t.column(c.name) is not None and c.name not in regenerated]
    added = [c.name for c in t.columns if old.column(c.name) is None or c.name in regenerated]
    return kept + added != [c.name for c in t.columns]


def _as_created(t: Table) -> Table:
    """`t` as `create_table` leaves it: columns, keys and CHECKs, nothing else yet."""
    return dataclasses.replace(
        t,
        columns=tuple(dataclasses.replace(c, comment=None) for c in t.columns),
        checks=tuple(c for c in t.checks if not (c.definition or "").endswith(" NOT VALID")),
        foreign_keys=(),
        indexes=tuple(i for i in t.indexes if i.constraint or i.primary),
        triggers=(),
        policies=(),
        rls_enabled=False,
        rls_forced=False,
        comment=None,
        owner=None,
        grants=None,
    )


def _parents_first(tables: list[Table]) -> list[Table]:
    """Tables in an order where partitions and INHERITS children follow their parents."""
    keys = {f"{t.schema}.{t.name}" for t in tables}

    def depth(t: Table, seen: frozenset[str] = frozenset()) -> int:
        parents = [p for p in (t.partition_of, *(t.inherits or ())) if p and p in keys and p not in seen]
        by_name = {f"{x.schema}.{x.name}": x for x in tables}
        return 1 + max((depth(by_name[p], seen | {p}) for p in parents), default=0)

    return sorted(tables, key=depth)


def _columns_change(a: Table, b: Table) -> bool:
    """Columns went, came in the middle, or changed type: what views and policies on the table feel."""
    before, after = _column_shape(a), _column_shape(b)
    return before != after[: len(before)]


def _column_shape(t: Table) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.name, c.data_type, c.collation, c.generated) for c in t.columns]


def _keys(conn: Connection, t: Table) -> set[str]:
    """What foreign keys into `t` rest on: its primary key, unique constraints and unique indexes."""
    parts: list[PrimaryKey | UniqueConstraint] = [t.primary_key] if t.primary_key else []
    parts += list(t.uniques)
    out = {f"{p.name}:{ddl.constraint(conn, p)}" for p in parts}
    return out | {f"{i.name}:{i.definition}" for i in t.indexes if i.unique and not i.constraint}


def _constraints(
    conn: Connection, t: Table, kind: str
) -> dict[str, tuple[str, PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey]]:
    """Named constraints of `t` as name → (body, constraint): keys and CHECKs, or foreign keys."""
    if kind == "fk":
        parts: list[PrimaryKey | UniqueConstraint | CheckConstraint | ForeignKey] = list(t.foreign_keys)
    else:
        parts = [t.primary_key] if t.primary_key else []
        parts += [*t.uniques, *(c for c in t.checks if not c.inherited)]
    return {p.name: (ddl.constraint(conn, p), p) for p in parts if p.name}


def _fk_target(t: Table, name: str) -> Key | None:
    fk = next((f for f in t.foreign_keys if f.name == name), None)
    return (fk.ref_schema, fk.ref_table) if fk else None


def _same_index(a: Index, b: Index | None) -> bool:
    if b is None:
        return False
    strip = dict(comment=None, clustered=None, replica_identity=None)
    return same(dataclasses.replace(a, **strip), dataclasses.replace(b, **strip))  # type: ignore[arg-type]


def _same_policy(a: Policy, b: Policy) -> bool:
    return dataclasses.replace(a, comment=None) == dataclasses.replace(b, comment=None)


def _if_not_exists(definition: str) -> str:
    """A CREATE INDEX that leaves alone the index a partition already got from its parent."""
    return re.sub(r"^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)", r"CREATE \1INDEX IF NOT EXISTS ", definition, count=1)


def _identity_sequence(catalog: Catalog, s: Sequence) -> bool:
    if not s.owned_by:
        return False
    table, _, column = s.owned_by.rpartition(".")
    t = catalog.table(table, s.schema)
    c = t.column(column) if t else None
    return bool(c and c.identity)


def _is_type(data_type: str, e: Enum) -> bool:
    base = data_type.removesuffix("[]").replace('"', "")
    return base in (e.name, f"{e.schema}.{e.name}")


def _uses(f: Function, names: list[str]) -> bool:
    return bool(names) and bool(words(f"{f.arguments} {f.returns or ''}") & {n.lower() for n in names})


def _enum_rebuild(old: Enum | None, new: Enum) -> bool:
    """Values went or changed order: ADD VALUE cannot do it."""
    if old is None:
        return False
    kept = [v for v in new.values if v in old.values]
    return kept != list(old.values)


def _added_values(name: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    """ALTER TYPE … ADD VALUE for each new value, placed BEFORE or AFTER its neighbour."""
    out = []
    placed = list(before)
    for i, v in enumerate(after):
        if v in placed:
            continue
        if not placed:
            out.append(f"ALTER TYPE {name} ADD VALUE {ddl.literal(v)}")
        elif i > 0:
            out.append(f"ALTER TYPE {name} ADD VALUE {ddl.literal(v)} AFTER {ddl.literal(after[i - 1])}")
        else:
            following = next(x for x in after if x in placed)
            out.append(f"ALTER TYPE {name} ADD VALUE {ddl.literal(v)} BEFORE {ddl.literal(following)}")
        placed.append(v)
    return out
