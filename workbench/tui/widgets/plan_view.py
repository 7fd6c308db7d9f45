"""A migration plan as a person reads it before anything runs: per migration, its way (one
transaction, a down script, a restore…), what it backs up first, every statement with its lint
findings beneath, and, going down, why there is no way back or what is lost.

Drawn from the plan's values, never from its text lines, so colours come from migrations.tcss.
Every line wraps under its own text at any width, and a table's name is never cut: a confirmation
that shows `main.boo…` could be about booking_orders or booking_order_private_notes. `NamedRows`
is the one place figures per table are laid out (the rollback's stakes use it).
"""

from __future__ import annotations

from typing import ClassVar

from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from workbench.migrations.plan import MigrationPlan, Plan
from workbench.migrations.steps import Step

METHODS = {
    "transaction": "in one transaction",
    "no transaction": "outside a transaction",
    "partly outside a transaction": "partly outside a transaction",
    "down script": "with its down script",
    "inverse": "with the automatic inverse",
    "restore": "by restoring from backups",
    "refused": "no way back",
}
STATEMENT_SHOWN = 2_000  # characters of one statement a plan shows; the SQL pane has the rest
_STYLES = {
    "backup": "backup",
    "restore": "restore",
    "drop": "warning",
    "verify": "muted",
    "ledger": "muted",
    "skip": "muted",
}


class PlanView(Widget):
    """Renders one `Plan`; `lead` is an optional sentence above it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "plan-view--heading",
        "plan-view--backup",
        "plan-view--restore",
        "plan-view--warning",
        "plan-view--refusal",
        "plan-view--muted",
    }

    def __init__(self, plan: Plan, lead: Text | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan = plan
        self.lead = lead

    def style(self, part: str) -> str:
        return str(self.get_component_rich_style(f"plan-view--{part}"))

    def render(self) -> RenderableType:
        out: list[RenderableType] = []
        if self.lead is not None:
            out += [self.lead, Text("")]
        out += [Text(f"note: {note}", style=self.style("warning")) for note in self.plan.notes]
        if not self.plan.migrations:
            out.append(Text("Nothing to do.", style=self.style("muted")))
        for i, m in enumerate(self.plan.migrations):
            if i:
                out.append(Text(""))
            out += self.migration(m)
        return Group(*out)

    def migration(self, m: MigrationPlan) -> Iterator[RenderableType]:
        """Its heading, then notes and steps, each wrapping under its own first word."""
        verb = "apply" if m.direction == "up" else "roll back"
        yield Text.assemble(
            (f"{verb} {m.version} {m.name}".rstrip(), self.style("heading")), f"  {METHODS.get(m.method, m.method)}"
        )
        if m.refusal:
            yield hanging(Text(f"no way back: {m.refusal}", style=self.style("refusal")), 2)
        for warning in m.named_warnings:
            yield hanging(Text(f"! {warning}", style=self.style("warning")), 4)
        steps = Table.grid(padding=(0, 1), pad_edge=False)
        steps.add_column(width=9, no_wrap=True)
        steps.add_column(overflow="fold")
        for step in m.steps:
            style = self.style(_STYLES[step.action]) if step.action in _STYLES else ""
            steps.add_row(Text(step.action, style=style), Text(step_text(step), style=style))
            for finding in step.findings:
                steps.add_row("", hanging(Text(f"! {finding.text}", style=self.style("warning")), 2))
        if m.steps:
            yield Padding(steps, (0, 0, 0, 2))
        if m.fallback:
            yield hanging(Text(f"if that fails: {m.fallback}", style=self.style("muted")), 2)


def step_text(step: Step) -> str:
    """The step as the engine words it, with its statement in full (up to `STATEMENT_SHOWN`
    characters) where the engine shortened it to one line."""
    st = step.statement
    if st is None or step.run or not step.text.endswith(st.summary) or not st.summary.endswith("…"):
        return step.text
    sql = statement_text(st.sql)
    if len(sql) > STATEMENT_SHOWN:
        rest = len(sql) - STATEMENT_SHOWN
        sql = f"{sql[:STATEMENT_SHOWN]} … ({rest:,} more characters: the migration's SQL shows them all)"
    return step.text[: len(step.text) - len(st.summary)] + sql


def statement_text(sql: str) -> str:
    """A statement without its comment lines, on one line unless a comment inside it would then
    swallow the rest."""
    lines = [line.rstrip() for line in sql.strip().splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines) if any("--" in line for line in lines) else " ".join(" ".join(lines).split())


def hanging(text: Text, indent: int) -> Padding:
    """`text` indented by `indent`, its wrapped lines under its first character."""
    return Padding(text, (0, 0, 0, indent))


class NamedRows:
    """Figures per table, each row led by the table's name, which is never cut.

    As a table when every name and figure fits in full (the last column wraps); narrower, each
    name on a line of its own with its figures beneath, wrapping indented. `rows` are
    (name, cells) with one cell per header.
    """

    def __init__(
        self, headers: Sequence[str], rows: Sequence[tuple[str, Sequence[Text | str]]], header_style: str = ""
    ) -> None:
        self.headers = headers
        self.rows = [(name, [Text(c) if isinstance(c, str) else c for c in cells]) for name, cells in rows]
        self.header_style = header_style

    def table(self) -> Table:
        """Every column but the last as wide as its widest cell (a fixed width: rich measures and
        shrinks only the last one, so the table's minimum width is the truth)."""
        rows = [(Text(f"  {name}"), *cells) for name, cells in self.rows]
        t = Table(box=None, padding=(0, 1), pad_edge=False, header_style=self.header_style)
        for i, header in enumerate(("  table", *self.headers)):
            if i == len(self.headers):
                t.add_column(header, overflow="fold")
            else:
                width = max([cell_len(header), *(row[i].cell_len for row in rows)])
                t.add_column(header, justify="right" if i else "left", width=width, no_wrap=True, overflow="fold")
        for row in rows:
            t.add_row(*row)
        return t

    def stacked(self) -> Iterator[RenderableType]:
        """Each name on its own line; beneath it, `header figure` pairs (empty cells left out)."""
        for name, cells in self.rows:
            yield hanging(Text(name, overflow="fold"), 2)
            pairs = [
                Text.assemble((f"{header} ", self.header_style), cell) if header else cell
                for header, cell in zip(self.headers, cells, strict=True)
                if cell.plain
            ]
            yield hanging(Text(" · ").join(pairs), 6)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table()
        unbounded = options.update_width(sum(c.width or 0 for c in table.columns) + 1_000)  # rich clamps to the width
        if Measurement.get(console, unbounded, table).minimum <= options.max_width:
            yield table
        else:
            yield from self.stacked()
