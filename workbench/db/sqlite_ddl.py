"""Reading the parts of SQLite's stored `CREATE` text that its pragmas do not expose.

SQLite keeps each object's original SQL in `sqlite_schema` but has no pragma for CHECK
constraints, generated-column expressions, trigger timing or table options. These helpers pull
those out of the text with a regex tokenizer that skips quotes and comments and tracks
parentheses — enough for DDL that SQLite itself accepted, without a full SQL grammar. A table's
text is tokenized once (`TableDDL`), since catalogs of a thousand tables read it for several
facts.
"""

from __future__ import annotations

import re
from functools import cached_property

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
# Quoted strings/identifiers and comments (skipped), or a structural character.
_TOKEN = re.compile(
    r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|`[^`]*`?|\[[^\]]*\]?|--[^\n]*|/\*.*?(?:\*/|\Z)|[(),]",
    re.S,
)
_QUOTED_OR_COMMENT = re.compile(
    r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|`[^`]*`?|\[[^\]]*\]?|--[^\n]*|/\*.*?(?:\*/|\Z)", re.S
)
_NAME = r"(\"(?:[^\"]|\"\")+\"|`[^`]+`|\[[^\]]+\]|\w+)"


def split_top_level(text: str) -> list[str]:
    """`text` split on commas outside quotes, comments and parentheses, each part stripped."""
    parts, depth, start = [], 0, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 0:
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def paren_body(text: str, open_at: int) -> tuple[str, int]:
    """The text inside the parenthesis opening at `open_at`, and the index after its close."""
    depth = 0
    for match in _TOKEN.finditer(text, open_at):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : match.start()], match.end()
    return text[open_at + 1 :], len(text)


def mask(text: str) -> str:
    """`text` with quoted parts and comments blanked (same length), so keyword searches skip them."""
    return _QUOTED_OR_COMMENT.sub(lambda m: " " * len(m.group()), text)


def unquote(identifier: str) -> str:
    ident = identifier.strip()
    if len(ident) >= 2 and ident[0] in '"`[' and ident[-1] in '"`]':
        inner = ident[1:-1]
        return inner.replace('""', '"') if ident[0] == '"' else inner
    return ident


def leading_identifier(text: str) -> tuple[str, str]:
    """The first identifier of `text` (quoted or bare) and the rest after it."""
    text = text.lstrip()
    match = re.match(_NAME, text)
    if not match:
        return "", text
    return unquote(match.group(1)), text[match.end() :]


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9_$]){word}(?![A-Za-z0-9_$])", re.I)


_CHECK = _keyword("CHECK")
_WHERE = _keyword("WHERE")
_AUTOINCREMENT = _keyword("AUTOINCREMENT")
_GENERATED_AS = re.compile(r"(?<![A-Za-z0-9_])AS\s*\(", re.I)
_TABLE_CONSTRAINT_WORDS = {"CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN"}


def _constraint_name_before(text: str, pos: int) -> str | None:
    match = re.search(rf"CONSTRAINT\s+{_NAME}\s*$", text[:pos], re.I)
    return unquote(match.group(1)) if match else None


