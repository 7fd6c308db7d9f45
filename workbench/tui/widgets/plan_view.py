"""A migration plan as a person reads it before anything runs: per migration, its way (one
transaction, a down script, a restore…), what it backs up first, every statement with its lint
findings beneath, and, going down, why there is no way back or what is lost.

Drawn from the plan's values, never from its text lines, so colours come from migrations.tcss.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from workbench.migrations.plan import MigrationPlan, Plan

METHODS = {
    "transaction": "in one transaction",
    "no transaction": "outside a transaction",
    "partly outside a transaction": "partly outside a transaction",
    "down script": "with its down script",
    "inverse": "with the automatic inverse",
    "restore": "by restoring from backups",
    "refused": "no way back",
}
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
        out = Text()
        if self.lead is not None:
            out.append_text(self.lead)
            out.append("\n\n")
        for note in self.plan.notes:
            out.append(f"note: {note}\n", style=self.style("warning"))
        if not self.plan.migrations:
            out.append("Nothing to do.", style=self.style("muted"))
        for i, m in enumerate(self.plan.migrations):
            if i:
                out.append("\n")
            out.append_text(self.migration(m))
        return out

    def migration(self, m: MigrationPlan) -> Text:
        verb = "apply" if m.direction == "up" else "roll back"
        out = Text.assemble(
            (f"{verb} {m.version} {m.name}".rstrip(), self.style("heading")), f"  {METHODS.get(m.method, m.method)}\n"
        )
        if m.refusal:
            out.append(f"  no way back: {m.refusal}\n", style=self.style("refusal"))
        for warning in m.named_warnings:
            out.append(f"  ! {warning}\n", style=self.style("warning"))
        for step in m.steps:
            style = _STYLES.get(step.action, "")
            out.append(f"  {step.action:<9} {step.text}\n", style=self.style(style) if style else "")
            for finding in step.findings:
                out.append(f"            ! {finding.message}\n", style=self.style("warning"))
        if m.fallback:
            out.append(f"  if that fails: {m.fallback}\n", style=self.style("muted"))
        return out
