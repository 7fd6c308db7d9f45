"""What coverage measured, as frozen values: per requirement, per scenario, per use case, overall.

`Coverage.to_dict()` is the stable `workbench coverage --json` contract:

    {"use_cases": [{"id", "title", "status", "requirements", "scenarios", …}],
     "summary": {"full", "strong", "partial", "gap", "scenarios_passed", "scenarios_total", …}}

Status per use case, exactly as DESIGN.md defines it: **full** (every structural requirement met
and every scenario passes), **strong** (every structural requirement met, some scenario fails or
none exist), **partial** (some requirements met), **gap** (none). Nice-to-have requirements are
reported but never change the status; a use case without structural requirements counts as met.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from workbench.coverage.usecases import Requirement, UseCase


class Status(StrEnum):
    FULL = "full"
    STRONG = "strong"
    PARTIAL = "partial"
    GAP = "gap"


STATUSES = tuple(Status)


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    met: bool
    detail: str | None = None  # why it is missing: "booking_orders has no column notes"
    nearest: str | None = None  # the closest existing name, a hint that it was renamed

    @property
    def hint(self) -> str | None:
        return f"{self.nearest} exists — renamed?" if self.nearest else None

    def to_dict(self) -> dict[str, Any]:
        r = self.requirement
        return {
            "kind": r.kind,
            "name": r.name,
            "value": r.value,
            "nice_to_have": r.nice_to_have,
            "met": self.met,
            "detail": self.detail,
            "nearest": self.nearest,
        }


@dataclass(frozen=True)
class StepResult:
    """One statement of a scenario. `status` is pass, fail (expectation not met) or error."""

    label: str
    line: int
    status: str
    expected: str | None = None
    actual: str | None = None
    error: str | None = None
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "line": self.line,
            "status": self.status,
            "expected": self.expected,
            "actual": self.actual,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 3),
        }


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario run. It stops at its first failing step, which `failed_step` names."""

    file: Path
    name: str
    line: int
    steps: tuple[StepResult, ...]
    duration_ms: float = 0.0

    @property
    def failed_step(self) -> StepResult | None:
        return next((s for s in self.steps if s.status != "pass"), None)

    @property
    def status(self) -> str:
        """pass, or the status (fail / error) of the step that stopped it."""
        failed = self.failed_step
        return failed.status if failed else "pass"

    @property
    def passed(self) -> bool:
        return self.failed_step is None

    @property
    def where(self) -> str:
        return f"{self.file.name}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        failed = self.failed_step
        return {
            "name": self.name,
            "file": str(self.file),
            "line": self.line,
            "status": self.status,
            "steps": len(self.steps),
            "failed_step": failed.to_dict() if failed else None,
            "duration_ms": round(self.duration_ms, 3),
        }


@dataclass(frozen=True)
class UseCaseResult:
    use_case: UseCase
    requirements: tuple[RequirementResult, ...]  # structural and nice-to-have, in file order
    scenarios: tuple[ScenarioResult, ...] = ()

    @property
    def structural(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.requirements if not r.requirement.nice_to_have)

    @property
    def nice_to_have(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.requirements if r.requirement.nice_to_have)

    @property
    def missing(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.structural if not r.met)

    @property
    def met_count(self) -> int:
        return sum(r.met for r in self.structural)

    @property
    def scenarios_passed(self) -> int:
        return sum(s.passed for s in self.scenarios)

    @property
    def status(self) -> Status:
        structural = self.structural
        met = self.met_count
        if met == len(structural):
            return Status.FULL if self.scenarios and self.scenarios_passed == len(self.scenarios) else Status.STRONG
        return Status.PARTIAL if met else Status.GAP

    def to_dict(self) -> dict[str, Any]:
        u = self.use_case
        return {
            "id": u.id,
            "title": u.title,
            "status": str(self.status),
            "group": u.group,
            "persona": u.persona,
            "required": u.required,
            "requirements_met": self.met_count,
            "requirements_total": len(self.structural),
            "requirements": [r.to_dict() for r in self.requirements],
            "scenarios_passed": self.scenarios_passed,
            "scenarios_total": len(self.scenarios),
            "scenarios": [s.to_dict() for s in self.scenarios],
        }


@dataclass(frozen=True)
class Summary:
    full: int = 0
    strong: int = 0
    partial: int = 0
    gap: int = 0
    scenarios_passed: int = 0
    scenarios_total: int = 0

    @property
    def use_cases(self) -> int:
        return self.full + self.strong + self.partial + self.gap

    def count(self, status: Status) -> int:
        count: int = getattr(self, str(status))
        return count

    @property
    def pass_rate(self) -> str:
        """`128/147, 87%` — the way the seeds write it."""
        return pass_rate(self.scenarios_passed, self.scenarios_total)

    def describe(self) -> str:
        """`20 use cases: 14 full, 3 strong, 2 partial, 1 gap; scenarios 128/147, 87%`."""
        counts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        return f"{self.use_cases} use cases: {counts}; scenarios {self.pass_rate}"

    def to_dict(self) -> dict[str, int]:
        return {
            "use_cases": self.use_cases,
            **{str(s): self.count(s) for s in STATUSES},
            "scenarios_passed": self.scenarios_passed,
            "scenarios_total": self.scenarios_total,
        }


@dataclass(frozen=True)
class Coverage:
    """The coverage of one schema state (a database now, or after a given migration)."""

    use_cases: tuple[UseCaseResult, ...]

    @property
    def summary(self) -> Summary:
        counts = {str(s): 0 for s in STATUSES}
        for result in self.use_cases:
            counts[str(result.status)] += 1
        return Summary(
            **counts,
            scenarios_passed=sum(r.scenarios_passed for r in self.use_cases),
            scenarios_total=sum(len(r.scenarios) for r in self.use_cases),
        )

    def get(self, use_case_id: str) -> UseCaseResult | None:
        return next((r for r in self.use_cases if r.use_case.id == use_case_id), None)

    @property
    def required_not_full(self) -> tuple[UseCaseResult, ...]:
        """Use cases marked `required = true` that are not full: what makes the CLI exit 1."""
        return tuple(r for r in self.use_cases if r.use_case.required and r.status is not Status.FULL)

    def to_dict(self) -> dict[str, Any]:
        return {
            "use_cases": [r.to_dict() for r in self.use_cases],
            "summary": self.summary.to_dict(),
        }


def pass_rate(passed: int, total: int) -> str:
    """`128/147, 87%`; `0/0` when there is nothing to pass."""
    return f"{passed}/{total}, {round(100 * passed / total)}%" if total else f"{passed}/{total}"
