"""What one PostgreSQL statement locks, rewrites, scans and risks, read by PostgreSQL's own parser.

`read(sql)` parses the statement with libpg_query (through pglast) and returns `Facts`: one
`Action` per thing the statement does, each with the table it acts on and the lock it takes there
(the levels of the PostgreSQL manual's "Explicit Locking" page), and what the rules of
`workbench.migrations.lint` need to decide (CONCURRENTLY, NOT VALID, a volatile default, the new
type of a column…). Plain dataclasses, so the lint above the `db` layer never sees pglast.
A text the parser cannot read gives `None`: the lint then says so instead of guessing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import orjson
from pglast.parser import ParseError, parse_sql_json

Node = dict[str, Any]

ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE"
EXCLUSIVE = "EXCLUSIVE"
SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE"
SHARE = "SHARE"
SHARE_UPDATE_EXCLUSIVE = "SHARE UPDATE EXCLUSIVE"
ROW_EXCLUSIVE = "ROW EXCLUSIVE"

# What other sessions cannot do while the lock is held, in words (PostgreSQL's conflict table).
BLOCKS = {
    ACCESS_EXCLUSIVE: "reads and writes",
    EXCLUSIVE: "writes",
    SHARE_ROW_EXCLUSIVE: "writes",
    SHARE: "writes",
    SHARE_UPDATE_EXCLUSIVE: "schema changes and VACUUM",
    ROW_EXCLUSIVE: "schema changes",
    "ROW SHARE": "schema changes",
    "ACCESS SHARE": "schema changes",
}
# Modes that block ordinary writes: holding one for long is an outage.
BLOCKING = frozenset({ACCESS_EXCLUSIVE, EXCLUSIVE, SHARE_ROW_EXCLUSIVE, SHARE})
_LOCK_MODES = (
    None,
    "ACCESS SHARE",
    "ROW SHARE",
    ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    EXCLUSIVE,
    ACCESS_EXCLUSIVE,
)
# Functions whose value changes per row: a column default calling one rewrites the table.
VOLATILE = frozenset(
    {
        "random",
        "gen_random_uuid",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "txid_current",
        "random_normal",
    }
)
# Functions that are fixed for the statement (stable) or pure: a default calling them is stored once.
STABLE = frozenset(
    {"now", "statement_timestamp", "transaction_timestamp", "current_timestamp", "lower", "upper", "to_jsonb"}
)
_SERIAL = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})


@dataclass(frozen=True)
class Action:
    """One thing a statement does. `kind` is one of the names `read` documents; `table` is
    "schema.name" or "name" as written (folded); `lock` the mode taken on it."""

    kind: str
    table: str | None = None
    lock: str | None = None
    column: str | None = None
    detail: str | None = None  # a type ("varchar(20)"), a constraint or index name, a setting's value
    flags: frozenset[str] = frozenset()

    def has(self, flag: str) -> bool:
        return flag in self.flags

    @property
    def rewrites(self) -> bool:
        """Whether the table is rewritten (every row copied) under the lock."""
        return self.has("rewrite")

    @property
    def scans(self) -> bool:
        """Whether every row is read under the lock (to validate or to build an index)."""
        return self.has("scan")

    @property
    def loses_data(self) -> bool:
        return self.kind in ("drop_table", "drop_column", "truncate", "delete", "drop_schema", "drop_database")


@dataclass(frozen=True)
class Facts:
    actions: tuple[Action, ...]
    transactional: bool = True

    @property
    def locks(self) -> tuple[tuple[str, str], ...]:
        """(table, mode) for each table locked, the strongest mode per table."""
        best: dict[str, str] = {}
        for a in self.actions:
            if a.table and a.lock and _rank(a.lock) > _rank(best.get(a.table)):
                best[a.table] = a.lock
        return tuple(best.items())


def _rank(mode: str | None) -> int:
    return _LOCK_MODES.index(mode) if mode in _LOCK_MODES else 0


@functools.lru_cache(maxsize=4096)
def read(sql: str) -> Facts | None:
    """The facts of the first statement of `sql`, None when PostgreSQL's parser refuses it."""
    try:
        stmts = orjson.loads(parse_sql_json(sql))["stmts"]
    except ParseError:
        return None
    if not stmts:
        return Facts(())
    ((kind, node),) = stmts[0]["stmt"].items()
    reader = _READERS.get(kind)
    return reader(node) if reader else Facts((Action("other"),))


