"""What each statement of a migration does, read from its tokens (sqlparse) without a database.

`analyse(sql, dialect)` splits a script as the database named by `dialect` would (its own lexer,
see `workbench.db.split_statements`) and describes every statement: its class (create / alter /
drop / rename / data / other / transaction), the effects it has on tables and columns, whether it
can lose data, whether it takes a heavy lock, and whether it can run inside a transaction.

It is deliberately a reader of DDL, not a full SQL grammar: what it does not understand it marks
`opaque` (a `DO` block, a procedure call, an unknown verb), and the engine treats opaque
statements as able to touch every table they mention. Names are folded the way the databases
fold them: unquoted identifiers compare case-insensitively, quoted ones exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, overload

from sqlparse import tokens as T

from workbench.db import row_runs
from workbench.migrations import sql_tokens

# Statement classes, in the order of precedence used when one statement does several things.
CLASSES = ("transaction", "drop", "rename", "alter", "create", "data", "other")

# Effects that destroy rows or values. A rename keeps every row: code using the old name breaks
# (the lint says so), but nothing is lost.
LOSES_DATA = frozenset(
    {
        "drop_table",
        "drop_column",
        "alter_column_type",
        "truncate",
        "delete",
        "update",
        "merge",
        "drop_schema",
        "run",
    }
)
# Effects that change the rows of an existing table (an exact rollback needs its old rows).
CHANGES_ROWS = LOSES_DATA | {"insert", "rename_table", "rename_column"}
# Effects with a mechanical inverse that loses nothing (create → drop).
ADDITIVE = frozenset(
    {
        "create_table",
        "create_index",
        "create_type",
        "create_view",
        "create_sequence",
        "create_schema",
        "add_column",
        "add_constraint",
    }
)
# Effects that cannot change a row or a column of a table that exists: the database need not be
# asked which tables such a statement writes (`StatementInfo.needs_witness`).
_NO_WRITES = ADDITIVE | {
    "transaction",
    "other",
    "replace_view",
    "create_function",
    "create_trigger",
    "create_policy",
    "create_extension",
    "create_other",
    "comment",
    "comment_other",
    "privileges",
    "set_default",
    "drop_default",
    "set_not_null",
    "drop_not_null",
    "validate_constraint",
    "rename_index",
}


@dataclass(frozen=True)
class Name:
    """A possibly schema-qualified object name; `name` is folded unless it was quoted."""

    schema: str | None
    name: str
    quoted: bool = False

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def matches(self, schema: str, name: str, default_schema: str) -> bool:
        """Whether this name, as the database resolves it, is `schema.name`."""
        if (self.schema or default_schema).lower() != schema.lower():
            return False
        return self.name == name if self.quoted else self.name.lower() == name.lower()


@dataclass(frozen=True)
class Effect:
    """One thing a statement does. `table` is the table acted on (or the object, for indexes,
    types, views…); `column`, `new_name` and `object_name` are set where they apply."""

    action: str
    table: Name | None = None
    column: str | None = None
    new_name: str | None = None
    object_name: Name | None = None
    guarded: bool = False  # IF [NOT] EXISTS: may be a no-op
    flags: frozenset[str] = frozenset()  # e.g. concurrently, materialized, unconditioned, not null

    def has(self, flag: str) -> bool:
        return flag in self.flags


class StatementInfo(NamedTuple):
    """One statement with everything the plan, the lint and the engine need to know about it.

    A named tuple, not a dataclass: a seed file makes one per statement, and this is five times
    cheaper to build. Statements that share one `effects` tuple (the literal INSERTs into one
    table) do the same thing to the schema: plans and the lint read such a run once.
    """

    index: int  # type: ignore[assignment]  # 1-based position in the migration (hides tuple.index, never used)
    sql: str
    line: int
    summary: str  # the statement on one line, without comments, cut for display
    kind: str
    effects: tuple[Effect, ...]
    opaque: bool = False
    mentions: frozenset[str] = frozenset()  # lower-cased words, for opaque ones
    transactional: bool = True
    needs_pg12_for_transaction: bool = False  # ALTER TYPE … ADD VALUE
    heavy_lock: str | None = None  # why the statement blocks other sessions, when it does

    @property
    def loses_data(self) -> bool:
        return self.opaque or any(e.action in LOSES_DATA for e in self.effects)

    @property
    def needs_witness(self) -> bool:
        """Whether the tables this statement changes must be asked of the database as it runs:
        anything beyond plain additions can write through triggers, rules, functions, foreign-key
        actions or CASCADE, none of which the text names."""
        return self.opaque or any(e.action not in _NO_WRITES or e.has("cascade") for e in self.effects)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables this statement acts on, as written (schema-qualified when it was)."""
        seen: dict[str, None] = {}
        for effect in self.effects:
            if effect.table is not None and effect.action not in _NON_TABLE_OBJECTS:
                seen[str(effect.table)] = None
            if effect.action == "rename_table" and effect.new_name:
                seen[effect.new_name] = None
        return tuple(seen)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f"{e.table}.{e.column}" for e in self.effects if e.table and e.column))


