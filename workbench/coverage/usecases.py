"""The use-case catalog: `use_cases.toml` read into frozen `UseCase` values.

    [[use_case]]
    id = "UC-1"
    title = "Solo consultant keeps private notes on bookings"
    group = "Core booking"                     # optional
    persona = "Solo consultant"                # optional
    required = true                            # `workbench coverage` fails unless it is full
    tables = ["booking_order_private_notes"]   # "table" or "schema.table"
    columns = ["booking_orders.requested_duration_min"]       # "table.column"
    enum_values = { offer_version_status = ["draft", "published"] }
    nice_to_have = { columns = ["booking_order_private_notes.is_pinned"] }
    scenarios = ["scenarios/uc-01-private-notes.sql"]          # relative to this file

An `enum_values` key is an enum type name, a named CHECK constraint, or `table.column` (whose
enum type or CHECK … IN (…) list supplies the values), so one catalog can serve PostgreSQL
and SQLite alike. Mistakes are `ConfigError`s naming `file:line`: unknown keys, wrong types,
missing scenario files, duplicate ids, and a requirement named twice in one use case.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from workbench.errors import ConfigError, read_text

USE_CASE_KEYS = (
    "id",
    "title",
    "group",
    "persona",
    "description",
    "required",
    "tables",
    "columns",
    "enum_values",
    "nice_to_have",
    "scenarios",
)
REQUIREMENT_KEYS = ("tables", "columns", "enum_values")


@dataclass(frozen=True)
class Requirement:
    """One structural need: a table, a column, or one value of an enum (or CHECK IN-list)."""

    kind: str  # "table" | "column" | "enum_value"
    name: str  # "booking_orders", "booking_orders.requested_duration_min", "offer_version_status"
    value: str | None = None  # the enum value, for kind "enum_value"
    nice_to_have: bool = False
    line: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """How people read it: `booking_orders.notes` or `offer_version_status = 'published'`."""
        return f"{self.name} = {self.value!r}" if self.kind == "enum_value" else self.name


@dataclass(frozen=True)
class UseCase:
    id: str
    title: str
    requirements: tuple[Requirement, ...] = ()  # structural requirements and nice-to-haves, in file order
    scenarios: tuple[Path, ...] = ()  # absolute paths of scenario files
    group: str | None = None
    persona: str | None = None
    description: str | None = None
    required: bool = False
    line: int | None = field(default=None, compare=False)

    @property
    def structural(self) -> tuple[Requirement, ...]:
        """The requirements that decide the status (nice-to-haves never do)."""
        return tuple(r for r in self.requirements if not r.nice_to_have)

    @property
    def nice_to_have(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.nice_to_have)


@dataclass(frozen=True)
class UseCaseCatalog:
    file: Path | None
    use_cases: tuple[UseCase, ...] = ()

    def __len__(self) -> int:
        return len(self.use_cases)


def load_use_cases(path: str | Path) -> UseCaseCatalog:
    """Read and validate a use-case file; raise `ConfigError` (`file:line: what`) when malformed."""
    path = Path(path)
    return parse_use_cases(read_text(path, "use-case file not found"), path)


def parse_use_cases(text: str, path: Path) -> UseCaseCatalog:
    """Parse use-case TOML `text`; scenario paths are resolved against `path`'s folder."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, exc)) from None
    locator = _Locator(path, text)
    for key in data:
        if key != "use_case":
            raise ConfigError(locator.error(locator.top_key(key), _unknown(key, ("use_case",), "top-level key")))
    entries = data.get("use_case", [])
    if not isinstance(entries, list):
        raise ConfigError(
            locator.error(locator.top_key("use_case"), "use_case must be an array of tables: [[use_case]]")
        )
    use_cases: list[UseCase] = []
    first_line: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        use_case = _UseCaseParser(locator, index, entry).parse()
        if use_case.id in first_line:
            where = f" (first at line {first_line[use_case.id]})" if first_line[use_case.id] else ""
            raise ConfigError(locator.error(locator.key(index, "id"), f"duplicate use case id {use_case.id!r}{where}"))
        first_line[use_case.id] = use_case.line
        use_cases.append(use_case)
    return UseCaseCatalog(path, tuple(use_cases))


