"""Statements collected by phase, so that a script runs in dependency order whatever order the
comparison found the differences in.

Drops come first, dependants before what they depend on (views, triggers, policies, foreign
keys, tables, constraints, columns, functions); then creates, each after what it needs (schemas,
extensions, types, sequences, functions, tables, columns, constraints, indexes, foreign keys,
views, functions that return rows of tables or views, triggers, policies, sequence ownership,
comments, privileges); last the drops of what columns may have used until they were altered
(sequences, types, schemas, extensions).
"""

from __future__ import annotations

PHASES = (
    "pre",
    "drop_views",
    "drop_triggers",
    "drop_policies",
    "set_aside",
    "drop_foreign_keys",
    "drop_tables",
    "drop_constraints",
    "detach",
    "drop_defaults",
    "drop_columns",
    "drop_functions",
    "replace_types",
    "schemas",
    "extensions",
    "types",
    "sequences",
    "functions",
    "columns",
    "tables",
    "refill",
    "constraints",
    "indexes",
    "foreign_keys",
    "views",
    "late_functions",
    "triggers",
    "policies",
    "ownership",
    "comments",
    "privileges",
    "drop_sequences",
    "drop_types",
    "drop_schemas",
    "drop_extensions",
)


class Steps:
    """Statements by phase; `statements()` gives them in phase order, each ending in ";"."""

    def __init__(self) -> None:
        self._phases: dict[str, list[str]] = {p: [] for p in PHASES}

    def add(self, phase: str, *sql: str) -> None:
        self._phases[phase].extend(sql)

    def has(self, phase: str) -> bool:
        return bool(self._phases[phase])

    def statements(self) -> tuple[str, ...]:
        return tuple(terminated(s) for p in PHASES for s in self._phases[p])


def terminated(statement: str) -> str:
    """`statement` ending in exactly one ";"."""
    text = statement.strip()
    return text if text.endswith(";") else text + ";"
