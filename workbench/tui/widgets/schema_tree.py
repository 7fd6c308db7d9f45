"""The schema tree: schemas → kinds → objects, built lazily from `workbench.browse.outline`.

A group's objects become tree nodes only when the group is expanded, so a 10,000-table schema
paints as fast as a ten-table one. Moving the cursor onto an object announces it
(`ObjectHighlighted`); Enter announces a choice (`ObjectSelected`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.browse.cells import short_count
from workbench.browse.outline import Entry, Group, ObjectRef

NodeData = str | Group | Entry  # schema name | group of objects | one object
FIRST_PAINT = 100  # objects per group drawn before the first frame; the rest follow right after


class SchemaTree(Tree[NodeData]):
    COMPONENT_CLASSES = {"schema-tree--match", "schema-tree--count"}
    BINDINGS = [
        Binding("right", "expand_cursor", "Expand", show=False),
        Binding("left", "collapse_cursor", "Collapse", show=False),
    ]

    class ObjectHighlighted(Message):
        def __init__(self, ref: ObjectRef) -> None:
            super().__init__()
            self.ref = ref

    class ObjectSelected(Message):
        def __init__(self, ref: ObjectRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("schema", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._groups: dict[tuple[str, str], TreeNode[NodeData]] = {}
        self._shown: tuple[list[Group], str | None, bool] | None = None

    def show(self, groups: list[Group], default_schema: str | None, filtered: bool = False) -> None:
        """Replace the tree's content; expand what the user most likely wants to see first.

        The same content again (the catalog arriving after its outline, a refresh that changed no
        name) keeps the tree as the user left it and announces the highlighted object anew.
        """
        if (groups, default_schema, filtered) == self._shown:
            if self.highlighted_ref is not None:
                self.post_message(self.ObjectHighlighted(self.highlighted_ref))
            return
        self._shown = (groups, default_schema, filtered)
        self.clear()
        # Forget the old cursor line quietly: when the new first object sits on the same line,
        # moving there must still announce it.
        self.unselect()
        self._groups = {}
        schemas: dict[str, TreeNode[NodeData]] = {}
        for group in groups:
            if group.schema not in schemas:
                schemas[group.schema] = self.root.add(Text(group.schema, style="bold"), group.schema)
            count = len(group.entries)
            label = Text.assemble(group.title, (f" {count:,}", self._ink("schema-tree--count")))
            self._groups[(group.schema, group.kind)] = schemas[group.schema].add(label, group)
        first = next(iter(schemas), None)
        main = default_schema if default_schema in schemas else first
        for schema, node in schemas.items():
            if filtered or schema == main or len(schemas) == 1:
                node.expand()
                for child in node.children:
                    if filtered or child is node.children[0]:
                        # a screenful first; the rest after the first paint, so it never waits
                        self._populate(child, FIRST_PAINT)
                        self.call_after_refresh(self._populate, child)
                        child.expand()
        self._highlight_first_object()

    def reveal(self, ref: ObjectRef) -> bool:
        """Put the cursor on `ref`, expanding its schema and group; False when not in the tree."""
        group = self._groups.get((ref.schema, ref.kind))
        if group is None:
            return False
        self._populate(group)
        node = next((n for n in group.children if isinstance(n.data, Entry) and n.data.ref == ref), None)
        if node is None:
            return False
        if group.parent is not None:
            group.parent.expand()
        group.expand()
        self.call_after_refresh(self._move_to, node)
        return True

    @property
    def highlighted_ref(self) -> ObjectRef | None:
        node = self.cursor_node
        return node.data.ref if node is not None and isinstance(node.data, Entry) else None

    # -- events ------------------------------------------------------------------------------

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        self._populate(event.node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        event.stop()
        if isinstance(event.node.data, Entry):
            self.post_message(self.ObjectHighlighted(event.node.data.ref))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        if isinstance(event.node.data, Entry):
            self.post_message(self.ObjectSelected(event.node.data.ref))

    def action_expand_cursor(self) -> None:
        """Open the group under the cursor."""
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def action_collapse_cursor(self) -> None:
        """Close the group under the cursor, or go to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    # -- internals ---------------------------------------------------------------------------

    def _populate(self, node: TreeNode[NodeData], upto: int | None = None) -> None:
        """Add a group's objects (the first `upto` of them) that are not in the tree yet."""
        group = node.data
        if not isinstance(group, Group):
            return
        done = len(node.children)
        wanted = group.entries[done:upto]
        if not wanted:
            return
        match_style = self._ink("schema-tree--match")
        count_style = self._ink("schema-tree--count")
        for entry in wanted:
            label = Text(entry.ref.name)
            for position in entry.positions:
                label.stylize(match_style, position, position + 1)
            if entry.estimate is not None:
                label.append(f" {short_count(entry.estimate)}", count_style)
            node.add_leaf(label, entry)

    def _ink(self, component: str) -> Style:
        """A component's colour and text style without a background, its colour blended over the
        tree's own background: labels outlive focus changes (which tint that background), so they
        must look the same whichever way the focus was when they were made."""
        style = self.get_component_rich_style(component)
        styles, background = self.get_component_styles(component), self.styles.background
        colour = background.get_contrast_text(styles.color.a) if styles.auto_color else styles.color
        return Style(
            color=(background + colour).rich_color, bold=style.bold, italic=style.italic, underline=style.underline
        )

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        """The label's width without drawing it: Textual asks for every line's on each rebuild."""
        label = node.label  # a Text in practice; typed str | Text
        return (label.cell_len if isinstance(label, Text) else cell_len(label)) + (
            cell_len(self.ICON_NODE) if node.allow_expand else 0
        )

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)

    def _highlight_first_object(self) -> None:
        """Put the cursor on the first object (the best match when filtered) so the detail has content."""
        for group in self._groups.values():
            if group.children:
                self.call_after_refresh(self._move_to, group.children[0])
                return
        self.cursor_line = 0
