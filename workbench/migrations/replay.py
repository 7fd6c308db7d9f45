"""Carrying rows written since an apply over to the old shape, during its rollback.

Two moments, both inside the rollback's transaction:

1. `stash`, before anything of the rollback runs: for each capture, the net effect per key is
   read into a carry table — every key the log noted, with the row as the new shape holds it now
   (present) or a mark that it is gone (deleted). The triggers and logs are dropped then, so the
   rollback's own writes are not captured.
2. `replay`, once the old shape and its backed-up rows are back: set-based, through the reverse
   mapping — deleted keys are deleted, rows whose key the old table holds are updated (columns
   the migration dropped keep their backed-up values), other rows inserted (dropped columns get
   their default). A row that cannot be expressed in the old shape (a value that does not cast
   back, a required column without a value or default, a reference to a row that is not there,
   a table the old schema did not have) is never dropped: it goes to the side table with its
   reason, and only when the user said to keep such rows aside; otherwise the rollback stops.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.db import capture_sql
from workbench.db.base import Connection, DatabaseError
from workbench.db.catalog import Catalog, Table
from workbench.db.ddl import literal
from workbench.errors import WorkbenchError
from workbench.migrations.capture import Capture, Captures
from workbench.migrations.ledger import now

_INTEGERS = ("smallint", "integer", "bigint")  # the types a sequence can own a column of
PRESENT, REASON = "workbench_present", "workbench_reason"
_ASIDE_COLUMNS = """
    migration TEXT NOT NULL,
    source_table TEXT NOT NULL,
    row_key TEXT NOT NULL,
    row_data TEXT,
    reason TEXT NOT NULL,
    set_aside_at TEXT NOT NULL
"""


class RowsDoNotFit(WorkbenchError):
    """Rows written since the apply cannot be expressed in the old shape and the user did not
    say to keep them aside: nothing was rolled back."""

    exit_code = 1


@dataclass(frozen=True)
class Stashed:
    """One capture's net effect, read into its carry table before the rollback changed anything."""

    capture: Capture
    carry: str  # qualified carry table
    columns: tuple[str, ...]  # the new shape's columns, as the carry table holds them
    as_text: frozenset[str]  # of those, the ones carried as text (user-defined types)
    keys: int  # distinct keys written since the apply


@dataclass(frozen=True)
class Carried:
    """What the replay did to one table of the old shape (or would, in a rehearsal)."""

    table: str  # schema.name of the old shape's table (or the new table, when the old shape had none)
    written: int  # distinct rows written since the apply
    upserted: int = 0
    deleted: int = 0
    aside: tuple[str, ...] = ()  # `key: reason` for each row kept in the side table

    @property
    def carried(self) -> int:
        return self.upserted + self.deleted

    def lines(self) -> list[str]:
        """The report's words: rows carried over, and each row kept aside with its reason."""
        out = []
        if self.carried:
            out.append(
                f"  carried over {self.carried:,} rows written since the apply to {self.table} "
                f"({self.upserted:,} written, {self.deleted:,} deleted)"
            )
        if self.aside:
            out.append(f"  set aside {len(self.aside):,} rows of {self.table} that do not fit the old shape:")
            out += [f"    {a}" for a in self.aside]
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "written_since": self.written,
            "carried": self.upserted,
            "deleted": self.deleted,
            "set_aside": list(self.aside),
        }


