"""Check files: `.sql` files of named queries, each with an expectation in comments.

    -- check: no_orphan_run_events
    -- description: every event belongs to a run
    -- tags: integrity, nightly
    -- backend: postgresql
    -- expect: no rows
    SELECT e.id FROM run_events e LEFT JOIN runs r ON r.run_id = e.run_id WHERE r.run_id IS NULL;

A `-- check: NAME` line starts a check; the directive lines under it (`expect`, `backend`,
`tags`, `description`, in any order) come before its query, which is exactly one statement.
A table expectation is written on the comment lines under an empty `-- expect:` and ends at a
line that is not a comment, an empty `--` line or the next directive (syntax: `expectations`).

Statements outside any `-- check:` block are checks too, so a plain `.sql` file of verification
queries with prose comments still loads: each statement is named after the comment paragraph
above it (else `line N`), and without an `-- expect:` it passes when it runs without error.

Statements are cut where the database they run on ends them (`dialect`, a backend name: its own
lexer); a named check limited to one backend is cut as that backend would, so a PostgreSQL-only
check with a dollar-quoted body still loads where checks run on SQLite.

Every mistake is a `CheckFileError` whose message starts with `file:line:`. Scenario files
(use-case coverage) use the same parser through `parse_checks`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.checks.expectations import RUNS, Expectation, ExpectationError, parse_expectation
from workbench.db import split_statements
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.checks.runner import RunContext
    from workbench.db.base import Result

DIRECTIVES = ("check", "expect", "backend", "tags", "description")
BACKEND_ALIASES = {"postgres": "postgresql", "pg": "postgresql", "sqlite3": "sqlite"}

_CHECK_LINE = re.compile(r"^\s*--\s*check\s*:(.*)$", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*--\s*([A-Za-z][\w-]*)\s*:(.*)$")
_COMMENT = re.compile(r"^\s*--(.*)$")
_PROSE = re.compile(r"\w")


class CheckFileError(ConfigError):
    """A check file is malformed; `str()` is `file:line: what is wrong`."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Check:
    """One check: a single query and what it must produce.

    `line` is where the check starts in `file` (its `-- check:` line, or the query's first line).
    An empty `backends` means every backend. `params` are bound to the query's placeholders
    (built-in checks pass values that way). A check that `writes` is run by the runner in its
    own transaction that is always rolled back, instead of the shared read-only one.
    """

    name: str
    sql: str
    file: str
    line: int
    expectation: Expectation = RUNS
    backends: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str | None = None
    params: tuple[Any, ...] = ()

    writes = False

    def applies_to(self, backend: str) -> bool:
        return not self.backends or backend in self.backends

    def skip_reason(self, backend: str) -> str | None:
        """Why the check does not run on `backend`, or None when it does."""
        return None if self.applies_to(backend) else f"only for {', '.join(self.backends)}"

    def fetch(self, context: RunContext) -> Result:
        """What the expectation judges: the query's rows (built-ins may compute them otherwise)."""
        return context.conn.query(self.sql, self.params)


def builtin_origin(kind: str) -> dict[str, Any]:
    """Where a built-in check says it comes from: file `built-in/<kind>`, tags `built-in` and `<kind>`."""
    return {"file": f"built-in/{kind}", "line": 0, "tags": ("built-in", kind)}


def load_checks(directory: Path, relative_to: Path | None = None, *, dialect: str) -> list[Check]:
    """Every check in the `.sql` files under `directory` (sorted by path); none when it is missing.

    File names in the checks are relative to `relative_to` (default: the directory's parent);
    `dialect` is the backend they will run on.
    """
    if not directory.is_dir():
        return []
    base = relative_to or directory.parent
    checks: list[Check] = []
    for path in sorted(directory.rglob("*.sql")):
        shown = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CheckFileError(shown, 1, f"cannot read the file: {exc}") from None
        checks.extend(parse_checks(text, shown, dialect=dialect))
    return checks


