"""Reading use_cases.toml: the fields, and a `file:line` error for every kind of mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from workbench.coverage.usecases import Requirement, load_use_cases
from workbench.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "use_cases.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_use_cases(path)
    return str(info.value).replace(str(path), "use_cases.toml")


def test_reads_every_field_of_a_use_case(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "uc-01.sql").write_text("SELECT 1;\n")
    path = write(
        tmp_path,
        """
        [[use_case]]
        id = "UC-1"
        title = "Solo consultant keeps private notes on bookings"
        group = "Core booking"
        persona = "Solo consultant"
        required = true
        tables = ["booking_order_private_notes"]
        columns = ["booking_orders.requested_duration_min"]
        enum_values = { offer_version_status = ["draft", "published"] }
        nice_to_have = { columns = ["booking_order_private_notes.is_pinned"] }
        scenarios = ["scenarios/uc-01.sql"]
        """,
    )
    (use_case,) = load_use_cases(path).use_cases
    assert (use_case.id, use_case.group, use_case.persona, use_case.required) == (
        "UC-1",
        "Core booking",
        "Solo consultant",
        True,
    )
    assert use_case.structural == (
        Requirement("table", "booking_order_private_notes"),
        Requirement("column", "booking_orders.requested_duration_min"),
        Requirement("enum_value", "offer_version_status", "draft"),
        Requirement("enum_value", "offer_version_status", "published"),
    )
    assert use_case.nice_to_have == (Requirement("column", "booking_order_private_notes.is_pinned", nice_to_have=True),)
    assert use_case.scenarios == ((tmp_path / "scenarios" / "uc-01.sql").resolve(),)
    assert use_case.line == 1


def test_dotted_enum_key_names_a_table_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[use_case]]
        id = "UC-2"
        title = "t"
        [use_case.enum_values]
        offer_versions.status = ["published"]
        """,
    )
    (use_case,) = load_use_cases(path).use_cases
    assert use_case.requirements == (Requirement("enum_value", "offer_versions.status", "published"),)


def test_nice_to_have_as_a_sub_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [[use_case]]
        id = "UC-3"
        title = "t"
        tables = ["queues"]
        [use_case.nice_to_have]
        tables = ["queue_entries"]
        """,
    )
    (use_case,) = load_use_cases(path).use_cases
    assert [r.name for r in use_case.structural] == ["queues"]
    assert [r.name for r in use_case.nice_to_have] == ["queue_entries"]


def test_empty_file_has_no_use_cases(tmp_path: Path) -> None:
    assert len(load_use_cases(write(tmp_path, ""))) == 0


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="use-case file not found"):
        load_use_cases(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            [[use_case]]
            id = "UC-1"
            title = "b"
            """,
            "use_cases.toml:5: duplicate use case id 'UC-1' (first at line 1)",
            id="duplicate-id",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            tables = ["queues",
                      "queue_entries",
                      "queues"]
            """,
            "use_cases.toml:6: table queues is named twice (first at line 4)",
            id="table-twice",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            columns = ["resources.is_mobile"]
            nice_to_have = { columns = ["resources.is_mobile"] }
            """,
            "use_cases.toml:5: column resources.is_mobile is named twice (first at line 4)",
            id="column-required-and-nice",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            enum_values = { offer_version_status = ["draft", "draft"] }
            """,
            "use_cases.toml:4: enum_value offer_version_status = 'draft' is named twice (first at line 4)",
            id="enum-value-twice",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            colums = ["resources.is_mobile"]
            """,
            "use_cases.toml:4: unknown use case key 'colums' (did you mean 'columns'?)",
            id="typo-key",
        ),
        pytest.param(
            """
            [[use_cases]]
            id = "UC-1"
            """,
            "use_cases.toml:1: unknown top-level key 'use_cases' (did you mean 'use_case'?)",
            id="typo-table",
        ),
        pytest.param(
            """
            [[use_case]]
            title = "no id"
            """,
            "use_cases.toml:1: use case needs a non-empty string id",
            id="missing-id",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            columns = ["is_mobile"]
            """,
            "use_cases.toml:4: columns entry 'is_mobile' must be table.column or schema.table.column",
            id="column-without-table",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            tables = "queues"
            """,
            "use_cases.toml:4: tables must be a list of non-empty strings",
            id="tables-not-a-list",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            required = "yes"
            """,
            "use_cases.toml:4: required must be true or false",
            id="required-not-bool",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            enum_values = { status = [] }
            """,
            "use_cases.toml:4: enum_values.status must be a non-empty list of strings",
            id="empty-enum-list",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a"
            scenarios = ["scenarios/missing.sql"]
            """,
            "use_cases.toml:4: scenario file scenarios/missing.sql not found",
            id="missing-scenario",
        ),
        pytest.param(
            """
            [[use_case]]
            id = "UC-1"
            title = "a
            """,
            "use_cases.toml:3: Illegal character '\\n'",
            id="toml-syntax",
        ),
    ],
)
def test_malformed_catalog_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == message