@dataclass
class Replayer:
    """The carry for one rollback of one migration."""

    conn: Connection
    captures: Captures
    migration: str  # the version as written, for messages
    stashed: list[Stashed] = field(default_factory=list)

    # -- 1. before the rollback ---------------------------------------------------------------

    def stash(self, captures: Sequence[Capture], now_catalog: Catalog) -> None:
        """Read each capture's net effect into its carry table, then stop the capture."""
        conn = self.conn
        for c in captures:
            table = now_catalog.table(c.table, c.schema)
            if table is None:
                self.captures.stop(c, table_exists=False)
                continue
            carry = conn.quote(f"workbench_carry_{c.id}")  # temporary: gone with the session, never a user's name
            as_text = frozenset(conn.text_columns(c.schema, c.table))
            keys = [f"{conn.quote(f'workbench_key_{i}')}" for i in range(len(c.keys))]
            select = [f"k.{conn.quote(k)} AS {alias}" for k, alias in zip(c.keys, keys, strict=True)]
            select.append(f"CASE WHEN t.{conn.quote(c.keys[0])} IS NULL THEN 0 ELSE 1 END AS {PRESENT}")
            select.append(f"CAST(NULL AS text) AS {REASON}")
            select += [
                f"CAST(t.{conn.quote(col.name)} AS text) AS {conn.quote(col.name)}"
                if col.name in as_text
                else f"t.{conn.quote(col.name)}"
                for col in table.columns
            ]
            on = " AND ".join(f"t.{conn.quote(k)} = k.{conn.quote(k)}" for k in c.keys)
            conn.execute(f"DROP TABLE IF EXISTS {carry}")
            conn.execute(
                f"CREATE TEMPORARY TABLE {carry} AS SELECT {', '.join(select)} "
                f"FROM ({self.captures.changed_keys(c)}) k "
                f"LEFT JOIN {self.captures.target(c)} t ON {on}"
            )
            written = int(conn.query(f"SELECT count(*) FROM {carry}").scalar())
            self.stashed.append(Stashed(c, carry, table.column_names, as_text, written))
            self.captures.stop(c)

    # -- 2. after the old shape is back --------------------------------------------------------

    def replay(self, old_tables: Mapping[tuple[str, str], Table], keep_aside: bool) -> list[Carried]:
        """Carry every stashed capture over (parents before the tables referring to them); rows
        that do not fit go aside, or, without `keep_aside`, stop the rollback."""
        out = [self._one(s, old_tables) for s in _parents_first(self.stashed, old_tables)]
        aside = [f"{c.table} {a}" for c in out for a in c.aside]
        if aside and not keep_aside:
            shown = "; ".join(aside[:5]) + (f"; … {len(aside) - 5} more" if len(aside) > 5 else "")
            raise RowsDoNotFit(
                f"nothing was rolled back: {len(aside)} row{'s' * (len(aside) != 1)} written since "
                f"{self.migration} cannot be carried over to the old shape ({shown}); "
                "roll back with --keep-aside to keep them in the side table"
            )
        for s in self.stashed:
            self.conn.execute(f"DROP TABLE IF EXISTS {s.carry}")
        return out

    def _one(self, s: Stashed, old_tables: Mapping[tuple[str, str], Table]) -> Carried:
        c = s.capture
        old = old_tables.get((c.old_schema or "", c.old_table or ""))
        if old is None:
            reason = f"table {c.qualified} did not exist before {self.migration}"
            self.conn.execute(f"UPDATE {s.carry} SET {REASON} = {self.conn.placeholder} WHERE {PRESENT} = 1", (reason,))
            return Carried(c.qualified, s.keys, aside=self.set_aside(s, c.qualified))
        return _Carry(self, s, old).run()

    def set_aside(self, s: Stashed, table: str) -> tuple[str, ...]:
        """Copy the carry rows with a reason into the side table; `key: reason` for each."""
        conn = self.conn
        names = [f"workbench_key_{i}" for i in range(len(s.capture.keys))]
        cols = ", ".join(conn.quote(n) for n in (*names, REASON, *s.columns))
        rows = conn.query(f"SELECT {cols} FROM {s.carry} WHERE {REASON} IS NOT NULL ORDER BY 1").rows
        if not rows:
            return ()
        side = self.captures.store.table("set_aside")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {side} ({_ASIDE_COLUMNS})")
        p = conn.placeholder
        out = []
        stamp = now()
        for row in rows:
            key = dict(zip(s.capture.keys, row[: len(names)], strict=True))
            data = dict(zip(s.columns, row[len(names) + 1 :], strict=True))
            reason = str(row[len(names)])
            conn.execute(
                f"INSERT INTO {side} (migration, source_table, row_key, row_data, reason, set_aside_at) "
                f"VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
                (self.migration, table, _json(key), _json(data), reason, stamp),
            )
            out.append(f"{', '.join(f'{k}={v}' for k, v in key.items())}: {reason}")
        return tuple(out)


