"""Graphviz DOT: every id and label a quoted string, so any table name is safe.

Tables are boxes listing their key columns (left-aligned lines); each foreign key an arrow from
the referencing table to the referenced one, labelled with its columns and ON DELETE action.
"""

from __future__ import annotations

from workbench.db.catalog import Table
from workbench.relations.graph import Graph


def dot(graph: Graph, name: str = "schema") -> str:
    lines = [
        f"digraph {_quote(name)} {{",
        "    graph [rankdir=LR];",
        '    node [shape=box, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for table in graph.tables:
        lines.append(f"    {_quote(table.qualified_name)} [label={_label(table)}];")
    for edge in graph.edges:
        source, target = graph.table(edge.source), graph.table(edge.target)
        lines.append(
            f"    {_quote(source.qualified_name)} -> {_quote(target.qualified_name)} [label={_quote(edge.label)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    """A DOT quoted string: only `"` and a backslash need escaping (a newline becomes a space)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _label(table: Table) -> str:
    """The name, then one left-aligned line per key column (`\\l` ends a left-aligned line)."""
    pk = set(table.primary_key.columns) if table.primary_key else set()
    fk = {c for key in table.foreign_keys for c in key.columns}
    rows = [
        f"{'PK ' if c.name in pk else ''}{'FK ' if c.name in fk else ''}{c.name}: {c.data_type}"
        for c in table.columns
        if c.name in pk or c.name in fk
    ]
    body = _quote(table.qualified_name)[1:-1] + "\\n" + "".join(_quote(row)[1:-1] + "\\l" for row in rows)
    return f'"{body}"'
