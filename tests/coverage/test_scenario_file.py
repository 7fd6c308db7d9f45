"""Reading scenario files: setup, scenarios, steps, expectations, and refusals with file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from workbench.checks.expectations import RUNS, parse_expectation
from workbench.coverage.scenarios import parse_scenarios
from workbench.errors import ConfigError

PATH = Path("uc-01.sql")


def parse(text: str):  # noqa: ANN201 - a ScenarioFile
    return parse_scenarios(textwrap.dedent(text).lstrip(), PATH, dialect="sqlite")


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse(text)
    return str(info.value)


def test_setup_scenarios_steps_and_expectations() -> None:
    file = parse(
        """
        INSERT INTO bizes (id) VALUES ('b1'); -- shared setup

        -- scenario: a note is pinned
        -- The consultant writes the note.
        INSERT INTO notes (id, pinned) VALUES ('n1', true);
        -- expect: 1
        SELECT count(*) FROM notes
         WHERE pinned;

        -- scenario: a note needs an id
        -- expect: error
        INSERT INTO notes (pinned) VALUES (true);
        """
    )
    assert [(s.sql, s.line) for s in file.setup] == [("INSERT INTO bizes (id) VALUES ('b1'); -- shared setup", 1)]
    first, second = file.scenarios
    assert (first.name, first.line, second.name, second.line) == ("a note is pinned", 3, "a note needs an id", 10)
    assert [(s.name, s.line, s.expectation) for s in first.steps] == [
        ("The consultant writes the note.", 5, RUNS),
        ("line 7", 7, parse_expectation("1")),
    ]
    assert first.steps[1].sql == "SELECT count(*) FROM notes\n WHERE pinned"
    assert second.steps[0].expectation.expects_error


def test_a_file_without_scenario_lines_is_one_scenario_named_after_it() -> None:
    file = parse("SELECT 1;\nSELECT 2;\n")
    (scenario,) = file.scenarios
    assert (scenario.name, len(scenario.steps), file.setup) == ("uc-01", 2, ())


def test_backend_directive_limits_a_step() -> None:
    file = parse("-- backend: postgresql\nSELECT 1;\n")
    assert file.scenarios[0].steps[0].backends == ("postgresql",)


def test_table_expectation_spans_comment_lines() -> None:
    file = parse(
        """
        -- scenario: s
        -- expect:
        --   status | n
        --   draft  | 2
        SELECT status, count(*) AS n FROM offers GROUP BY status;
        """
    )
    assert file.scenarios[0].steps[0].expectation == parse_expectation("\nstatus | n\ndraft | 2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-- scenario: s\nCOMMIT;\n", "uc-01.sql:2: scenarios cannot use COMMIT:"),
        ("-- scenario: s\nbegin transaction;\n", "uc-01.sql:2: scenarios cannot use BEGIN"),
        ("-- scenario: s\nSAVEPOINT x;\n", "uc-01.sql:2: scenarios cannot use SAVEPOINT"),
        ("-- scenario: s\n-- expect: 1\n", "uc-01.sql:2: 'expect' has no query after it"),
        ("-- scenario: s\n-- scenario: t\nSELECT 1;\n", "uc-01.sql:1: scenario 's' has no statements"),
        ("-- scenario: s\n-- expect: frobnicate\nSELECT 1;\n", "uc-01.sql:2: unquoted text 'frobnicate'"),
        ("-- scenario: s\n-- expect: 1\n-- expect: 2\nSELECT 1;\n", "uc-01.sql:3: 'expect' is given twice"),
        ("SELECT 1,\n-- expect: 1\n2;\n", "uc-01.sql:2: 'expect' inside a query"),
        ("-- scenario:\nSELECT 1;\n", "uc-01.sql:1: a scenario needs a name"),
        ("-- nothing here\n", "uc-01.sql: no statements"),
    ],
)
def test_malformed_scenario_file_names_the_line(text: str, message: str) -> None:
    assert error_of(text).startswith(message)
