"""Evaluate use cases against a `Catalog`: which structural requirements the schema meets.

No data is read: only the catalog, which the caller already has (the TUI keeps one, the CLI
introspects once). Lookups go through one index built per call, so 200 use cases against a
1,000-table schema cost a few milliseconds; the nearest-name hint (difflib) is computed only for
requirements that are missing.

Enum values are looked up, in this order, as an enum type (`offer_version_status`), a CHECK
constraint of that name, or `table.column` — the column's enum type, or the values of the
CHECK … IN (…) lists on it (on SQLite, CHECKs are the only enums there are).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from workbench.coverage.results import Coverage, RequirementResult, ScenarioResult, UseCaseResult
from workbench.coverage.usecases import Requirement, UseCase
from workbench.db.catalog import Catalog, Column, Table, View


def evaluate(
    use_cases: Iterable[UseCase],
    catalog: Catalog,
    scenario_results: Mapping[Path, Sequence[ScenarioResult]] | None = None,
) -> Coverage:
    """Coverage of `use_cases` by `catalog`.

    `scenario_results` holds the scenarios run per scenario file (see `scenarios.run_scenarios`);
    a use case whose files have no results there counts as having no scenarios, so it is at most
    strong.
    """
    index = CatalogIndex(catalog)
    results = scenario_results or {}
    return Coverage(
        tuple(
            UseCaseResult(
                use_case,
                tuple(index.check(r) for r in use_case.requirements),
                tuple(s for path in use_case.scenarios for s in results.get(path, ())),
            )
            for use_case in use_cases
        )
    )


class CatalogIndex:
    """Name lookups over one catalog, built lazily: tables, columns, enum values."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def check(self, requirement: Requirement) -> RequirementResult:
        """Whether the catalog meets `requirement`, with the reason and a hint when it does not."""
        if requirement.kind == "table":
            return self._table(requirement)
        if requirement.kind == "column":
            return self._column(requirement)
        return self._enum_value(requirement)

    # -- tables and columns ----------------------------------------------------------------------

    @cached_property
    def _views(self) -> dict[str, View]:
        out: dict[str, View] = {}
        for view in self.catalog.views:
            out.setdefault(view.name, view)
            out[view.qualified_name] = view
        return out

    @cached_property
    def _relation_names(self) -> list[str]:
        return sorted({t.name for t in self.catalog.tables} | {v.name for v in self.catalog.views})

    def relation(self, name: str) -> Table | View | None:
        """A table, or else a view, called `name` or `schema.name`."""
        return self.catalog.table(name) or self._views.get(name)

    def _table(self, req: Requirement) -> RequirementResult:
        if self.relation(req.name) is not None:
            return RequirementResult(req, True)
        return RequirementResult(
            req, False, f"no table {req.name}", nearest(req.name.rsplit(".", 1)[-1], self._relation_names)
        )

    def _column(self, req: Requirement) -> RequirementResult:
        table_name, column_name = req.name.rsplit(".", 1)
        table = self.relation(table_name)
        if table is None:  # the table's own hint belongs to the table, not to each of its columns
            return RequirementResult(req, False, f"no table {table_name}")
        if _column(table, column_name) is not None:
            return RequirementResult(req, True)
        names = [c.name for c in table.columns]
        return RequirementResult(req, False, f"{table_name} has no column {column_name}", nearest(column_name, names))

    # -- enum values -----------------------------------------------------------------------------

    @cached_property
    def _enums(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for enum in self.catalog.enums:
            out.setdefault(enum.name, enum.values)
            out[f"{enum.schema}.{enum.name}"] = enum.values
        return out

    @cached_property
    def _named_checks(self) -> dict[str, tuple[str, ...]]:
        """CHECK constraints that hold an IN-list, by constraint name."""
        out: dict[str, tuple[str, ...]] = {}
        for table in self.catalog.tables:
            for check in table.checks:
                if check.name:
                    lists = in_lists(check.expression)
                    if lists:
                        out.setdefault(check.name, next(iter(lists.values())))
        return out

    def column_values(self, table: Table | View, column: Column) -> tuple[str, ...] | None:
        """The values `column` accepts: its enum type's, or those every CHECK IN-list on it allows."""
        enum = self._enums.get(column.data_type.replace('"', ""))
        if enum is not None:
            return enum
        allowed: tuple[str, ...] | None = None
        for check in getattr(table, "checks", ()):
            values = in_lists(check.expression).get(column.name)
            if values is not None:
                allowed = values if allowed is None else tuple(v for v in allowed if v in values)
        return allowed

    def values_of(self, name: str) -> tuple[str, ...] | None:
        """The values behind an `enum_values` key, or None when nothing by that name holds any."""
        if name in self._enums:
            return self._enums[name]
        if name in self._named_checks:
            return self._named_checks[name]
        if "." in name:
            table_name, column_name = name.rsplit(".", 1)
            table = self.relation(table_name)
            column = _column(table, column_name) if table is not None else None
            if table is not None and column is not None:
                return self.column_values(table, column)
        return None

    def _enum_value(self, req: Requirement) -> RequirementResult:
        values = self.values_of(req.name)
        if values is None:
            candidates = [*self._enums, *self._named_checks]
            return RequirementResult(
                req,
                False,
                f"no enum, CHECK constraint or column {req.name} with a list of values",
                nearest(req.name, candidates),
            )
        if req.value in values:
            return RequirementResult(req, True)
        shown = ", ".join(values)
        return RequirementResult(
            req,
            False,
            f"{req.name} has no value {req.value!r} (values: {shown})",
            nearest(req.value or "", list(values)),
        )


def _column(table: Table | View, name: str) -> Column | None:
    return next((c for c in table.columns if c.name == name), None)


HINT_CUTOFF = (
    0.75  # difflib ratio: `booking_order_notes` for `booking_order_private_notes` (0.83), not `booking_orders` (0.68)
)


def nearest(name: str, candidates: Sequence[str]) -> str | None:
    """The existing name most like `name` (a likely rename), or None when nothing is close."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=HINT_CUTOFF)
    return close[0] if close else None


# -- CHECK … IN (…) lists ---------------------------------------------------------------------------

_IDENT = r'(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][\w$]*))'
_LITERAL = r"'(?:[^']|'')*'(?:\s*::\s*[\w ]+)?"
_LITERALS = rf"{_LITERAL}(?:\s*,\s*{_LITERAL})*"
# `status IN ('a', 'b')` (SQLite, and what people write) …
_IN = re.compile(rf"\(?{_IDENT}\)?(?:\s*::\s*[\w ]+)?\s+(NOT\s+)?IN\s*\(\s*({_LITERALS})\s*\)", re.IGNORECASE)
# … and PostgreSQL's rendering of it: `(status = ANY (ARRAY['a'::text, 'b'::text]))`
_ANY = re.compile(
    rf"\(?{_IDENT}\)?(?:\s*::\s*[\w ]+)?\s*=\s*ANY\s*\(\s*\(?\s*ARRAY\s*\[\s*({_LITERALS})\s*\]", re.IGNORECASE
)
_STRING = re.compile(r"'((?:[^']|'')*)'")


def in_lists(expression: str) -> dict[str, tuple[str, ...]]:
    """Column → allowed string values, for each `col IN ('a', …)` in a CHECK expression."""
    out: dict[str, tuple[str, ...]] = {}
    for pattern in (_IN, _ANY):
        for match in pattern.finditer(expression):
            groups = match.groups()
            column = next(g for g in groups[:4] if g is not None).replace('""', '"')
            if pattern is _IN and groups[4]:  # NOT IN lists forbidden values
                continue
            values = tuple(v.replace("''", "'") for v in _STRING.findall(groups[-1]))
            out.setdefault(column, values)
    return out