_NON_TABLE_OBJECTS = frozenset(
    {
        "create_type",
        "drop_type",
        "alter_type",
        "rename_enum_value",
        "run",
        "create_view",
        "drop_view",
        "create_sequence",
        "drop_sequence",
        "create_schema",
        "drop_schema",
        "create_function",
        "drop_function",
        "create_extension",
        "drop_extension",
        "alter_other",
        "create_other",
        "drop_other",
        "comment_other",
    }
)


@lru_cache(maxsize=512)
def analyse(sql: str, dialect: str) -> Statements:
    """Every statement of `sql` as backend `dialect` cuts it, described (cached: plan and apply
    read the same scripts). A run of literal-row INSERTs into one table is read as one piece."""
    pieces: list[StatementInfo | _Rows] = []
    index = 1
    for piece in row_runs.read(sql, dialect):
        if isinstance(piece, row_runs.RowRun):
            rows = _Rows(sql, piece, index)
            pieces.append(rows.first if piece.size == 1 else rows)
            index += piece.size
        else:
            pieces.append(analyse_statement(piece.sql, index, piece.line))
            index += 1
    return Statements(pieces)


class _Rows:
    """A run of literal-row INSERTs into one table (`row_runs.RowRun`): its first statement read
    now, the others when asked for. They share the first one's effects."""

    __slots__ = ("sql", "run", "first", "_all")

    def __init__(self, sql: str, run: row_runs.RowRun, index: int) -> None:
        self.sql, self.run = sql, run
        first = next(row_runs.statements(sql, run))
        info = _literal_insert(first.sql, index, first.line)
        assert info is not None, "a run's statements are literal INSERTs by its grammar"
        self.first = info
        self._all: tuple[StatementInfo, ...] | None = None

    @property
    def size(self) -> int:
        return self.run.size

    def all(self) -> tuple[StatementInfo, ...]:
        if self._all is None:
            head, effects = self.first, self.first.effects
            self._all = tuple(
                StatementInfo(head.index + i, st.sql, st.line, _row_summary(st.sql), "data", effects)
                for i, st in enumerate(row_runs.statements(self.sql, self.run))
            )
        return self._all


class Statements(Sequence[StatementInfo]):
    """A script's statements in order: a sequence of `StatementInfo`, index `i` holding
    statement `i + 1`. A seed file's runs of row INSERTs are kept as single pieces until their
    statements are asked for, so a plan reads 100,000 rows as one step (`pieces`). `span` is a
    window on the same pieces: statements `start + 1` to `stop`."""

    __slots__ = ("_pieces", "_starts", "_size", "_start", "_stop")

    def __init__(self, pieces: list[StatementInfo | _Rows]) -> None:
        self._pieces = pieces
        self._starts = [p.index - 1 if isinstance(p, StatementInfo) else p.first.index - 1 for p in pieces]
        last = pieces[-1] if pieces else None
        self._size = 0 if last is None else self._starts[-1] + (1 if isinstance(last, StatementInfo) else last.size)
        self._start, self._stop = 0, self._size

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, i: int) -> StatementInfo: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[StatementInfo, ...]: ...
    def __getitem__(self, i: int | slice) -> StatementInfo | tuple[StatementInfo, ...]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            return tuple(self)[i] if step != 1 else tuple(self._between(self._start + start, self._start + stop))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("statement index out of range")
        i += self._start
        at = bisect_right(self._starts, i) - 1
        piece = self._pieces[at]
        return piece if isinstance(piece, StatementInfo) else piece.all()[i - self._starts[at]]

    def __iter__(self) -> Iterator[StatementInfo]:
        return self._between(self._start, self._stop)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def between(self, start: int, stop: int) -> Iterator[StatementInfo]:
        """Statements `start + 1` to `stop` of the script, reading only the pieces that hold them."""
        return self._between(max(start, self._start), min(stop, self._stop))

    def _between(self, start: int, stop: int) -> Iterator[StatementInfo]:
        if start >= stop:
            return
        at = max(bisect_right(self._starts, start) - 1, 0)
        for piece in self._pieces[at:]:
            if isinstance(piece, StatementInfo):
                if piece.index > stop:
                    return
                if piece.index > start:
                    yield piece
                continue
            first = piece.first.index
            if first > stop:
                return
            yield from piece.all()[max(start - first + 1, 0) : stop - first + 1]

    def pieces(self) -> Iterator[tuple[StatementInfo, int]]:
        """Each piece's first statement and how many statements it stands for: a run of rows
        (all doing what its first does) is one piece, any other statement a piece of its own.
        Whole scripts only: a window's pieces would start inside a run."""
        assert (self._start, self._stop) == (0, self._size), "pieces of a whole script"
        for piece in self._pieces:
            if isinstance(piece, StatementInfo):
                yield piece, 1
            else:
                yield piece.first, piece.size

    def heads(self) -> list[StatementInfo]:
        """The first statement of each piece: enough for whatever reads a run once."""
        return [first for first, _ in self.pieces()]

    def span(self, first: int, last: int) -> Statements:
        """Statements `first + 1` to `last`, read when they are first asked for."""
        view = Statements.__new__(Statements)
        view._pieces, view._starts, view._size = self._pieces, self._starts, self._size
        view._start, view._stop = max(first, self._start), min(last, self._stop)
        return view


