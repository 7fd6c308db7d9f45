"""What one PostgreSQL statement does, read by PostgreSQL's own parser (pglast): the console's
classification (read, rows, truncate, ddl, other) and the tables the statement writes by name.

Names come back as the text spells them (schema None when unqualified); the connection resolves
them against its search path. A text the parser cannot read is "other": the server will say why.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from pglast.parser import ParseError, parse_sql_json, scan

from workbench.db.pg_guard import read_only_refusal

Node = dict[str, Any]
Name = tuple[str | None, str]

_DDL_PREFIXES = ("Create", "Alter", "Drop", "Rename", "Comment", "Grant", "Revoke", "Index", "Reindex", "Cluster")
_DDL_EXTRA = frozenset({"IndexStmt", "ViewStmt", "CompositeTypeStmt", "DefineStmt", "RuleStmt", "RefreshMatViewStmt"})


@functools.lru_cache(maxsize=256)
def facts(sql: str) -> tuple[str, str, tuple[Name, ...]]:
    """(kind, verb, tables written by name) of the one statement `sql`."""
    try:
        statements = orjson.loads(parse_sql_json(_numbered(sql)))["stmts"]
    except ParseError:
        return "other", "unparsed", ()
    if len(statements) != 1:
        return "other", "several" if statements else "empty", ()
    ((kind, node),) = statements[0]["stmt"].items()
    if read_only_refusal(sql) is None:
        return "read", _verb(kind), ()
    if kind in ("UpdateStmt", "DeleteStmt", "InsertStmt", "MergeStmt"):
        return "rows", _row_verb(kind, node), (_range(node["relation"]),)
    if kind == "TruncateStmt":
        return "truncate", "truncate", tuple(_range(r["RangeVar"]) for r in node.get("relations", ()))
    if kind in _DDL_EXTRA or kind.startswith(_DDL_PREFIXES):
        return "ddl", _verb(kind), _ddl_tables(kind, node)
    return "other", _verb(kind), ()


def _numbered(sql: str) -> str:
    """`sql` with psycopg's `%s` placeholders (as the scanner finds them, never inside a string)
    turned into the `$1` the parser reads; what the statement does does not depend on them."""
    out, last, n = [], 0, 0
    tokens = scan(sql) if "%s" in sql else []
    for percent, following in zip(tokens, tokens[1:], strict=False):
        if (
            percent.name == "ASCII_37"
            and following.start == percent.end + 1
            and sql[following.start : following.end + 1] == "s"
        ):
            n += 1
            out.append(f"{sql[last : percent.start]}${n}")
            last = following.end + 1
    return "".join(out) + sql[last:]


def _row_verb(kind: str, node: Node) -> str:
    if kind == "InsertStmt" and node.get("onConflictClause"):
        return "upsert"
    return kind.removesuffix("Stmt").lower()


def _verb(kind: str) -> str:
    word = kind.removesuffix("Stmt")
    for prefix in ("Create", "Alter", "Drop", "Rename"):
        if word.startswith(prefix):
            return prefix.lower()
    return {"Select": "select", "VariableShow": "show", "Explain": "explain", "Index": "create"}.get(word, word.lower())


def _range(rv: Node) -> Name:
    return rv.get("schemaname") or None, rv["relname"]


def _ddl_tables(kind: str, node: Node) -> tuple[Name, ...]:
    """The existing tables a DDL statement names as its object (ALTER TABLE, DROP TABLE)."""
    if kind == "AlterTableStmt" and node.get("relation"):
        return (_range(node["relation"]),)
    if kind == "DropStmt" and node.get("removeType") == "OBJECT_TABLE":
        out: list[Name] = []
        for item in node.get("objects", ()):
            parts = [p["String"]["sval"] for p in item.get("List", {}).get("items", ()) if "String" in p]
            if parts:
                out.append((parts[-2] if len(parts) > 1 else None, parts[-1]))
        return tuple(out)
    if kind == "RenameStmt" and node.get("relation"):
        return (_range(node["relation"]),)
    return ()
