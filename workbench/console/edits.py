"""Staged edits of a table's cells, turned into parameterised UPDATEs and applied as one journaled change.

The Data tab stages edits cell by cell; nothing reaches the database before `apply`. A row is found
by its key (`workbench.db.row_key`: the primary key, SQLite's rowid, or unique NOT NULL columns); a
table without one is refused, because an UPDATE could then change rows nobody saw. Values are typed
as text, or NULL (never the same as the empty string), and bound as parameters: the database
converts them to the column's type. `check` runs the UPDATEs in a transaction that is always rolled
back, so a value the column refuses is reported before anything is kept; `apply` then runs them for
real through the console: one transaction, one entry of the change journal, undoable like any change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.console.records import literal
from workbench.db.base import Connection, DatabaseError, rolled_back
from workbench.db.catalog import Column, Table, View
from workbench.db.row_key import row_key
from workbench.db.typed_text import kept_as_text
from workbench.errors import OperationFailed, UsageError

if TYPE_CHECKING:
    from workbench.console.session import ChangeRecord, Console


class NotEditable(UsageError):
    """The relation, or the column, cannot be edited cell by cell (one sentence says why)."""


class EditRejected(OperationFailed):
    """The database refused an edited value; nothing of the edits was kept."""


@dataclass(frozen=True)
class CellEdit:
    """One staged cell: the row's key, the column, the typed value (None: NULL) and what it was."""

    key: tuple[Any, ...]
    column: str
    value: str | None
    old: Any


@dataclass(frozen=True)
class Update:
    """One row's UPDATE: SQL with placeholders and its parameters (the new values, then the key)."""

    key: tuple[Any, ...]
    sql: str
    params: tuple[Any, ...]

    def shown(self) -> str:
        """The statement as the preview shows it: the SQL, then the bound values in a comment."""
        return f"{self.sql};  -- {', '.join(literal(p) for p in self.params)}"


@dataclass(frozen=True)
class Edits:
    """The staged edits of one table, in the order they were made (one per cell)."""

    table: Table
    key_columns: tuple[str, ...]
    cells: tuple[CellEdit, ...] = ()

    def stage(self, key: Sequence[Any], column: str, value: str | None, old: Any) -> Edits:
        """These edits with `column` of the row `key` set to `value`; setting a cell back to what it
        was unstages it."""
        self.editable(column)
        before = self.edit_of(key, column)
        old = before.old if before is not None else old
        rest = tuple(c for c in self.cells if c is not before)
        if _unchanged(old, value):
            return dataclasses.replace(self, cells=rest)
        return dataclasses.replace(self, cells=(*rest, CellEdit(tuple(key), column, value, old)))

    def unstage(self, key: Sequence[Any], column: str) -> Edits:
        """These edits without the one of `column` in the row `key` (if any)."""
        return dataclasses.replace(
            self, cells=tuple(c for c in self.cells if (c.key, c.column) != (tuple(key), column))
        )

    def edit_of(self, key: Sequence[Any], column: str) -> CellEdit | None:
        return next((c for c in self.cells if c.key == tuple(key) and c.column == column), None)

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The keys of the edited rows, in the order they were first edited."""
        return list(dict.fromkeys(c.key for c in self.cells))

    def updates(self, conn: Connection) -> list[Update]:
        """One UPDATE per edited row, identifiers quoted by `conn`, every value a parameter."""
        mark = conn.placeholder
        target = conn.qualify(self.table.schema, self.table.name)
        where = " AND ".join(f"{conn.quote(k)} = {mark}" for k in self.key_columns)
        result = []
        for key in self.rows:
            cells = [c for c in self.cells if c.key == key]
            sets = ", ".join(f"{conn.quote(c.column)} = {mark}" for c in cells)
            result.append(Update(key, f"UPDATE {target} SET {sets} WHERE {where}", (*(c.value for c in cells), *key)))
        return result

    def preview(self, conn: Connection) -> str:
        """The SQL that `apply` runs, one statement a line, values shown after each."""
        return "\n".join(u.shown() for u in self.updates(conn))

    def editable(self, column: str) -> None:
        """`NotEditable` when `column` cannot be edited: unknown, the row's key, or computed."""
        found = next((c for c in self.table.columns if c.name == column), None)
        if found is None:
            raise NotEditable(f"{self.table.qualified_name} has no column {column!r}.")
        if column in self.key_columns:
            raise NotEditable(f"{column} is the key each row is found by, so it cannot be edited here.")
        if found.generated:
            raise NotEditable(f"{column} is computed by the database, so it cannot be edited.")


