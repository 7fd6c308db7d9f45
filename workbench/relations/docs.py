"""`workbench docs`: one Markdown page per table and an index, as `tbls doc` writes them.

Pages are written only when their text changed, in a stable order (schema, name; columns in
table order), so re-running on an unchanged schema touches no file and a schema change shows up
in review as the lines it changed. A page this module wrote starts with `MARKER`; such a page
whose table is gone is removed on the next run, and no other file in the folder is touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.db.catalog import Catalog, ForeignKey, Table
from workbench.markdown import table as md_table
from workbench.relations.graph import Graph, neighbourhood, whole
from workbench.relations.mermaid import mermaid

MARKER = "<!-- written by `workbench docs`: edit the schema, not this page -->"
INDEX = "index.md"
#: Mermaid's default `maxTextSize`: a bigger diagram is refused by GitHub's renderer.
MERMAID_LIMIT = 50_000
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_ACTIVE = re.compile(r"[\\`*\[\]<>&|]")


@dataclass(frozen=True)
class DocsResult:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def page_name(table: Table) -> str:
    """`schema.table.md`, every character outside [A-Za-z0-9_.-] spelled `~XX` (its UTF-8 bytes)
    so the name is safe on every file system and stays distinct (`~` itself is escaped too)."""

    def escape(text: str) -> str:
        return _UNSAFE.sub(lambda m: "".join(f"~{b:02X}" for b in m.group().encode()), text)

    return f"{escape(table.schema)}.{escape(table.name)}.md"


def pages(catalog: Catalog) -> dict[str, str]:
    """Every page's file name and text: the index and one per table."""
    graph = whole(catalog)
    out = {INDEX: _index(catalog, graph)}
    for t in graph.tables:
        out[page_name(t)] = _table_page(catalog, t)
    return out


