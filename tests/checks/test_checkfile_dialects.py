"""Check and scenario files are cut into statements as the database they run on reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.checks.checkfile import CheckFileError, parse_checks
from workbench.coverage.scenarios import parse_scenarios

BOTH = ["sqlite", "postgresql"]


@pytest.mark.parametrize("dialect", BOTH)
def test_a_check_hiding_a_second_statement_behind_a_backslash_is_refused(dialect: str) -> None:
    text = "-- check: sneaky\n-- expect: 1\nSELECT 'a\\'; COMMIT; -- ';\n"
    with pytest.raises(CheckFileError, match="sneaky.*second statement") as caught:
        parse_checks(text, "checks/t.sql", dialect=dialect)
    assert caught.value.line == 3


@pytest.mark.parametrize("dialect", BOTH)
def test_scenario_steps_after_a_backslash_string_are_steps_of_their_own(dialect: str) -> None:
    text = (
        "-- scenario: paths\nINSERT INTO paths VALUES ('C:\\');\nINSERT INTO paths VALUES ('D:\\');\n"
        "-- expect: 2\nSELECT count(*) FROM paths;\n"
    )
    (scenario,) = parse_scenarios(text, Path("uc.sql"), dialect=dialect).scenarios
    assert [(s.sql, s.line) for s in scenario.steps] == [
        ("INSERT INTO paths VALUES ('C:\\')", 2),
        ("INSERT INTO paths VALUES ('D:\\')", 3),
        ("SELECT count(*) FROM paths", 5),
    ]


def test_a_check_limited_to_one_backend_is_cut_by_that_backends_lexer() -> None:
    """A PostgreSQL-only check with a dollar-quoted `;` still loads where the checks run on
    SQLite (whose lexer would cut it in two)."""
    text = "-- check: pg body\n-- backend: postgres\nSELECT $$a; b$$;\n-- check: anywhere\nSELECT 1;\n"
    body, anywhere = parse_checks(text, "checks/t.sql", dialect="sqlite")
    assert (body.sql, body.backends, anywhere.sql) == ("SELECT $$a; b$$", ("postgresql",), "SELECT 1")
