"""A Mermaid `erDiagram`, which GitHub and GitLab render inside Markdown.

Mermaid's grammar is narrow: an entity name in double quotes may hold anything but `"`, `%`, a
backslash and line breaks; attribute types and names must be word characters (plus `-`, `[]`,
`()`); a relationship label is a quoted string. So every name is written through one of the
`_entity`/`_word` helpers below, and a column whose name had to change keeps its real name in
the attribute's comment. Tables show their key columns (primary, foreign, unique): the diagram
is about how tables join.
"""

from __future__ import annotations

import re

from workbench.db.catalog import Table
from workbench.relations.graph import Edge, Graph

_NOT_IN_ENTITY = re.compile(r'["%\\\r\n\v\b]')
_NOT_IN_WORD = re.compile(r"[^A-Za-z0-9_\-\[\]()]+")


def mermaid(graph: Graph, *, attributes: bool = True) -> str:
    """The diagram as text, without Markdown fences; without `attributes`, the tables' names only."""
    names = _entity_names(graph)
    lines = ["erDiagram"]
    for table in graph.tables:
        rows = _attributes(table) if attributes else []
        if rows:
            lines.append(f"    {names[table.key]} {{")
            lines += [f"        {row}" for row in rows]
            lines.append("    }")
        else:
            lines.append(f"    {names[table.key]}")
    for edge in graph.edges:
        lines.append(f"    {names[edge.target]} {_cardinality(graph, edge)} {names[edge.source]} : {_label(edge)}")
    return "\n".join(lines) + "\n"


def _entity_names(graph: Graph) -> dict[tuple[str, str], str]:
    """A quoted, unique entity name per table: `"schema.table"`, odd characters replaced."""
    names: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for table in graph.tables:
        base = _NOT_IN_ENTITY.sub("_", table.qualified_name)
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}~{n}"
        used.add(name)
        names[table.key] = f'"{name}"'
    return names


def _word(text: str) -> str:
    word = _NOT_IN_WORD.sub("_", text).strip("_") or "_"
    return word if re.match(r"[A-Za-z_]", word) else f"_{word}"


def _attributes(table: Table) -> list[str]:
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk = {c for key in table.foreign_keys for c in key.columns}
    uk = {c for u in table.uniques for c in u.columns if len(u.columns) == 1}
    rows = []
    for column in table.columns:
        keys = [k for k, on in (("PK", column.name in pk), ("FK", column.name in fk), ("UK", column.name in uk)) if on]
        if not keys:
            continue
        name = _word(column.name)
        comment = f' "{_quoted(column.name)}"' if name != column.name else ""
        rows.append(f"{_word(column.data_type)} {name} {', '.join(keys)}{comment}")
    return rows


def _cardinality(graph: Graph, edge: Edge) -> str:
    """Crow's foot from the referenced table to the referencing one: exactly one (or zero or
    one, when a key column may be null) to many (or to one, when the key columns are unique)."""
    source = graph.table(edge.source)
    optional = any((c := source.column(name)) is None or c.nullable for name in edge.fk.columns)
    unique = _unique(source, edge.fk.columns)
    return ("|o" if optional else "||") + "--" + ("o|" if unique else "o{")


def _unique(table: Table, columns: tuple[str, ...]) -> bool:
    wanted = set(columns)
    keys = [table.primary_key.columns] if table.primary_key else []
    keys += [u.columns for u in table.uniques]
    return any(set(key) == wanted for key in keys)


def _label(edge: Edge) -> str:
    return f'"{_quoted(edge.label)}"'


def _quoted(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")
