"""Built-in checks: verification that needs no SQL from the user, planned from the catalog.

Enabled by default wherever they apply:

- foreign keys: no orphan rows for any declared foreign key (one query each). This matters
  most on SQLite, where foreign keys are not enforced unless a connection asks for it;
- values: values in use are declared, for columns of an enum type and columns whose CHECK is a
  list of values (`status IN ('a', 'b')`; PostgreSQL's `= ANY (ARRAY[…])` form too);
- primary keys: every table has one;
- RLS (backends with row-level security): every table that has policies has RLS enabled,
  since otherwise its policies do nothing.

Declared in `checks/builtins.toml` (every key optional):

    foreign_keys = true            # turn a default off with false
    values = true
    primary_keys = true
    rls = true
    exclude = ["legacy_*"]         # tables the default checks leave alone (glob on name or schema.name)
    functions = ["set_updated_at"] # must exist (name or schema.name)
    triggers = ["bookings.trg_bookings_touch"]   # must exist (name or table.name)
    rls_tables = ["bookings"]      # RLS must be enabled, policies or not
    idempotent = ["003", "004"]    # migrations that must be idempotent; "all" for every one
    [policies]                     # exact number of RLS policies per table
    bookings = 2

Built-in checks are ordinary `Check`s (file `built-in/<kind>`): the SQL ones run as queries
with their values as parameters; the catalog ones compute a one-value result from the catalog
read at run time, so the runner, the reports and the screen treat every check alike.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.checks.checkfile import Check, builtin_origin
from workbench.checks.expectations import parse_expectation
from workbench.checks.idempotency import idempotency_checks
from workbench.checks.runner import RunContext
from workbench.db.base import Connection, DatabaseError, Result
from workbench.db.catalog import Catalog, CheckConstraint, ForeignKey, Table, is_workbench_object
from workbench.errors import ConfigError, read_text

from workbench.migrations.discovery import Migration

CONFIG_FILE = "builtins.toml"

_IDENT = r'(?P<col>"(?:[^"]|"")+"|[A-Za-z_]\w*)'
_CAST = r"(?:::[\w ]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)*"
_IN_LIST = re.compile(rf"^\(*\s*{_IDENT}\s*{_CAST}\s+IN\s*\((?P<values>.*?)\)\s*\)*$", re.IGNORECASE | re.DOTALL)
_ANY_ARRAY = re.compile(
    rf"^\(*\s*\(?{_IDENT}\)?\s*{_CAST}\s*=\s*ANY\s*\(\s*\(?\s*ARRAY\s*\[(?P<values>.*?)\]\s*\)?\s*{_CAST}\s*\)\s*\)*$",
    re.IGNORECASE | re.DOTALL,
)
_LITERAL = re.compile(rf"\s*(?:'(?P<str>(?:[^']|'')*)'|(?P<num>-?\d+))\s*{_CAST}\s*(?:,|$)")


@dataclass(frozen=True)
class BuiltinConfig:
    """What `builtins.toml` asks for; the defaults are what an absent file means."""

    foreign_keys: bool = True
    values: bool = True
    primary_keys: bool = True
    rls: bool = True
    exclude: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    rls_tables: tuple[str, ...] = ()
    policies: tuple[tuple[str, int], ...] = ()
    idempotent: tuple[str, ...] = ()

    def excluded(self, table: Table) -> bool:
        return any(fnmatch.fnmatchcase(n, p) for p in self.exclude for n in (table.name, table.qualified_name))


_FLAGS = ("foreign_keys", "values", "primary_keys", "rls")
_LISTS = ("exclude", "functions", "triggers", "rls_tables", "idempotent")


def load_config(checks_dir: Path) -> BuiltinConfig:
    """The built-in checks asked for in `checks_dir/builtins.toml` (the defaults without it)."""
    path = checks_dir / CONFIG_FILE
    if not path.is_file():
        return BuiltinConfig()
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], shown: str) -> BuiltinConfig:
    """Validate the TOML table of `builtins.toml`; `shown` names the file in errors."""
    known = (*_FLAGS, *_LISTS, "policies")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(known)}"
            raise ConfigError(f"{shown}: unknown key {key!r}{hint}")
        if key in _FLAGS and not isinstance(value, bool):
            raise ConfigError(f"{shown}: {key} must be true or false")
        if key == "idempotent" and value == "all":
            value = ["all"]
        if key in _LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{shown}: {key} must be a list of names")
        if key == "policies":
            if not isinstance(value, dict) or not all(type(n) is int and n >= 0 for n in value.values()):
                raise ConfigError(f"{shown}: [policies] maps table names to policy counts (whole numbers)")
            value = sorted(value.items())
        values[key] = tuple(value) if isinstance(value, list) else value
    return BuiltinConfig(**values)


@dataclass(frozen=True)
class CatalogCheck(Check):
    """A built-in check whose rows come from the catalog (read once per run), not from a query."""

    probe: Callable[[Catalog], Result] = field(kw_only=True, compare=False)

    def fetch(self, context: RunContext) -> Result:
        return self.probe(context.catalog)


def builtin_checks(
    conn: Connection,
    catalog: Catalog,
    config: BuiltinConfig = BuiltinConfig(),
    migrations: Sequence[Migration] = (),
) -> list[Check]:
    """The built-in checks for this database, in a stable order (foreign keys first)."""
    mine = [t for t in catalog.tables if not is_workbench_object(t.schema, t.name) and not config.excluded(t)]
    tables = [t for t in mine if t.partition_of is None]  # a partition shares its parent's checks and key
    label = _Labeller(conn.default_schema)
    checks: list[Check] = []
    if config.foreign_keys:
        checks += [_orphans(conn, catalog, t, fk, label) for t in mine for fk in _own_foreign_keys(catalog, t)]
    if config.values:
        checks += [
            _values(conn, t, column, declared, label) for t in tables for column, declared in _value_sets(catalog, t)
        ]
    if config.primary_keys:
        checks.append(_without_primary_key(tables, label))
    if conn.capabilities.rls:
        checks += _rls(tables, config, label)
    checks += [_exists("functions", "function", name, _function_named(name)) for name in config.functions]
    checks += [_exists("triggers", "trigger", name, _trigger_named(name)) for name in config.triggers]
    checks += idempotency_checks(migrations, config.idempotent)
    return checks


class _Labeller:
    """Table names as people say them: without the schema when it is the default one."""

    def __init__(self, default_schema: str) -> None:
        self.default_schema = default_schema

    def __call__(self, schema: str, name: str) -> str:
        return name if schema == self.default_schema else f"{schema}.{name}"


# -- foreign keys -----------------------------------------------------------------------------


def _own_foreign_keys(catalog: Catalog, table: Table) -> list[ForeignKey]:
    """The table's foreign keys, less those a partition inherits (its parent's check covers them)."""
    parent = catalog.table(table.partition_of) if table.partition_of else None
    inherited = {_fk_target(fk) for fk in parent.foreign_keys} if parent else set()
    return [fk for fk in table.foreign_keys if _fk_target(fk) not in inherited]


def _fk_target(fk: ForeignKey) -> tuple[Any, ...]:
    return (fk.columns, fk.ref_schema, fk.ref_table, fk.ref_columns)


def _orphans(conn: Connection, catalog: Catalog, table: Table, fk: ForeignKey, label: _Labeller) -> Check:
    parent = catalog.table(fk.ref_table, fk.ref_schema)
    ref_columns = fk.ref_columns or (parent.primary_key.columns if parent and parent.primary_key else fk.columns)
    q = conn.quote
    present = " AND ".join(f"c.{q(col)} IS NOT NULL" for col in fk.columns)
    match = " AND ".join(f"p.{q(ref)} = c.{q(col)}" for col, ref in zip(fk.columns, ref_columns, strict=False))
    sql = (
        f"SELECT count(*) AS orphans FROM {conn.qualify(table.schema, table.name)} c\n"
        f"WHERE {present}\n"
        f"  AND NOT EXISTS (SELECT 1 FROM {conn.qualify(fk.ref_schema, fk.ref_table)} p WHERE {match})"
    )
    child, ref = label(table.schema, table.name), label(fk.ref_schema, fk.ref_table)
    return Check(
        name=f"{child}({', '.join(fk.columns)}) → {ref}",
        sql=sql,
        **builtin_origin("foreign-keys"),
        expectation=parse_expectation("0"),
        description=f"every {child}.{'/'.join(fk.columns)} value exists in {ref}.{'/'.join(ref_columns)}",
    )


# -- values in use vs declared ----------------------------------------------------------------


def _value_sets(catalog: Catalog, table: Table) -> list[tuple[str, tuple[str | int, ...]]]:
    """(column, declared values) for enum-typed columns and CHECK value lists, one per column."""
    found: dict[str, tuple[str | int, ...]] = {}
    enums = {name: e.values for e in catalog.enums for name in (e.name, f"{e.schema}.{e.name}")}
    for column in table.columns:
        if column.data_type in enums:
            found[column.name] = enums[column.data_type]
    for constraint in table.checks:
        parsed = check_value_list(constraint)
        if parsed and parsed[0] not in found and table.column(parsed[0]):
            found[parsed[0]] = parsed[1]
    return list(found.items())


def check_value_list(constraint: CheckConstraint) -> tuple[str, tuple[str | int, ...]] | None:
    """(column, values) when a CHECK only says that a column is one of a list of literals."""
    text = constraint.expression.strip()
    match = _IN_LIST.match(text) or _ANY_ARRAY.match(text)
    if not match:
        return None
    column = match.group("col")
    column = column[1:-1].replace('""', '"') if column.startswith('"') else column
    if constraint.column and constraint.column != column:
        return None
    values: list[str | int] = []
    body, pos = match.group("values"), 0
    while pos < len(body):
        literal = _LITERAL.match(body, pos)
        if not literal or literal.end() == pos:
            return None
        strings = literal.group("str")
        values.append(strings.replace("''", "'") if strings is not None else int(literal.group("num")))
        pos = literal.end()
    kinds = {type(v) for v in values}
    return (column, tuple(values)) if len(kinds) == 1 else None


def _values(conn: Connection, table: Table, column: str, declared: tuple[str | int, ...], label: _Labeller) -> Check:
    as_text = isinstance(declared[0], str)
    value = f"CAST({conn.quote(column)} AS TEXT)" if as_text else conn.quote(column)
    marks = ", ".join([conn.placeholder] * len(declared))
    sql = (
        f"SELECT DISTINCT {value} AS undeclared FROM {conn.qualify(table.schema, table.name)}\n"
        f"WHERE {conn.quote(column)} IS NOT NULL AND {value} NOT IN ({marks})\nORDER BY 1"
    )
    name = f"{label(table.schema, table.name)}.{column}"
    return Check(
        name=f"{name} values",
        sql=sql,
        **builtin_origin("values"),
        expectation=parse_expectation("no rows"),
        description=f"every {name} is one of: {', '.join(map(str, declared))}",
        params=declared,
    )


# -- catalog facts ----------------------------------------------------------------------------


def _catalog_check(kind: str, name: str, expect: str, description: str, probe: Callable[[Catalog], Result]) -> Check:
    return CatalogCheck(
        name=name,
        sql="",
        **builtin_origin(kind),
        expectation=parse_expectation(expect),
        description=f"{description} (read from the catalog)",
        probe=probe,
    )


def _one(column: str, value: Any) -> Result:
    return Result((column,), [(value,)])


def _without_primary_key(tables: list[Table], label: _Labeller) -> Check:
    keys = {t.key for t in tables}

    def missing(catalog: Catalog) -> Result:
        rows = [(label(t.schema, t.name),) for t in catalog.tables if t.key in keys and t.primary_key is None]
        return Result(("table",), rows)

    return _catalog_check(
        "primary-keys", "every table has a primary key", "no rows", "tables without a primary key", missing
    )


def _rls(tables: list[Table], config: BuiltinConfig, label: _Labeller) -> list[Check]:
    with_policies = [t for t in tables if t.policies] if config.rls else []
    required = [(label(t.schema, t.name), t.qualified_name) for t in with_policies]
    required += [(name, name) for name in config.rls_tables]
    checks = [
        _catalog_check(
            "rls",
            f"{shown} has RLS enabled",
            "true",
            "row-level security is on, so the table's policies apply",
            _table_fact(lookup, "rls_enabled", lambda t: t.rls_enabled),
        )
        for shown, lookup in required
    ]
    checks += [
        _catalog_check(
            "rls",
            f"{name} has {count} RLS {'policy' if count == 1 else 'policies'}",
            str(count),
            "the number of row-level security policies on the table",
            _table_fact(name, "policies", lambda t: len(t.policies)),
        )
        for name, count in config.policies
    ]
    return checks


def _table_fact(name: str, column: str, fact: Callable[[Table], Any]) -> Callable[[Catalog], Result]:
    def probe(catalog: Catalog) -> Result:
        table = catalog.table(name)
        if table is None:
            raise DatabaseError(f"no table named {name!r}")
        return _one(column, fact(table))

    return probe


def _exists(kind: str, noun: str, name: str, found: Callable[[Catalog], bool]) -> Check:
    return _catalog_check(
        kind,
        f"{noun} {name} exists",
        "true",
        f"the {noun} is declared in the database",
        lambda catalog: _one("exists", found(catalog)),
    )


def _function_named(name: str) -> Callable[[Catalog], bool]:
    schema, _, bare = name.rpartition(".")
    return lambda catalog: any(f.name == bare and schema in ("", f.schema) for f in catalog.functions)


def _trigger_named(name: str) -> Callable[[Catalog], bool]:
    parts = name.split(".")
    return lambda catalog: any(
        parts[-1] == tr.name and all(p in (tr.table, tr.schema) for p in parts[:-1]) for tr in catalog.triggers
    )
