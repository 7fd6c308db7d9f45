"""Evaluation against catalogs read from real databases: CHECK lists and enum types as each backend reports them."""

from __future__ import annotations

import pytest

from workbench.coverage.evaluate import evaluate
from workbench.coverage.usecases import Requirement, UseCase
from workbench.db import Connection, connect


def met(conn: Connection, *requirements: Requirement) -> list[bool]:
    (result,) = evaluate([UseCase("UC-1", "t", requirements)], conn.introspect()).use_cases
    return [r.met for r in result.requirements]


def test_check_in_lists_count_as_enum_values_on_both_backends(conn: Connection) -> None:
    conn.execute(
        "CREATE TABLE offer_versions (id text PRIMARY KEY, "
        "status text NOT NULL CONSTRAINT offer_version_status CHECK (status IN ('draft', 'published')))"
    )
    assert met(
        conn,
        Requirement("enum_value", "offer_versions.status", "published"),
        Requirement("enum_value", "offer_version_status", "draft"),  # the constraint's name
        Requirement("enum_value", "offer_versions.status", "archived"),
        Requirement("column", f"{conn.default_schema}.offer_versions.status"),
    ) == [True, True, False, True]


@pytest.mark.postgres
def test_enum_types_count_by_name_and_through_their_columns(pg_url: str) -> None:
    conn = connect(pg_url)
    try:
        conn.execute("CREATE TYPE availability_rule_mode AS ENUM ('recurring', 'one_off')")
        conn.execute("CREATE TABLE availability_rules (id text PRIMARY KEY, mode availability_rule_mode NOT NULL)")
        assert met(
            conn,
            Requirement("enum_value", "availability_rule_mode", "one_off"),
            Requirement("enum_value", "public.availability_rule_mode", "recurring"),
            Requirement("enum_value", "availability_rules.mode", "recurring"),
            Requirement("enum_value", "availability_rules.mode", "blackout"),
        ) == [True, True, True, False]
    finally:
        conn.close()