class _UseCaseParser:
    """Validates one `[[use_case]]` table; every error points at the offending line."""

    def __init__(self, locator: _Locator, index: int, entry: Any) -> None:
        self.loc = locator
        self.index = index
        self.entry = entry
        self.seen: dict[tuple[str, str, str | None], int | None] = {}

    def fail(self, line: int | None, message: str) -> ConfigError:
        return ConfigError(self.loc.error(line, message))

    def parse(self) -> UseCase:
        block = self.loc.block(self.index)
        if not isinstance(self.entry, dict):
            raise self.fail(block, "each use_case must be a table")
        for key in self.entry:
            if key not in USE_CASE_KEYS:
                raise self.fail(self.loc.key(self.index, key), _unknown(key, USE_CASE_KEYS, "use case key"))
        use_case_id = self.text("id", required=True)
        title = self.text("title", required=True)
        requirements = self.requirements(self.entry, nice_to_have=False)
        nice = self.entry.get("nice_to_have", {})
        if not isinstance(nice, dict):
            raise self.fail(
                self.loc.key(self.index, "nice_to_have"), "nice_to_have must be a table of tables/columns/enum_values"
            )
        for key in nice:
            if key not in REQUIREMENT_KEYS:
                where = self.loc.key(self.index, key, self.loc.key(self.index, "nice_to_have"))
                raise self.fail(where, _unknown(key, REQUIREMENT_KEYS, "nice_to_have key"))
        requirements += self.requirements(nice, nice_to_have=True)
        required = self.entry.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(self.loc.key(self.index, "required"), "required must be true or false")
        return UseCase(
            id=use_case_id,
            title=title,
            requirements=tuple(requirements),
            scenarios=self.scenarios(),
            group=self.text("group"),
            persona=self.text("persona"),
            description=self.text("description"),
            required=required,
            line=block,
        )

    @overload
    def text(self, key: str, required: Literal[True]) -> str: ...

    @overload
    def text(self, key: str, required: bool = False) -> str | None: ...

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            line = self.loc.key(self.index, key) if key in self.entry else self.loc.block(self.index)
            raise self.fail(line, f"use case needs a non-empty string {key}")
        return value.strip()

    def strings(self, table: dict[str, Any], key: str, after: int | None = None) -> list[tuple[str, int | None]]:
        """The list under `key` as (string, line) pairs; `after` is the line its section starts."""
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(self.loc.key(self.index, key, after), f"{key} must be a list of non-empty strings")
        occurrences: dict[str, int] = {}
        out = []
        for item in value:
            occurrences[item] = occurrences.get(item, 0) + 1
            out.append((item.strip(), self.loc.value(self.index, key, item, occurrences[item], after=after)))
        return out

    def requirements(self, table: dict[str, Any], nice_to_have: bool) -> list[Requirement]:
        after = self.loc.key(self.index, "nice_to_have") if nice_to_have else None
        out: list[Requirement] = []
        for name, line in self.strings(table, "tables", after):
            if name.count(".") > 1:
                raise self.fail(line, f"tables entry {name!r} must be table or schema.table")
            out.append(self.unique(Requirement("table", name, None, nice_to_have, line)))
        for name, line in self.strings(table, "columns", after):
            if not 1 <= name.count(".") <= 2 or "" in name.split("."):
                raise self.fail(line, f"columns entry {name!r} must be table.column or schema.table.column")
            out.append(self.unique(Requirement("column", name, None, nice_to_have, line)))
        enums = table.get("enum_values", {})
        if not isinstance(enums, dict):
            raise self.fail(
                self.loc.key(self.index, "enum_values", after), "enum_values must be a table of name = [values]"
            )
        for name, values in _flatten(enums):
            line = self.loc.value(self.index, "enum_values", name.rsplit(".", 1)[-1], 1, quoted=False, after=after)
            if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
                raise self.fail(line, f"enum_values.{name} must be a non-empty list of strings")
            for value in values:
                out.append(self.unique(Requirement("enum_value", name, value, nice_to_have, line)))
        return out

    def unique(self, requirement: Requirement) -> Requirement:
        key = (requirement.kind, requirement.name, requirement.value)
        if key in self.seen:
            first = self.seen[key]
            where = f" (first at line {first})" if first else ""
            raise self.fail(requirement.line, f"{requirement.kind} {requirement.label} is named twice{where}")
        self.seen[key] = requirement.line
        return requirement

    def scenarios(self) -> tuple[Path, ...]:
        paths = []
        for name, line in self.strings(self.entry, "scenarios"):
            path = (self.loc.folder / name).resolve()
            if not path.is_file():
                raise self.fail(line, f"scenario file {name} not found")
            if path in paths:
                raise self.fail(line, f"scenario {name} is named twice")
            paths.append(path)
        return tuple(paths)


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """`{a = {b = [..]}}` (what TOML makes of an unquoted `a.b = [..]`) as [("a.b", [..])]."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        out.extend(_flatten(value, name + ".") if isinstance(value, dict) else [(name, value)])
    return out


class _Locator:
    """Finds source lines in the TOML text, which `tomllib` does not report.

    The n-th `[[use_case]]` header starts the n-th use case; keys and list items are found by
    scanning that block. Use cases written as inline tables get no line (the file is named).
    """

    _HEADER = re.compile(r"^\s*\[\[\s*use_case\s*\]\]")

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.folder = path.parent
        self.lines = text.splitlines()
        self.starts = [i for i, line in enumerate(self.lines) if self._HEADER.match(line)]

    def error(self, line: int | None, message: str) -> str:
        return f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}"

    def _range(self, index: int) -> range | None:
        if index >= len(self.starts):
            return None
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.lines)
        return range(self.starts[index], end)

    def block(self, index: int) -> int | None:
        span = self._range(index)
        return span.start + 1 if span else None

    def top_key(self, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(\[+\s*)?[\"']?{re.escape(key)}\b")
        return next((i + 1 for i, line in enumerate(self.lines) if pattern.match(line)), None)

    def key(self, index: int, key: str, after: int | None = None) -> int | None:
        """The line of `key` in the use case's block (from line `after` on, when given)."""
        span = self._range(index)
        if span is None:
            return None
        first = after or span.start + 1
        pattern = re.compile(rf"^\s*(\[\s*use_case\.)?[\"']?{re.escape(key)}[\"']?\s*[=\]]")
        return next((i + 1 for i in range(first - 1, span.stop) if pattern.match(self.lines[i])), first)

    def value(
        self, index: int, key: str, item: str, occurrence: int, quoted: bool = True, after: int | None = None
    ) -> int | None:
        """The line of the `occurrence`-th mention of `item` at or after `key` in the block."""
        start = self.key(index, key, after)
        span = self._range(index)
        if span is None or start is None:
            return start
        needles = [f'"{item}"', f"'{item}'"] if quoted else [item]
        seen = 0
        for i in range(start - 1, span.stop):
            seen += sum(self.lines[i].count(n) for n in needles)
            if seen >= occurrence:
                return i + 1
        return start


def _unknown(key: str, known: tuple[str, ...], what: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f"unknown {what} {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """`file:line: reason` from tomllib's `reason (at line N, column M)`."""
    match = re.search(r"^(.*) \(at line (\d+), column \d+\)$", str(exc))
    return f"{path}:{match.group(2)}: {match.group(1)}" if match else f"{path}: {exc}"
