"""The statements that turn one SQLite catalog into another, rows kept.

SQLite keeps each object's CREATE text, and the judge of "the same schema" is that text. A table
whose text differs is changed with `ALTER TABLE … ADD COLUMN` when that gives exactly the wanted
text, and otherwise rebuilt the documented way (foreign keys off, rows set aside, the table made
again from its wanted text, rows and rowids copied back, indexes and triggers made again,
`PRAGMA foreign_key_check`). Set aside rather than renamed into place, since a rename rewrites
the stored text.
"""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.db.catalog import Catalog, Table
from workbench.diff.depends import mentions, ordered
from workbench.diff.steps import Steps

_ASIDE = "workbench_rebuild_"


def statements(a: Catalog, b: Catalog, conn: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(statements, problems) from `a` to `b`."""
    steps = Steps()
    olds = {t.key: t for t in a.tables}
    news = {t.key: t for t in b.tables}
    rebuilt: set[tuple[str, str]] = set()
    for key, t in news.items():
        old = olds.get(key)
        if old is None:
            steps.add("tables", t.sql or "")
        elif old.sql != t.sql:
            altered = _alterations(conn, a, old, t)
            if altered is None:
                rebuilt.add(key)
                _rebuild(steps, conn, old, t)
            else:
                steps.add("columns", *altered)
    gone = [t for k, t in olds.items() if k not in news]
    for t in gone:
        steps.add("drop_tables", f"DROP TABLE {conn.qualify(t.schema, t.name)}")
    _parts(steps, conn, a, b, rebuilt)
    _views(steps, conn, a, b, {t.name for t in gone} | {k[1] for k in rebuilt})
    if rebuilt:
        steps.add("pre", "PRAGMA foreign_keys = off")
        steps.add("privileges", "PRAGMA foreign_key_check", "PRAGMA foreign_keys = on")
    return steps.statements(), ()


def _rebuild(steps: Steps, conn: Connection, old: Table, t: Table) -> None:
    q = conn.quote
    aside = conn.qualify(t.schema, _ASIDE + t.name)
    common = [c.name for c in t.columns if old.column(c.name) is not None and not c.generated]
    old_generated = {c.name for c in old.columns if c.generated}
    common = [c for c in common if c not in old_generated]
    rowid = _rowid(old) and _rowid(t)
    picked = ", ".join([*(["rowid AS workbench_rowid"] if rowid else []), *map(q, common)])
    steps.add("set_aside", f"CREATE TABLE {aside} AS SELECT {picked} FROM {conn.qualify(old.schema, old.name)}")
    steps.add("drop_tables", f"DROP TABLE {conn.qualify(old.schema, old.name)}")
    steps.add("tables", t.sql or "")
    into = ", ".join([*(["rowid"] if rowid else []), *map(q, common)])
    out = ", ".join([*(["workbench_rowid"] if rowid else []), *map(q, common)])
    steps.add("refill", f"INSERT INTO {conn.qualify(t.schema, t.name)} ({into}) SELECT {out} FROM {aside}")
    steps.add("refill", f"DROP TABLE {aside}")


def _rowid(t: Table) -> bool:
    return "WITHOUT ROWID" not in t.options and t.column("rowid") is None


def _parts(steps: Steps, conn: Connection, a: Catalog, b: Catalog, rebuilt: set[tuple[str, str]]) -> None:
    """Indexes and triggers: dropped when gone or changed, made when new, changed, or their
    table was rebuilt (the rebuild dropped them)."""
    olds = {t.key: t for t in a.tables}
    for t in b.tables:
        old = olds.get(t.key)
        fresh = old is None or t.key in rebuilt
        had_idx = {} if fresh or old is None else {i.name: i.definition for i in old.indexes}
        had_trg = {} if fresh or old is None else {x.name: x.definition for x in old.triggers}
        for i in t.indexes:
            if i.definition and had_idx.get(i.name) != i.definition:
                steps.add("indexes", i.definition)
        for x in t.triggers:
            if x.definition and had_trg.get(x.name) != x.definition:
                steps.add("triggers", x.definition)
    news = {t.key: t for t in b.tables}
    for old in a.tables:
        wanted = news.get(old.key)
        if wanted is None or old.key in rebuilt:
            continue
        want_idx = {i.name: i.definition for i in wanted.indexes}
        want_trg = {x.name: x.definition for x in wanted.triggers}
        for i in old.indexes:
            if i.definition and want_idx.get(i.name) != i.definition:
                steps.add("drop_constraints", f"DROP INDEX {conn.qualify(old.schema, i.name)}")
        for x in old.triggers:
            if x.definition and want_trg.get(x.name) != x.definition:
                steps.add("drop_triggers", f"DROP TRIGGER {conn.qualify(x.schema, x.name)}")


def _views(steps: Steps, conn: Connection, a: Catalog, b: Catalog, shaken: set[str]) -> None:
    """Views that are gone, changed, or read a table that goes or is rebuilt: dropped and made
    again in dependency order (their triggers with them)."""
    news = {v.key: v for v in b.views}
    olds = {v.key: v for v in a.views}
    doomed = {k for k, v in olds.items() if k not in news or news[k].definition != v.definition}
    doomed |= {k for k, v in olds.items() if mentions(v.definition, shaken)}
    grew = True
    while grew:
        grew = False
        for k, v in olds.items():
            if k not in doomed and mentions(v.definition, {d[1] for d in doomed}):
                doomed.add(k)
                grew = True
    dropping = [v for k, v in olds.items() if k in doomed]
    for v in reversed(ordered(dropping, lambda v: f"{v.schema}.{v.name}", lambda v: v.definition)):
        steps.add("drop_views", f"DROP VIEW {conn.qualify(v.schema, v.name)}")
    making = [v for k, v in news.items() if k not in olds or k in doomed]
    for v in ordered(making, lambda v: f"{v.schema}.{v.name}", lambda v: v.definition):
        steps.add("views", v.definition or "")
        steps.add("triggers", *(x.definition for x in v.triggers if x.definition))


def _alterations(conn: Connection, a: Catalog, old: Table, t: Table) -> list[str] | None:
    """DROP COLUMN and ADD COLUMN statements that turn `old`'s stored text into exactly `t`'s, or
    None when they cannot (the table is then rebuilt)."""
    text, out = old.sql or "", []
    for c in old.columns:
        if t.column(c.name) is None:
            if not _droppable(a, old, c.name):
                return None
            shorter = _without_column(text, c.name)
            if shorter is None:
                return None
            text = shorter
            out.append(f"ALTER TABLE {conn.qualify(old.schema, old.name)} DROP COLUMN {conn.quote(c.name)}")
    if text != t.sql:
        added = _added_columns(text, t.sql or "")
        if added is None:
            return None
        out += [f"ALTER TABLE {conn.qualify(old.schema, old.name)} ADD COLUMN {c}" for c in added]
    return out


def _droppable(a: Catalog, t: Table, column: str) -> bool:
    """SQLite refuses DROP COLUMN on a key, an indexed or referenced column, or one that a CHECK,
    a generated column, a view or a trigger mentions."""
    keyed = {*(t.primary_key.columns if t.primary_key else ()), *(c for u in t.uniques for c in u.columns)}
    keyed |= {c for fk in t.foreign_keys for c in fk.columns}
    keyed |= {c for other in a.tables for fk in other.foreign_keys if fk.ref_table == t.name for c in fk.ref_columns}
    if column in keyed:
        return False
    texts = [i.definition for i in t.indexes] + [c.expression for c in t.checks]
    texts += [c.generated for c in t.columns] + [v.definition for v in a.views]
    texts += [x.definition for x in a.triggers]
    return not any(mentions(text, [column]) for text in texts)


def _without_column(sql: str, column: str) -> str | None:
    """`sql` as SQLite's DROP COLUMN leaves it: from the column's start to the next column's, or,
    for the last column, from the end of the one before it to its own end."""
    items = _items(sql)
    if items is None:
        return None
    columns = [(start, end) for start, end in items if not _is_constraint(sql[start:end])]
    names = [_unquoted(sql[start:end].split()[0]) for start, end in columns]
    if column not in names or len(columns) < 2:
        return None
    i = names.index(column)
    if i < len(columns) - 1:
        return sql[: columns[i][0]] + sql[columns[i + 1][0] :]
    end = _column_end(sql)
    comma = sql.rfind(",", 0, columns[i][0])
    return None if end is None or comma < 0 else sql[:comma] + sql[end:]


def _column_end(sql: str) -> int | None:
    """Where SQLite's ADD COLUMN inserts (its `addColOffset`): the comma before the first table
    constraint, or else the parenthesis that closes the definitions."""
    items = _items(sql)
    if items is None:
        return None
    for start, _end in items:
        if _is_constraint(sql[start:]):
            return sql.rfind(",", 0, start)
    return sql.find(")", items[-1][1])


def _items(sql: str) -> list[tuple[int, int]] | None:
    """(start, end) of each column or constraint in a CREATE TABLE, spaces around left out."""
    open_at = _outer_paren(sql)
    if open_at is None:
        return None
    spans, depth, quote, start = [], 0, "", open_at + 1
    for i in range(open_at + 1, len(sql)):
        ch = sql[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
        elif ch in ",)" and depth == 0:
            piece = sql[start:i]
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
            if ch == ")":
                return spans
            start = i + 1
    return None


def _outer_paren(sql: str) -> int | None:
    quote = ""
    for i, ch in enumerate(sql):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            return i
    return None


def _is_constraint(item: str) -> bool:
    return item.split()[0].upper() in ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")


def _unquoted(name: str) -> str:
    if name[:1] in '"`[' and len(name) > 1:
        return name[1:-1]
    return name


def _added_columns(before: str, after: str) -> list[str] | None:
    """The column definitions ADD COLUMN appends to `before` to give exactly `after` (SQLite
    puts ", <definition>" before the closing parenthesis), or None when that cannot give it."""
    end = _column_end(before)
    if end is None:
        return None
    head, tail = before[:end], before[end:]
    if not (after.startswith(head) and after.endswith(tail) and len(after) > len(before)):
        return None
    middle = after[len(head) : len(after) - len(tail)]
    if not middle.startswith(", "):
        return None
    columns = _top_level_split(middle[2:])
    if columns is None or any(not c or c != c.strip() for c in columns):
        return None
    if any(c.split()[0].upper() in ("PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT") for c in columns):
        return None
    if any(w in c.upper() for c in columns for w in ("PRIMARY KEY", "UNIQUE", "STORED")):
        return None
    return columns


def _top_level_split(text: str) -> list[str] | None:
    """`text` cut at the ", " outside parentheses and quotes (None when unbalanced)."""
    out, depth, quote, start = [], 0, "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "," and depth == 0:
            if text[i : i + 2] != ", ":
                return None
            out.append(text[start:i])
            start = i + 2
            i += 1
        i += 1
    out.append(text[start:])
    return out if depth == 0 and not quote else None
