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
            added = _added_columns(old.sql or "", t.sql or "")
            if added is None:
                rebuilt.add(key)
                _rebuild(steps, conn, old, t)
            else:
                steps.add("columns", *(f"ALTER TABLE {conn.qualify(*key)} ADD COLUMN {c}" for c in added))
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


def _added_columns(before: str, after: str) -> list[str] | None:
    """The column definitions ADD COLUMN appends to `before` to give exactly `after` (SQLite
    puts ", <definition>" before the closing parenthesis), or None when that cannot give it."""
    end = before.rstrip().rfind(")")
    if end < 0:
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
