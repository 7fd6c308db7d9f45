"""What a SQLite statement may do, decided by SQLite itself through its authorizer callback.

SQLite calls the authorizer for every action a statement would take while it compiles it, so a
statement that is refused never starts: it fails to prepare with "not authorized", and the
connection raises our one sentence instead (see `Guard.refusal`). Two policies:

- read-only (`writes=False`): reads only. SQLITE_READ, SQLITE_SELECT, SQLITE_RECURSIVE, functions
  without side effects and PRAGMAs that only read; everything else (writes, schema changes,
  ATTACH, transaction control, setting a PRAGMA) is denied. `PRAGMA query_only` stays on as well.
- contained (`writes=True`): a scenario step, which may write inside a transaction that is
  always rolled back but must not leave it: transaction control, savepoints, ATTACH/DETACH,
  setting a PRAGMA and the functions below are denied; the rest is allowed.
"""

from __future__ import annotations

import sqlite3

from workbench.db.base import CONTAINED_RULE, READ_ONLY_RULE

_ALLOW, _DENY = sqlite3.SQLITE_OK, sqlite3.SQLITE_DENY

# Action codes (sqlite3.h) and how a refusal names them.
_ACTIONS = {
    sqlite3.SQLITE_CREATE_INDEX: "CREATE INDEX",
    sqlite3.SQLITE_CREATE_TABLE: "CREATE TABLE",
    sqlite3.SQLITE_CREATE_TEMP_INDEX: "CREATE INDEX",
    sqlite3.SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE",
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER: "CREATE TRIGGER",
    sqlite3.SQLITE_CREATE_TEMP_VIEW: "CREATE VIEW",
    sqlite3.SQLITE_CREATE_TRIGGER: "CREATE TRIGGER",
    sqlite3.SQLITE_CREATE_VIEW: "CREATE VIEW",
    sqlite3.SQLITE_DELETE: "DELETE",
    sqlite3.SQLITE_DROP_INDEX: "DROP INDEX",
    sqlite3.SQLITE_DROP_TABLE: "DROP TABLE",
    sqlite3.SQLITE_DROP_TEMP_INDEX: "DROP INDEX",
    sqlite3.SQLITE_DROP_TEMP_TABLE: "DROP TABLE",
    sqlite3.SQLITE_DROP_TEMP_TRIGGER: "DROP TRIGGER",
    sqlite3.SQLITE_DROP_TEMP_VIEW: "DROP VIEW",
    sqlite3.SQLITE_DROP_TRIGGER: "DROP TRIGGER",
    sqlite3.SQLITE_DROP_VIEW: "DROP VIEW",
    sqlite3.SQLITE_INSERT: "INSERT",
    sqlite3.SQLITE_UPDATE: "UPDATE",
    sqlite3.SQLITE_ATTACH: "ATTACH",
    sqlite3.SQLITE_DETACH: "DETACH",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE",
    sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ANALYZE: "ANALYZE",
    sqlite3.SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE",
    sqlite3.SQLITE_DROP_VTABLE: "DROP TABLE",
}
_READS = {sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE}
_TRANSACTION = {sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT}
_SCHEMA_TABLES = {"sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"}

# PRAGMAs that only read, whatever their argument (it names an object or a limit).
_READ_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_info",
        "index_xinfo",
        "index_list",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "database_list",
        "collation_list",
        "function_list",
        "module_list",
        "pragma_list",
        "compile_options",
        "page_count",
        "freelist_count",
        "data_version",
    }
)
# PRAGMAs that read a setting when given no value (and change it when given one).
_SETTING_PRAGMAS = frozenset(
    {
        "application_id",
        "user_version",
        "schema_version",
        "foreign_keys",
        "journal_mode",
        "page_size",
        "encoding",
        "auto_vacuum",
        "cache_size",
        "busy_timeout",
        "synchronous",
        "recursive_triggers",
        "query_only",
        "defer_foreign_keys",
        "max_page_count",
        "temp_store",
        "legacy_alter_table",
        "ignore_check_constraints",
        "trusted_schema",
        "cell_size_check",
        "automatic_index",
        "mmap_size",
        "locking_mode",
        "secure_delete",
        "journal_size_limit",
        "wal_autocheckpoint",
        "cache_spill",
        "reverse_unordered_selects",
        "soft_heap_limit",
        "hard_heap_limit",
        "threads",
        "analysis_limit",
        "writable_schema",
        "fullfsync",
        "checkpoint_fullfsync",
    }
)
# SQL functions with effects outside the statement: loading code, touching files, registering
# a tokenizer by pointer. The core ones are usually disabled or absent; deny them by name anyway.
_SIDE_EFFECT_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"})


class Guard:
    """An authorizer for one policy that remembers the first action it denied since `reset`."""

    def __init__(self, writes: bool) -> None:
        self.writes = writes
        self.denied: str | None = None

    def __call__(self, action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
        if action in _READS:  # most calls, several per query: answered without a further call
            return _ALLOW
        found = self._judge(action, arg1, arg2)
        if found is None:
            return _ALLOW
        if self.denied is None:
            self.denied = found
        return _DENY

    def refusal(self, driver_message: str) -> str | None:
        """Our sentence for a statement that failed with `driver_message`, when the guard caused it."""
        if driver_message == "not authorized" and self.denied:
            found, self.denied = self.denied, None
        elif driver_message.startswith("You can only execute one statement at a time"):
            found = "a text of more than one statement"
        else:
            return None
        return f"{found} is refused: {CONTAINED_RULE if self.writes else READ_ONLY_RULE}"

    def _judge(self, action: int, arg1: str | None, arg2: str | None) -> str | None:
        """What the action is, when the policy denies it; None when it is allowed."""
        if action in _READS:
            return None
        if action == sqlite3.SQLITE_FUNCTION:
            return f"{arg2}()" if (arg2 or "").lower() in _SIDE_EFFECT_FUNCTIONS else None
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            reads = name in _READ_PRAGMAS or (arg2 is None and name in _SETTING_PRAGMAS)
            return None if reads else f"PRAGMA {name}" + (f" = {arg2}" if arg2 is not None else "")
        if action in _TRANSACTION:
            verb = arg1 if action == sqlite3.SQLITE_TRANSACTION else {"BEGIN": "SAVEPOINT"}.get(arg1 or "", arg1)
            return f"{verb} (transaction control)"
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return _ACTIONS[action]
        if self.writes:
            return None
        if action == sqlite3.SQLITE_UPDATE and arg1 in _SCHEMA_TABLES:
            # SQLite's own nested parse when a table-valued function (pragma_table_info, dbstat)
            # is first declared; a real write to the schema table needs PRAGMA writable_schema,
            # which is refused above, and query_only stops it anyway.
            return None
        what = _ACTIONS.get(action, f"action {action}")
        return (
            f"{what} on {arg1}"
            if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE)
            else what
        )
