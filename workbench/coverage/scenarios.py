"""Scenarios: SQL files that walk through a use case, run in a transaction that is always rolled back.

    -- Statements before the first `scenario:` line are the file's setup, shared by its scenarios.
    INSERT INTO bizes (id, name) VALUES ('biz-1', 'Studio North');

    -- scenario: a consultant pins a private note
    -- The consultant writes the note.
    INSERT INTO booking_order_private_notes (id, biz_id, booking_order_id, note) VALUES (…);
    -- Only staff see it.
    -- expect: 1
    SELECT count(*) FROM booking_order_private_notes WHERE is_pinned;

    -- scenario: a note needs an author
    -- expect: error
    INSERT INTO booking_order_private_notes (id) VALUES ('n-2');

Each statement is a step, read by the check-file parser (`workbench.checks.checkfile`): the
comment above it names it (or `-- check: NAME`), `-- expect:` takes the checks' expectation
language, `-- backend:` limits it to one backend, and without an expectation it passes when it
runs. A file without `scenario:` lines is one scenario named after the file.

What callers may rely on: each file runs in one transaction that is rolled back whatever
happens, and after each scenario the database is rolled back to a savepoint taken after the
setup, so scenarios see the setup but never each other, and no row or schema change is ever
left behind (only a PostgreSQL sequence a scenario advanced stays advanced: the server never
rolls sequences back). A scenario stops at its first failing step, which its result names
(file:line). Nothing a step runs may reach past that rollback: each step runs in
`Connection.contained`, where the database's own parser (PostgreSQL) or authorizer (SQLite)
refuses, before it runs, more than one statement, transaction control, session settings without
LOCAL, COPY to or from the server's files or programs and the server-side functions of
`pg_guard.OUTSIDE_FUNCTIONS`; such a step is an error, whatever it expected. Plain transaction
control is already refused when the file is read, so that the mistake shows before any run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.checks.checkfile import Check, parse_checks
from workbench.checks.expectations import RUNS
from workbench.coverage.results import ScenarioResult, StepResult
from workbench.db.base import Connection, DatabaseError, QueryCancelled, StatementRefused, rolled_back
from workbench.errors import ConfigError
from workbench.sqltext import transaction_control

Step = Check  # a step is one statement with its expectation, exactly what a check file holds

_SCENARIO = re.compile(r"^\s*--\s*scenario\s*:(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Scenario:
    name: str
    line: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    setup: tuple[Step, ...]
    scenarios: tuple[Scenario, ...]


# -- reading ----------------------------------------------------------------------------------------


def load_scenario_file(path: str | Path, *, dialect: str) -> ScenarioFile:
    """Read and check one scenario file, cut as backend `dialect` would; `ConfigError`
    (`file:line: what`) when malformed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: scenario file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_scenarios(text, path, dialect=dialect)


