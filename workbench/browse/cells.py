"""How a database value reads in a grid cell (short, one line) and in full (the cell viewer).

The grid must never hang on a 10 MB text or a blob: `cell_text` looks at a bounded prefix only.
NULL is not rendered here — the widget shows it with its own style so that it is visibly
different from the string 'NULL'. A cell shows a timestamp to the second, and UTC as "UTC" rather
than "+00:00" (what PostgreSQL's timestamptz gives); the viewer, copying and exports keep every
microsecond and the offset.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from humanize import naturalsize

CELL_WIDTH = 40  # characters shown in a cell before "…"
_HEX_PREVIEW = 16  # bytes of a binary value shown in its cell


def is_binary(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview))


def cell_text(value: Any, width: int = CELL_WIDTH) -> str:
    """One line of at most `width` characters; "…" marks a cut. `None` must be styled by the caller."""
    if is_binary(value):
        data = bytes(value[:_HEX_PREVIEW])
        size = len(value)
        shown = data.hex(" ") + (" …" if size > _HEX_PREVIEW else "")
        return _cut(f"{naturalsize(size, binary=True)}: {shown}" if size else "(empty binary)", width)
    if isinstance(value, str):
        head = value[: width + 1]
    elif isinstance(value, (dt.datetime, dt.time)):
        head = _moment(value)
    else:
        head = full_text(value)[: width + 1]
    head = head.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    return _cut(head, width)


def full_text(value: Any) -> str:
    """The whole value as text: what the cell viewer shows and what copying a cell yields."""
    if value is None:
        return "NULL"
    if is_binary(value):
        return hex_dump(bytes(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def edit_text(value: Any) -> str | None:
    """The text a value is edited as: `full_text` on one line (JSON compact); None for NULL."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return full_text(value)


def is_number(value: Any) -> bool:
    """A value the grid aligns to the right, so that digits line up (a bool is not a number here)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _moment(value: dt.datetime | dt.time) -> str:
    """A timestamp or time of day to the second; UTC reads "UTC", any other offset stays as it is."""
    text = (
        value.isoformat(sep=" ", timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat("seconds")
    )
    offset = value.utcoffset()
    if offset == dt.timedelta(0):
        text = text.removesuffix("+00:00") + " UTC"
    return text


def hex_dump(data: bytes, width: int = 16) -> str:
    """Offset, hex bytes and printable ASCII, `width` bytes per line."""
    lines = []
    for start in range(0, len(data), width):
        chunk = data[start : start + width]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{start:08x}  {chunk.hex(' '):<{width * 3}} {text}")
    return "\n".join(lines) or "(empty binary)"


def json_value(value: Any) -> Any:
    """A JSON-ready value: exact numbers as strings, binary as hex, dates in ISO 8601."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dict, list)):
        return value
    if is_binary(value):
        return bytes(value).hex()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return full_text(value)


def csv_value(value: Any) -> str:
    """A CSV field: NULL is empty, binary is hex, everything else as `full_text`."""
    if value is None:
        return ""
    if is_binary(value):
        return bytes(value).hex()
    return full_text(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def short_count(n: int) -> str:
    """A row count in at most five characters: 950, 12.3k, 4.5M, 1.2G."""
    for limit, suffix in ((10**9, "G"), (10**6, "M"), (10**3, "k")):
        if n >= limit:
            value = n / limit
            return f"{value:.1f}{suffix}" if value < 100 else f"{value:.0f}{suffix}"
    return str(n)
