"""Renames the user names (`--rename old=new`) and the ones the summary only suggests.

A rename is applied to FROM's catalog before the comparison, so the table or column keeps its
rows and everything else is compared under its new name; the `ALTER … RENAME` statements go
first in the script. A likely rename (one gone, one new, the same shape) is never acted on.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from workbench.db import ddl
from workbench.db.base import Connection
from workbench.db.catalog import Catalog, Column, ForeignKey, Index, Sequence, Table
from workbench.errors import UsageError


@dataclass(frozen=True)
class Rename:
    kind: str  # table | column
    schema: str
    table: str  # the table (its old name for a table rename)
    old: str  # old name of the table or column
    new: str

    @property
    def before(self) -> str:
        return f"{self.schema}.{self.table}" + (f".{self.old}" if self.kind == "column" else "")

    @property
    def after(self) -> str:
        table = self.new if self.kind == "table" else self.table
        return f"{self.schema}.{table}" + (f".{self.new}" if self.kind == "column" else "")


def parse(renames: Mapping[str, str], source: Catalog, target: Catalog, default_schema: str) -> list[Rename]:
    """The renames as `Rename`s, tables first, each checked: the old name is in FROM, the new one
    in TO and not in FROM. `old` is `schema.table`, `table`, `schema.table.column` or
    `table.column` (the table by its old or new name); `new` is the same kind of name, or only
    the new last part."""
    out: list[Rename] = []
    pending = sorted(renames.items(), key=lambda kv: _split(kv[0], source, default_schema) is None)
    for old, new in pending:
        parts = _split(old, source, default_schema) or _split(_old_table(old, out), source, default_schema)
        if parts is None:
            raise UsageError(f"--rename {old}={new}: FROM has no table or column {old}")
        schema, table, column = parts
        last = new.rpartition(".")[2]
        if column is None:
            if target.table(last, schema) is None or source.table(last, schema) is not None:
                raise UsageError(f"--rename {old}={new}: TO must have table {schema}.{last} and FROM must not")
            out.append(Rename("table", schema, table, table, last))
        else:
            t_new = target.table(_renamed_table(out, schema, table), schema)
            t_old = source.table(table, schema)
            if t_new is None or t_new.column(last) is None or (t_old and t_old.column(last)):
                raise UsageError(f"--rename {old}={new}: TO must have column {last} in {schema}.{table} and FROM not")
            out.append(Rename("column", schema, _renamed_table(out, schema, table), column, last))
    return out


def _old_table(name: str, renames: list[Rename]) -> str:
    """`name` (table.column or schema.table.column) with a renamed table spelled by its old name."""
    *head, column = name.split(".")
    for r in renames:
        if r.kind == "table" and head and head[-1] == r.new and (len(head) == 1 or head[0] == r.schema):
            return ".".join([*head[:-1], r.old, column])
    return name


def _split(name: str, catalog: Catalog, default_schema: str) -> tuple[str, str, str | None] | None:
    parts = name.split(".")
    schemas = {t.schema for t in catalog.tables}
    if len(parts) == 3:
        schema, table, column = parts
    elif len(parts) == 2 and parts[0] in schemas and catalog.table(parts[1], parts[0]) is not None:
        (schema, table), column = parts, None
    elif len(parts) == 2:
        (table, column), schema = parts, default_schema
    elif len(parts) == 1:
        schema, table, column = default_schema, parts[0], None
    else:
        return None
    t = catalog.table(table, schema)
    if t is None or (column is not None and t.column(column) is None):
        return None
    return schema, table, (column if column is not None else None)


def _renamed_table(renames: list[Rename], schema: str, table: str) -> str:
    return next((r.new for r in renames if r.kind == "table" and (r.schema, r.old) == (schema, table)), table)


def apply(catalog: Catalog, renames: list[Rename], conn: Connection) -> tuple[Catalog, list[str]]:
    """FROM's catalog as it is after the renames, and the statements that do them."""
    statements = []
    for r in renames:
        t = catalog.table(r.table, r.schema)
        assert t is not None  # checked by `parse`
        if r.kind == "table":
            statements.append(f"ALTER TABLE {ddl.qualified(conn, t)} RENAME TO {conn.quote(r.new)}")
            catalog = _rename_table(catalog, r)
        else:
            statements.append(
                f"ALTER TABLE {ddl.qualified(conn, t)} RENAME COLUMN {conn.quote(r.old)} TO {conn.quote(r.new)}"
            )
            catalog = _rename_column(catalog, r)
    return catalog, statements


def _word(old: str, new: str, text: str | None, quote: bool = True) -> str | None:
    """`text` with the identifier `old` (bare or double-quoted) spelled `new`, the way the
    database rewrites its stored text: SQLite double-quotes the new name (its CREATE TABLE text
    is stored; PostgreSQL's index definitions are printed afresh and only matter as a hint)."""
    if text is None:
        return None
    quoted = '"' + new.replace('"', '""') + '"' if quote or not re.fullmatch(r"[a-z_][a-z0-9_$]*", new) else new
    text = re.sub(rf'"{re.escape(old)}"', lambda _m: quoted, text)
    return re.sub(rf'(?<![\w"$.]){re.escape(old)}(?![\w"$])', lambda _m: quoted, text)


