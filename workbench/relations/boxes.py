"""A neighbourhood drawn in box-drawing characters, for the Relations tab of Browse.

The centre table stands in the middle; the tables it references grow to the right and the
tables referencing it to the left, one column per hop. Each table is a box with its key
columns; each foreign key a line from the trunk of the table it was reached from, labelled with
its columns and ON DELETE action, the arrow pointing at the referenced table. Every subtree gets
its own band of rows, so boxes and lines never overlap: a big neighbourhood grows the drawing,
and the screen scrolls. Where one table has many neighbours, the leaves that share a label (or,
past that, all remaining leaves) fold into one group box listing their names.

Foreign keys that the tree does not draw (a self-reference, a second key between two tables,
a key between two tables of the same column) are listed under the drawing, so none is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.db.catalog import Table
from workbench.relations.graph import Edge, Graph, Key

#: More neighbours than this on one table, and the leaves among them are grouped.
GROUP_AT = 8
MAX_BOX = 34  # widest box, frame included
MAX_LABEL = 32
MAX_KEYS = 6  # key-column lines per box before "… n more"


@dataclass(frozen=True)
class Target:
    """A place the cursor can stop: a table's title (or a grouped table's line) and its row/columns."""

    key: Key
    row: int
    start: int
    end: int
    column: int  # which column of the layout (-hops … +hops)


@dataclass(frozen=True)
class Drawing:
    lines: tuple[str, ...]
    targets: tuple[Target, ...]
    notes: tuple[str, ...]  # the keys the tree does not draw, one line each


@dataclass
class _Node:
    """A box to draw: one table, or a group of tables reached the same way."""

    title: str
    body: list[str]
    members: list[Key]  # one for a table box; the tables of a group
    edge: Edge | None  # how it hangs from its parent (the group's first edge)
    drawn: list[Edge]  # the keys its line stands for: none for a mixed group, whose keys are listed
    label: str
    side: int
    children: list[_Node] = field(default_factory=list)
    x: int = 0
    y: int = 0
    width: int = 0

    @property
    def height(self) -> int:
        return len(self.body) + 3  # top border, title, body, bottom border


def draw(graph: Graph) -> Drawing:
    """Lay out `graph`, which must come from `neighbourhood` (it has a centre and a reach)."""
    assert graph.centre is not None and graph.reach is not None
    centre_schema = graph.centre[0]
    kids: dict[Key, list[Key]] = {}
    for key, reach in graph.reach.items():
        if reach.parent is not None:
            kids.setdefault(reach.parent, []).append(key)

    def build(key: Key, side: int) -> _Node:
        table = graph.table(key)
        reach = graph.reach[key]  # type: ignore[index]
        node = _table_node(table, centre_schema, reach.via, side, (graph.beyond or {}).get(key, 0))
        children = [build(k, side or graph.reach[k].side) for k in sorted(kids.get(key, []))]  # type: ignore[index]
        node.children = _grouped(children, centre_schema)
        return node

    root = build(graph.centre, 0)
    left = [c for c in root.children if c.side < 0]
    right = [c for c in root.children if c.side > 0]
    columns: dict[int, list[_Node]] = {}
    _collect(root, 0, columns)
    # widths: every box of a column as wide as the widest, every gap as wide as its widest label
    col_width = {c: max(n.width for n in nodes) for c, nodes in columns.items()}
    gap_width = {c: 0 for c in columns}  # the gap on the centre side of column c
    for c, nodes in columns.items():
        for node in nodes:
            for child in node.children:
                gap = c + child.side
                gap_width[gap] = max(gap_width[gap], len(child.label) + 8)
    x = 0
    col_x: dict[int, int] = {}
    for c in sorted(columns):
        if c > 0:
            x += gap_width[c]
        col_x[c] = x
        x += col_width[c]
        if c < 0:
            x += gap_width[c]
    total_width = x
    # rows: each subtree a band; the centre's two sides share its band
    _place(root, 0, col_x, col_width, left, right)
    height = max(_bottom(root), 1)
    canvas = [[" "] * total_width for _ in range(height)]
    targets: list[Target] = []
    _paint(root, canvas, targets, col_x)
    lines = tuple("".join(row).rstrip() for row in canvas)
    drawn = {(e.source, e.target, e.fk) for e in _drawn_edges(root)}
    notes = tuple(_note(graph, e) for e in graph.edges if (e.source, e.target, e.fk) not in drawn)
    order = sorted(targets, key=lambda t: (t.column, t.row, t.start))
    return Drawing(lines, tuple(order), notes)


def _name(key: Key, centre_schema: str) -> str:
    return key[1] if key[0] == centre_schema else f"{key[0]}.{key[1]}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _label(edge: Edge) -> str:
    """Short, for a line between boxes: the key's columns and its ON DELETE action (the columns
    it references are the other box's key, shown in that box)."""
    return _clip(f"{', '.join(edge.fk.columns)} · {edge.fk.on_delete.lower()}", MAX_LABEL)


