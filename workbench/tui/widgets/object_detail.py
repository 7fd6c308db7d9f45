"""The right-hand side of Browse: everything the catalog knows about one object, in tabs.

Tabs are filled only when shown, so walking the tree with the cursor costs one tab's rendering
per step. The Data tab hands over to `DataPane`, which queries the database in workers.
"""

from __future__ import annotations

from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import Static, TabbedContent, TabPane

from workbench.browse.outline import RELATIONS, ObjectRef
from workbench.db.base import Connection
from workbench.db.catalog import Catalog, Table, View
from workbench.db.ddl import ddl
from workbench.tui.widgets.data_pane import DataPane
from workbench.tui.widgets.info_table import InfoTable
from workbench.tui.widgets.relations_view import RelationsView

#: (pane id, title, key) in tab order; the Browse screen binds the keys.
TABS: tuple[tuple[str, str, str], ...] = (
    ("columns", "Columns", "c"),
    ("constraints", "Constraints", "k"),
    ("foreign-keys", "Foreign keys", "f"),
    ("relations", "Relations", "n"),
    ("indexes", "Indexes", "i"),
    ("triggers", "Triggers", "t"),
    ("policies", "Policies", "p"),
    ("ddl", "DDL", "s"),
    ("data", "Data", "d"),
)
_SHOWN_FOR: dict[str, set[str]] = {
    "table": {t for t, _, _ in TABS},
    "view": {"columns", "triggers", "ddl", "data"},
    "materialized view": {"columns", "indexes", "ddl", "data"},
}


