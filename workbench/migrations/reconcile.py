"""Bringing a database back to a recorded schema, with the rows of backed-up tables.

`repair(before, now, backups)` compares the schema recorded before a migration with the schema
now and lists the steps that make them equal again:

- tables the migration made, and views, functions, types it made, are dropped;
- a table with a backup comes back from it: recreated from its recorded definition when its
  shape changed (or it is gone), or emptied and refilled when only its rows changed;
- a table without a backup that only gained things (columns at the end, indexes, constraints,
  triggers, policies, comments, grants) loses them again, and gets back its owner and the
  grants it lost; on a backend that rebuilds tables instead of altering them (SQLite), it is
  rebuilt in its old shape from its current rows;
- foreign keys and views that had to go while tables were replaced are put back.

What cannot be undone without losing data (a column whose type changed with no backup, a
dropped table with no backup, enum values PostgreSQL cannot remove) is reported as a problem,
one sentence each, and the caller refuses. The engine runs the steps in one transaction, then
compares again and repairs what remains (e.g. a sequence's owner), or rolls everything back.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from workbench.db import ddl
from workbench.db.base import Connection
from workbench.db.catalog import (
    Catalog,
    Column,
    Domain,
    Enum,
    ForeignKey,
    Function,
    Index,
    Policy,
    Schema,
    Sequence,
    Table,
)
from workbench.db.catalog_diff import same
from workbench.migrations.backups import Backup, Backups
from workbench.migrations.steps import Step

TableKey = tuple[str, str]
_Owned = Schema | Enum | Domain | Sequence | Function  # what `_owner_and_comment` gives back


@dataclass(frozen=True)
class Repair:
    steps: tuple[Step, ...]
    problems: tuple[str, ...]  # what cannot be repaired, one sentence each


def repair(
    before: Catalog, now: Catalog, backups: Mapping[TableKey, Backup], conn: Connection, keeper: Backups | None = None
) -> Repair:
    """The steps from `now` back to `before` (both without workbench objects)."""
    return _Repairer(before, now, backups, conn, keeper or Backups(conn)).run()


class _Repairer:
    def __init__(
        self, before: Catalog, now: Catalog, backups: Mapping[TableKey, Backup], conn: Connection, keeper: Backups
    ) -> None:
        self.before, self.now, self.conn, self.keeper = before, now, conn, keeper
        self.caps = conn.capabilities
        self.backups = backups
        self.b_tables = {t.key: t for t in before.tables}
        self.n_tables = {t.key: t for t in now.tables}
        self.steps: list[Step] = []
        self.problems: list[str] = []
        self.foreign_keys: list[tuple[Table, ForeignKey]] = []  # recorded ones to add at the end
        self.dropped: set[tuple[TableKey, str]] = set()  # constraints already dropped by a step

    def add(
        self,
        action: str,
        text: str,
        *sql: str,
        table: str | None = None,
        rows: int | None = None,
        any_order: bool = False,
    ) -> None:
        if sql:
            self.steps.append(Step(action, text, tuple(sql), table=table, rows=rows, any_order=any_order))

    # -- deciding what happens to each table ---------------------------------------------------

    def run(self) -> Repair:
        refill: dict[TableKey, Backup] = {}  # same shape, rows from the backup
        recreate: dict[TableKey, Backup] = {}  # shape and rows from the backup
        rebuild: list[tuple[Table, Table]] = []  # old shape, current rows (no ALTER on this backend)
        adjust: list[tuple[Table, Table]] = []  # old shape by ALTERs, rows stay
        for key, b in self.b_tables.items():
            n, backup = self.n_tables.get(key), self.backups.get(key)
            if n is None or not same(b, n):
                if backup is not None:
                    recreate[key] = backup
                elif n is None:
                    self.problems.append(f"table {b.qualified_name} is gone and there is no backup of it")
                elif not self.caps.alter_column and {c.name for c in b.columns} <= set(n.column_names):
                    rebuild.append((b, n))
                else:
                    adjust.append((b, n))
            elif backup is not None:
                refill[key] = backup
        added = [n for key, n in self.n_tables.items() if key not in self.b_tables]
        replaced = [self.n_tables[k] for k in recreate if k in self.n_tables]
        going = {t.key for t in (*added, *replaced)} | {b.key for b, _ in rebuild}

        dropped_views = self.drop_views(going)
        self.drop_incoming_foreign_keys(going | set(refill), going)
        for b, n in adjust:
            self.adjust_removals(b, n)
        for key in refill:
            self.drop_triggers(self.n_tables[key])
        self.detach_sequences(going)
        for t in (*added, *replaced):
            self.add(
                "drop",
                f"drop table {t.qualified_name}",
                f"DROP TABLE {ddl.qualified(self.conn, t)}",
                table=t.qualified_name,
            )
        self.drop_objects()
        self.create_objects()
        for key, backup in sorted(recreate.items(), key=lambda kv: self.b_tables[kv[0]].partition_of is not None):
            self.recreate(self.b_tables[key], backup)
        for b, n in rebuild:
            self.rebuild(b, n)
        for key, backup in refill.items():
            self.refill(self.b_tables[key], backup)
        for b, n in adjust:
            self.adjust_additions(b, n)
        for b, fk in self.foreign_keys:
            self.add(
                "alter",
                f"add foreign key {fk.name or ', '.join(fk.columns)} of {b.qualified_name}",
                ddl.add_foreign_key(self.conn, b, fk),
                *ddl.part_comment(self.conn, b, fk),
                table=b.qualified_name,
            )
        self.own_sequences(going | set(recreate))
        self.create_views(dropped_views)
        return Repair(tuple(self.steps), tuple(self.problems))

    # -- views ---------------------------------------------------------------------------------

    def drop_views(self, going: set[TableKey]) -> set[tuple[str, str]]:
        """Drop views that were added or changed, or that read (directly or through other views)
        a table about to be dropped: a database that tracks dependencies refuses otherwise."""
        b_views = {v.key: v for v in self.before.views}
        doomed = {v.key for v in self.now.views if v.key not in b_views or not same(b_views[v.key], v)}
        names = {name.lower() for _, name in going}
        changed = True
        while changed:
            changed = False
            for v in self.now.views:
                if v.key not in doomed and (names | {k[1].lower() for k in doomed}) & _words(v.definition):
                    doomed.add(v.key)
                    changed = True
        for v in self.now.views:
            if v.key in doomed:  # views on views: dropped in whatever order the database accepts
                self.add("drop", f"drop view {v.qualified_name}", ddl.drop_view(self.conn, v), any_order=True)
        return doomed

    def create_views(self, dropped: set[tuple[str, str]]) -> None:
        n_views = {v.key for v in self.now.views}
        wanted = [v for v in self.before.views if v.key in dropped or v.key not in n_views]
        for v in wanted:
            self.add("create", f"create view {v.qualified_name}", *ddl.create_view(self.conn, v), any_order=True)

    # -- foreign keys, triggers, sequences around replaced tables ------------------------------

    def drop_incoming_foreign_keys(self, targets: set[TableKey], going: set[TableKey]) -> None:
        """Constraints that point at tables about to be dropped or emptied: a database that
        enforces them refuses otherwise. Recorded ones on tables that stay come back at the end."""
        if not self.caps.alter_column:
            return  # constraints live in the table text and are not enforced while we work
        for n in self.now.tables:
            b = self.b_tables.get(n.key)
            for fk in n.foreign_keys:
                target = (fk.ref_schema, fk.ref_table)
                if target not in targets or target == n.key or not fk.name:
                    continue
                self.add(
                    "alter",
                    f"drop foreign key {fk.name} of {n.qualified_name} for now",
                    ddl.drop_constraint(self.conn, n, fk.name),
                    table=n.qualified_name,
                )
                self.dropped.add((n.key, fk.name))
                if n.key in going or b is None:
                    continue
                recorded = self._same_foreign_key(b, fk)
                if recorded is not None:
                    self.foreign_keys.append((b, recorded))

    def drop_triggers(self, t: Table) -> None:
        for trigger in t.triggers:
            self.add(
                "drop",
                f"drop trigger {trigger.name} on {t.qualified_name} for now",
                ddl.drop_trigger(self.conn, trigger),
                table=t.qualified_name,
            )

    def detach_sequences(self, going: set[TableKey]) -> None:
        """Sequences the old tables will need again survive the drop of their current owner."""
        if not self.caps.sequences:
            return
        n_seqs = {s.key: s for s in self.now.sequences}
        for s in self.before.sequences:
            current = n_seqs.get(s.key)
            if current is None or not current.owned_by or self._identity(s):
                continue
            owner = (s.schema, current.owned_by.rpartition(".")[0])
            if owner in going:
                self.add(
                    "alter",
                    f"keep sequence {s.schema}.{s.name} while its table is replaced",
                    ddl.own_sequence(self.conn, dataclasses.replace(current, owned_by=None)),
                )

    def own_sequences(self, replaced: set[TableKey]) -> None:
        if not self.caps.sequences:
            return
        n_seqs = {s.key: s for s in self.now.sequences}
        for s in self.before.sequences:
            if not s.owned_by or self._identity(s):
                continue
            owner = (s.schema, s.owned_by.rpartition(".")[0])
            current = n_seqs.get(s.key)
            if owner in replaced or current is None or current.owned_by != s.owned_by:
                # a sequence kept aside while its table was replaced takes the recorded owner
                # first: it must have its table's owner to belong to it
                kept = (
                    ddl.owner_to(self.conn, dataclasses.replace(s, owned_by=None), current) if owner in replaced else []
                )
                self.add(
                    "alter",
                    f"sequence {s.schema}.{s.name} owned by {s.owned_by}",
                    *kept,
                    ddl.own_sequence(self.conn, s),
                )

    def _identity(self, s: Sequence) -> bool:
        """Identity sequences belong to their column: they come and go with the table."""
        table, _, column = (s.owned_by or "").rpartition(".")
        t = self.b_tables.get((s.schema, table))
        col = t.column(column) if t else None
        return bool(col and col.identity)

    # -- objects other than tables --------------------------------------------------------------

    def drop_objects(self) -> None:
        conn = self.conn
        b_funcs = {f.key: f for f in self.before.functions}
        for f in self.now.functions:
            if f.key not in b_funcs:
                self.add("drop", f"drop {f.kind} {f.signature}", ddl.drop_function(conn, f))
        b_types = {o.key for o in (*self.before.enums, *self.before.domains)}
        now_types: tuple[Enum | Domain, ...] = (*self.now.domains, *self.now.enums)
        for obj in now_types:
            if obj.key not in b_types:
                self.add("drop", f"drop type {obj.schema}.{obj.name}", ddl.drop_type(conn, obj))
        b_seqs = {s.key for s in self.before.sequences}
        for s in self.now.sequences:
            if s.key not in b_seqs:
                self.add(
                    "drop", f"drop sequence {s.schema}.{s.name}", f"DROP SEQUENCE IF EXISTS {ddl.qualified(conn, s)}"
                )
        b_ext = {x.name for x in self.before.extensions}
        for x in self.now.extensions:
            if x.name not in b_ext:
                self.add("drop", f"drop extension {x.name}", f"DROP EXTENSION {conn.quote(x.name)}")
        b_schemas = {s.name for s in self.before.schemas}
        if self.caps.schemas:
            for schema in self.now.schemas:
                if schema.name not in b_schemas:
                    self.add("drop", f"drop schema {schema.name}", f"DROP SCHEMA {conn.quote(schema.name)}")

    def create_objects(self) -> None:
        """Give back the objects other than tables and views: made again, or altered back."""
        self.extensions_back()
        if self.caps.schemas:
            self.schemas_back()
        self.enums_back()
        self.domains_back()
        self.sequences_back()
        self.functions_back()

    def extensions_back(self) -> None:
        conn = self.conn
        n_ext = {x.name: x for x in self.now.extensions}
        for x in self.before.extensions:
            current = n_ext.get(x.name)
            if current is None:
                self.add(
                    "create",
                    f"create extension {x.name} {x.version}",
                    f"CREATE EXTENSION {conn.quote(x.name)} WITH SCHEMA {conn.quote(x.schema)} "
                    f"VERSION {ddl.literal(x.version)}",
                )
            elif current.version != x.version:
                self.add(
                    "alter",
                    f"extension {x.name} back to {x.version}",
                    f"ALTER EXTENSION {conn.quote(x.name)} UPDATE TO {ddl.literal(x.version)}",
                )

    def schemas_back(self) -> None:
        conn = self.conn
        n_schemas = {s.name: s for s in self.now.schemas}
        for s in self.before.schemas:
            current = n_schemas.get(s.name)
            if current is None:
                self.add("create", f"create schema {s.name}", f"CREATE SCHEMA {conn.quote(s.name)}")
            self.add(
                "alter",
                f"owner and comment of schema {s.name} back",
                *self._owner_and_comment(s, current, "SCHEMA", conn.quote(s.name)),
            )

    def enums_back(self) -> None:
        conn = self.conn
        n_enums = {e.key: e for e in self.now.enums}
        for e in self.before.enums:
            current = n_enums.get(e.key)
            if current is None:
                self.add("create", f"create type {e.schema}.{e.name}", *ddl.create_enum(conn, e))
            elif current.values == e.values:
                self.add(
                    "alter",
                    f"owner and comment of type {e.schema}.{e.name} back",
                    *self._owner_and_comment(e, current, "TYPE", ddl.qualified(conn, e)),
                )
            elif len(current.values) == len(e.values):
                self.add("alter", f"enum {e.schema}.{e.name} values renamed back", *_renames_back(conn, e, current))
            else:
                extra = [v for v in current.values if v not in e.values]
                self.problems.append(
                    f"enum {e.schema}.{e.name} has values it did not have before ({', '.join(extra)}), "
                    "and PostgreSQL cannot remove enum values"
                    if extra and [v for v in current.values if v in e.values] == list(e.values)
                    else f"enum {e.schema}.{e.name} changed its values ({', '.join(current.values)}) in a way "
                    "only a down script can undo"
                )

    def domains_back(self) -> None:
        conn = self.conn
        n_domains = {d.key: d for d in self.now.domains}
        for d in self.before.domains:
            current = n_domains.get(d.key)
            if current is None:
                self.add("create", f"create domain {d.schema}.{d.name}", *ddl.create_domain(conn, d))
            elif not same(dataclasses.replace(current, comment=d.comment, owner=d.owner), d):
                self.problems.append(f"domain {d.schema}.{d.name} changed; this needs a down script")
            else:
                self.add(
                    "alter",
                    f"owner and comment of domain {d.schema}.{d.name} back",
                    *self._owner_and_comment(d, current, "DOMAIN", ddl.qualified(conn, d)),
                )

    def sequences_back(self) -> None:
        conn = self.conn
        n_seqs = {s.key: s for s in self.now.sequences}
        for s in self.before.sequences:
            current = n_seqs.get(s.key)
            if current is None and not self._identity(s):
                self.add(
                    "create",
                    f"create sequence {s.schema}.{s.name}",
                    *ddl.create_sequence(conn, s),
                    *ddl.privileges(conn, s),
                )
            elif current is not None:
                name = ddl.qualified(conn, s)
                options = ddl.sequence_options(s, current)
                self.add(
                    "alter",
                    f"options of sequence {s.schema}.{s.name} back",
                    *([f"ALTER SEQUENCE {name} {' '.join(options)}"] if options else []),
                    *self._owner_and_comment(dataclasses.replace(s, owner=None), current, "SEQUENCE", name),
                )
                self.add("alter", f"privileges on sequence {s.schema}.{s.name} back", *ddl.privileges(conn, s, current))

    def functions_back(self) -> None:
        conn = self.conn
        n_funcs = {f.key: f for f in self.now.functions}
        for f in self.before.functions:
            current = n_funcs.get(f.key)
            if current is None or not same(dataclasses.replace(current, comment=f.comment, owner=f.owner), f):
                self.add("create", f"create {f.kind} {f.signature}", *ddl.create_function(conn, f))
            else:
                self.add(
                    "alter",
                    f"owner and comment of {f.kind} {f.signature} back",
                    *self._owner_and_comment(f, current, f.kind.upper(), f"{ddl.qualified(conn, f)}({f.arguments})"),
                )

    def _owner_and_comment(self, want: _Owned, have: _Owned | None, kind: str, target: str) -> list[str]:
        """The ALTER … OWNER TO and COMMENT ON that give `want` back the owner and comment that
        `have` (None: just created) lost."""
        held = have.comment if have is not None else None
        comment = [ddl.comment_on(kind, target, want.comment)] if want.comment != held else []
        return [*ddl.owner_to(self.conn, want, have), *comment]

    # -- tables -------------------------------------------------------------------------------

    def recreate(self, b: Table, backup: Backup) -> None:
        name = b.qualified_name
        self.add("create", f"create table {name} as recorded", ddl.create_table(self.conn, b, self.before), table=name)
        if not b.sql:  # rendered without foreign keys: the tables they point at may not be back yet
            self.foreign_keys += [(b, fk) for fk in b.foreign_keys]
        self.add(
            "restore",
            f"restore {backup.row_count:,} rows of {name} from backup #{backup.id}",
            *self.keeper.copy_back_sql(backup, b),
            table=name,
            rows=backup.row_count,
        )
        self.add("create", f"indexes, comments and triggers of {name}", *ddl.table_dressing(self.conn, b), table=name)
        self.add("alter", f"owner and grants of {name} as recorded", *ddl.privileges(self.conn, b), table=name)

    def refill(self, b: Table, backup: Backup) -> None:
        name, target = b.qualified_name, ddl.qualified(self.conn, b)
        empty = f"TRUNCATE TABLE {target}" if self.caps.truncate else f"DELETE FROM {target}"
        self.add(
            "restore",
            f"empty {name} and restore its {backup.row_count:,} rows from backup #{backup.id}",
            empty,
            *self.keeper.copy_back_sql(backup, b),
            table=name,
            rows=backup.row_count,
        )
        sql = [s for trigger in b.triggers for s in ddl.create_trigger(self.conn, b, trigger)]
        self.add("create", f"triggers of {name}", *sql, table=name)

    def rebuild(self, b: Table, n: Table) -> None:
        """Old shape, current rows (SQLite's way to alter a table): the rows go aside, the table is
        created again from its recorded text (never renamed into place, which would rewrite that
        text), and the rows come back with their rowids."""
        conn, name = self.conn, b.qualified_name
        aside = conn.qualify(b.schema, f"workbench_rebuild_{b.name}")
        names = [c.name for c in b.columns if not c.generated]
        rowid = _rowid_alias(b) if self.caps.rowid else None
        keys = [rowid] if rowid else []
        columns = ", ".join(conn.quote(c) for c in [*keys, *names])
        self.add(
            "restore",
            f"rebuild {name} in its recorded shape, keeping its rows",
            f"CREATE TABLE {aside} AS SELECT {columns} FROM {ddl.qualified(conn, n)}",
            f"DROP TABLE {ddl.qualified(conn, n)}",
            ddl.create_table(conn, b, self.before),
            f"INSERT INTO {ddl.qualified(conn, b)} ({columns}) SELECT {columns} FROM {aside}",
            f"DROP TABLE {aside}",
            *ddl.table_dressing(conn, b),
            table=name,
        )

    def adjust_removals(self, b: Table, n: Table) -> None:
        """Take away what the migration added to a table that stays (first half of an adjust)."""
        conn, name = self.conn, b.qualified_name
        if b.inherits is not None and n.inherits is not None:  # first: what a parent gave becomes droppable
            for parent in n.inherits:
                if parent not in b.inherits:
                    self.add(
                        "alter",
                        f"{name} no longer inherits from {parent}",
                        f"ALTER TABLE {ddl.qualified(conn, n)} NO INHERIT {conn.qualify(*parent.split('.', 1))}",
                        table=name,
                    )
        b_trg = {t.name: t for t in b.triggers}
        for t in n.triggers:
            if b_trg.get(t.name, None) is None or b_trg[t.name].definition != t.definition:
                self.add("drop", f"drop trigger {t.name} on {name}", ddl.drop_trigger(conn, t), table=name)
        b_pol = {p.name: p for p in b.policies}
        for p in n.policies:
            if not _same_policy(b_pol.get(p.name), p):
                self.add("drop", f"drop policy {p.name} on {name}", ddl.drop_policy(conn, p), table=name)
        b_idx = {i.name: i for i in b.indexes if not i.constraint}
        for i in n.indexes:
            if not i.constraint and not _same_index(b_idx.get(i.name), i):
                self.add("drop", f"drop index {i.name}", f"DROP INDEX {conn.qualify(n.schema, i.name)}", table=name)
        for kind, b_parts, n_parts in self.constraints(b, n):
            for cname, body in n_parts.items():
                if (n.key, cname) in self.dropped:
                    continue
                if b_parts.get(cname) != body and self._alter(name, f"the {kind} {cname}"):
                    self.add("alter", f"drop {kind} {cname} of {name}", ddl.drop_constraint(conn, n, cname), table=name)
        self.foreign_keys += [(b, fk) for fk in b.foreign_keys if self._same_foreign_key(n, fk) is None]
        b_cols = list(b.columns)
        for position, c in enumerate(n.columns):
            if position >= len(b_cols):
                self.add(
                    "alter",
                    f"drop column {name}.{c.name}",
                    f"ALTER TABLE {ddl.qualified(conn, n)} DROP COLUMN {conn.quote(c.name)}",
                    table=name,
                )
            elif not _same_column_kind(b_cols[position], c):
                was = b_cols[position]
                self.problems.append(
                    f"column {name}.{was.name} changed ({_column_change(was, c)}) and there is no backup of {name}"
                )
        if len(n.columns) < len(b_cols):
            missing = ", ".join(c.name for c in b_cols[len(n.columns) :])
            self.problems.append(f"{name} lost columns {missing} and there is no backup of it")

    def adjust_additions(self, b: Table, n: Table) -> None:
        """Put back attributes, constraints, indexes, triggers, policies, comments (second half)."""
        conn, name, target = self.conn, b.qualified_name, ddl.qualified(self.conn, b)
        for bc, nc in zip(b.columns, n.columns, strict=False):  # added or lost columns: adjust_removals
            if not _same_column_kind(bc, nc):
                continue
            col = f"{target} ALTER COLUMN {conn.quote(bc.name)}"
            if bc.default != nc.default and self._alter(name, f"the default of {bc.name}"):
                self.add(
                    "alter",
                    f"default of {name}.{bc.name} back",
                    f"ALTER TABLE {col} " + (f"SET DEFAULT {bc.default}" if bc.default is not None else "DROP DEFAULT"),
                )
            if bc.nullable != nc.nullable and self._alter(name, f"NOT NULL on {bc.name}"):
                self.add(
                    "alter",
                    f"NOT NULL of {name}.{bc.name} back",
                    f"ALTER TABLE {col} " + ("DROP NOT NULL" if bc.nullable else "SET NOT NULL"),
                )
            if bc.comment != nc.comment and self.caps.comments:
                self.add(
                    "alter",
                    f"comment on {name}.{bc.name} back",
                    ddl.comment_on("COLUMN", f"{target}.{conn.quote(bc.name)}", bc.comment),
                )
        self.add(
            "alter",
            f"column statistics, storage and compression of {name} back",
            *ddl.column_settings(conn, b, n),
            table=name,
        )
        recorded = {c.name: c for c in (*([b.primary_key] if b.primary_key else ()), *b.uniques, *b.checks)}
        for kind, b_parts, n_parts in self.constraints(b, n):
            for cname, body in b_parts.items():
                if n_parts.get(cname) != body and kind != "foreign key" and self._alter(name, f"the {kind} {cname}"):
                    self.add(
                        "alter",
                        f"add {kind} {cname} of {name}",
                        f"ALTER TABLE {target} ADD CONSTRAINT {conn.quote(cname)} {body}",
                        *ddl.part_comment(conn, b, recorded[cname]),
                        table=name,
                    )
        n_idx = {i.name: i for i in n.indexes if not i.constraint}
        for i in b.indexes:
            if not i.constraint and not i.primary and i.definition and not _same_index(n_idx.get(i.name), i):
                self.add("create", f"create index {i.name}", i.definition, *ddl.part_comment(conn, b, i), table=name)
        n_trg = {t.name: t for t in n.triggers}
        for t in b.triggers:
            current = n_trg.get(t.name)
            if current is None or current.definition != t.definition:
                self.add(
                    "create",
                    f"create trigger {t.name} on {name}",
                    *ddl.create_trigger(conn, b, t),
                    *ddl.part_comment(conn, b, t),
                    table=name,
                )
            else:
                self.add(
                    "alter",
                    f"trigger {t.name} on {name} fires as it did",
                    *ddl.trigger_firing(conn, b, t, current),
                    table=name,
                )
        kept = self._kept(b, n)
        if self.caps.alter_column:
            self.add(
                "alter",
                f"storage parameters, replica identity and clustering of {name} back",
                *ddl.table_settings(conn, b, kept),
                table=name,
            )
        if self.caps.comments:
            self.add(
                "alter",
                f"comments on the constraints, indexes, triggers and policies of {name} back",
                *ddl.part_comments(conn, b, kept),
                table=name,
            )
        if self.caps.rls:
            n_pol = {p.name: p for p in n.policies}
            for p in b.policies:
                if not _same_policy(n_pol.get(p.name), p):
                    self.add(
                        "create",
                        f"create policy {p.name} on {name}",
                        ddl.create_policy(conn, b, p),
                        *ddl.part_comment(conn, b, p),
                        table=name,
                    )
            if b.rls_enabled != n.rls_enabled:
                self.add(
                    "alter",
                    f"row security of {name} back",
                    f"ALTER TABLE {target} {'ENABLE' if b.rls_enabled else 'DISABLE'} ROW LEVEL SECURITY",
                )
            if b.rls_forced != n.rls_forced:
                self.add(
                    "alter",
                    f"forced row security of {name} back",
                    f"ALTER TABLE {target} {'' if b.rls_forced else 'NO '}FORCE ROW LEVEL SECURITY",
                )
        if b.comment != n.comment and self.caps.comments:
            self.add("alter", f"comment on {name} back", ddl.comment_on("TABLE", target, b.comment))
        self.add("alter", f"owner and privileges of {name} back", *ddl.privileges(conn, b, n), table=name)
        if b.inherits is not None and n.inherits is not None:
            for parent in b.inherits:
                if parent not in n.inherits:
                    self.add(
                        "alter",
                        f"{name} inherits from {parent} again",
                        f"ALTER TABLE {target} INHERIT {conn.qualify(*parent.split('.', 1))}",
                        table=name,
                    )
        settable = {"UNLOGGED"} if self.caps.alter_column else set()  # SET LOGGED / UNLOGGED
        if set(b.options) - settable != set(n.options) - settable:
            self.problems.append(
                f"the options of {name} changed ({', '.join(n.options) or 'none'}) and there is no backup of it"
            )

    def _kept(self, b: Table, n: Table) -> Table:
        """`n` with only the parts an adjust leaves as they are: the others are made again, with
        their comments, CLUSTER ON and replica identity still to be given."""
        bodies = {
            (type(c), c.name): ddl.constraint(self.conn, c)
            for c in (*([b.primary_key] if b.primary_key else ()), *b.uniques, *b.checks, *b.foreign_keys)
        }

        def stays(c: ddl.Constraint) -> bool:
            return bodies.get((type(c), c.name)) == ddl.constraint(self.conn, c)

        b_idx = {i.name: i for i in b.indexes}
        b_trg = {t.name: t.definition for t in b.triggers}
        b_pol = {p.name: p for p in b.policies}
        return dataclasses.replace(
            n,
            primary_key=n.primary_key if n.primary_key and stays(n.primary_key) else None,
            uniques=tuple(filter(stays, n.uniques)),
            checks=tuple(filter(stays, n.checks)),
            foreign_keys=tuple(filter(stays, n.foreign_keys)),
            indexes=tuple(i for i in n.indexes if i.constraint or _same_index(b_idx.get(i.name), i)),
            triggers=tuple(t for t in n.triggers if b_trg.get(t.name) == t.definition),
            policies=tuple(p for p in n.policies if _same_policy(b_pol.get(p.name), p)),
        )

    def _same_foreign_key(self, t: Table, fk: ForeignKey) -> ForeignKey | None:
        """`t`'s foreign key that is `fk` as a constraint (same name and definition), comments aside."""
        body = ddl.constraint(self.conn, fk)
        return next((x for x in t.foreign_keys if x.name == fk.name and ddl.constraint(self.conn, x) == body), None)

    def constraints(self, b: Table, n: Table) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        """Named constraints of both tables as (kind, {name: SQL body in b}, {name: … in n})."""

        def parts(t: Table) -> list[dict[str, str]]:
            pk = (t.primary_key,) if t.primary_key else ()
            return [
                {c.name: ddl.constraint(self.conn, c) for c in group if c.name}
                for group in (pk, t.uniques, t.checks, t.foreign_keys)
            ]

        kinds = ["primary key", "unique constraint", "check constraint", "foreign key"]
        return list(zip(kinds, parts(b), parts(n), strict=True))

    def _alter(self, table: str, what: str) -> bool:
        """Whether this backend can change `what` in place; records a problem when it cannot."""
        if self.caps.alter_column:
            return True
        self.problems.append(f"{what} of {table} changed and this database cannot alter it without a backup")
        return False


def _renames_back(conn: Connection, before: Enum, now: Enum) -> list[str]:
    """ALTER TYPE … RENAME VALUE statements that give `now` the labels of `before` (same number of
    values, same positions); a label that is still taken goes through a temporary name first."""
    target = ddl.qualified(conn, before)
    moves = [(old, new) for old, new in zip(now.values, before.values, strict=True) if old != new]
    out, pending = [], []
    taken = set(now.values)
    for old, new in moves:
        if new in taken:
            temp = f"workbench {old}"
            out.append(f"ALTER TYPE {target} RENAME VALUE {ddl.literal(old)} TO {ddl.literal(temp)}")
            pending.append((temp, new))
        else:
            out.append(f"ALTER TYPE {target} RENAME VALUE {ddl.literal(old)} TO {ddl.literal(new)}")
        taken.discard(old)
    out += [f"ALTER TYPE {target} RENAME VALUE {ddl.literal(t)} TO {ddl.literal(n)}" for t, n in pending]
    return out


def _same_index(a: Index | None, b: Index) -> bool:
    """The same index, apart from what is set on it after it is made (comment, CLUSTER ON,
    replica identity)."""
    return a is not None and same(
        dataclasses.replace(a, comment=None, clustered=None, replica_identity=None),
        dataclasses.replace(b, comment=None, clustered=None, replica_identity=None),
    )


def _same_policy(a: Policy | None, b: Policy) -> bool:
    return a is not None and dataclasses.replace(a, comment=None) == dataclasses.replace(b, comment=None)


def _same_column_kind(a: Column, b: Column) -> bool:
    """Same column apart from what ALTER COLUMN can set back (default, NOT NULL, comment)."""
    return (a.name, a.data_type, a.identity, a.generated, a.collation) == (
        b.name,
        b.data_type,
        b.identity,
        b.generated,
        b.collation,
    )


def _column_change(a: Column, b: Column) -> str:
    for field in ("name", "data_type", "identity", "generated", "collation"):
        if getattr(a, field) != getattr(b, field):
            return f"{field} {getattr(a, field)!r} → {getattr(b, field)!r}"
    return "changed"


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_$]*", text or "")}


def _rowid_alias(t: Table) -> str | None:
    """A name for `t`'s rowid that no column of it takes (None: it has no rowid)."""
    if "WITHOUT ROWID" in t.options:
        return None
    return next((a for a in ("rowid", "_rowid_", "oid") if t.column(a) is None), None)
