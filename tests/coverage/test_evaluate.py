"""Evaluation against hand-made catalogs: met/missing, hints, and the four statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.coverage.evaluate import evaluate, in_lists
from workbench.coverage.results import Coverage, ScenarioResult, Status, StepResult, pass_rate
from workbench.coverage.usecases import Requirement, UseCase
from workbench.db.catalog import Catalog, CheckConstraint, Column, Enum, Table, View


def table(name: str, *columns: str, checks: tuple[CheckConstraint, ...] = (), schema: str = "public") -> Table:
    return Table(
        schema,
        name,
        columns=tuple(
            Column(c.split(":")[0], i, c.split(":")[1] if ":" in c else "text") for i, c in enumerate(columns, 1)
        ),
        checks=checks,
    )


BOOKING = Catalog(
    backend="postgresql",
    tables=(
        table("booking_orders", "id", "biz_id", "status"),
        table("booking_order_notes", "id", "booking_order_id", "note"),
        table("offer_versions", "id", "status:offer_version_status", "unit_pricing_minor"),
        table(
            "resources", "id", "is_mobile", "kind", checks=(CheckConstraint(None, "kind IN ('staff', 'room')", "kind"),)
        ),
    ),
    views=(View("public", "booking_summary", columns=(Column("order_id", 1, "text"),)),),
    enums=(Enum("public", "offer_version_status", ("draft", "active", "archived")),),
)
SCENARIO = Path("/s/uc.sql")


def use_case(*requirements: Requirement, scenarios: tuple[Path, ...] = ()) -> UseCase:
    return UseCase("UC-1", "t", requirements, scenarios)


def scenario(passed: bool) -> ScenarioResult:
    return ScenarioResult(SCENARIO, "s", 1, (StepResult("step", 2, "pass" if passed else "fail"),))


def only(coverage: Coverage):  # noqa: ANN201 - the one UseCaseResult
    (result,) = coverage.use_cases
    return result


def test_met_table_column_and_enum_value() -> None:
    result = only(
        evaluate(
            [
                use_case(
                    Requirement("table", "booking_orders"),
                    Requirement("table", "public.booking_summary"),
                    Requirement("column", "offer_versions.unit_pricing_minor"),
                    Requirement("column", "public.booking_orders.biz_id"),
                    Requirement("enum_value", "offer_version_status", "draft"),
                    Requirement("enum_value", "offer_versions.status", "active"),
                    Requirement("enum_value", "resources.kind", "room"),
                )
            ],
            BOOKING,
        )
    )
    assert [r.met for r in result.requirements] == [True] * 7


def test_missing_table_hints_at_the_nearest_existing_name() -> None:
    (req,) = only(evaluate([use_case(Requirement("table", "booking_order_private_notes"))], BOOKING)).requirements
    assert not req.met
    assert req.detail == "no table booking_order_private_notes"
    assert req.nearest == "booking_order_notes"
    assert req.hint == "booking_order_notes exists — renamed?"


def test_missing_column_hints_from_its_own_table() -> None:
    (req,) = only(evaluate([use_case(Requirement("column", "resources.is_mobil"))], BOOKING)).requirements
    assert (req.met, req.detail, req.nearest) == (False, "resources has no column is_mobil", "is_mobile")


def test_column_of_a_missing_table_says_the_table_is_missing() -> None:
    (req,) = only(evaluate([use_case(Requirement("column", "queues.name"))], BOOKING)).requirements
    assert (req.met, req.detail) == (False, "no table queues")


def test_missing_enum_value_lists_the_values_there_are() -> None:
    (req,) = only(
        evaluate([use_case(Requirement("enum_value", "offer_version_status", "published"))], BOOKING)
    ).requirements
    assert not req.met
    assert req.detail == "offer_version_status has no value 'published' (values: draft, active, archived)"


def test_unknown_enum_name_hints_at_a_close_one() -> None:
    (req,) = only(
        evaluate([use_case(Requirement("enum_value", "offer_versions_status", "draft"))], BOOKING)
    ).requirements
    assert (req.met, req.nearest) == (False, "offer_version_status")


def test_nothing_close_gives_no_hint() -> None:
    (req,) = only(evaluate([use_case(Requirement("table", "zzz"))], BOOKING)).requirements
    assert req.nearest is None and req.hint is None


@pytest.mark.parametrize(
    ("names", "scenarios", "status"),
    [
        pytest.param(["booking_orders", "resources"], (True, True), Status.FULL, id="all-met-all-pass"),
        pytest.param(["booking_orders", "resources"], (True, False), Status.STRONG, id="all-met-one-fails"),
        pytest.param(["booking_orders", "resources"], (), Status.STRONG, id="all-met-no-scenarios"),
        pytest.param(["booking_orders", "queues"], (True,), Status.PARTIAL, id="some-met"),
        pytest.param(["queues", "queue_entries"], (True,), Status.GAP, id="none-met"),
        pytest.param([], (True,), Status.FULL, id="no-requirements-scenarios-pass"),
    ],
)
def test_status_rules(names: list[str], scenarios: tuple[bool, ...], status: Status) -> None:
    uc = use_case(*(Requirement("table", n) for n in names), scenarios=(SCENARIO,) if scenarios else ())
    results = {SCENARIO: tuple(scenario(p) for p in scenarios)}
    assert only(evaluate([uc], BOOKING, results)).status is status


def test_nice_to_have_never_changes_the_status() -> None:
    uc = use_case(Requirement("table", "booking_orders"), Requirement("table", "queues", nice_to_have=True))
    result = only(evaluate([uc], BOOKING))
    assert result.status is Status.STRONG
    assert (result.met_count, len(result.structural), len(result.nice_to_have)) == (1, 1, 1)


def test_scenarios_not_run_leave_a_use_case_at_most_strong() -> None:
    uc = use_case(Requirement("table", "booking_orders"), scenarios=(SCENARIO,))
    assert only(evaluate([uc], BOOKING)).status is Status.STRONG


def test_summary_counts_statuses_and_pass_rate() -> None:
    results = {SCENARIO: (scenario(True), scenario(False), scenario(True))}
    coverage = evaluate(
        [
            UseCase("UC-1", "a", (Requirement("table", "booking_orders"),), (SCENARIO,)),
            UseCase("UC-2", "b", (Requirement("table", "queues"),), required=True),
        ],
        BOOKING,
        results,
    )
    summary = coverage.summary
    assert summary.to_dict() == {
        "use_cases": 2,
        "full": 0,
        "strong": 1,
        "partial": 0,
        "gap": 1,
        "scenarios_passed": 2,
        "scenarios_total": 3,
    }
    assert summary.describe() == "2 use cases: 0 full, 1 strong, 0 partial, 1 gap; scenarios 2/3, 67%"
    assert [r.use_case.id for r in coverage.required_not_full] == ["UC-2"]


def test_json_contract_has_the_documented_keys() -> None:
    coverage = evaluate(
        [use_case(Requirement("column", "resources.is_mobil"), scenarios=(SCENARIO,))],
        BOOKING,
        {SCENARIO: (scenario(False),)},
    )
    data = coverage.to_dict()
    assert set(data) == {"use_cases", "summary"}
    (uc,) = data["use_cases"]
    assert {"id", "title", "status", "requirements", "scenarios"} <= set(uc)
    assert uc["status"] == "gap"
    assert uc["requirements"][0]["nearest"] == "is_mobile"
    assert uc["scenarios"][0]["failed_step"]["line"] == 2
    assert {"full", "strong", "partial", "gap", "scenarios_passed", "scenarios_total"} <= set(data["summary"])


@pytest.mark.parametrize(
    ("passed", "total", "text"),
    [(128, 147, "128/147, 87%"), (78, 195, "78/195, 40%"), (0, 0, "0/0"), (3, 3, "3/3, 100%")],
)
def test_pass_rate_reads_like_the_seeds(passed: int, total: int, text: str) -> None:
    assert pass_rate(passed, total) == text


@pytest.mark.parametrize(
    ("expression", "lists"),
    [
        ("status IN ('draft', 'published')", {"status": ("draft", "published")}),
        ("\"kind\" in ('a','it''s')", {"kind": ("a", "it's")}),
        ("((status = ANY (ARRAY['draft'::text, 'published'::text])))", {"status": ("draft", "published")}),
        (
            "((mode)::text = ANY ((ARRAY['open'::character varying, 'closed'::character varying])::text[]))",
            {"mode": ("open", "closed")},
        ),
        ("status NOT IN ('x')", {}),
        ("price > 0", {}),
    ],
)
def test_in_lists_reads_sqlite_and_postgresql_spellings(expression: str, lists: dict[str, tuple[str, ...]]) -> None:
    assert in_lists(expression) == lists
