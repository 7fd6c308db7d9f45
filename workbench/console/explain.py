"""The plan of one statement as a tree with costs: PostgreSQL's `EXPLAIN (FORMAT JSON)`, SQLite's
`EXPLAIN QUERY PLAN`.

`explain` never runs the statement. `explain_analyze` does (the caller asks the user first), always
inside a transaction that is rolled back, so a write measured this way changes nothing. SQLite has
no EXPLAIN ANALYZE: its plan comes with the time and row count of running the statement.

A backend is known here by its entry-point name; one without a planner here gets a clear refusal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.db.base import Connection, rolled_back
from workbench.errors import UsageError


@dataclass(frozen=True)
class PlanNode:
    """One step of a plan. `cost` is the planner's `startup..total` (PostgreSQL), `rows` its estimate;
    `actual_ms` / `actual_rows` are measured (ANALYZE)."""

    label: str
    cost: str | None = None
    rows: int | None = None
    actual_ms: float | None = None
    actual_rows: int | None = None
    children: tuple[PlanNode, ...] = field(default_factory=tuple)

    def line(self) -> str:
        """The node in one line, as the tree shows it."""
        parts = [self.label]
        if self.cost is not None:
            parts.append(f"cost {self.cost}")
        if self.rows is not None:
            parts.append(f"rows≈{self.rows:,}")
        if self.actual_ms is not None:
            parts.append(f"actual {self.actual_ms:,.3f} ms")
        if self.actual_rows is not None:
            parts.append(f"{self.actual_rows:,} rows")
        return " · ".join(parts)


@dataclass(frozen=True)
class Plan:
    root: PlanNode
    analyzed: bool
    summary: str = ""  # e.g. "executed in 12.3 ms (rolled back)"


def explain(conn: Connection, sql: str) -> Plan:
    """The plan of `sql` (one statement), without running it."""
    return _planner(conn)(conn, sql.strip().rstrip(";"), False)


def explain_analyze(conn: Connection, sql: str) -> Plan:
    """The plan of `sql` with measured times and rows: RUNS the statement, in a rolled-back transaction."""
    return _planner(conn)(conn, sql.strip().rstrip(";"), True)


def _planner(conn: Connection) -> Callable[[Connection, str, bool], Plan]:
    planner = _PLANNERS.get(conn.backend.name)
    if planner is None:
        raise UsageError(f"EXPLAIN is not available for {conn.backend.name} databases yet")
    return planner


def _postgres(conn: Connection, sql: str, analyze: bool) -> Plan:
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    started = time.perf_counter()
    if analyze:
        with rolled_back(conn):
            value = conn.query(f"EXPLAIN ({options}) {sql}").scalar()
    else:
        value = conn.query(f"EXPLAIN ({options}) {sql}").scalar()
    data = json.loads(value) if isinstance(value, str) else value
    summary = f"executed in {(time.perf_counter() - started) * 1000:,.1f} ms, rolled back" if analyze else ""
    return Plan(_pg_node(data[0]["Plan"]), analyze, summary)


def _pg_node(node: dict[str, Any]) -> PlanNode:
    label = node.get("Node Type", "?")
    if "Relation Name" in node:
        label += f" on {node['Relation Name']}" + (
            f" {node['Alias']}" if node.get("Alias") not in (None, node["Relation Name"]) else ""
        )
    if "Index Name" in node:
        label += f" using {node['Index Name']}"
    for key in ("Hash Cond", "Index Cond", "Filter", "Join Filter", "Merge Cond"):
        if key in node:
            label += f" [{key.lower()}: {node[key]}]"
    return PlanNode(
        label=label,
        cost=f"{node['Startup Cost']:.2f}..{node['Total Cost']:.2f}" if "Total Cost" in node else None,
        rows=node.get("Plan Rows"),
        actual_ms=node.get("Actual Total Time"),
        actual_rows=node.get("Actual Rows"),
        children=tuple(_pg_node(child) for child in node.get("Plans", ())),
    )


def _sqlite(conn: Connection, sql: str, analyze: bool) -> Plan:
    rows = conn.query(f"EXPLAIN QUERY PLAN {sql}").rows
    summary, measured = "", None
    if analyze:
        started = time.perf_counter()
        with rolled_back(conn):
            measured = sum(len(batch) for batch in conn.stream(sql))
        elapsed = (time.perf_counter() - started) * 1000
        summary = (
            f"executed in {elapsed:,.1f} ms, {measured:,} rows returned, rolled back (SQLite has no EXPLAIN ANALYZE)"
        )
    children: dict[int, list[tuple[int, str]]] = {}
    for node_id, parent, _unused, detail in rows:
        children.setdefault(parent, []).append((node_id, detail))

    def build(node_id: int, detail: str) -> PlanNode:
        return PlanNode(detail, children=tuple(build(i, d) for i, d in children.get(node_id, [])))

    top = tuple(build(i, d) for i, d in children.get(0, []))
    return Plan(PlanNode("QUERY PLAN", actual_rows=measured, children=top), analyze, summary)


_PLANNERS: dict[str, Callable[[Connection, str, bool], Plan]] = {"postgresql": _postgres, "sqlite": _sqlite}
