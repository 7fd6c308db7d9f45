"""What a PostgreSQL text may do, decided by PostgreSQL's own parser (libpg_query, through pglast).

Three questions, each answered before anything reaches the server:

- `read_only_refusal(sql)`: may this run as a check? Only exactly one statement that reads: a
  SELECT or VALUES (a WITH whose parts are all plain SELECTs), TABLE, SHOW, EXPLAIN without
  ANALYZE; no SELECT … INTO, no row locks, no call of a function in `OUTSIDE_FUNCTIONS`.
- `escape_refusal(sql)`: may this run as a scenario step, which may write inside a transaction
  that is always rolled back, but must not reach past it (transaction control, session settings
  and state, COPY to or from the server's files or programs, the functions of `OUTSIDE_FUNCTIONS`).
- `leaves_database(sql)`: does this statement act outside the database it runs in (roles,
  databases, tablespaces, subscriptions, the server's configuration, files and programs)? A
  replay on a scratch copy skips such statements. DO blocks are read as PL/pgSQL; a caller that
  can look up function bodies (`FunctionBodies`) gets the functions a statement calls read too.

Each answer is None (allowed) or one sentence naming what was found. A text the parser cannot
read is refused by the first two (the server would refuse it too) and left to the server by the
third. What the text cannot show is out of reach here: a function that does harm under an
innocent name, a trigger. The read-only transaction and the rollback remain the second line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from pglast import parse_plpgsql
from pglast.parser import ParseError, parse_sql_json, scan

from workbench.db.base import CONTAINED_RULE, READ_ONLY_RULE

Node = dict[str, Any]
# (language, source) of each user-defined function called `name` (in `schema`, when given).
FunctionBodies = Callable[[str | None, str], Sequence[tuple[str, str]]]

# Functions whose effect neither a read-only transaction nor a rollback contains: they act on the
# session after the transaction, on other sessions, on the server's files, programs and
# configuration, or on another database. Names match with or without a schema
# (`pg_catalog.lo_export` too); a trailing `*` matches every name that starts so. The flag says
# whether the effect leaves the database (a scratch replay must skip it) or only the session.
# From PostgreSQL's "System Administration Functions", "Large Objects" and dblink pages.
OUTSIDE_FUNCTIONS: tuple[tuple[str, str, bool], ...] = (
    ("lo_*", "reads or writes large objects and server files", True),
    ("loread", "reads a large object", True),
    ("lowrite", "writes a large object", True),
    ("pg_read_file", "reads a file on the server", True),
    ("pg_read_binary_file", "reads a file on the server", True),
    ("pg_stat_file", "reads a file's details on the server", True),
    ("pg_ls_*", "lists a directory on the server", True),
    ("pg_file_*", "writes, renames or removes a file on the server", True),
    ("pg_logdir_ls", "lists the server's log directory", True),
    ("pg_current_logfile", "reads the server's log file name", True),
    ("dblink*", "works in another database, which commits on its own", True),
    ("set_config", "changes a setting for the rest of the session", False),
    ("pg_advisory_*", "takes or releases a lock that other sessions see", False),
    ("pg_try_advisory_*", "takes a lock that other sessions see", False),
    ("pg_notify", "sends a notification to other sessions", False),
    ("pg_terminate_backend", "ends another session", True),
    ("pg_cancel_backend", "cancels another session's query", True),
    ("pg_reload_conf", "makes the server reload its configuration", True),
    ("pg_rotate_logfile", "makes the server switch log files", True),
    ("pg_log_backend_memory_contexts", "writes to the server's log", True),
    ("pg_logical_emit_message", "writes a message into the write-ahead log", True),
    ("pg_switch_wal", "makes the server switch write-ahead log files", True),
    ("pg_create_*", "creates a replication slot or restore point on the server", True),
    ("pg_drop_replication_slot", "drops a replication slot of the server", True),
    ("pg_copy_*_replication_slot", "copies a replication slot of the server", True),
    ("pg_replication_slot_advance", "advances a replication slot of the server", True),
    ("pg_logical_slot_get_*", "consumes the changes of a replication slot", True),
    ("pg_replication_origin_*", "changes the server's replication origins", True),
    ("pg_backup_*", "starts or stops a backup of the server", True),
    ("pg_start_backup", "starts a backup of the server", True),
    ("pg_stop_backup", "stops a backup of the server", True),
    ("pg_promote", "promotes a standby server", True),
    ("pg_wal_replay_*", "pauses or resumes the server's recovery", True),
    ("pg_stat_reset*", "resets statistics that other sessions read", True),
    # These run SQL passed to them as text, which the guard cannot see.
    ("query_to_xml*", "runs SQL given as text", True),
    ("query_to_xmlschema", "runs SQL given as text", True),
    ("ts_stat", "runs SQL given as text", True),
)

# Statements (by parse-tree node) whose effect outlives the transaction that runs them.
_SESSION_STATEMENTS = {
    "TransactionStmt": "transaction control",
    "DiscardStmt": "it resets the session",
    "ListenStmt": "it listens on the session",
    "UnlistenStmt": "it changes what the session listens to",
    "NotifyStmt": "it notifies other sessions",
    "LoadStmt": "it loads a library into the server process",
    "PrepareStmt": "the prepared statement outlives the transaction",
    "DeallocateStmt": "it changes the session's prepared statements",
    "CheckPointStmt": "it acts on the whole server",
    "AlterSystemStmt": "it changes the server's configuration",
}

# Statements that act outside the database they run in: its objects are shared by the cluster.
_SHARED = {
    "role": "roles belong to the whole server",
    "database": "databases belong to the whole server",
    "tablespace": "tablespaces belong to the whole server",
    "subscription": "a subscription replicates from another server",
    "system": "it changes the configuration of the whole server",
    "parameter": "privileges on parameters belong to the whole server",
}
_LEAVING_STATEMENTS = {
    "CreateRoleStmt": "role",
    "AlterRoleStmt": "role",
    "AlterRoleSetStmt": "role",
    "DropRoleStmt": "role",
    "GrantRoleStmt": "role",
    "DropOwnedStmt": "role",
    "ReassignOwnedStmt": "role",
    "CreatedbStmt": "database",
    "AlterDatabaseStmt": "database",
    "AlterDatabaseSetStmt": "database",
    "AlterDatabaseRefreshCollStmt": "database",
    "DropdbStmt": "database",
    "CreateTableSpaceStmt": "tablespace",
    "DropTableSpaceStmt": "tablespace",
    "AlterTableSpaceOptionsStmt": "tablespace",
    "CreateSubscriptionStmt": "subscription",
    "AlterSubscriptionStmt": "subscription",
    "DropSubscriptionStmt": "subscription",
    "AlterSystemStmt": "system",
}
# Statements about an object named by `objtype`/`renameType`/`objectType`: these kinds are shared.
_SHARED_OBJECTS = {
    "OBJECT_ROLE": "role",
    "OBJECT_DATABASE": "database",
    "OBJECT_TABLESPACE": "tablespace",
    "OBJECT_SUBSCRIPTION": "subscription",
    "OBJECT_PARAMETER_ACL": "parameter",
}
_ABOUT_OBJECT = {
    "CommentStmt": "objtype",
    "SecLabelStmt": "objtype",
    "GrantStmt": "objtype",
    "RenameStmt": "renameType",
    "AlterOwnerStmt": "objectType",
}

_DEPTH = 8  # how deep function bodies are followed into the functions they call
_OUTSIDE = re.compile(
    "|".join(  # group f<i> matches OUTSIDE_FUNCTIONS[i]
        f"(?P<f{i}>{'.*'.join(map(re.escape, pattern.split('*')))})"
        for i, (pattern, _, _) in enumerate(OUTSIDE_FUNCTIONS)
    )
)
_CALLS = frozenset({"FuncCall", "funccall"})  # `funccall` only as CallStmt's own, typed field
_READ_ONLY_KEYS = frozenset({"intoClause", "lockingClause", "CommonTableExpr", "FuncCall"})
_PLPGSQL_KEYS = frozenset(
    {
        "PLpgSQL_stmt_dynexecute",
        "PLpgSQL_stmt_dynfors",
        "dynquery",
        "PLpgSQL_stmt_commit",
        "PLpgSQL_stmt_rollback",
        "PLpgSQL_expr",
    }
)


@functools.lru_cache(maxsize=512)  # the workbench's own catalog queries come again and again
def read_only_refusal(sql: str) -> str | None:
    """None when `sql` is exactly one statement that only reads; else why not, in one sentence."""
    found = _parsed(sql)
    if isinstance(found, str):
        return f"{found} is refused: {READ_ONLY_RULE}"
    (statement,) = found
    kind, node = _kind(statement)
    if kind == "ExplainStmt":
        if any(_option(o, "analyze") for o in node.get("options", ())):
            return f"EXPLAIN ANALYZE, which runs the statement, is refused: {READ_ONLY_RULE}"
    elif kind not in ("SelectStmt", "VariableShowStmt"):
        return f"{_label(sql, statement)} is refused: {READ_ONLY_RULE}"
    for key, value in _find(node, _READ_ONLY_KEYS):
        what = None
        if key == "intoClause":
            what = "SELECT … INTO, which creates a table,"
        elif key == "lockingClause" and value:
            what = "FOR UPDATE/SHARE, which locks rows,"
        elif key == "CommonTableExpr" and _kind(value["ctequery"])[0] != "SelectStmt":
            what = f"a WITH that runs {_kind(value['ctequery'])[0].removesuffix('Stmt').upper()}"
        elif key == "FuncCall":
            what = _outside_call(value)
        if what:
            return f"{what} is refused: {READ_ONLY_RULE}"
    return None


@functools.lru_cache(maxsize=512)
def escape_refusal(sql: str) -> str | None:
    """None when `sql` is one statement whose effects stay inside the current transaction (it
    may write); else why not, in one sentence."""
    found = _parsed(sql)
    what = found if isinstance(found, str) else _escape(sql, found[0])
    return f"{what} is refused: {CONTAINED_RULE}" if what else None


def _escape(sql: str, statement: Node) -> str | None:
    """What in one statement would reach past the transaction, or None."""
    kind, node = _kind(statement)
    if kind in _SESSION_STATEMENTS:
        return f"{_label(sql, statement)} ({_SESSION_STATEMENTS[kind]})"
    if kind == "VariableSetStmt" and not node.get("is_local"):
        return f"{_label(sql, statement)} without LOCAL, which outlives the transaction,"
    if kind == "CopyStmt" and (node.get("filename") is not None or node.get("is_program")):
        return "COPY to or from a file or program on the server"
    if kind == "DoStmt":
        inside = _do_body(node)
        if isinstance(inside, str):
            return f"a DO block that {inside}"
        for text in inside:
            try:
                statements = _statements(text)
            except ParseError:
                return "a DO block holding SQL the workbench cannot read"
            for inner in statements:
                what = _escape(text, inner)
                if what:
                    return f"a DO block running {what}"
    for key, value in _find(node, _CALLS):
        if key == "FuncCall" or kind == "CallStmt":
            what = _outside_call(value)
            if what:
                return what
    return None


def leaves_database(sql: str, bodies: FunctionBodies | None = None) -> str | None:
    """Why running `sql` would act outside the database it runs in, or None.

    `bodies` looks up the functions a statement calls, so that a call of a function whose body
    does such a thing counts too; without it only the text itself is judged.
    """
    try:
        statements = _statements(sql)
    except ParseError:
        return None  # the server will refuse it as well
    for statement in statements:
        found = _leaves(sql, statement, bodies, _DEPTH)
        if found:
            return f"{found[0]}: {found[1]}"
    return None


def _leaves(sql: str, statement: Node, bodies: FunctionBodies | None, depth: int) -> tuple[str, str] | None:
    """(what, why it leaves the database) for one statement, or None."""
    kind, node = _kind(statement)
    about = _ABOUT_OBJECT.get(kind)
    shared = _LEAVING_STATEMENTS.get(kind) or (_SHARED_OBJECTS.get(node.get(about, "")) if about else None)
    if shared:
        return _label(sql, statement), _SHARED[shared]
    if kind == "CopyStmt" and node.get("filename") is not None and (node.get("is_program") or not node.get("is_from")):
        return "COPY to a file or program", "it acts on the server's files or runs a program there"
    if kind == "DoStmt":
        return _leaves_body("a DO block", _do_body(node), bodies, depth)
    calls = [v for k, v in _find(node, _CALLS) if k == "FuncCall" or kind == "CallStmt"]
    for call in calls:
        called = _name(call)
        hit = _match(called[-1])
        if hit and hit[1]:
            return f"{'.'.join(called)}()", f"it {hit[0]}"
    if bodies is not None and depth > 0:
        for schema, name in dict.fromkeys((n[-2] if len(n) > 1 else None, n[-1]) for n in map(_name, calls)):
            for language, source in bodies(schema, name):
                found = _leaves_body(f"function {name}()", _function_body(language, source), bodies, depth - 1)
                if found:
                    return found
    return None


def _leaves_body(
    where: str, inside: list[str] | str, bodies: FunctionBodies | None, depth: int
) -> tuple[str, str] | None:
    if isinstance(inside, str):
        return where, f"it {inside}, so it could act outside the database"
    for text in inside:
        try:
            statements = _statements(text)
        except ParseError:
            return where, "it holds SQL the workbench cannot read, so it could act outside the database"
        for statement in statements:
            found = _leaves(text, statement, bodies, depth)
            if found:
                return f"{found[0]} in {where}", found[1]
    return None


# -- reading the parse tree --------------------------------------------------------------------------


def _statements(sql: str) -> list[Node]:
    statements: list[Node] = orjson.loads(parse_sql_json(sql))["stmts"]
    return statements


def _parsed(sql: str) -> tuple[Node] | str:
    """The one statement of `sql`, or what is wrong instead (no statement, several, unreadable)."""
    try:
        statements = _statements(sql)
    except ParseError as exc:
        return f"text PostgreSQL cannot parse ({exc})"
    if len(statements) != 1:
        return "an empty text" if not statements else f"a text of {len(statements)} statements"
    return (statements[0],)


def _kind(statement: Node) -> tuple[str, Node]:
    """The node type of a statement (wrapped as `{"stmt": {Type: {...}}}` or `{Type: {...}}`)."""
    wrapped = statement.get("stmt", statement)
    ((kind, node),) = wrapped.items()
    return kind, node


def _find(tree: Any, keys: frozenset[str]) -> list[tuple[str, Any]]:
    """Every (key, value) pair of the tree whose key is one of `keys`, in one pass."""
    found, stack = [], [tree]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            for key, child in item.items():
                if key in keys:
                    found.append((key, child))
                if type(child) is dict or type(child) is list:
                    stack.append(child)
        elif type(item) is list:
            stack.extend(item)
    return found


def _name(call: Node) -> list[str]:
    return [part["String"]["sval"] for part in call["funcname"]]


def _match(name: str) -> tuple[str, bool] | None:
    """(what it does, whether that leaves the database) for a function of `OUTSIDE_FUNCTIONS`."""
    hit = _OUTSIDE.fullmatch(name)
    if hit is None or hit.lastgroup is None:
        return None
    _, what, leaves = OUTSIDE_FUNCTIONS[int(hit.lastgroup[1:])]
    return what, leaves


def _outside_call(call: Node) -> str | None:
    name = _name(call)
    hit = _match(name[-1])
    return f"{'.'.join(name)}(), which {hit[0]}," if hit else None


def _option(option: Node, name: str) -> bool:
    """Whether an EXPLAIN option turns `name` on (`ANALYZE`, `ANALYZE true`, `(ANALYZE on)`)."""
    element = option.get("DefElem", option)
    if element.get("defname") != name:
        return False
    if "arg" not in element:
        return True
    ((_, value),) = element["arg"].items()  # String {"sval": "off"} or Integer {"ival": 0}; 0 is left out
    return str(value.get("sval", value.get("ival", 0))).lower() not in ("false", "off", "0")


def _label(sql: str, statement: Node) -> str:
    """The statement's leading keywords, e.g. `COMMIT`, `CREATE ROLE`, `COMMENT ON DATABASE`."""
    raw = sql.encode()
    start = statement.get("stmt_location", 0)
    length = statement.get("stmt_len") or len(raw) - start
    text = raw[start : start + length].decode(errors="replace")
    words: list[str] = []
    for token in scan(text):
        if token.kind == "NO_KEYWORD" or len(words) == 3:
            break
        words.append(token.name.removesuffix("_P"))  # the scanner's names for SYSTEM, NULL, …
    return " ".join(words) or _kind(statement)[0]