def _table_node(table: Table, centre_schema: str, via: Edge | None, side: int, beyond: int) -> _Node:
    pk = table.primary_key.columns if table.primary_key else ()
    fk = {c: None for key in table.foreign_keys for c in key.columns}
    keys = [f"PK FK {c}" if c in fk else f"PK {c}" for c in pk]
    keys += [f"FK {c.name}" for c in table.columns if c.name in fk and c.name not in pk]
    if len(keys) > MAX_KEYS:
        keys = keys[: MAX_KEYS - 1] + [f"… {len(keys) - MAX_KEYS + 1} more keys"]
    if not keys:
        keys = ["(no keys)"]
    if beyond:  # the radius cuts here: say how many tables one more hop (`+`) would add
        keys.append(f"+{beyond} beyond")
    node = _Node(
        _name(table.key, centre_schema), keys, [table.key], via, [via] if via else [], _label(via) if via else "", side
    )
    node.width = _box_width([node.title, *keys])
    return node


def _box_width(texts: list[str]) -> int:
    return min(max(len(t) for t in texts) + 4, MAX_BOX)


def _grouped(children: list[_Node], centre_schema: str) -> list[_Node]:
    """At most about GROUP_AT boxes under one table: leaves sharing a label fold into a group
    box, then, if still too many, every remaining leaf into one group."""
    if len(children) <= GROUP_AT:
        return children
    kept: list[_Node] = []
    by_label: dict[tuple[int, str], list[_Node]] = {}
    for child in children:
        if child.children:
            kept.append(child)
        else:
            by_label.setdefault((child.side, child.label), []).append(child)
    singles: list[_Node] = []
    for (side, label), nodes in sorted(by_label.items()):
        if len(nodes) > 1:
            kept.append(_group(nodes, label, side, [e for n in nodes for e in n.drawn]))
        else:
            singles += nodes
    if len(kept) + len(singles) > GROUP_AT and len(singles) > 1:
        for side in (-1, 1):
            same = [n for n in singles if n.side == side]
            if len(same) > 1:
                kept.append(_group(same, "various keys (listed below)", side, []))
            else:
                kept += same
    else:
        kept += singles
    return sorted(kept, key=lambda n: (len(n.members) > 1, n.members[0]))


def _group(nodes: list[_Node], label: str, side: int, drawn: list[Edge]) -> _Node:
    names = [n.title for n in nodes]
    title = f"{len(nodes)} tables"
    group = _Node(title, names, [n.members[0] for n in nodes], nodes[0].edge, drawn, label, side)
    group.width = _box_width([title, *names])
    return group


def _collect(node: _Node, column: int, columns: dict[int, list[_Node]]) -> None:
    columns.setdefault(column, []).append(node)
    for child in node.children:
        _collect(child, column + child.side, columns)


def _band(node: _Node) -> int:
    """Rows the subtree needs: its box, or its children's bands stacked (one blank row between)."""
    stacked = sum(_band(c) for c in node.children) + max(len(node.children) - 1, 0)
    return max(node.height, stacked)


def _place(
    node: _Node, y: int, col_x: dict[int, int], col_width: dict[int, int], left: list[_Node], right: list[_Node]
) -> None:
    node.x, node.y, node.width = col_x[0], y, col_width[0]
    for side in (left, right):
        row = y
        for child in side:
            _place_subtree(child, row, 0, col_x, col_width)
            row += _band(child) + 1