def _name(rv: Node | None) -> str | None:
    if not rv:
        return None
    return f"{rv['schemaname']}.{rv['relname']}" if rv.get("schemaname") else rv.get("relname")


def _strings(items: list[Node]) -> list[str]:
    return [i["String"]["sval"] for i in items if "String" in i]


def type_text(tn: Node) -> str:
    """A type as "varchar(20)", "numeric(10,2)", "text": PostgreSQL's internal name and modifiers."""
    name = _strings(tn.get("names", []))[-1]
    mods = [str(m["A_Const"].get("ival", {}).get("ival", 0)) for m in tn.get("typmods", []) if "A_Const" in m]
    return f"{name}({','.join(mods)})" if mods else name


def _flags(**kw: bool) -> frozenset[str]:
    return frozenset(k.replace("_", " ") for k, v in kw.items() if v)


def _alter_table(n: Node) -> Facts:
    table = _name(n.get("relation"))
    if n.get("objtype") not in (None, "OBJECT_TABLE"):
        return Facts((Action("other", table, ACCESS_EXCLUSIVE),))
    actions: list[Action] = []
    for cmd in n.get("cmds", []):
        c = cmd["AlterTableCmd"]
        sub, col, d = c.get("subtype"), c.get("name"), c.get("def", {})
        if sub == "AT_AddColumn":
            actions.append(_add_column(table, d["ColumnDef"]))
        elif sub == "AT_DropColumn":
            actions.append(Action("drop_column", table, ACCESS_EXCLUSIVE, col, flags=_cascade(c)))
        elif sub == "AT_AlterColumnType":
            actions.append(Action("alter_type", table, ACCESS_EXCLUSIVE, col, type_text(d["ColumnDef"]["typeName"])))
        elif sub == "AT_SetNotNull":
            actions.append(Action("set_not_null", table, ACCESS_EXCLUSIVE, col, flags=frozenset({"scan"})))
        elif sub == "AT_AddConstraint":
            actions += _add_constraint(table, d["Constraint"])
        elif sub == "AT_ValidateConstraint":
            actions.append(Action("validate", table, SHARE_UPDATE_EXCLUSIVE, detail=col, flags=frozenset({"scan"})))
        elif sub == "AT_DropConstraint":
            actions.append(Action("drop_constraint", table, ACCESS_EXCLUSIVE, detail=col))
        elif sub in ("AT_SetStatistics", "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AttachPartition"):
            actions.append(Action("other", table, SHARE_UPDATE_EXCLUSIVE))
        elif sub in ("AT_ColumnDefault", "AT_DropNotNull"):
            actions.append(Action("alter_column", table, ACCESS_EXCLUSIVE, col))
        else:
            actions.append(Action("alter_table", table, ACCESS_EXCLUSIVE, col))
    return Facts(tuple(actions))


def _cascade(n: Node) -> frozenset[str]:
    return _flags(cascade=n.get("behavior") == "DROP_CASCADE")


def _add_column(table: str | None, cd: Node) -> Action:
    type_ = type_text(cd["typeName"])
    flags = set()
    default = None
    for con in cd.get("constraints", []):
        k = con["Constraint"]
        t = k["contype"]
        if t == "CONSTR_DEFAULT":
            default = k.get("raw_expr")
            flags.add("default")
        elif t == "CONSTR_NOTNULL" or t == "CONSTR_PRIMARY":
            flags.add("not null")
        elif t == "CONSTR_GENERATED" and k.get("generated_kind", "s") == "s":
            flags |= {"stored generated", "rewrite"}
        elif t == "CONSTR_IDENTITY":
            flags |= {"identity", "rewrite"}
        elif t == "CONSTR_FOREIGN":
            flags.add("references")
        if t in ("CONSTR_PRIMARY", "CONSTR_UNIQUE"):
            flags |= {"unique", "scan"}
    if type_ in _SERIAL:
        flags |= {"serial", "rewrite"}
    if default is not None and _volatile(default):
        flags |= {"volatile default", "rewrite"}
    if default is not None and "A_Const" in default and default["A_Const"].get("isnull"):
        flags.discard("default")
    return Action("add_column", table, ACCESS_EXCLUSIVE, cd.get("colname"), type_, frozenset(flags))


def _volatile(expr: Any) -> bool:
    """Whether an expression calls a volatile function (or one we cannot vouch for)."""
    if isinstance(expr, dict):
        for key, value in expr.items():
            if key == "FuncCall":
                name = _strings(value.get("funcname", []))[-1].lower()
                if name not in STABLE or name in VOLATILE:
                    return True
            if _volatile(value):
                return True
    elif isinstance(expr, list):
        return any(_volatile(v) for v in expr)
    return False