class _Carry:
    """The set-based statements that carry one capture onto its old table."""

    def __init__(self, r: Replayer, s: Stashed, old: Table) -> None:
        self.r, self.s, self.old, self.conn = r, s, old, r.conn
        q = self.conn.quote
        self.target = self.conn.qualify(old.schema, old.name)
        self.by_old = {m.old: m for m in s.capture.columns}
        assert old.primary_key is not None
        self.key_match = " AND ".join(
            f"o.{q(k)} = c.{q(f'workbench_key_{i}')}" for i, k in enumerate(old.primary_key.columns)
        )
        self.keys = ", ".join(q(f"workbench_key_{i}") for i in range(len(old.primary_key.columns)))
        old_key = ", ".join(q(k) for k in old.primary_key.columns)
        self.old_key = f"({old_key})" if len(old.primary_key.columns) > 1 else old_key
        self.exists = f"EXISTS (SELECT 1 FROM {self.target} o WHERE {self.key_match})"

    def source(self, column: str) -> str | None:
        """The carry expression giving `column` of the old shape, cast back where needed."""
        m = self.by_old.get(column)
        col = self.old.column(column)
        if m is None or m.new is None or col is None:
            return None
        expr = f"c.{self.conn.quote(m.new)}"
        return f"CAST({expr} AS {col.data_type})" if m.retyped or m.new in self.s.as_text else expr

    def run(self) -> Carried:
        conn, s = self.conn, self.s
        conn.execute(f"UPDATE {s.carry} AS c SET {REASON} = {self.reasons()} WHERE {PRESENT} = 1")
        upserted = self.write()
        if upserted:
            text = f"{conn.quote(self.old.schema)}.{conn.quote(self.old.name)}"
            keys = [c.name for c in self.old.columns if (c.default or c.identity) and c.data_type in _INTEGERS]
            for sql in capture_sql.advance_sequences(conn, self.target, text, keys):
                conn.query(sql)
        deleted = conn.execute(
            f"DELETE FROM {self.target} WHERE {self.old_key} IN (SELECT {self.keys} FROM {s.carry} WHERE {PRESENT} = 0)"
        )
        aside = self.r.set_aside(s, self.old.qualified_name)
        return Carried(self.old.qualified_name, s.keys, upserted, max(deleted, 0), aside)

    def reasons(self) -> str:
        """A CASE giving the first reason a present row cannot be carried, NULL when it can."""
        conn, when = self.conn, []
        new_row = f"NOT {self.exists}"
        for col in self.old.columns:
            src = self.source(col.name)
            required = not col.nullable and col.default is None and not col.identity and not col.generated
            if src is None and required:
                when.append((new_row, f"{col.name} has no value and no default in the old shape"))
            elif src is not None and not col.nullable:
                when.append((f"{src} IS NULL", f"{col.name} is empty, the old shape requires it"))
            m = self.by_old.get(col.name)
            if m is not None and m.new is not None and (m.retyped or m.new in self.s.as_text):
                check = capture_sql.fits(conn, f"c.{conn.quote(m.new)}", col.data_type)
                if check is not None:
                    when.append((f"NOT {check}", f"{col.name} does not fit {col.data_type}"))
        for fk in self.old.foreign_keys:
            sources = [self.source(c) for c in fk.columns]
            if any(x is None for x in sources) or len(fk.ref_columns) != len(sources):
                continue  # a dropped column keeps its backed-up value; a key named by the parent's own
            ref = conn.qualify(fk.ref_schema, fk.ref_table)
            match = " AND ".join(f"p.{conn.quote(rc)} = {x}" for rc, x in zip(fk.ref_columns, sources, strict=True))
            present = " AND ".join(f"{x} IS NOT NULL" for x in sources)
            when.append(
                (
                    f"{present} AND NOT EXISTS (SELECT 1 FROM {ref} p WHERE {match})",
                    f"no {fk.ref_table} row it refers to",
                )
            )
        if not when:
            return "NULL"
        return "CASE " + " ".join(f"WHEN {cond} THEN {literal(text)}" for cond, text in when) + " END"

    def write(self) -> int:
        """UPDATE the rows the old table holds, INSERT the others (rows with a reason stay out);
        on a database error (a value that does not cast back), row by row, the failing ones aside."""
        try:
            with self.conn.savepoint():
                return self._write()
        except DatabaseError:
            return self._row_by_row()

    def _write(self, only: str = "", key: Sequence[object] = ()) -> int:
        """The carry's UPDATE and INSERT; `only` narrows them to one key (bound from `key`)."""
        conn, s, q = self.conn, self.s, self.conn.quote
        assert self.old.primary_key is not None
        pk = set(self.old.primary_key.columns)
        mapped = [(col, src) for col in self.old.columns if not col.generated and (src := self.source(col.name))]
        ready = f"c.{PRESENT} = 1 AND c.{REASON} IS NULL{only}"
        sets = [f"{q(col.name)} = {src}" for col, src in mapped if col.name not in pk]
        updated = 0
        if sets:
            updated = conn.execute(
                f"UPDATE {self.target} AS o SET {', '.join(sets)} FROM {s.carry} c WHERE {ready} AND {self.key_match}",
                tuple(key),
            )
        overriding = " OVERRIDING SYSTEM VALUE" if any(col.identity == "always" for col, _ in mapped) else ""
        inserted = conn.execute(
            f"INSERT INTO {self.target} ({', '.join(q(col.name) for col, _ in mapped)}){overriding} "
            f"SELECT {', '.join(src for _, src in mapped)} FROM {s.carry} c WHERE {ready} AND NOT {self.exists}",
            tuple(key),
        )
        return max(updated, 0) + max(inserted, 0)

    def _row_by_row(self) -> int:
        conn, s, p = self.conn, self.s, self.conn.placeholder
        names = [conn.quote(f"workbench_key_{i}") for i in range(len(s.capture.keys))]
        rows = conn.query(f"SELECT {', '.join(names)} FROM {s.carry} WHERE {PRESENT} = 1 AND {REASON} IS NULL").rows
        only = "".join(f" AND c.{n} = {p}" for n in names)
        done = 0
        for row in rows:
            try:
                with conn.savepoint():
                    done += self._write(only, row)
            except DatabaseError as exc:
                where = " AND ".join(f"{n} = {p}" for n in names)
                reason = f"does not fit the old shape: {str(exc).splitlines()[0]}"
                conn.execute(f"UPDATE {s.carry} SET {REASON} = {p} WHERE {where}", (reason, *row))
        return done


def _parents_first(stashed: Sequence[Stashed], old: Mapping[tuple[str, str], Table]) -> list[Stashed]:
    """Stashed captures ordered so a table comes after the tables its foreign keys refer to."""
    by_old = {(s.capture.old_schema, s.capture.old_table): s for s in stashed}
    out: list[Stashed] = []
    seen: set[int] = set()

    def visit(s: Stashed) -> None:
        if s.capture.id in seen:
            return
        seen.add(s.capture.id)
        table = old.get((s.capture.old_schema or "", s.capture.old_table or ""))
        for fk in table.foreign_keys if table else ():
            parent = by_old.get((fk.ref_schema, fk.ref_table))
            if parent is not None:
                visit(parent)
        out.append(s)

    for s in stashed:
        visit(s)
    return out


def _json(values: Mapping[str, object]) -> str:
    return json.dumps(values, default=str, sort_keys=True)