def _do_body(node: Node) -> list[str] | str:
    """The SQL inside a DO block, or what keeps it from being read."""
    options = {o["DefElem"]["defname"]: o["DefElem"]["arg"]["String"]["sval"] for o in node["args"]}
    return _function_body(options.get("language", "plpgsql"), options["as"])


def _function_body(language: str, source: str) -> list[str] | str:
    """Every SQL text a function body runs, as statements; or why that cannot be known."""
    if language in ("c", "internal"):
        return []  # compiled code: judged by its name only
    if language == "sql":
        return [source]
    if language != "plpgsql":
        return f"is written in {language}, which the workbench cannot read"
    quoted = "'" + source.replace("'", "''") + "'"
    try:
        tree = parse_plpgsql(f"CREATE FUNCTION workbench_body() RETURNS void LANGUAGE plpgsql AS {quoted}")
    except ParseError:
        return "does not parse as PL/pgSQL"
    texts = []
    for key, value in _find(tree, _PLPGSQL_KEYS):
        if key in ("PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors", "dynquery"):
            return "runs SQL built while it runs (EXECUTE)"
        if key in ("PLpgSQL_stmt_commit", "PLpgSQL_stmt_rollback"):
            return "ends its transaction (COMMIT or ROLLBACK)"
        if key == "PLpgSQL_expr":
            texts.append(_expression_sql(value))
    return texts


def _expression_sql(expr: Node) -> str:
    """A PL/pgSQL expression as a statement the SQL parser reads: statements as they are,
    expressions as `SELECT expr`, assignments (`v := expr`) as `SELECT expr`."""
    query: str = expr["query"]
    mode = expr.get("parseMode", 0)
    if mode == 0:
        return query
    if mode >= 3:  # RAW_PARSE_PLPGSQL_ASSIGN1..3: the target, then := or =, then the expression
        for token in scan(query):
            if token.name in ("COLON_EQUALS", "ASCII_61"):
                query = query[token.end + 1 :]
                break
    return f"SELECT {query}"