def parse_scenarios(text: str, path: Path, *, dialect: str) -> ScenarioFile:
    """Parse scenario SQL `text` (from `path`, used in messages and results) for backend `dialect`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    marks = [(i, m.group(1).strip()) for i, line in enumerate(lines) if (m := _SCENARIO.match(line))]
    for index, name in marks:
        if not name:
            raise ConfigError(f"{path}:{index + 1}: a scenario needs a name: -- scenario: NAME")
    bounds = list(zip([-1, *(i for i, _ in marks)], [*(i for i, _ in marks), len(lines)], strict=True))
    # Each block goes to the check parser padded with blank lines, so its line numbers are the file's.
    blocks = [_steps(path, "\n" * (begin + 1) + "\n".join(lines[begin + 1 : end]), dialect) for begin, end in bounds]
    setup, scenarios = blocks[0], blocks[1:]
    for (index, name), steps in zip(marks, scenarios, strict=True):
        if not steps:
            raise ConfigError(f"{path}:{index + 1}: scenario {name!r} has no statements")
    if not marks:
        if not setup:
            raise ConfigError(f"{path}: no statements: a scenario needs at least one")
        return ScenarioFile(path, (), (Scenario(path.stem, setup[0].line, setup),))
    return ScenarioFile(
        path,
        setup,
        tuple(Scenario(name, index + 1, steps) for (index, name), steps in zip(marks, scenarios, strict=True)),
    )


def _steps(path: Path, text: str, dialect: str) -> tuple[Step, ...]:
    steps = tuple(parse_checks(text, str(path), dialect=dialect))
    for step in steps:
        verb = transaction_control(step.sql)
        if verb:
            raise ConfigError(
                f"{path}:{step.line}: scenarios cannot use {verb}: "
                "each runs in a transaction that is always rolled back"
            )
    return steps


# -- running ----------------------------------------------------------------------------------------


_REWIND = "workbench_scenario"


def run_file(conn: Connection, scenario_file: ScenarioFile) -> tuple[ScenarioResult, ...]:
    """Run every scenario of one file; the database is left exactly as it was.

    Steps limited to another backend (`-- backend:`) are left out, and so is a scenario left
    with no steps; when the setup fails, every scenario of the file fails with it.
    """
    backend = conn.backend.name
    scenarios = [s for s in scenario_file.scenarios if any(step.applies_to(backend) for step in s.steps)]
    results = []
    with rolled_back(conn):
        setup = _run_steps(conn, scenario_file.setup, backend)
        if any(s.status != "pass" for s in setup):
            return tuple(ScenarioResult(scenario_file.path, s.name, s.line, setup) for s in scenarios)
        # One savepoint after the setup, rolled back to after each scenario (ROLLBACK TO keeps
        # it): one statement per scenario, where a savepoint each would cost three.
        conn.execute(f"SAVEPOINT {_REWIND}")
        for scenario in scenarios:
            start = time.perf_counter()
            steps = _run_steps(conn, scenario.steps, backend)
            conn.execute(f"ROLLBACK TO SAVEPOINT {_REWIND}")
            elapsed = (time.perf_counter() - start) * 1000
            results.append(ScenarioResult(scenario_file.path, scenario.name, scenario.line, steps, elapsed))
    return tuple(results)


def run_scenarios(
    conn: Connection,
    files: Iterable[ScenarioFile],
    progress: Callable[[int, int], None] | None = None,
) -> dict[Path, tuple[ScenarioResult, ...]]:
    """Run scenario files in turn: results by file path. `progress(done, total)` after each file.

    `QueryCancelled` (from `conn.cancel()`) stops the run, after the rollback.
    """
    files = list(files)
    out = {}
    for done, scenario_file in enumerate(files, start=1):
        out[scenario_file.path] = run_file(conn, scenario_file)
        if progress:
            progress(done, len(files))
    return out


def _run_steps(conn: Connection, steps: tuple[Step, ...], backend: str) -> tuple[StepResult, ...]:
    """Run the steps meant for `backend` until one does not pass; the failing one comes last."""
    results = []
    for step in steps:
        if not step.applies_to(backend):
            continue
        result = _run_step(conn, step)
        results.append(result)
        if result.status != "pass":
            break
    return tuple(results)


def _run_step(conn: Connection, step: Step) -> StepResult:
    # Only a step that is meant to fail gets its own savepoint, so the scenario can go on after
    # the error. Any other failure ends the scenario, whose savepoint is rolled back anyway; a
    # savepoint per step would add two round trips per statement on PostgreSQL for nothing.
    # The step itself runs `contained`: what would reach past the rollback is refused unrun.
    start = time.perf_counter()
    actual: object
    try:
        if step.expectation.expects_error:
            with conn.savepoint(), conn.contained():
                actual = conn.query(step.sql)
        else:
            with conn.contained():
                actual = conn.query(step.sql)
    except QueryCancelled:
        raise
    except StatementRefused as exc:  # never what an `expect: error` step means
        expected = None if step.expectation is RUNS else step.expectation.text
        return StepResult(
            step.name, step.line, "error", expected, error=str(exc), duration_ms=(time.perf_counter() - start) * 1000
        )
    except DatabaseError as exc:
        actual = exc
    if step.expectation is RUNS and not isinstance(actual, DatabaseError):
        return StepResult(step.name, step.line, "pass", duration_ms=(time.perf_counter() - start) * 1000)
    outcome = step.expectation.evaluate(actual)  # type: ignore[arg-type]
    return StepResult(
        label=step.name,
        line=step.line,
        status=outcome.status,
        expected=None if step.expectation is RUNS else outcome.expected,
        actual=outcome.actual or None,
        error=outcome.error,
        duration_ms=(time.perf_counter() - start) * 1000,
    )