def _place_subtree(node: _Node, y: int, parent_column: int, col_x: dict[int, int], col_width: dict[int, int]) -> None:
    column = parent_column + node.side
    node.x, node.y, node.width = col_x[column], y, col_width[column]
    row = y
    for child in node.children:
        _place_subtree(child, row, column, col_x, col_width)
        row += _band(child) + 1


def _bottom(node: _Node) -> int:
    return max([node.y + node.height, *(_bottom(c) for c in node.children)])


def _paint(node: _Node, canvas: list[list[str]], targets: list[Target], col_x: dict[int, int]) -> None:
    column = next(c for c, x in col_x.items() if x == node.x)
    _box(node, canvas)
    if len(node.members) == 1:
        targets.append(Target(node.members[0], node.y + 1, node.x + 2, node.x + 2 + len(_title(node)), column))
    else:
        for i, key in enumerate(node.members):
            line = _clip(node.body[i], node.width - 4)
            targets.append(Target(key, node.y + 2 + i, node.x + 2, node.x + 2 + len(line), column))
    for side in (-1, 1):
        children = [c for c in node.children if c.side == side]
        if children:
            _lines(node, children, side, canvas)
    for child in node.children:
        _paint(child, canvas, targets, col_x)


def _title(node: _Node) -> str:
    return _clip(node.title, node.width - 4)


def _put(canvas: list[list[str]], row: int, x: int, text: str) -> None:
    for i, ch in enumerate(text):
        canvas[row][x + i] = ch


def _box(node: _Node, canvas: list[list[str]]) -> None:
    inner = node.width - 2
    _put(canvas, node.y, node.x, "┌" + "─" * inner + "┐")
    _put(canvas, node.y + 1, node.x, "│ " + _title(node).ljust(inner - 1) + "│")
    for i, text in enumerate(node.body):
        _put(canvas, node.y + 2 + i, node.x, "│ " + _clip(text, inner - 2).ljust(inner - 1) + "│")
    _put(canvas, node.y + node.height - 1, node.x, "└" + "─" * inner + "┘")


def _lines(parent: _Node, children: list[_Node], side: int, canvas: list[list[str]]) -> None:
    """The trunk beside `parent` and one labelled line to each child on `side`."""
    top = parent.y + 1
    rows = [c.y + 1 for c in children]
    if side > 0:
        exit_x = parent.x + parent.width
        trunk = exit_x + 1
        canvas[top][exit_x] = "─"
    else:
        exit_x = parent.x - 1
        trunk = exit_x - 1
        canvas[top][exit_x] = "─"
    for row in range(top, rows[-1] + 1):
        canvas[row][trunk] = "│"
    for i, (child, row) in enumerate(zip(children, rows, strict=True)):
        last = i == len(children) - 1
        if row == top:
            canvas[row][trunk] = "─" if last else "┬"
        else:
            canvas[row][trunk] = ("└" if last else "├") if side > 0 else ("┘" if last else "┤")
        near, far = (trunk + 1, child.x - 1) if side > 0 else (child.x + child.width, trunk - 1)
        for x in range(near, far + 1):
            canvas[row][x] = "─"
        _put(canvas, row, near + 2, f" {child.label} ")
        child_is_referenced = child.edge is not None and child.edge.target == child.members[0]
        if side > 0:
            canvas[row][far if child_is_referenced else near] = "▶" if child_is_referenced else "◀"
        else:
            canvas[row][near if child_is_referenced else far] = "◀" if child_is_referenced else "▶"


def _drawn_edges(node: _Node) -> list[Edge]:
    out: list[Edge] = []
    for child in node.children:
        out += child.drawn + _drawn_edges(child)
    return out


def _note(graph: Graph, edge: Edge) -> str:
    schema = graph.centre[0] if graph.centre else ""
    if edge.source == edge.target:
        return f"↺ {_name(edge.source, schema)}: {edge.label}"
    return f"{_name(edge.source, schema)} → {_name(edge.target, schema)}: {edge.label}"
