"""Browse: the schema tree on the left, the selected object's details and data on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, LoadingIndicator, Static

from workbench.browse.outline import ObjectRef, find, outline
from workbench.db.base import CatalogOutline
from workbench.db.catalog import Catalog
from workbench.tui.screens.base import WorkbenchScreen
from workbench.tui.widgets.footer import Footer
from workbench.tui.widgets.header import WorkbenchHeader
from workbench.tui.widgets.object_detail import TABS, ObjectDetail
from workbench.tui.widgets.schema_tree import SchemaTree

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

FILTER_DELAY = 0.08  # seconds of typing pause before the tree is filtered again


class BrowseScreen(WorkbenchScreen):
    BINDINGS = [
        # priority: runs before the keys typed right after it are routed, so they land in the filter
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("r", "refresh", "Refresh"),
        # a binding, not a key handler: the focused grid's own Escape (cancel a query) comes first
        Binding("escape", "escape", "Back to the tree", show=False),
        Binding("b", "back", "Back"),
        Binding("tab", "focus_next_area", "Tree/detail", show=False),
        Binding("left_square_bracket", "cycle_tab(-1)", "Previous tab", show=False, key_display="["),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, key_display="]"),
        *(Binding(key, f"tab({pane!r})", title, show=False) for pane, title, key in TABS),
    ]

    app: WorkbenchApp

    def __init__(self) -> None:
        super().__init__(name="browse")
        self._history: list[ObjectRef] = []
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield WorkbenchHeader()
        with Horizontal(id="browse"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="/ filter by name", id="tree-filter")
                yield SchemaTree(id="schema-tree")
                yield Static(id="tree-message")
            yield ObjectDetail(id="detail")
        yield LoadingIndicator(id="catalog-loading")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "outline", self._outline_changed)
        self.watch(self.app, "catalog", self._catalog_changed)
        self.watch(self.app, "problem", self._problem_changed)
        self.watch(self.app, "catalog_loading", self._loading_changed)
        self.watch(self.app, "theme", lambda _theme: self.query_one(ObjectDetail).refresh_theme(), init=False)
        self.query_one(SchemaTree).focus()

    # -- catalog and problems ----------------------------------------------------------------

    def _outline_changed(self, names: CatalogOutline | None) -> None:
        """Names arrive before the catalog: the tree can show them already."""
        if names is not None and self.app.catalog is None:
            self.refresh_bindings()  # the filter works on the names already
            self._show_tree(self._filter_text())

    def _catalog_changed(self, catalog: Catalog | None) -> None:
        if catalog is None:
            return
        self.refresh_bindings()
        self._show_tree(self._filter_text())  # a filter typed while the catalog loaded stays applied
        detail = self.query_one(ObjectDetail)
        current = detail.ref
        if current is not None and (obj := find(catalog, current)) is not None:
            detail.show(current, obj, catalog)
            self.query_one(SchemaTree).reveal(current)
        elif not catalog.tables and not catalog.views and not catalog.enums and not catalog.functions:
            detail.clear("This database is empty: no tables, views, types or functions yet.")

    def _problem_changed(self, problem: str) -> None:
        message = self.query_one("#tree-message", Static)
        message.display = bool(problem)
        if problem:
            message.update(
                Text.assemble(
                    (problem, "bold"), "\n\nPress r to try again; run `workbench --help` for the connection formats."
                )
            )
            self.query_one(ObjectDetail).clear("The database is not available.")

    def _loading_changed(self, loading: bool) -> None:
        self.query_one("#catalog-loading").display = loading and self.app.catalog is None

    def _show_tree(self, query: str = "") -> None:
        source = self.app.catalog if self.app.catalog is not None else self.app.outline
        if source is None:
            return
        groups = outline(source, query)
        session = self.app.session
        default = session.conn.default_schema if session is not None else None
        self.query_one(SchemaTree).show(groups, default, filtered=bool(query))
        message = self.query_one("#tree-message", Static)
        message.display = not groups
        if not groups:
            message.update(f"Nothing matches {query!r}." if query else "No tables, views, types or functions.")

    # -- tree and detail ---------------------------------------------------------------------

    def on_schema_tree_object_highlighted(self, message: SchemaTree.ObjectHighlighted) -> None:
        self._open(message.ref)

    def on_schema_tree_object_selected(self, message: SchemaTree.ObjectSelected) -> None:
        self._open(message.ref)
        self.query_one(ObjectDetail).focus_active()

    def on_object_detail_jump_requested(self, message: ObjectDetail.JumpRequested) -> None:
        self.reveal(message.ref)

    def reveal(self, ref: ObjectRef, remember: bool = True) -> None:
        """Open `ref` and put the tree's cursor on it (clearing a filter that hides it)."""
        tree = self.query_one(SchemaTree)
        current = self.query_one(ObjectDetail).ref
        if remember and current is not None and current != ref:
            self._history.append(current)
        if not tree.reveal(ref):
            self._clear_filter()
            tree.reveal(ref)
        self._open(ref)

    def _open(self, ref: ObjectRef) -> None:
        catalog = self.app.catalog
        detail = self.query_one(ObjectDetail)
        if catalog is None or detail.ref == ref:
            return
        obj = find(catalog, ref)
        if obj is None:
            detail.clear(f"{ref.qualified} is not in the catalog any more; press r to refresh.")
        else:
            detail.show(ref, obj, catalog)

    # -- filter ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """Filter the tree by name as you type (fuzzy)."""
        self.set_focus(self.query_one("#tree-filter", Input))  # at once: the next keys typed are the filter

    def _filter_text(self) -> str:
        return self.query_one("#tree-filter", Input).value.strip()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "tree-filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, lambda: self._show_tree(event.value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "tree-filter":
            if self._filter_timer is not None:
                self._filter_timer.stop()
            self._show_tree(event.value.strip())
            self.query_one(SchemaTree).focus()

    def action_escape(self) -> None:
        """Clear the filter, or go back to the tree."""
        box = self.query_one("#tree-filter", Input)
        if box.has_focus or (box.value and self.query_one(SchemaTree).has_focus):
            self._clear_filter()
        self.query_one(SchemaTree).focus()

    def _clear_filter(self) -> None:
        box = self.query_one("#tree-filter", Input)
        if box.value:
            box.value = ""
            if self._filter_timer is not None:
                self._filter_timer.stop()
            self._show_tree()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        detail = self.query_one(ObjectDetail)
        if action == "back":
            return bool(self._history)
        if action in ("tab", "cycle_tab"):
            return detail.ref is not None and (action == "cycle_tab" or detail.can_show(str(parameters[0])))
        if action == "filter":
            return self.app.catalog is not None or self.app.outline is not None
        return True

    def action_refresh(self) -> None:
        """Read the catalog again (after an outside change)."""
        self.app.refresh_catalog()
        self.notify("Reading the catalog again…", timeout=2)

    def action_back(self) -> None:
        """Go back to the object shown before the last jump."""
        if self._history:
            self.reveal(self._history.pop(), remember=False)

    def action_tab(self, pane: str) -> None:
        """Show one of the detail tabs."""
        detail = self.query_one(ObjectDetail)
        if detail.activate(pane):
            detail.focus_active()

    def action_cycle_tab(self, step: int) -> None:
        """Show the next or previous detail tab."""
        self.query_one(ObjectDetail).cycle(step)

    def action_focus_next_area(self) -> None:
        """Move between the tree and the detail."""
        tree = self.query_one(SchemaTree)
        if tree.has_focus:
            self.query_one(ObjectDetail).focus_active()
        else:
            tree.focus()