def heads(statements: Sequence[StatementInfo]) -> Sequence[StatementInfo]:
    """The statements, a run of rows read once (see `Statements.heads`)."""
    return statements.heads() if isinstance(statements, Statements) else statements


def analyse_statement(sql: str, index: int = 1, line: int = 1) -> StatementInfo:
    literal = _literal_insert(sql, index, line)
    if literal is not None:
        return literal
    toks = _tokens(sql)
    reader = _Reader(toks)
    try:
        effects, notes = _parse(reader)
    except _Unparsed:
        effects, notes = [], {"opaque": True}
    opaque = bool(notes.get("opaque"))
    return StatementInfo(
        index=index,
        sql=sql,
        line=line,
        summary=_summary(toks),
        kind=_classify(effects, opaque),
        effects=tuple(effects),
        opaque=opaque,
        mentions=frozenset(_words(sql)) if opaque else frozenset(),
        transactional=not notes.get("no_transaction"),
        needs_pg12_for_transaction=bool(notes.get("pg12")),
        heavy_lock=_heavy_lock(effects, notes),
    )


# An INSERT of literal rows and nothing else — the bulk of seed files. Its whole meaning is "rows
# into this table", read here by one match instead of a tokenizer; the grammar is the one that
# finds runs of such rows (`row_runs`), so an E'' string, a comment, a function call or a subquery
# falls through to the full reading.
_LITERAL_INSERT = re.compile(rf"{row_runs.LITERAL_INSERT};?")
_INSERT_EFFECTS: dict[tuple[str | None, str], tuple[Effect, ...]] = {}


def _literal_insert(sql: str, index: int, line: int) -> StatementInfo | None:
    """The description of an INSERT of literal rows, without tokenizing it (see `_LITERAL_INSERT`)."""
    if sql[:6].upper() != "INSERT":
        return None
    match = _LITERAL_INSERT.fullmatch(sql)
    if match is None:
        return None
    schema, name = match.group("schema"), match.group("name")
    key = (schema, name)
    effects = _INSERT_EFFECTS.get(key)
    if effects is None:  # one Effect per table, shared by its rows' statements
        table = Name(_ident(schema.rstrip(" .\t\n\r\f\v"))[0] if schema else None, *_ident(name))
        effects = _INSERT_EFFECTS.setdefault(key, (Effect("insert", table, flags=frozenset({"values"})),))
    return StatementInfo(index, sql, line, _row_summary(sql), "data", effects)


def _row_summary(sql: str) -> str:
    """An INSERT of rows on one line, cut for display."""
    one_line = "\n" not in sql and "  " not in sql and "\t" not in sql  # a seed's rows, mostly: as written
    summary = (sql if one_line else " ".join(sql.split())).rstrip(";").rstrip()
    return summary if len(summary) <= 90 else summary[:89] + "…"


def _ident(text: str) -> tuple[str, bool]:
    """An identifier as written → (name as the database folds it, quoted)."""
    if text.startswith('"'):
        return text[1:-1].replace('""', '"'), True
    return text.lower(), False


_CLASS_OF = {
    "transaction": "transaction",
    **{
        a: "drop"
        for a in (
            "drop_table",
            "drop_column",
            "drop_index",
            "drop_type",
            "drop_view",
            "drop_sequence",
            "drop_schema",
            "drop_function",
            "drop_trigger",
            "drop_policy",
            "drop_constraint",
            "drop_extension",
            "drop_other",
        )
    },
    **{
        a: "rename"
        for a in (
            "rename_table",
            "rename_column",
            "rename_constraint",
            "rename_index",
            "rename_type",
            "rename_enum_value",
        )
    },
    **{
        a: "create"
        for a in (
            "create_table",
            "create_index",
            "create_type",
            "create_view",
            "replace_view",
            "create_sequence",
            "create_schema",
            "create_function",
            "create_trigger",
            "create_policy",
            "create_extension",
            "create_other",
        )
    },
    **{a: "data" for a in ("insert", "update", "delete", "merge", "truncate", "run")},
    "other": "other",
}