class ObjectDetail(Vertical):
    class JumpRequested(Message):
        """The user asked to open another object (a foreign key's other end)."""

        def __init__(self, ref: ObjectRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ref: ObjectRef | None = None
        self.obj: Any = None
        self.catalog: Catalog | None = None
        self._rendered: set[str] = set()
        self._jumps: dict[str, ObjectRef] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        with TabbedContent(id="detail-tabs"):
            with TabPane("Columns", id="columns"):
                yield InfoTable("#", "Column", "Type", "Null", "Default", "Keys", "Comment", id="columns-table")
            # Panes other than the first mount after the first paint: start-up builds only what shows.
            with TabPane("Constraints", id="constraints"):
                yield Lazy(InfoTable("Kind", "Name", "Definition", id="constraints-table"))
            with TabPane("Foreign keys", id="foreign-keys"):
                yield Lazy(
                    InfoTable(
                        "", "Name", "Columns", "Other table", "Other columns", "On delete", "On update", id="fk-table"
                    )
                )
            with TabPane("Relations", id="relations"):
                yield Lazy(RelationsView(id="relations-view"))
            with TabPane("Indexes", id="indexes"):
                yield Lazy(InfoTable("Name", "Columns", "Unique", "Method", "Where", id="indexes-table"))
            with TabPane("Triggers", id="triggers"):
                yield Lazy(InfoTable("Name", "Timing", "Events", "Level", "Function", "Enabled", id="triggers-table"))
            with TabPane("Policies", id="policies"):
                yield Lazy(
                    Vertical(
                        Static(id="rls-flags"),
                        InfoTable("Name", "Command", "Type", "Roles", "Using", "With check", id="policies-table"),
                    )
                )
            with TabPane("DDL", id="ddl"):
                yield Lazy(VerticalScroll(Static(id="ddl-text"), id="ddl-scroll"))
            with TabPane("Data", id="data"):
                yield Lazy(DataPane(id="data-pane"))

    # -- what the screen calls ---------------------------------------------------------------

    def show(self, ref: ObjectRef, obj: Any, catalog: Catalog) -> None:
        """Describe `obj`; tabs that do not apply to its kind are hidden."""
        self.ref, self.obj, self.catalog = ref, obj, catalog
        self._rendered.clear()
        tabs = self.query_one(TabbedContent)
        shown = _SHOWN_FOR.get(ref.kind, {"ddl"})
        for pane_id, _, _ in TABS:
            (tabs.show_tab if pane_id in shown else tabs.hide_tab)(pane_id)
        if tabs.active not in shown:
            tabs.active = "columns" if "columns" in shown else "ddl"
        self.query_one("#detail-title", Static).update(self._title())
        self._render_active()

    def clear(self, message: str = "") -> None:
        """Show nothing but `message` (empty database, no selection, unavailable)."""
        self.ref = self.obj = None
        self._rendered.clear()
        self.query_one("#detail-title", Static).update(Text(message))
        for pane in self.query(DataPane):
            pane.close()

    def can_show(self, pane_id: str) -> bool:
        return self.ref is not None and pane_id in _SHOWN_FOR.get(self.ref.kind, {"ddl"})

    def activate(self, pane_id: str) -> bool:
        """Switch to a tab; False when that tab does not apply to the current object."""
        if not self.can_show(pane_id):
            return False
        self.query_one(TabbedContent).active = pane_id
        return True

    def cycle(self, step: int) -> None:
        """Go to the next (or previous) visible tab."""
        shown = [t for t, _, _ in TABS if self.can_show(t)]
        if not shown:
            return
        tabs = self.query_one(TabbedContent)
        index = shown.index(tabs.active) if tabs.active in shown else 0
        tabs.active = shown[(index + step) % len(shown)]

    def focus_active(self) -> None:
        """Give the keyboard to the active tab's table, grid or text."""
        pane = self.query_one(TabbedContent).active_pane
        target = next((w for w in pane.query("*") if w.focusable), None) if pane is not None else None
        if target is not None:
            target.focus()

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def refresh_theme(self) -> None:
        """The DDL's colours depend on light or dark; draw it again."""
        self._rendered.discard("ddl")
        if self.active_tab == "ddl":
            self._render_active()

    # -- events ------------------------------------------------------------------------------

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "detail-tabs":
            self._render_active()

    def on_data_table_row_selected(self, event: InfoTable.RowSelected) -> None:
        if event.data_table.id == "fk-table" and event.row_key.value in self._jumps:
            event.stop()
            self.post_message(self.JumpRequested(self._jumps[event.row_key.value]))

    def on_relations_view_neighbour_chosen(self, event: RelationsView.NeighbourChosen) -> None:
        event.stop()
        self.post_message(self.JumpRequested(ObjectRef("table", *event.key)))

    # -- rendering ---------------------------------------------------------------------------

    def _render_active(self) -> None:
        tab = self.active_tab
        if self.obj is None or tab in self._rendered:
            return
        self._rendered.add(tab)
        getattr(self, "_render_" + tab.replace("-", "_"))()

    def _title(self) -> Text:
        ref, obj = self.ref, self.obj
        assert ref is not None
        title = Text.assemble((ref.kind, "italic"), " ", (ref.qualified, "bold"))
        estimate = getattr(obj, "row_estimate", None)
        if estimate is not None:
            title.append(f"  ~{estimate:,} rows")
        if isinstance(obj, Table) and obj.rls_enabled:
            title.append("  RLS" + (" forced" if obj.rls_forced else ""))
        comment = getattr(obj, "comment", None)
        if comment:
            title.append(f"  — {comment.splitlines()[0]}", "italic")
        if isinstance(obj, View) and obj.error:
            title.append(f"  ({obj.error})")
        return title

    def _render_columns(self) -> None:
        obj = self.obj
        table = obj if isinstance(obj, Table) else None
        pk = set(table.primary_key.columns) if table and table.primary_key else set()
        fks = {c: fk for fk in (table.foreign_keys if table else ()) for c in fk.columns}
        uniques = {u.columns[0] for u in (table.uniques if table else ()) if len(u.columns) == 1}
        rows = []
        for c in obj.columns:
            keys = " ".join(
                filter(
                    None,
                    [
                        "PK" if c.name in pk else "",
                        "UQ" if c.name in uniques else "",
                        f"FK → {fks[c.name].ref_table}" if c.name in fks else "",
                    ],
                )
            )
            default = c.default or ""
            if c.identity:
                default = f"identity ({c.identity})"
            elif c.generated:
                default = f"generated ({c.generated_kind or 'stored'}): {c.generated}"
            rows.append(
                (c.position, c.name, c.data_type, "null" if c.nullable else "not null", default, keys, c.comment or "")
            )
        self.query_one("#columns-table", InfoTable).fill(rows)

    def _render_constraints(self) -> None:
        t: Table = self.obj
        rows: list[tuple[str, str, str]] = []
        if t.primary_key:
            rows.append(("primary key", t.primary_key.name or "", ", ".join(t.primary_key.columns)))
        rows += [("unique", u.name or "", u.definition or ", ".join(u.columns)) for u in t.uniques]
        rows += [("check", c.name or "", c.expression) for c in t.checks]
        rows += [
            ("not null", "", c.name)
            for c in t.columns
            if not c.nullable and c.name not in (t.primary_key.columns if t.primary_key else ())
        ]
        self.query_one("#constraints-table", InfoTable).fill(rows, empty="no constraints")

    def _render_foreign_keys(self) -> None:
        t: Table = self.obj
        assert self.catalog is not None
        rows, keys, self._jumps = [], [], {}
        for i, fk in enumerate(t.foreign_keys):
            target = ObjectRef("table", fk.ref_schema, fk.ref_table)
            rows.append(
                (
                    "→",
                    fk.name or "",
                    ", ".join(fk.columns),
                    target.qualified,
                    ", ".join(fk.ref_columns),
                    fk.on_delete,
                    fk.on_update,
                )
            )
            keys.append(f"out-{i}")
            self._jumps[f"out-{i}"] = target
        for i, (other, fk) in enumerate(self.catalog.referencing(t)):
            source = ObjectRef("table", other.schema, other.name)
            rows.append(
                (
                    "←",
                    fk.name or "",
                    ", ".join(fk.ref_columns),
                    source.qualified,
                    ", ".join(fk.columns),
                    fk.on_delete,
                    fk.on_update,
                )
            )
            keys.append(f"in-{i}")
            self._jumps[f"in-{i}"] = source
        self.query_one("#fk-table", InfoTable).fill(rows, keys, empty="no foreign keys, to or from this table")

    def _render_relations(self) -> None:
        assert self.catalog is not None
        self.query_one(RelationsView).show(self.catalog, self.obj)

    def _render_indexes(self) -> None:
        rows = [
            (
                i.name,
                ", ".join(i.columns),
                "primary" if i.primary else "unique" if i.unique else "",
                i.method or "",
                i.predicate or "",
            )
            for i in self.obj.indexes
        ]
        self.query_one("#indexes-table", InfoTable).fill(rows, empty="no indexes")

    def _render_triggers(self) -> None:
        rows = [
            (tr.name, tr.timing, " or ".join(tr.events), tr.level, tr.function or "", "yes" if tr.enabled else "no")
            for tr in self.obj.triggers
        ]
        self.query_one("#triggers-table", InfoTable).fill(rows, empty="no triggers")

    def _render_policies(self) -> None:
        t: Table = self.obj
        conn = self._connection()
        if conn is not None and not conn.capabilities.rls:
            flags = f"Row-level security does not exist on {conn.backend.name}."
        else:
            flags = (
                f"Row-level security: {'enabled' if t.rls_enabled else 'disabled'}, "
                f"{'forced for the owner too' if t.rls_forced else 'not forced'}; "
                f"{len(t.policies)} {'policy' if len(t.policies) == 1 else 'policies'}."
            )
        self.query_one("#rls-flags", Static).update(Text(flags))
        rows = [
            (
                p.name,
                p.command,
                "permissive" if p.permissive else "restrictive",
                ", ".join(p.roles) or "public",
                p.using or "",
                p.with_check or "",
            )
            for p in t.policies
        ]
        self.query_one("#policies-table", InfoTable).fill(rows, empty="no policies")

    def _render_ddl(self) -> None:
        conn = self._connection()
        target = self.query_one("#ddl-text", Static)
        if conn is None:
            target.update(Text("DDL needs the connection's quoting rules; not connected."))
            return
        text = ddl(self.obj, conn, self.catalog)
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        target.update(Syntax(text, "sql", theme=theme, background_color="default", word_wrap=False))

    def _render_data(self) -> None:
        if self.ref is not None and self.ref.kind in RELATIONS:
            self.query_one(DataPane).open(self.obj)

    def _connection(self) -> Connection | None:
        session = getattr(self.app, "session", None)
        return session.conn if session is not None else None
