"""The expectation language as a pure API: parse text, judge a result or an error."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.checks.expectations import (
    RUNS,
    ExpectationError,
    Fails,
    RowCount,
    TableIs,
    ValueIs,
    parse_expectation,
)
from workbench.db.base import QueryTimeout, Result
from workbench.errors import ConfigError


def one(value: object) -> Result:
    return Result(("value",), [(value,)])


def judge(text: str, actual: Result | BaseException) -> str:
    return parse_expectation(text).evaluate(actual).status


# -- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("59", ValueIs),
        ("'draft'", ValueIs),
        ("TRUE", ValueIs),
        ("null", ValueIs),
        (">= 15", ValueIs),
        ("<> 0", ValueIs),
        ("between 40 and 60", ValueIs),
        ("No Rows", RowCount),
        ("rows: 3", RowCount),
        ("rows >= 1", RowCount),
        ("rows: between 1 and 5", RowCount),
        ("error", Fails),
        ("error: permission denied", Fails),
        ("\nstatus | n\ndraft | 3", TableIs),
        ("ordered\nstatus | n\ndraft | 3", TableIs),
    ],
)
def test_each_kind_of_expectation_parses_to_its_class(text: str, kind: type) -> None:
    assert isinstance(parse_expectation(text), kind)


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("59", "59"),
        ("== 59", "59"),
        ("<>0", "!= 0"),
        ("rows:0", "no rows"),
        ("ROWS : >=2", "rows: >= 2"),
        ("error: 'violates'", "error: violates"),
        ("'it''s'", "'it''s'"),
    ],
)
def test_canonical_text_is_normalised(text: str, canonical: str) -> None:
    assert parse_expectation(text).text == canonical


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("", "empty expectation"),
        ("draft", "write text in quotes"),
        ("between 60 and 40", "lower bound comes first"),
        ("between 1 and 'x'", "two numbers or two strings"),
        ("rows: -1", "whole number"),
        ("rows: 2.5", "whole number"),
        ("< NULL", "NULL can only be compared"),
        ("> true", "true/false can only be compared"),
        ("'unterminated", "unterminated string"),
        ("error because", "error: text"),
        (">= 1 2", "cannot read"),
    ],
)
def test_malformed_expectation_says_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(ExpectationError, match=complaint) as caught:
        parse_expectation(text)
    assert isinstance(caught.value, ConfigError)


def test_table_error_points_at_the_offending_line() -> None:
    with pytest.raises(ExpectationError) as caught:
        parse_expectation("\na | b\n1 | 2\n3\n")
    assert caught.value.line == 3
    assert "1 cells but the header has 2" in caught.value.reason


def test_pasted_psql_output_reads_as_a_table() -> None:
    pasted = "\n status | n\n--------+---\n draft  | 3\n other  |\n(2 rows)"
    table = parse_expectation(pasted)
    assert table == TableIs(("status", "n"), (("draft", Decimal(3)), ("other", None)))


def test_markdown_table_with_outer_pipes_reads_as_a_table() -> None:
    table = parse_expectation("\n| a | b |\n|---|---|\n| x | 'y|z' |")
    assert table == TableIs(("a", "b"), (("x", "y|z"),))


# -- judging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, actual, status",
    [
        ("59", 59, "pass"),
        ("59", 58, "fail"),
        ("59", Decimal("59.0"), "pass"),
        ("59", "59", "pass"),
        ("0.5", 0.5, "pass"),
        ("'draft'", "draft", "pass"),
        ("'draft'", "Draft", "fail"),
        ("'2024-02-03'", datetime.date(2024, 2, 3), "pass"),
        ("true", True, "pass"),
        ("true", 1, "pass"),
        ("false", 1, "fail"),
        ("NULL", None, "pass"),
        ("NULL", 0, "fail"),
        ("!= NULL", 0, "pass"),
        (">= 15", 15, "pass"),
        (">= 15", 14, "fail"),
        ("< 3", 2, "pass"),
        ("!= 0", 0, "fail"),
        ("!= 0", None, "fail"),
        (">= 15", None, "fail"),
        (">= 15", "many", "fail"),
        ("between 40 and 60", 40, "pass"),
        ("between 40 and 60", 61, "fail"),
        ("between 'a' and 'c'", "b", "pass"),
    ],
)
def test_single_value_expectations(text: str, actual: object, status: str) -> None:
    assert judge(text, one(actual)) == status


@pytest.mark.parametrize("weird", [Decimal("sNaN"), Decimal("NaN"), float("nan"), float("-inf"), b"\x00"])
@pytest.mark.parametrize("text", ["1", ">= 1", "between 1 and 2", "true", "'x'"])
def test_non_finite_and_binary_values_fail_cleanly(text: str, weird: object) -> None:
    assert judge(text, one(weird)) == "fail"


def test_single_value_needs_exactly_one_cell() -> None:
    outcome = parse_expectation("1").evaluate(Result(("a", "b"), [(1, 2)]))
    assert outcome.status == "fail"
    assert outcome.actual == "1 row x 2 columns"


@pytest.mark.parametrize(
    "text, n, status",
    [("no rows", 0, "pass"), ("no rows", 2, "fail"), ("rows: 2", 2, "pass"), ("rows: >= 3", 2, "fail")],
)
def test_row_count_expectations(text: str, n: int, status: str) -> None:
    assert judge(text, Result(("id",), [(i,) for i in range(n)])) == status


def test_failed_row_count_lists_the_first_offending_rows() -> None:
    outcome = parse_expectation("no rows").evaluate(Result(("id", "name"), [(7, "orphan")]))
    assert (outcome.status, outcome.actual, outcome.detail) == ("fail", "rows: 1", ("row: 7 | orphan",))
    many = parse_expectation("no rows").evaluate(Result(("id",), [(i,) for i in range(8)]))
    assert many.detail[-2:] == ("row: 4", "(3 more rows)")


def test_error_expectation_passes_on_error_and_fails_on_success() -> None:
    assert judge("error", RuntimeError("permission denied for table runs")) == "pass"
    assert judge("error: PERMISSION denied", RuntimeError("permission denied for table runs")) == "pass"
    assert judge("error: violates", RuntimeError("permission denied for table runs")) == "fail"
    outcome = parse_expectation("error").evaluate(one(1))
    assert (outcome.status, outcome.actual) == ("fail", "no error (1 row)")


def test_timeout_is_an_error_even_where_an_error_is_expected() -> None:
    outcome = parse_expectation("error").evaluate(QueryTimeout("statement timed out after 1s"))
    assert (outcome.status, outcome.error) == ("error", "statement timed out after 1s")


def test_query_error_under_a_value_expectation_is_an_error_not_a_failure() -> None:
    outcome = parse_expectation("59").evaluate(RuntimeError("no such table: runs"))
    assert (outcome.status, outcome.error) == ("error", "no such table: runs")


def test_no_expectation_passes_whenever_the_query_runs() -> None:
    assert RUNS.evaluate(Result(("a",), [])).status == "pass"
    assert RUNS.evaluate(RuntimeError("boom")).status == "error"


def test_table_matches_in_any_order_and_names_missing_and_unexpected_rows() -> None:
    expected = parse_expectation("\nstatus | n\ndraft | 3\npublished | 5")
    assert expected.evaluate(Result(("STATUS", "n"), [("published", 5), ("draft", 3)])).status == "pass"
    outcome = expected.evaluate(Result(("status", "n"), [("draft", 3), ("published", 4)]))
    assert outcome.status == "fail"
    assert outcome.detail == ("missing: published | 5", "unexpected: published | 4")


def test_ordered_table_compares_row_by_row() -> None:
    expected = parse_expectation("ordered\nstatus | n\ndraft | 3\npublished | 5")
    outcome = expected.evaluate(Result(("status", "n"), [("published", 5), ("draft", 3)]))
    assert outcome.status == "fail"
    assert outcome.detail[0] == "row 1: expected draft | 3; got published | 5"


def test_table_with_other_column_names_fails_and_says_so() -> None:
    outcome = parse_expectation("\nstatus | n\ndraft | 3").evaluate(Result(("status", "count"), [("draft", 3)]))
    assert outcome.status == "fail"
    assert outcome.detail == ("columns differ: expected status, n; got status, count",)


def test_table_cells_keep_duplicates_apart() -> None:
    expected = parse_expectation("\nx\n1\n1")
    assert expected.evaluate(Result(("x",), [(1,), (1,)])).status == "pass"
    assert expected.evaluate(Result(("x",), [(1,), (2,)])).status == "fail"


def test_long_actual_table_is_cut_in_the_display() -> None:
    outcome = parse_expectation("\nx\n1").evaluate(Result(("x",), [(i,) for i in range(50)]))
    assert outcome.actual.splitlines()[-1] == "(30 more rows)"


# -- properties -------------------------------------------------------------------------------

expectation_like = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(
            [
                "rows",
                "no",
                "error",
                ":",
                "between",
                "and",
                "ordered",
                "|",
                "'",
                "''",
                "-",
                "+",
                "\n",
                " ",
                "NULL",
                "true",
                ">=",
                "<>",
                "=",
                "<",
                "1",
                "2.5",
                "1e9",
                "-3",
                "'x'",
                "draft",
                "(2 rows)",
            ]
        )
    ).map("".join),
)


@given(expectation_like)
def test_any_text_either_parses_or_raises_an_expectation_error(text: str) -> None:
    try:
        parse_expectation(text)
    except ExpectationError as exc:
        assert exc.reason and 0 <= exc.line <= text.count("\n") + text.count("\r")


@given(expectation_like)
def test_canonical_text_parses_back_to_the_same_expectation(text: str) -> None:
    try:
        expectation = parse_expectation(text)
    except ExpectationError:
        return
    assert parse_expectation(expectation.text) == expectation


cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(),
    st.binary(),
    st.dates(),
    st.datetimes(),
)


@given(expectation_like, st.integers(1, 3).flatmap(lambda w: st.lists(st.tuples(*[cell] * w), max_size=4)))
def test_judging_any_result_never_raises(text: str, rows: list[tuple[object, ...]]) -> None:
    try:
        expectation = parse_expectation(text)
    except ExpectationError:
        return
    width = len(rows[0]) if rows else 1
    outcome = expectation.evaluate(Result(tuple(f"c{i}" for i in range(width)), rows))
    assert outcome.status in ("pass", "fail")