def edits_for(conn: Connection, relation: Table | View) -> Edits:
    """No edits yet of `relation`; `NotEditable` when its rows cannot be told apart."""
    if not isinstance(relation, Table):
        raise NotEditable(f"{relation.qualified_name} is a view: edit the table it reads instead.")
    key = row_key(conn, relation)
    if key is None:
        raise NotEditable(
            f"{relation.qualified_name} has no primary key or unique NOT NULL columns, "
            "so an edited row could not be told apart from the others."
        )
    return Edits(relation, key)


def check(conn: Connection, edits: Edits) -> None:
    """Run the edits in a transaction that is always rolled back; `EditRejected` names the first cell
    whose value the database refused, or a row that is gone. Nothing is kept either way."""
    columns = {c.name: c for c in edits.table.columns}
    with rolled_back(conn):
        for update in edits.updates(conn):
            cells = [c for c in edits.cells if c.key == update.key]
            try:
                with conn.transaction():  # a savepoint: the refused row's cells are tried one by one
                    changed = conn.execute(update.sql, update.params)
            except DatabaseError as exc:
                raise EditRejected(_refusal(conn, edits, cells, exc)) from None
            if changed == 0:
                raise EditRejected(f"{_row(edits, update.key)} is no longer in {edits.table.qualified_name}.")
            for cell in cells:
                _converted(conn, edits, cell, columns[cell.column])


def apply(console: Console, edits: Edits, *, backup: bool = True) -> ChangeRecord:
    """Check the edits, then run their UPDATEs through the console as ONE journaled change: one
    transaction, one journal entry, one undo. Nothing is kept when any of them fails."""
    if not edits.cells:
        raise UsageError("There are no edits to apply.")
    check(console.conn, edits)
    previews = [p for u in edits.updates(console.conn) for p in console.preview(u.sql, u.params)]
    return console.run_changes(previews, backup=backup)


def _converted(conn: Connection, edits: Edits, cell: CellEdit, column: Column) -> None:
    """Refuse text the database kept as text in a number column (SQLite's affinity keeps it)."""
    condition = kept_as_text(conn, column)
    if condition is None or cell.value is None:
        return
    mark = conn.placeholder
    where = " AND ".join(f"{conn.quote(k)} = {mark}" for k in edits.key_columns)
    target = conn.qualify(edits.table.schema, edits.table.name)
    if conn.query(f"SELECT count(*) FROM {target} WHERE {where} AND {condition}", cell.key).scalar():
        raise EditRejected(
            f"{_row(edits, cell.key)}, {cell.column}: {cell.value!r} is not a value of type {column.data_type}."
        )


def _refusal(conn: Connection, edits: Edits, cells: list[CellEdit], error: DatabaseError) -> str:
    """The sentence for a row the database refused, naming the first cell it refuses on its own."""
    for cell in cells:
        alone = dataclasses.replace(edits, cells=(cell,)).updates(conn)[0]
        try:
            with conn.transaction():
                conn.execute(alone.sql, alone.params)
        except DatabaseError as exc:
            return f"{_row(edits, cell.key)}, {cell.column}: {_sentence(exc)}"
    return f"{_row(edits, cells[0].key)}: {_sentence(error)}"  # only the cells together (a CHECK across columns)


def _row(edits: Edits, key: tuple[Any, ...]) -> str:
    return "Row " + ", ".join(f"{k}={literal(v)}" for k, v in zip(edits.key_columns, key, strict=True))


def _sentence(exc: DatabaseError) -> str:
    text = (str(exc).strip().splitlines() or ["the database refused the value"])[0]
    return text.rstrip(".") + "."


def _unchanged(old: Any, value: str | None) -> bool:
    if old is None or value is None:
        return old is None and value is None
    return isinstance(old, str) and old == value