def _add_constraint(table: str | None, k: Node) -> list[Action]:
    t, name = k["contype"], k.get("conname")
    not_valid = bool(k.get("skip_validation"))
    if t == "CONSTR_FOREIGN":
        ref = _name(k.get("pktable"))
        scan = _flags(not_valid=not_valid, scan=not not_valid)
        return [
            Action("add_foreign_key", table, SHARE_ROW_EXCLUSIVE, detail=name, flags=scan),
            Action("reference", ref, SHARE_ROW_EXCLUSIVE, detail=name),
        ]
    if t == "CONSTR_CHECK":
        expr = k.get("raw_expr", {})
        nn = expr.get("NullTest", {})
        col = None
        if nn.get("nulltesttype") == "IS_NOT_NULL" and "ColumnRef" in nn.get("arg", {}):
            col = _strings(nn["arg"]["ColumnRef"]["fields"])[-1]
        return [
            Action("add_check", table, ACCESS_EXCLUSIVE, col, name, _flags(not_valid=not_valid, scan=not not_valid))
        ]
    if t in ("CONSTR_UNIQUE", "CONSTR_PRIMARY", "CONSTR_EXCLUSION"):
        using = bool(k.get("indexname"))
        kind = {"CONSTR_UNIQUE": "add_unique", "CONSTR_PRIMARY": "add_primary_key"}.get(t, "add_exclusion")
        return [Action(kind, table, ACCESS_EXCLUSIVE, detail=name, flags=_flags(using_index=using, scan=not using))]
    return [Action("alter_table", table, ACCESS_EXCLUSIVE, detail=name)]


def _index(n: Node) -> Facts:
    concurrent = bool(n.get("concurrent"))
    mode = SHARE_UPDATE_EXCLUSIVE if concurrent else SHARE
    flags = _flags(concurrently=concurrent, unique=bool(n.get("unique")), scan=True)
    return Facts(
        (Action("create_index", _name(n.get("relation")), mode, detail=n.get("idxname"), flags=flags),), not concurrent
    )


def _drop(n: Node) -> Facts:
    kind = n.get("removeType")
    names = [".".join(_strings(o["List"]["items"])) if "List" in o else None for o in n.get("objects", [])]
    concurrent = bool(n.get("concurrent"))
    flags = _cascade(n) | _flags(concurrently=concurrent, if_exists=bool(n.get("missing_ok")))
    if kind == "OBJECT_TABLE":
        return Facts(tuple(Action("drop_table", t, ACCESS_EXCLUSIVE, flags=flags) for t in names))
    if kind == "OBJECT_INDEX":
        mode = SHARE_UPDATE_EXCLUSIVE if concurrent else ACCESS_EXCLUSIVE
        return Facts(tuple(Action("drop_index", None, mode, detail=i, flags=flags) for i in names), not concurrent)
    if kind == "OBJECT_SCHEMA":
        return Facts(tuple(Action("drop_schema", detail=s, flags=flags) for s in names))
    return Facts((Action("drop_other", flags=flags),))


def _rename(n: Node) -> Facts:
    kind = n.get("renameType")
    table = _name(n.get("relation"))
    if kind == "OBJECT_TABLE":
        return Facts((Action("rename_table", table, ACCESS_EXCLUSIVE, detail=n.get("newname")),))
    if kind == "OBJECT_COLUMN" and n.get("relationType") == "OBJECT_TABLE":
        return Facts((Action("rename_column", table, ACCESS_EXCLUSIVE, n.get("subname"), n.get("newname")),))
    return Facts((Action("rename_other", table, ACCESS_EXCLUSIVE if table else None, detail=n.get("newname")),))


def _reindex(n: Node) -> Facts:
    concurrent = any(p["DefElem"]["defname"] == "concurrently" for p in n.get("params", []) if "DefElem" in p)
    target = _name(n.get("relation")) or n.get("name")
    mode = SHARE_UPDATE_EXCLUSIVE if concurrent else SHARE
    kind = "reindex_index" if n.get("kind") == "REINDEX_OBJECT_INDEX" else "reindex"
    table = target if kind == "reindex" else None
    return Facts((Action(kind, table, mode, detail=target, flags=_flags(concurrently=concurrent)),), not concurrent)


