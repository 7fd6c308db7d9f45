"""What a whole migration puts at stake and whether it can be undone mechanically.

Reading the statements in order, it follows every table through the migration (created here,
renamed, dropped) so that each destructive statement is traced back to the table as it was
*before* the migration: that is the table to back up. A migration made only of additive
statements (create table/index/type/view/sequence/schema, add column, add a named constraint)
gets an `inverse`: the list of those effects, undone newest first by dropping what they made.

`existing` is the set of tables present before the migration, when known. Without it, `IF NOT
EXISTS` creates are ambiguous (they may do nothing), so the migration is not called additive and
the tables they name are assumed to exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable, Sequence

from workbench.db.catalog import Catalog, Table
from workbench.migrations.analysis import CHANGES_ROWS, Effect, Name, StatementInfo

TableKey = tuple[str, str]  # (schema, name), lower-cased unless quoted

# Effects on an existing table that the inverse can undo without its old rows.
_ADDITIVE_ON_EXISTING = frozenset({"add_column", "create_index", "add_constraint"})
# Effects on an existing table that change neither its rows nor its shape.
_HARMLESS = frozenset(
    {
        "comment",
        "validate_constraint",
        "create_trigger",
        "drop_trigger",
        "create_policy",
        "drop_policy",
        "drop_index",
        "rename_index",
    }
)
# Object effects with a mechanical inverse when unguarded.
_ADDITIVE_OBJECTS = frozenset({"create_type", "create_view", "create_sequence", "create_schema"})
_GONE = object()  # renamed away or dropped


@dataclass(frozen=True)
class AtStake:
    """A table as it was before the migration, and the first statement that can lose it."""

    table: Name
    statement: int
    reason: str  # the effect, e.g. "drop_column"


@dataclass(frozen=True)
class Impact:
    at_stake: tuple[AtStake, ...]
    mentions: frozenset[str]  # words of opaque statements: tables among them are at stake too
    created_tables: frozenset[TableKey]  # made by this migration and still there at its end
    inverse: tuple[Effect, ...] | None  # additive effects in apply order; None when not purely additive
    opaque_statements: tuple[int, ...]
    guarded: bool  # has IF [NOT] EXISTS creates: needs the catalog to know what it really makes
    dropped_schemas: tuple[str, ...] = ()  # DROP SCHEMA: every table in them is at stake
    removed_tables: frozenset[TableKey] = frozenset()  # there before, dropped or renamed away
    renamed_tables: frozenset[TableKey] = frozenset()  # tables from before, under their new names

    @property
    def additive(self) -> bool:
        return self.inverse is not None


def table_key(name: Name, default_schema: str) -> TableKey:
    schema = name.schema or default_schema
    return (schema if name.quoted else schema.lower(), name.name if name.quoted else name.name.lower())


def assess(
    statements: Sequence[StatementInfo],
    default_schema: str,
    existing: Iterable[TableKey] | None = None,
) -> Impact:
    """The impact of running `statements` in order on a database holding `existing` tables."""
    return _Walk(default_schema, existing).run(statements)


class _Walk:
    """One pass over the statements, following each table from its name before the migration."""

    def __init__(self, default_schema: str, existing: Iterable[TableKey] | None) -> None:
        self.default_schema = default_schema
        self.known = None if existing is None else {(s.lower(), n.lower()) for s, n in existing}
        self.state: dict[TableKey, object] = {}  # current key → original Name, None (made here) or _GONE
        self.at_stake: dict[TableKey, AtStake] = {}
        self.inverse: list[Effect] | None = []
        self.dropped_schemas: list[str] = []

    def key(self, name: Name) -> TableKey:
        return table_key(name, self.default_schema)

    def existed(self, k: TableKey) -> bool:
        return self.known is None or (k[0].lower(), k[1].lower()) in self.known

    def origin(self, name: Name) -> Name | None:
        """The pre-migration table now called `name`, or None when this migration made it."""
        value = self.state.get(self.key(name), name)
        return value if isinstance(value, Name) else None

    def exists_now(self, name: Name) -> bool:
        value = self.state.get(self.key(name), name)
        return value is None or isinstance(value, Name) and self.existed(self.key(value))

    def stake(self, name: Name, st: StatementInfo, effect: Effect) -> None:
        original = self.origin(name)
        if original is not None and self.existed(self.key(original)):
            self.at_stake.setdefault(self.key(original), AtStake(original, st.index, effect.action))

    def not_additive(self) -> None:
        self.inverse = None

    def add_inverse(self, effect: Effect) -> None:
        if self.inverse is not None:
            self.inverse.append(effect)

    def run(self, statements: Sequence[StatementInfo]) -> Impact:
        mentions: set[str] = set()
        opaque: list[int] = []
        guarded = False
        previous: tuple[Effect, ...] | None = None
        for st in statements:
            if previous and st.effects is previous:
                continue  # a run sharing its effects (literal INSERTs into one table): read once
            previous = st.effects
            if st.opaque:
                opaque.append(st.index)
                mentions |= st.mentions
                self.not_additive()
                continue
            for e in st.effects:
                guarded |= e.guarded and (e.action.startswith("create") or e.action == "add_column")
                if e.table is None:
                    self.object_effect(e)
                else:
                    self.table_effect(e, e.table, st)
        return Impact(
            at_stake=tuple(self.at_stake.values()),
            mentions=frozenset(mentions),
            created_tables=frozenset(k for k, v in self.state.items() if v is None),
            inverse=None if self.inverse is None else tuple(self.inverse),
            opaque_statements=tuple(opaque),
            guarded=guarded,
            dropped_schemas=tuple(self.dropped_schemas),
            removed_tables=frozenset(k for k, v in self.state.items() if v is _GONE),
            renamed_tables=frozenset(k for k, v in self.state.items() if isinstance(v, Name)),
        )

    def table_effect(self, e: Effect, table: Name, st: StatementInfo) -> None:
        k, action = self.key(table), e.action
        existing_table = self.origin(table) is not None
        if action == "create_table":
            if e.guarded and self.exists_now(table):
                if self.known is None:
                    self.not_additive()  # it may or may not be there: only the catalog can tell
                return
            self.state[k] = None
            self.add_inverse(e)
        elif action in ("rename_table", "drop_table"):
            self.stake(table, st, e)
            if action == "rename_table" and e.new_name:
                schema, _, name = e.new_name.rpartition(".")
                self.state[self.key(Name(schema or table.schema, name, table.quoted))] = self.state.get(k, table)
            self.state[k] = _GONE
            self.not_additive()
        elif action in CHANGES_ROWS:
            self.stake(table, st, e)
            if existing_table:
                self.not_additive()
        elif action in _ADDITIVE_ON_EXISTING:
            if existing_table:
                nameless = action != "add_column" and e.object_name is None
                if e.guarded or nameless:
                    self.not_additive()  # it may already exist, or there is no name to drop it by
                self.add_inverse(e)
        elif action in _HARMLESS:
            if existing_table:
                self.not_additive()  # undoing needs what was there before: the catalog has it
        elif existing_table:  # any other change to an existing table's shape
            self.stake(table, st, e)
            self.not_additive()

    def object_effect(self, e: Effect) -> None:
        if e.action in ("transaction", "other"):
            return
        if e.action in _ADDITIVE_OBJECTS and not e.guarded:
            self.add_inverse(e)
            return
        if e.action == "drop_schema" and e.object_name is not None:
            self.dropped_schemas.append(e.object_name.name)
        self.not_additive()


def find_table(catalog: Catalog, name: Name, default_schema: str) -> Table | None:
    """The catalog table a statement's name resolves to: exact first, then case-insensitively
    (SQLite compares names without case; PostgreSQL folds unquoted ones)."""
    schema = name.schema or default_schema
    exact = catalog.table(name.name, schema)
    if exact is not None or name.quoted:
        return exact
    return next(
        (t for t in catalog.tables if t.schema.lower() == schema.lower() and t.name.lower() == name.name.lower()),
        None,
    )