def _rename_table(catalog: Catalog, r: Rename) -> Catalog:
    def word(text: str | None) -> str | None:
        return _word(r.old, r.new, text, catalog.backend == "sqlite")

    dotted_old, dotted_new = f"{r.schema}.{r.old}", f"{r.schema}.{r.new}"

    def table(t: Table) -> Table:
        fks = tuple(
            dataclasses.replace(fk, ref_table=r.new) if (fk.ref_schema, fk.ref_table) == (r.schema, r.old) else fk
            for fk in t.foreign_keys
        )
        t = dataclasses.replace(
            t,
            foreign_keys=fks,
            partition_of=dotted_new if t.partition_of == dotted_old else t.partition_of,
            inherits=tuple(dotted_new if p == dotted_old else p for p in t.inherits) if t.inherits else t.inherits,
        )
        if t.key != (r.schema, r.old):
            return t
        return dataclasses.replace(
            t,
            name=r.new,
            sql=word(t.sql),
            indexes=tuple(dataclasses.replace(i, definition=word(i.definition)) for i in t.indexes),
            triggers=tuple(dataclasses.replace(x, table=r.new) for x in t.triggers),
            policies=tuple(dataclasses.replace(p, table=r.new) for p in t.policies),
        )

    def sequence(s: Sequence) -> Sequence:
        owner, _, column = (s.owned_by or "").rpartition(".")
        return dataclasses.replace(s, owned_by=f"{r.new}.{column}") if owner == r.old else s

    return dataclasses.replace(
        catalog,
        tables=tuple(table(t) for t in catalog.tables),
        sequences=tuple(sequence(s) for s in catalog.sequences),
    )


def _rename_column(catalog: Catalog, r: Rename) -> Catalog:
    def word(text: str | None) -> str | None:
        return _word(r.old, r.new, text, catalog.backend == "sqlite")

    def names(columns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(r.new if c == r.old else c for c in columns)

    def fk(f: ForeignKey, own: bool) -> ForeignKey:
        f = dataclasses.replace(f, columns=names(f.columns)) if own else f
        if (f.ref_schema, f.ref_table) == (r.schema, r.table):
            f = dataclasses.replace(f, ref_columns=names(f.ref_columns))
        return dataclasses.replace(f, definition=None)

    def index(i: Index) -> Index:
        return dataclasses.replace(i, columns=names(i.columns), definition=word(i.definition))

    def column(c: Column) -> Column:
        return dataclasses.replace(c, name=r.new) if c.name == r.old else c

    def table(t: Table) -> Table:
        own = t.key == (r.schema, r.table)
        t = dataclasses.replace(t, foreign_keys=tuple(fk(f, own) for f in t.foreign_keys))
        if not own:
            return t
        return dataclasses.replace(
            t,
            sql=word(t.sql),
            columns=tuple(column(c) for c in t.columns),
            primary_key=dataclasses.replace(
                t.primary_key,
                columns=names(t.primary_key.columns),
                definition=word(t.primary_key.definition),
            )
            if t.primary_key
            else None,
            uniques=tuple(
                dataclasses.replace(u, columns=names(u.columns), definition=word(u.definition)) for u in t.uniques
            ),
            checks=tuple(
                dataclasses.replace(
                    c,
                    expression=word(c.expression) or c.expression,
                    definition=word(c.definition),
                    column=r.new if c.column == r.old else c.column,
                )
                for c in t.checks
            ),
            indexes=tuple(index(i) for i in t.indexes),
        )

    def sequence(s: Sequence) -> Sequence:
        if s.owned_by == f"{r.table}.{r.old}":
            return dataclasses.replace(s, owned_by=f"{r.table}.{r.new}")
        return s

    return dataclasses.replace(
        catalog,
        tables=tuple(table(t) for t in catalog.tables),
        sequences=tuple(sequence(s) for s in catalog.sequences),
    )


def likely(source: Catalog, target: Catalog) -> dict[str, str]:
    """new name → old name of tables and columns that look renamed: exactly one gone and one
    new of the same shape (column names and types for a table, the type for a column)."""
    out: dict[str, str] = {}
    b_keys = {t.key for t in target.tables}
    a_keys = {t.key for t in source.tables}
    gone = [t for t in source.tables if t.key not in b_keys]
    new = [t for t in target.tables if t.key not in a_keys]
    for made in new:
        same_shape = [g for g in gone if g.schema == made.schema and _shape(g) == _shape(made)]
        if len(same_shape) == 1:
            out[made.qualified_name] = same_shape[0].qualified_name
    for t in target.tables:
        old = source.table(t.name, t.schema)
        if old is None:
            continue
        lost: list[Column] = [c for c in old.columns if t.column(c.name) is None]
        for c in t.columns:
            if old.column(c.name) is None:
                twins = [x for x in lost if x.data_type == c.data_type]
                if len(twins) == 1 and len(lost) == 1:
                    out[f"{t.qualified_name}.{c.name}"] = f"{t.qualified_name}.{twins[0].name}"
    return out


def _shape(t: Table) -> tuple[tuple[str, str], ...]:
    return tuple((c.name, c.data_type) for c in t.columns)
