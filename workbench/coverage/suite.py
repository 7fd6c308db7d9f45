"""A project's use cases with their scenario files, read once and measured against any database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.coverage.evaluate import evaluate
from workbench.coverage.results import Coverage
from workbench.coverage.scenarios import ScenarioFile, load_scenario_file, run_scenarios
from workbench.coverage.usecases import UseCaseCatalog, load_use_cases
from workbench.db.base import Connection
from workbench.db.catalog import Catalog, is_workbench_object


@dataclass(frozen=True)
class Suite:
    """The use cases of a project and every scenario file they name, all parsed and checked."""

    use_cases: UseCaseCatalog
    scenario_files: tuple[ScenarioFile, ...]


def load_suite(use_cases_file: str | Path, *, dialect: str) -> Suite:
    """Read `use_cases.toml` and its scenario files (for backend `dialect`); any mistake is a
    `ConfigError` with file:line."""
    use_cases = load_use_cases(use_cases_file)
    paths = dict.fromkeys(path for u in use_cases.use_cases for path in u.scenarios)
    return Suite(use_cases, tuple(load_scenario_file(path, dialect=dialect) for path in paths))


# Scenarios write (inside a transaction that is always rolled back), yet they still take row
# locks, fire triggers and advance sequences: on a protected profile they run only when asked.
SCENARIOS_HELD_BACK = "{profile} is a protected profile, so its scenarios were not run"


def measure(
    conn: Connection,
    suite: Suite,
    *,
    catalog: Catalog | None = None,
    scenarios: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Coverage:
    """The coverage of the database behind `conn`.

    `catalog` saves a second introspection when the caller has one; the workbench's own ledger
    and backup tables never count. Without `scenarios`, none run, so no use case is full.
    """
    catalog = (catalog or conn.introspect()).without(is_workbench_object)
    results = run_scenarios(conn, suite.scenario_files, progress) if scenarios else {}
    return evaluate(suite.use_cases.use_cases, catalog, results)