def parse_checks(text: str, file: str, *, dialect: str) -> list[Check]:
    """The checks in one file's text, cut as backend `dialect` would; `file` is only used to
    name the checks and errors."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _CHECK_LINE.match(line)]
    bounds = list(zip([0, *starts], [*starts, len(lines)], strict=True))
    checks: list[Check] = []
    seen: dict[str, int] = {}
    for begin, end in bounds:
        if begin == end:
            continue
        named = begin in starts
        for check in _Block(file, lines, begin, end, named, dialect).checks():
            if check.name in seen and named:
                raise CheckFileError(
                    file, check.line, f"check {check.name!r} is already defined at line {seen[check.name]}"
                )
            if check.name in seen:
                check = dataclasses.replace(check, name=f"{check.name} (line {check.line})")
            seen[check.name] = check.line
            checks.append(check)
    return checks


class _Block:
    """Lines `begin:end` (0-based) of a file: one named check, or the statements before the first."""

    def __init__(self, file: str, lines: list[str], begin: int, end: int, named: bool, dialect: str) -> None:
        self.file, self.lines, self.begin, self.end, self.named = file, lines, begin, end, named
        self.dialect = dialect

    def error(self, index: int, reason: str) -> CheckFileError:
        return CheckFileError(self.file, index + 1, reason)

    def checks(self) -> list[Check]:
        statements = split_statements("\n".join(self.lines[self.begin : self.end]), self.lexer())
        name = _CHECK_LINE.match(self.lines[self.begin]).group(1).strip() if self.named else None  # type: ignore[union-attr]
        if self.named and not name:
            raise self.error(self.begin, "a check needs a name: -- check: NAME")
        if self.named and not statements:
            raise self.error(self.begin, f"check {name!r} has no query")
        if self.named and len(statements) > 1:
            second = self.begin + statements[1].line - 1
            raise self.error(second, f"check {name!r} holds a second statement; a check is one query")
        out = []
        previous_end = self.begin
        for statement in statements:
            first = self.begin + statement.line - 1
            sql_lines = statement.sql.split("\n")
            body_at = next((k for k, line in enumerate(sql_lines) if line.strip() and not _COMMENT.match(line)), 0)
            body_start = first + body_at
            self.refuse_directives(
                body_start + 1, first + len(sql_lines), "inside a query; end the query above with ';'"
            )
            out.append(self.check(previous_end, body_start, "\n".join(sql_lines[body_at:]), name))
            previous_end = first + len(sql_lines)
        self.refuse_directives(previous_end, self.end, "has no query after it")
        return out

    def lexer(self) -> str:
        """The backend whose lexer cuts this block: the one a named check is limited to, if one."""
        for index in range(self.begin + 1, self.end if self.named else self.begin):
            line = self.lines[index]
            if line.strip() and not _COMMENT.match(line):
                break
            if _directive_key(line) == "backend":
                names = self.backends(_DIRECTIVE.match(line).group(2), index)  # type: ignore[union-attr]
                return names[0] if len(names) == 1 else self.dialect
        return self.dialect

    def refuse_directives(self, begin: int, end: int, reason: str) -> None:
        for index in range(begin, end):
            key = _directive_key(self.lines[index])
            if key in DIRECTIVES:
                raise self.error(index, f"'{key}' {reason}")

    def check(self, header_begin: int, body_start: int, body: str, name: str | None) -> Check:
        """Build one check from the comment lines above its query and the query itself."""
        found: dict[str, tuple[str, int]] = {}
        index = header_begin + 1 if name is not None else header_begin
        expectation: Expectation = RUNS
        while index < body_start:
            text = self.lines[index]
            key = _directive_key(text)
            index += 1
            if key is None or key == "check":
                continue
            if key not in DIRECTIVES:
                self.refuse_typo(index - 1, key)
                continue
            if key in found:
                raise self.error(index - 1, f"'{key}' is given twice")
            value = _DIRECTIVE.match(text).group(2).strip()  # type: ignore[union-attr]
            found[key] = (value, index - 1)
            if key == "expect":
                expectation, index = self.expectation(index - 1, value, body_start)
        sql = body.strip()
        sql = sql[:-1].rstrip() if sql.endswith(";") else sql
        line = header_begin + 1 if name is not None else body_start + 1
        return Check(
            name=name or self.default_name(header_begin, body_start),
            sql=sql,
            file=self.file,
            line=line,
            expectation=expectation,
            backends=self.backends(*found["backend"]) if "backend" in found else (),
            tags=tuple(t.lower() for t in re.split(r"[,\s]+", found.get("tags", ("",))[0]) if t),
            description=found.get("description", ("",))[0] or None,
        )

    def expectation(self, at: int, value: str, stop: int) -> tuple[Expectation, int]:
        """Parse the expectation on line `at` plus, for a table, the comment lines under it."""
        parts = [value]
        index = at + 1
        if value.lower() in ("", "ordered"):
            while index < stop:
                comment = _COMMENT.match(self.lines[index])
                if not comment or not comment.group(1).strip() or _directive_key(self.lines[index]) in DIRECTIVES:
                    break
                parts.append(comment.group(1))
                index += 1
            if value and len(parts) == 1:
                raise self.error(at, "'expect: ordered' needs a table on the comment lines below it")
        try:
            return parse_expectation("\n".join(parts)), index
        except ExpectationError as exc:
            raise self.error(at + exc.line, exc.reason) from None

    def refuse_typo(self, index: int, key: str) -> None:
        """In a named check a near-miss of a directive is a mistake, not prose."""
        if not self.named:
            return
        near = difflib.get_close_matches(key.lower(), DIRECTIVES, n=1, cutoff=0.75)
        if near:
            raise self.error(index, f"unknown directive {key!r}; did you mean '{near[0]}'?")

    def backends(self, value: str, at: int) -> tuple[str, ...]:
        names = tuple(BACKEND_ALIASES.get(n, n) for n in re.split(r"[,\s|]+", value.lower()) if n)
        if not names:
            raise self.error(at, "'backend' needs a name: postgresql or sqlite")
        return names

    def default_name(self, begin: int, body_start: int) -> str:
        """An unnamed statement is called after the first line of the comment paragraph above it."""
        paragraph: list[str] = []
        for index in range(begin, body_start):
            comment = _COMMENT.match(self.lines[index])
            text = comment.group(1).strip() if comment else ""
            if not _PROSE.search(text):  # a blank line or a rule (-- =====) ends a paragraph
                paragraph = []
            elif _directive_key(self.lines[index]) not in DIRECTIVES:
                paragraph.append(text)
        if paragraph:
            return paragraph[0][:80]
        return f"line {body_start + 1}"


def _directive_key(line: str) -> str | None:
    match = _DIRECTIVE.match(line)
    return match.group(1).lower() if match else None
