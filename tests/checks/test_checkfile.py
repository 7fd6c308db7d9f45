"""Check files: named checks with directives, plain verification files, `file:line` errors."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.checks.checkfile import CheckFileError, load_checks, parse_checks
from workbench.checks.expectations import RUNS, Compare, RowCount, TableIs, ValueIs

NAMED = """\
-- check: week2_table_count
-- description: tables after migration 017
-- tags: counts, Nightly
-- backend: postgres
-- expect: 59
SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public';

-- check: no_orphan_run_events
-- expect: no rows
SELECT e.id
FROM run_events e LEFT JOIN runs r ON r.run_id = e.run_id  -- joined on the run
WHERE r.run_id IS NULL;

-- check: status_counts
-- expect:
--    status   | n
--   ----------+---
--    draft    | 3
--    archived | 1
--
-- prose after an empty comment line is not part of the table
SELECT status, count(*) AS n FROM runs GROUP BY status
"""


def test_named_checks_carry_their_directives_and_query() -> None:
    count, orphans, statuses = parse_checks(NAMED, "checks/week2.sql", dialect="postgresql")
    assert count.name == "week2_table_count"
    assert (count.file, count.line) == ("checks/week2.sql", 1)
    assert count.description == "tables after migration 017"
    assert count.tags == ("counts", "nightly")
    assert count.backends == ("postgresql",)
    assert count.expectation == ValueIs(Compare("=", Decimal(59)))
    assert count.sql == "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
    assert orphans.expectation == RowCount(Compare("=", Decimal(0)))
    assert orphans.sql.splitlines()[1].endswith("-- joined on the run")
    assert statuses.expectation == TableIs(("status", "n"), (("draft", Decimal(3)), ("archived", Decimal(1))))
    assert statuses.sql == "SELECT status, count(*) AS n FROM runs GROUP BY status"


def test_check_applies_to_its_backends_only() -> None:
    count, orphans, _ = parse_checks(NAMED, "x.sql", dialect="postgresql")
    assert count.applies_to("postgresql") and not count.applies_to("sqlite")
    assert orphans.applies_to("sqlite")


def test_plain_verification_file_with_prose_comments_still_loads() -> None:
    text = """\
-- WEEK 2 VERIFICATION QUERIES
-- ===========================
-- Query 1: Table count
-- Expected: 59 tables
SELECT count(*) FROM information_schema.tables;

SELECT 1;
-- Query 3: functions present
SELECT proname FROM pg_proc;
"""
    checks = parse_checks(text, "WEEK_2_VERIFICATION_QUERIES.sql", dialect="postgresql")
    assert [(c.name, c.line, c.expectation) for c in checks] == [
        ("Query 1: Table count", 5, RUNS),
        ("line 7", 7, RUNS),
        ("Query 3: functions present", 9, RUNS),
    ]


def test_plain_statement_may_still_carry_an_expectation() -> None:
    (check,) = parse_checks("-- expect: rows: 2\nSELECT 1 UNION SELECT 2;", "x.sql", dialect="sqlite")
    assert check.expectation == RowCount(Compare("=", Decimal(2)))


def test_unnamed_statements_with_the_same_comment_get_distinct_names() -> None:
    checks = parse_checks("-- count\nSELECT 1;\n-- count\nSELECT 2;", "x.sql", dialect="sqlite")
    assert [c.name for c in checks] == ["count", "count (line 4)"]


@pytest.mark.parametrize(
    "text, line, complaint",
    [
        ("-- check: a\n-- expect: 1\n", 1, "check 'a' has no query"),
        ("-- check: a\nSELECT 1;\nSELECT 2;", 3, "holds a second statement"),
        ("-- check:\nSELECT 1", 1, "needs a name"),
        ("-- check: a\n-- expcet: 1\nSELECT 1", 2, "did you mean 'expect'"),
        ("-- check: a\n-- Expected: 1\nSELECT 1", 2, "did you mean 'expect'"),
        ("SELECT 1\n-- expect: 1\nSELECT 2;", 2, "inside a query"),
        ("SELECT 1;\n\n-- expect: 3\n", 3, "has no query after it"),
        ("-- check: a\nSELECT 1;\n-- check: a\nSELECT 2;", 3, "already defined at line 1"),
        ("-- check: a\n-- expect: 1\n-- expect: 2\nSELECT 1", 3, "given twice"),
        ("-- check: a\n-- expect: ordered\nSELECT 1", 2, "needs a table"),
        ("-- check: a\n-- backend: ,\nSELECT 1", 2, "needs a name"),
        ("-- check: a\n-- expect: draft\nSELECT 1", 2, "write text in quotes"),
        ("\n\n-- check: a\n-- expect:\n--   x | y\n--   1 | 2\n--   3\nSELECT 1", 7, "1 cells but the header has 2"),
    ],
)
def test_malformed_file_reports_file_and_line(text: str, line: int, complaint: str) -> None:
    with pytest.raises(CheckFileError, match=complaint) as caught:
        parse_checks(text, "checks/bad.sql", dialect="sqlite")
    assert str(caught.value).startswith(f"checks/bad.sql:{line}: ")


def test_load_checks_reads_every_sql_file_in_path_order(tmp_path: Path) -> None:
    checks_dir = tmp_path / "checks"
    (checks_dir / "nested").mkdir(parents=True)
    (checks_dir / "b.sql").write_text("-- check: b\nSELECT 1;\n")
    (checks_dir / "a.sql").write_text("-- check: a\nSELECT 1;\n")
    (checks_dir / "nested" / "c.sql").write_text("-- check: c\nSELECT 1;\n")
    (checks_dir / "notes.txt").write_text("-- check: ignored\nSELECT 1;\n")
    checks = load_checks(checks_dir, relative_to=tmp_path, dialect="sqlite")
    assert [(c.file, c.name) for c in checks] == [
        ("checks/a.sql", "a"),
        ("checks/b.sql", "b"),
        ("checks/nested/c.sql", "c"),
    ]


def test_missing_checks_folder_means_no_checks(tmp_path: Path) -> None:
    assert load_checks(tmp_path / "checks", dialect="sqlite") == []


def test_unreadable_check_file_is_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "latin1.sql").write_bytes(b"-- caf\xe9\nSELECT 1;")
    with pytest.raises(CheckFileError, match=r"^checks/latin1.sql:1: cannot read"):
        load_checks(tmp_path / "checks", dialect="sqlite")


check_file_like = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "-- check: a",
                "-- check: b",
                "-- check:",
                "-- expect: 1",
                "-- expect:",
                "-- expect: ordered",
                "--   x | y",
                "--   1 | 2",
                "--   3",
                "--",
                "-- tags: t",
                "-- backend: sqlite",
                "-- backend:",
                "-- expcet: 1",
                "-- description: d",
                "SELECT 1;",
                "SELECT 1",
                ";",
                "",
                "/* -- check: c */",
                "SELECT 'a;b';",
                "$$",
                "'",
                "BEGIN",
                "END;",
                "-- Query 1: count",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=25,
).map("\n".join)


@given(check_file_like)
def test_any_text_either_loads_or_names_a_line_of_the_file(text: str) -> None:
    try:
        checks = parse_checks(text, "f.sql", dialect="sqlite")
    except CheckFileError as exc:
        match = re.match(r"f\.sql:(\d+): .", str(exc))
        assert match, str(exc)
        normalised = text.replace("\r\n", "\n").replace("\r", "\n")
        assert 1 <= int(match.group(1)) <= normalised.count("\n") + 1
        return
    assert all(c.sql and c.name for c in checks)