def _truncate(n: Node) -> Facts:
    flags = _cascade(n)
    return Facts(tuple(Action("truncate", _name(r["RangeVar"]), ACCESS_EXCLUSIVE, flags=flags) for r in n["relations"]))


def _write(kind: str) -> Any:
    def reader(n: Node) -> Facts:
        where = "whereClause" in n
        return Facts((Action(kind, _name(n.get("relation")), ROW_EXCLUSIVE, flags=_flags(where=where)),))

    return reader


def _set(n: Node) -> Facts:
    name = n.get("name") or ""
    args = n.get("args", [])
    value = None
    if args and "A_Const" in args[0]:
        c = args[0]["A_Const"]
        value = str(c.get("sval", {}).get("sval") if "sval" in c else c.get("ival", {}).get("ival", 0))
    if n.get("kind") in ("VAR_RESET", "VAR_SET_DEFAULT"):
        value = "0"
    return Facts((Action("set", detail=value, column=name.lower()),))


def _create(n: Node) -> Facts:
    table = _name(n.get("relation"))
    actions = [Action("create_table", table)]
    for elt in n.get("tableElts", []):
        if "ColumnDef" in elt and "typeName" in elt["ColumnDef"]:
            cd = elt["ColumnDef"]
            actions.append(Action("define_column", table, column=cd.get("colname"), detail=type_text(cd["typeName"])))
    return Facts(tuple(actions))


def _transaction(n: Node) -> Facts:
    kind = n.get("kind", "")
    what = "begin" if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START") else "end"
    if kind.endswith("SAVEPOINT") or kind == "TRANS_STMT_ROLLBACK_TO":
        what = "savepoint"
    return Facts((Action(what),))


def _lock(n: Node) -> Facts:
    mode = _LOCK_MODES[n.get("mode", 8)] or ACCESS_EXCLUSIVE
    return Facts(tuple(Action("lock", _name(r["RangeVar"]), mode) for r in n["relations"]))


def _vacuum(n: Node) -> Facts:
    full = any(o["DefElem"]["defname"] == "full" for o in n.get("options", []) if "DefElem" in o)
    mode = ACCESS_EXCLUSIVE if full else SHARE_UPDATE_EXCLUSIVE
    rels = [_name(r["VacuumRelation"]["relation"]) for r in n.get("rels", []) if "VacuumRelation" in r]
    flags = _flags(rewrite=full)
    acts = tuple(Action("vacuum", t, mode, flags=flags) for t in rels) or (Action("vacuum", flags=flags),)
    return Facts(acts, transactional=not n.get("is_vacuumcmd", True))


def _enum(n: Node) -> Facts:
    name = ".".join(_strings(n.get("typeName", [])))
    if n.get("oldVal"):
        return Facts((Action("rename_enum_value", detail=name, column=n["oldVal"]),))
    return Facts((Action("add_enum_value", detail=name, column=n.get("newVal")),))


def _simple(kind: str, mode: str | None = None, flags: frozenset[str] = frozenset(), tx: bool = True) -> Any:
    def reader(n: Node) -> Facts:
        return Facts((Action(kind, _name(n.get("relation")), mode, flags=flags),), tx)

    return reader


def _refresh(n: Node) -> Facts:
    concurrent = bool(n.get("concurrent"))
    mode = EXCLUSIVE if concurrent else ACCESS_EXCLUSIVE
    return Facts((Action("refresh", _name(n.get("relation")), mode, flags=_flags(concurrently=concurrent)),))


_READERS = {
    "AlterTableStmt": _alter_table,
    "IndexStmt": _index,
    "DropStmt": _drop,
    "RenameStmt": _rename,
    "ReindexStmt": _reindex,
    "TruncateStmt": _truncate,
    "UpdateStmt": _write("update"),
    "DeleteStmt": _write("delete"),
    "InsertStmt": _simple("insert", ROW_EXCLUSIVE),
    "VariableSetStmt": _set,
    "CreateStmt": _create,
    "TransactionStmt": _transaction,
    "LockStmt": _lock,
    "VacuumStmt": _vacuum,
    "ClusterStmt": _simple("cluster", ACCESS_EXCLUSIVE, frozenset({"rewrite"})),
    "AlterEnumStmt": _enum,
    "RefreshMatViewStmt": _refresh,
    "CreateTrigStmt": _simple("create_trigger", SHARE_ROW_EXCLUSIVE),
    "DropdbStmt": _simple("drop_database", tx=False),
}