def _classify(effects: list[Effect], opaque: bool) -> str:
    if opaque:
        return "other"
    found = {_CLASS_OF.get(e.action, "alter") for e in effects}
    return next((c for c in CLASSES if c in found), "other")


def _heavy_lock(effects: list[Effect], notes: dict[str, bool]) -> str | None:
    for e in effects:
        if e.action == "create_index" and not e.has("concurrently"):
            return f"builds an index on {e.table} while blocking writes to it (CONCURRENTLY avoids that on PostgreSQL)"
        if e.action == "alter_column_type":
            return f"rewrites {e.table} under an exclusive lock"
        if e.action == "set_not_null":
            return f"scans {e.table} under an exclusive lock to check NOT NULL"
        if e.action == "add_constraint" and (e.has("foreign key") or e.has("check")) and not e.has("not valid"):
            return f"scans {e.table} while holding a lock that blocks writes (NOT VALID, then VALIDATE, avoids that)"
    if notes.get("heavy"):
        return "takes an exclusive lock on the tables it names"
    return None


def _summary(toks: list[_Tok], width: int = 90) -> str:
    text = " ".join(t.text for t in toks)
    text = (
        re.sub(r"\s+", " ", text)
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(". ", ".")
    )
    return text if len(text) <= width else text[: width - 1] + "…"


def _words(sql: str) -> set[str]:
    """Identifier-like words anywhere in the text, dollar-quoted bodies included."""
    pairs = re.findall(r'"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)', sql)
    return {(quoted or bare).lower() for quoted, bare in pairs}


# -- tokens ---------------------------------------------------------------------------------


class _Tok(NamedTuple):
    """One token (a named tuple: a statement makes dozens, cheaper than a dataclass)."""

    kind: str  # word | quoted | string | dollar | number | punct | other
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def _tokens(sql: str) -> list[_Tok]:
    """The statement's tokens by sqlparse's rules (no grouping: only the flat stream is read)."""
    out: list[_Tok] = []
    for ttype, text in sql_tokens.tokens(sql):
        kind = _KINDS.get(ttype) or _KINDS.setdefault(ttype, _kind(ttype))
        if kind == "skip":
            continue
        if kind == "keyword":
            out.extend(_Tok("word", w) for w in text.split())
        elif kind == "name":
            out.append(_Tok("quoted" if text[:1] in '[`"' else "word", text))
        elif kind == "literal":
            out.append(_Tok("dollar" if text.startswith("$") else "string", text))
        else:
            out.append(_Tok(kind, text))
    while out and out[-1].text == ";":
        out.pop()
    return out


_KINDS: dict[object, str] = {}  # sqlparse token type → how `_tokens` reads it


def _kind(ttype: T._TokenType) -> str:
    if ttype in T.Comment:
        return "skip"
    if ttype in T.Keyword:
        return "keyword"
    if ttype in T.Name:
        return "name"
    if ttype in T.Literal.String.Symbol:
        return "quoted"
    if ttype in T.Literal.String:
        return "string"
    if ttype in T.Literal.Number:
        return "number"
    if ttype in T.Literal:
        return "literal"
    return "punct" if ttype in T.Punctuation else "other"


class _Unparsed(Exception):
    """The statement has a shape this reader does not know."""


