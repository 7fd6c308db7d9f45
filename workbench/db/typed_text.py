"""Whether text the user typed became a value of its column's type, as the database converted it.

PostgreSQL converts a text parameter to the column's type on assignment and refuses text that does
not fit ("invalid input syntax for type integer"). SQLite converts by type affinity but keeps text
that does not look like a number as text, even in an INTEGER column (a STRICT table refuses it):
for such a column, `kept_as_text` is the condition that finds the value SQLite kept.
"""

from __future__ import annotations

from workbench.db.base import Connection
from workbench.db.catalog import Column

_TEXT_AFFINITY = ("CHAR", "CLOB", "TEXT", "BLOB")
_NUMBERS = ("REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")  # NUMERIC affinity also covers DATE, BOOLEAN: any text


def kept_as_text(conn: Connection, column: Column) -> str | None:
    """A condition true where `column` holds text its declared number type did not take, or None when
    the database refuses such text itself (PostgreSQL) or the column takes any text (SQLite TEXT,
    BLOB, DATE, BOOLEAN, no type)."""
    if conn.backend.name != "sqlite":
        return None
    declared = column.data_type.upper()
    # SQLite's affinity rules, in its order: INT first, then text and blob, then the rest
    number = "INT" in declared or (
        not any(word in declared for word in _TEXT_AFFINITY) and any(word in declared for word in _NUMBERS)
    )
    if not number:
        return None
    return f"typeof({conn.quote(column.name)}) = 'text'"