def write_docs(catalog: Catalog, folder: Path) -> DocsResult:
    """Write the pages into `folder` (created when missing); only what changed is written."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = pages(catalog)
    written, unchanged = [], 0
    for name, text in wanted.items():
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            unchanged += 1
            continue
        path.write_text(text, encoding="utf-8")
        written.append(name)
    removed = []
    for path in sorted(folder.glob("*.md")):
        if path.name not in wanted and _ours(path):
            path.unlink()
            removed.append(path.name)
    return DocsResult(tuple(written), unchanged, tuple(removed))


def _ours(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline().rstrip("\n") == MARKER


def _about(rows: int) -> int:
    """The estimate to two significant digits: the pages stay put while the data merely grows
    (20,345 and 20,412 rows are both "≈ 20,000"), and still say how big the table is."""
    if rows < 100:
        return rows
    scale: int = 10 ** (len(str(rows)) - 2)
    return round(rows / scale) * scale


def _link(table: Table) -> str:
    return f"[{_text(table.qualified_name)}]({page_name(table)})"


def _text(text: str) -> str:
    """A name made inert for Markdown (emphasis, links, HTML, code, table cells): those characters
    become HTML character references, which table cells leave alone (a backslash escape would be
    doubled by `markdown.cell`) and every renderer shows as the character itself."""
    return _ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text)


def _diagram(graph: Graph) -> list[str]:
    text = mermaid(graph)
    if len(text) > MERMAID_LIMIT:  # keys make it too long for the renderers: the tables and arrows alone
        text = mermaid(graph, attributes=False)
    note = (
        [
            f"(The diagram is {len(text):,} characters: over Mermaid's default limit of {MERMAID_LIMIT:,}, "
            "so GitHub may not draw it; `workbench er --tables GLOB` draws a part.)",
            "",
        ]
        if len(text) > MERMAID_LIMIT
        else []
    )
    return [*note, "```mermaid", *text.rstrip("\n").split("\n"), "```"]


def _index(catalog: Catalog, graph: Graph) -> str:
    lines = [MARKER, "", "# Schema", ""]
    lines += [f"{len(graph.tables)} tables, {len(graph.edges)} foreign keys ({catalog.backend}).", ""]
    if graph.tables:
        lines += _diagram(graph) + [""]
    rows = [
        (
            _link(t),
            len(t.columns),
            "" if t.row_estimate is None else f"{_about(t.row_estimate):,}",
            len(t.foreign_keys),
            len(catalog.referencing(t)),
            (t.comment or "").split("\n")[0],
        )
        for t in graph.tables
    ]
    lines += md_table(
        ("Table", "Columns", "Rows ≈", "References", "Referenced by", "Comment"), rows, right={1, 2, 3, 4}
    )
    return "\n".join(lines) + "\n"


def _table_page(catalog: Catalog, t: Table) -> str:
    lines = [MARKER, "", f"# {_text(t.qualified_name)}", ""]
    if t.comment:
        lines += [t.comment, ""]
    estimate = "not known" if t.row_estimate is None else f"≈ {_about(t.row_estimate):,} (the database's estimate)"
    lines += [f"Rows: {estimate}. [All tables]({INDEX})", ""]
    lines += _columns(t)
    lines += _section("Constraints", ("Kind", "Name", "Definition"), _constraints(t))
    lines += _section(
        "References",
        ("Columns", "Table", "Their columns", "On delete", "On update", "Name"),
        [_fk_row(catalog, fk, fk.ref_schema, fk.ref_table) for fk in t.foreign_keys],
    )
    lines += _section(
        "Referenced by",
        ("Table", "Their columns", "Columns", "On delete", "On update", "Name"),
        [
            _fk_row(catalog, fk, o.schema, o.name, incoming=True)
            for o, fk in sorted(catalog.referencing(t), key=lambda p: (p[0].key, p[1].columns))
        ],
    )
    lines += _section(
        "Indexes",
        ("Name", "Columns", "Unique", "Method", "Where"),
        [
            (
                i.name,
                ", ".join(i.columns),
                "primary" if i.primary else "yes" if i.unique else "",
                i.method or "",
                i.predicate or "",
            )
            for i in sorted(t.indexes, key=lambda i: i.name)
        ],
    )
    lines += _section(
        "Triggers",
        ("Name", "Timing", "Events", "Level", "Function"),
        [
            (tr.name, tr.timing, " or ".join(tr.events), tr.level, tr.function or "")
            for tr in sorted(t.triggers, key=lambda tr: tr.name)
        ],
    )
    lines += _section(
        "Policies",
        ("Name", "Command", "Type", "Roles", "Using", "With check"),
        [
            (
                p.name,
                p.command,
                "permissive" if p.permissive else "restrictive",
                ", ".join(p.roles) or "public",
                p.using or "",
                p.with_check or "",
            )
            for p in sorted(t.policies, key=lambda p: p.name)
        ],
        lead=[f"Row-level security is {'on' if t.rls_enabled else 'off'}{' (forced)' if t.rls_forced else ''}.", ""]
        if t.rls_enabled or t.policies
        else [],
    )
    lines += ["## Relations", "", *_diagram(neighbourhood(catalog, t, 1))]
    return "\n".join(lines) + "\n"


def _section(
    title: str, header: tuple[str, ...], rows: Sequence[Sequence[object]], lead: list[str] | None = None
) -> list[str]:
    if not rows and not lead:
        return []
    return [f"## {title}", "", *(lead or []), *(md_table(header, rows) if rows else []), ""]


def _columns(t: Table) -> list[str]:
    pk = set(t.primary_key.columns) if t.primary_key else set()
    fk = {c: key for key in t.foreign_keys for c in key.columns}
    rows = []
    for c in t.columns:
        keys = " ".join(k for k, on in (("PK", c.name in pk), ("FK", c.name in fk)) if on)
        default = c.default or ""
        if c.identity:
            default = f"identity ({c.identity})"
        elif c.generated:
            default = f"generated: {c.generated}"
        rows.append(
            (c.position, _text(c.name), c.data_type, "yes" if c.nullable else "no", default, keys, c.comment or "")
        )
    return _section("Columns", ("#", "Column", "Type", "Null", "Default", "Keys", "Comment"), rows)


def _constraints(t: Table) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    if t.primary_key:
        rows.append(("primary key", t.primary_key.name or "", ", ".join(t.primary_key.columns)))
    rows += [("unique", u.name or "", u.definition or ", ".join(u.columns)) for u in t.uniques]
    rows += [("check", c.name or "", c.expression) for c in t.checks]
    return rows


def _fk_row(catalog: Catalog, fk: ForeignKey, schema: str, name: str, *, incoming: bool = False) -> tuple[object, ...]:
    """One foreign key as a row; `schema.name` is the table at its other end, linked to its page."""
    other = catalog.table(name, schema)
    where = _link(other) if other is not None else _text(f"{schema}.{name}")
    referencing, referenced = ", ".join(fk.columns), ", ".join(fk.ref_columns)
    first = (where, referencing, referenced) if incoming else (referencing, where, referenced)
    return (*first, fk.on_delete, fk.on_update, fk.name or "")
