"""Whatever text a use-case or scenario file holds, reading it gives a result or a ConfigError, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.coverage.scenarios import parse_scenarios
from workbench.coverage.usecases import USE_CASE_KEYS, parse_use_cases
from workbench.errors import ConfigError

VALUES = st.sampled_from(
    [
        '"UC-1"',
        '"t"',
        "true",
        "3",
        '["a", "a.b"]',
        '["a", "a"]',
        '{ x = ["1"] }',
        '{ "t.c" = ["v", "v"] }',
        "[]",
        '"',
        "{ tables = [1] }",
    ]
)
LINES = st.one_of(
    st.sampled_from(["[[use_case]]", "[use_case.nice_to_have]", "[[use_cases]]", ""]),
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from([*USE_CASE_KEYS, "colums"]), VALUES),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_use_case_files_never_crash(lines: list[str]) -> None:
    try:
        parse_use_cases("\n".join(lines), Path("/nowhere/use_cases.toml"))
    except ConfigError as exc:
        assert str(exc).startswith("/nowhere/use_cases.toml")


SQL_LINES = st.sampled_from(
    [
        "-- scenario: s",
        "-- scenario:",
        "-- expect: 1",
        "-- expect:",
        "--   a | b",
        "--   1 | 2",
        "-- expect: error",
        "-- backend: sqlite",
        "-- expected: 1",
        "SELECT 1;",
        "SELECT 1,",
        "2;",
        "COMMIT;",
        "BEGIN;",
        "'unterminated",
        "INSERT INTO t VALUES (1);",
        "",
        "-- a note",
    ]
)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
@settings(max_examples=300, deadline=None)
@given(st.lists(SQL_LINES, max_size=12))
def test_scenario_files_never_crash(dialect: str, lines: list[str]) -> None:
    try:
        parse_scenarios("\n".join(lines), Path("uc.sql"), dialect=dialect)
    except ConfigError as exc:
        assert str(exc).startswith("uc.sql")