class TableDDL:
    """One CREATE TABLE statement, tokenized once and asked for what pragmas don't tell."""

    def __init__(self, sql: str) -> None:
        self.sql = sql or ""

    @cached_property
    def _parts(self) -> tuple[list[str], str]:
        open_at = self.sql.find("(")
        if open_at < 0:  # CREATE TABLE … AS SELECT
            return [], ""
        body, after = paren_body(self.sql, open_at)
        return split_top_level(body), self.sql[after:]

    @property
    def definitions(self) -> list[str]:
        """Column and table-constraint definitions, in order."""
        return self._parts[0]

    @cached_property
    def _masked(self) -> str:
        return mask(self.sql)

    def checks(self) -> list[tuple[str | None, str, str | None]]:
        """CHECK constraints as (constraint name, expression, column it was declared on)."""
        if "CHECK" not in self.sql.upper() or not _CHECK.search(self._masked):
            return []
        out: list[tuple[str | None, str, str | None]] = []
        for definition in self.definitions:
            masked = mask(definition)
            positions = [m.start() for m in _CHECK.finditer(masked)]
            if not positions:
                continue
            first, _rest = leading_identifier(definition)
            column = None if first.upper() in _TABLE_CONSTRAINT_WORDS else first
            for pos in positions:
                open_at = masked.find("(", pos)
                if open_at >= 0:
                    expression, _ = paren_body(definition, open_at)
                    out.append((_constraint_name_before(definition, pos), expression.strip(), column))
        return out

    def generated_expression(self, column: str) -> str | None:
        """The expression of generated column `column`, from `… AS (expr)` in its definition."""
        for definition in self.definitions:
            name, rest = leading_identifier(definition)
            if name != column:
                continue
            match = _GENERATED_AS.search(mask(rest))
            if match:
                expression, _ = paren_body(rest, match.end() - 1)
                return expression.strip()
        return None

    @cached_property
    def options(self) -> tuple[str, ...]:
        """WITHOUT ROWID / STRICT after the closing paren, and AUTOINCREMENT on a column."""
        # Table options hold no parentheses, so the body closes at the last ")".
        tail = mask(self.sql[self.sql.rfind(")") + 1 :]) if "(" in self.sql else ""
        options = [" ".join(opt.upper().split()) for opt in tail.split(",") if opt.strip()]
        if "AUTOINCREMENT" in self.sql.upper() and _AUTOINCREMENT.search(self._masked):
            options.append("AUTOINCREMENT")
        return tuple(options)

    def constraint_name(self, kind: str) -> str | None:
        """The name in `CONSTRAINT name <kind>` (e.g. kind "PRIMARY KEY"), if the table gives one."""
        if "CONSTRAINT" not in self.sql.upper():
            return None
        match = re.search(r"\s+".join(kind.split()), self._masked, re.I)
        return _constraint_name_before(self.sql, match.start()) if match else None


def index_terms(create_sql: str | None) -> list[str]:
    """The indexed terms (columns or expressions) of a CREATE INDEX, in order."""
    if not create_sql:
        return []
    match = re.search(r"\bON\s+", mask(create_sql), re.I)
    open_at = create_sql.find("(", match.end()) if match else -1
    if open_at < 0:
        return []
    body, _ = paren_body(create_sql, open_at)
    return [re.sub(r"\s+(ASC|DESC)$", "", term, flags=re.I) for term in split_top_level(body)]


def index_predicate(create_sql: str | None) -> str | None:
    """The WHERE clause of a partial index."""
    if not create_sql:
        return None
    positions = [m.start() for m in _WHERE.finditer(mask(create_sql))]
    return create_sql[positions[-1] + len("WHERE") :].strip().rstrip(";").strip() if positions else None


_TRIGGER = re.compile(
    r"CREATE\s+(?:TEMP(?:ORARY)?\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(?P<name>\"(?:[^\"]|\"\")+\"|`[^`]+`|\[[^\]]+\]|[\w.$]+)\s+"
    r"(?P<timing>BEFORE|AFTER|INSTEAD\s+OF)?\s*"
    r"(?P<event>DELETE|INSERT|UPDATE(?:\s+OF\s+.+?)?)\s+ON\s",
    re.I | re.S,
)


def trigger_parts(create_sql: str) -> tuple[str, str, str]:
    """(timing, event, level) of a CREATE TRIGGER; SQLite triggers are always row-level."""
    match = _TRIGGER.search(create_sql)
    if not match:
        return "BEFORE", "UNKNOWN", "ROW"
    timing = " ".join((match.group("timing") or "BEFORE").upper().split())
    return timing, match.group("event").split()[0].upper(), "ROW"