class _Reader:
    """A cursor over tokens with the few moves DDL needs."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self, ahead: int = 0) -> _Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def at(self, *words: str) -> bool:
        """Whether the next tokens are exactly these words (case-insensitive)."""
        return all((t := self.peek(k)) is not None and t.upper == w for k, w in enumerate(words))

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.i += len(words)
            return True
        return False

    def accept_any(self, *words: str) -> str | None:
        tok = self.peek()
        if tok is not None and tok.upper in words:
            self.i += 1
            return tok.upper
        return None

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def ident(self) -> tuple[str, bool]:
        tok = self.peek()
        if tok is None or tok.kind not in ("word", "quoted"):
            raise _Unparsed
        self.i += 1
        if tok.kind == "quoted":
            close = "]" if tok.text[0] == "[" else tok.text[0]
            return tok.text[1:-1].replace(close * 2, close) if close != "]" else tok.text[1:-1], True
        return tok.text.lower(), False

    def path(self) -> list[tuple[str, bool]]:
        """A dotted identifier (`a`, `s.t`, `s.t.c`), each part as (text, quoted)."""
        parts = [self.ident()]
        while (t := self.peek()) is not None and t.text == ".":
            self.i += 1
            parts.append(self.ident())
        return parts

    def name(self) -> Name:
        parts = self.path()
        (text, quoted) = parts[-1]
        return Name(parts[-2][0] if len(parts) > 1 else None, text, quoted)

    def names(self) -> list[Name]:
        """A comma-separated list of names (DROP TABLE a, b)."""
        out = [self.name()]
        while (t := self.peek()) is not None and t.text == ",":
            self.i += 1
            out.append(self.name())
        return out

    def skip_group(self) -> None:
        """Skip a parenthesised group starting at the cursor."""
        depth = 0
        while (tok := self.peek()) is not None:
            self.i += 1
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
                if depth == 0:
                    return

    def rest_words(self) -> list[str]:
        return [t.upper for t in self.toks[self.i :] if t.kind == "word"]

    def top_level_clauses(self) -> list[_Reader]:
        """The remaining tokens split on commas outside parentheses, one reader each."""
        parts: list[list[_Tok]] = [[]]
        depth = 0
        for tok in self.toks[self.i :]:
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            if tok.text == "," and depth == 0:
                parts.append([])
            else:
                parts[-1].append(tok)
        self.i = len(self.toks)
        return [_Reader(p) for p in parts if p]


def _flags(**conditions: bool) -> frozenset[str]:
    """The names whose condition holds (flag names with spaces go through `**{…}`)."""
    return frozenset(name for name, holds in conditions.items() if holds)


def _has_words(words: list[str], *seq: str) -> bool:
    return any(words[i : i + len(seq)] == list(seq) for i in range(len(words)))


# -- the grammar ----------------------------------------------------------------------------

_TRANSACTION_WORDS = {
    "TRANSACTION",
    "WORK",
    "DEFERRED",
    "IMMEDIATE",
    "EXCLUSIVE",
    "ISOLATION",
    "LEVEL",
    "READ",
    "WRITE",
    "ONLY",
    "COMMITTED",
    "UNCOMMITTED",
    "REPEATABLE",
    "SERIALIZABLE",
}
_OTHER_VERBS = {
    "SET",
    "RESET",
    "PRAGMA",
    "ANALYZE",
    "ANALYSE",
    "EXPLAIN",
    "SHOW",
    "LISTEN",
    "NOTIFY",
    "UNLISTEN",
    "DISCARD",
    "CHECKPOINT",
    "LOAD",
    "SECURITY",
    "DECLARE",
    "FETCH",
    "CLOSE",
    "MOVE",
    "PREPARE",
    "DEALLOCATE",
    "ATTACH",
    "DETACH",
}
_NO_TRANSACTION_VERBS = {"VACUUM"}
_HEAVY_VERBS = {"LOCK", "CLUSTER", "REINDEX"}


def _parse(r: _Reader) -> tuple[list[Effect], dict[str, bool]]:
    first = r.peek()
    if first is None:
        return [], {}
    verb = first.upper
    if verb in ("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"):
        if verb == "ROLLBACK" and "TO" in r.rest_words():
            return [Effect("transaction")], {}
        if verb in ("BEGIN", "START", "COMMIT", "END") and not set(r.rest_words()[1:]) <= _TRANSACTION_WORDS:
            raise _Unparsed
        return [Effect("transaction")], {}
    if verb == "CREATE":
        return _create(r)
    if verb == "DROP":
        return _drop(r)
    if verb == "ALTER":
        return _alter(r)
    if verb == "WITH":
        return _with(r)
    if verb in ("INSERT", "REPLACE", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"):
        return _data(r), {}
    if verb in ("SELECT", "VALUES", "TABLE"):
        return _select(r), {}
    if verb in ("CALL", "EXECUTE"):
        return [Effect("run")], {}
    if verb == "COMMENT":
        return _comment(r), {}
    if verb == "REFRESH":
        return [Effect("other")], {"no_transaction": "CONCURRENTLY" in r.rest_words()}
    if verb in ("GRANT", "REVOKE"):
        # Not additive: undoing one needs the privileges held before, which only the catalog has.
        return [Effect("privileges")], {}
    if verb in _OTHER_VERBS:
        return [Effect("other")], {}
    if verb in _NO_TRANSACTION_VERBS:
        return [Effect("other")], {"no_transaction": True}
    if verb in _HEAVY_VERBS:
        return [Effect("other")], {"heavy": True, "no_transaction": "CONCURRENTLY" in r.rest_words()}
    raise _Unparsed  # DO blocks, CALL, EXECUTE and verbs we do not know


_CREATE_MODIFIERS = {
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "UNIQUE",
    "RECURSIVE",
    "TRUSTED",
    "PROCEDURAL",
    "CONSTRAINT",
    "VIRTUAL",
    "DEFAULT",
}


# The kinds of object CREATE and DROP name that this reader follows; others are "other".
_OBJECT_KINDS = (
    "TABLE",
    "INDEX",
    "VIEW",
    "MATERIALIZED",
    "TYPE",
    "DOMAIN",
    "SEQUENCE",
    "SCHEMA",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
    "POLICY",
    "EXTENSION",
)


def _create(r: _Reader) -> tuple[list[Effect], dict[str, bool]]:
    r.accept("CREATE")
    modifiers = set()
    while (m := r.accept_any(*_CREATE_MODIFIERS)) is not None:
        modifiers.add(m)
    replace = "REPLACE" in modifiers
    obj = r.accept_any(*_OBJECT_KINDS)
    if obj is None:
        return [Effect("create_other")], {"no_transaction": bool(r.accept_any("DATABASE", "TABLESPACE"))}
    if obj == "MATERIALIZED":
        r.accept("VIEW")
    if obj == "INDEX":
        concurrently = r.accept("CONCURRENTLY")
        guarded = r.accept("IF", "NOT", "EXISTS")
        index_name = None if r.at("ON") else r.name()
        r.accept("ON")
        r.accept("ONLY")
        table = r.name()
        return [
            Effect(
                "create_index", table, object_name=index_name, guarded=guarded, flags=_flags(concurrently=concurrently)
            )
        ], {"no_transaction": concurrently}
    guarded = r.accept("IF", "NOT", "EXISTS")
    if obj == "SCHEMA" and r.at("AUTHORIZATION"):
        return [Effect("create_other")], {}
    name = r.name()
    if obj == "TABLE":
        if {"TEMP", "TEMPORARY"} & modifiers:
            return [Effect("other")], {}
        if "VIRTUAL" in modifiers:
            return [Effect("create_other", name)], {}
        return [Effect("create_table", name, guarded=guarded, flags=_flags(**{"as select": r.at("AS")}))], {}
    if obj in ("VIEW", "MATERIALIZED"):
        return [
            Effect(
                "replace_view" if replace else "create_view",
                object_name=name,
                guarded=guarded,
                flags=_flags(materialized=obj == "MATERIALIZED"),
            )
        ], {}
    if obj in ("TYPE", "DOMAIN"):
        return [Effect("create_type", object_name=name, guarded=guarded, flags=frozenset({obj.lower()}))], {}
    if obj == "SEQUENCE":
        return [Effect("create_sequence", object_name=name, guarded=guarded)], {}
    if obj == "SCHEMA":
        return [Effect("create_schema", object_name=name, guarded=guarded)], {}
    if obj in ("FUNCTION", "PROCEDURE"):
        return [Effect("create_function", object_name=name, flags=_flags(**{"or replace": replace}))], {}
    if obj in ("TRIGGER", "POLICY"):
        return [
            Effect(f"create_{obj.lower()}", _on_table(r), object_name=name, flags=_flags(**{"or replace": replace}))
        ], {}
    return [Effect("create_extension", object_name=name, guarded=guarded)], {}


def _on_table(r: _Reader) -> Name | None:
    """The table after the first top-level ON (CREATE TRIGGER … ON t, CREATE POLICY p ON t)."""
    while (tok := r.peek()) is not None:
        r.i += 1
        if tok.upper == "ON":
            return r.name()
    return None


def _drop(r: _Reader) -> tuple[list[Effect], dict[str, bool]]:
    r.accept("DROP")
    obj = r.accept_any(*_OBJECT_KINDS)
    if obj is None:
        return [Effect("drop_other")], {"no_transaction": bool(r.accept_any("DATABASE", "TABLESPACE"))}
    if obj == "MATERIALIZED":
        r.accept("VIEW")
    concurrently = obj == "INDEX" and r.accept("CONCURRENTLY")
    guarded = r.accept("IF", "EXISTS")
    notes = {"no_transaction": concurrently}
    flags = _flags(cascade="CASCADE" in r.rest_words())
    if obj in ("TRIGGER", "POLICY"):
        name = r.name()
        table = r.name() if r.accept("ON") else None
        return [Effect(f"drop_{obj.lower()}", table, object_name=name, guarded=guarded, flags=flags)], notes
    if obj in ("FUNCTION", "PROCEDURE"):
        return [Effect("drop_function", object_name=r.name(), guarded=guarded, flags=flags)], notes
    names = r.names()
    if obj == "TABLE":
        return [Effect("drop_table", n, guarded=guarded, flags=flags) for n in names], notes
    action = {
        "INDEX": "drop_index",
        "VIEW": "drop_view",
        "MATERIALIZED": "drop_view",
        "TYPE": "drop_type",
        "DOMAIN": "drop_type",
        "SEQUENCE": "drop_sequence",
        "SCHEMA": "drop_schema",
        "EXTENSION": "drop_extension",
    }[obj]
    return [Effect(action, object_name=n, guarded=guarded, flags=flags) for n in names], notes


def _alter(r: _Reader) -> tuple[list[Effect], dict[str, bool]]:
    r.accept("ALTER")
    if r.accept("TABLE"):
        r.accept("IF", "EXISTS")
        r.accept("ONLY")
        return _alter_table(r, r.name()), {}
    if r.accept("INDEX"):
        r.accept("IF", "EXISTS")
        name = r.name()
        if r.accept("RENAME", "TO"):
            return [Effect("rename_index", object_name=name, new_name=r.ident()[0])], {}
        return [Effect("alter_other", object_name=name)], {}
    if r.accept("TYPE"):
        name = r.name()
        if r.accept("ADD", "VALUE"):
            return [Effect("alter_type", object_name=name, flags=frozenset({"add value"}))], {"pg12": True}
        if r.accept("RENAME", "TO"):
            return [Effect("rename_type", object_name=name, new_name=r.ident()[0])], {}
        if r.accept("RENAME", "VALUE"):
            old = r.peek()
            r.i += 1
            r.accept("TO")
            new = r.peek()
            return [Effect("rename_enum_value", object_name=name, column=_literal(old), new_name=_literal(new))], {}
        return [Effect("alter_type", object_name=name)], {}
    if r.accept_any("SYSTEM"):
        return [Effect("other")], {"no_transaction": True}
    return [Effect("alter_other")], {}


def _alter_table(r: _Reader, table: Name) -> list[Effect]:
    if r.accept("RENAME", "TO"):
        return [Effect("rename_table", table, new_name=r.ident()[0])]
    if r.accept("SET", "SCHEMA"):
        return [Effect("rename_table", table, new_name=f"{r.ident()[0]}.{table.name}")]
    if r.accept("RENAME", "CONSTRAINT"):
        old = r.ident()[0]
        r.accept("TO")
        return [Effect("rename_constraint", table, column=None, object_name=Name(None, old), new_name=r.ident()[0])]
    if r.at("RENAME"):
        r.accept("RENAME")
        r.accept("COLUMN")
        old = r.ident()[0]
        r.accept("TO")
        return [Effect("rename_column", table, column=old, new_name=r.ident()[0])]
    return [_table_action(clause, table) for clause in r.top_level_clauses()]


_CONSTRAINT_STARTS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE")


def _table_action(c: _Reader, table: Name) -> Effect:
    if c.accept("ADD"):
        if any(c.at(w) for w in _CONSTRAINT_STARTS):
            return _add_constraint(c, table)
        c.accept("COLUMN")
        guarded = c.accept("IF", "NOT", "EXISTS")
        column = c.ident()[0]
        words = c.rest_words()
        flags = _flags(
            **{
                "references": "REFERENCES" in words,
                "not null": _has_words(words, "NOT", "NULL") or _has_words(words, "PRIMARY", "KEY"),
                "default": "DEFAULT" in words,
            }
        )
        return Effect("add_column", table, column=column, guarded=guarded, flags=flags)
    if c.accept("DROP"):
        if c.accept("CONSTRAINT"):
            guarded = c.accept("IF", "EXISTS")
            return Effect("drop_constraint", table, object_name=Name(None, c.ident()[0]), guarded=guarded)
        c.accept("COLUMN")
        guarded = c.accept("IF", "EXISTS")
        return Effect("drop_column", table, column=c.ident()[0], guarded=guarded)
    if c.accept("ALTER"):
        c.accept("COLUMN")
        column = c.ident()[0]
        if c.at("TYPE") or c.at("SET", "DATA", "TYPE"):
            return Effect("alter_column_type", table, column=column)
        settings: tuple[tuple[tuple[str, ...], str], ...] = (
            (("SET", "NOT", "NULL"), "set_not_null"),
            (("DROP", "NOT", "NULL"), "drop_not_null"),
            (("SET", "DEFAULT"), "set_default"),
            (("DROP", "DEFAULT"), "drop_default"),
        )
        for keywords, action in settings:
            if c.at(*keywords):
                return Effect(action, table, column=column)
        return Effect("alter_column", table, column=column)
    if c.accept("VALIDATE", "CONSTRAINT"):
        return Effect("validate_constraint", table, object_name=Name(None, c.ident()[0]))
    return Effect("alter_table", table)


def _add_constraint(c: _Reader, table: Name) -> Effect:
    name = Name(None, c.ident()[0]) if c.accept("CONSTRAINT") else None
    words = c.rest_words()
    kind = next((k for k in ("PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE") if k in words[:2]), "")
    flags = {{"PRIMARY": "primary key", "FOREIGN": "foreign key"}.get(kind, kind.lower())}
    if _has_words(words, "NOT", "VALID"):
        flags.add("not valid")
    return Effect("add_constraint", table, object_name=name, flags=frozenset(flags))


def _with(r: _Reader) -> tuple[list[Effect], dict[str, bool]]:
    """`WITH x AS (…) <INSERT|UPDATE|DELETE|SELECT …>`: the main verb, and every CTE that writes
    (`WITH gone AS (DELETE … RETURNING *) INSERT …` deletes as much as it inserts)."""
    r.accept("WITH")
    r.accept("RECURSIVE")
    writes: list[Effect] = []
    while True:
        r.ident()
        if (columns := r.peek()) is not None and columns.text == "(":
            r.skip_group()  # column list
        r.accept("AS")
        r.accept("NOT")
        r.accept("MATERIALIZED")
        start = r.i
        r.skip_group()
        body = _Reader(r.toks[start + 1 : r.i - 1])
        if (verb := body.peek()) is not None and verb.upper in ("INSERT", "UPDATE", "DELETE", "MERGE"):
            writes += _data(body)
        if (comma := r.peek()) is None or comma.text != ",":
            break
        r.i += 1
    effects, notes = _parse(r)
    if writes:  # reading the result of a write is a write
        effects = [e for e in effects if e.action != "run"]
    return writes + effects, notes


def _select(r: _Reader) -> list[Effect]:
    """A SELECT in a migration is there for what it calls (`SELECT purge()`), which may write
    anywhere; `SELECT … INTO t` makes a table."""
    depth = 0
    for i, tok in enumerate(r.toks):
        depth += (tok.text == "(") - (tok.text == ")")
        if depth == 0 and tok.upper == "INTO":
            r.i = i + 1
            while r.accept_any("TEMP", "TEMPORARY", "UNLOGGED", "TABLE"):
                pass
            return [Effect("create_table", r.name(), flags=frozenset({"as select"}))]
    return [Effect("run")]


def _literal(tok: _Tok | None) -> str | None:
    """The text of a string literal token ('it''s' → it's)."""
    if tok is None or tok.kind != "string" or len(tok.text) < 2:
        return None
    return tok.text[1:-1].replace("''", "'")


def _data(r: _Reader) -> list[Effect]:
    verb = r.accept_any("INSERT", "REPLACE", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY")
    if verb in ("INSERT", "REPLACE", "UPDATE"):
        if r.accept("OR"):
            r.accept_any("REPLACE", "IGNORE", "ABORT", "FAIL", "ROLLBACK")
    if verb in ("INSERT", "REPLACE", "MERGE"):
        r.accept("INTO")
        table = r.name()
        words = r.rest_words()
        if verb == "REPLACE" or ("CONFLICT" in words and "UPDATE" in words):
            return [Effect("insert", table), Effect("update", table, flags=frozenset({"upsert"}))]
        return [Effect("merge" if verb == "MERGE" else "insert", table)]
    if verb == "UPDATE":
        r.accept("ONLY")
        table = r.name()
        words = r.rest_words()
        return [Effect("update", table, flags=_flags(unconditioned="WHERE" not in words))]
    if verb == "DELETE":
        r.accept("FROM")
        r.accept("ONLY")
        table = r.name()
        return [Effect("delete", table, flags=_flags(unconditioned="WHERE" not in r.rest_words()))]
    if verb == "TRUNCATE":
        r.accept("TABLE")
        r.accept("ONLY")
        names = r.names()
        return [Effect("truncate", n, flags=_flags(cascade="CASCADE" in r.rest_words())) for n in names]
    table = r.name()  # COPY t FROM … writes; COPY t TO … only reads
    return [Effect("insert", table)] if "FROM" in r.rest_words()[:3] else [Effect("other")]


def _comment(r: _Reader) -> list[Effect]:
    r.accept("COMMENT")
    r.accept("ON")
    obj = r.accept_any("TABLE", "COLUMN")
    if obj is None:
        return [Effect("comment_other")]
    parts = r.path()
    if obj == "COLUMN":  # [schema.]table.column
        column, parts = parts[-1][0], parts[:-1]
    table = Name(parts[-2][0] if len(parts) > 1 else None, parts[-1][0], parts[-1][1]) if parts else None
    return [Effect("comment", table, column=column if obj == "COLUMN" else None)]
