"""Every statement run from the Query screen, kept per user in the data folder and searchable.

One JSON object a line in `query_history.jsonl` (`workbench.resources.data_dir`, which
`WORKBENCH_DATA_DIR` overrides): the statement, the database as shown on screen (its password
never stored), when it ran, how long it took, its row count (None when not known) and its error.
Appending is one write of one line, so two workbenches never interleave half entries; the file is
cut back to the newest `KEEP` entries when it grows past twice that. A missing or unreadable file is
an empty history; writing never raises (a history that cannot be kept is no reason to stop a query).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

FILE = "query_history.jsonl"
KEEP = 5000


@dataclass(frozen=True)
class Entry:
    sql: str
    database: str  # `Connection.display_url`: no password
    at: str  # ISO 8601, UTC, to the second
    duration_ms: float
    rows: int | None = None
    error: str | None = None

    @classmethod
    def now(
        cls, sql: str, database: str, duration_ms: float, rows: int | None = None, error: str | None = None
    ) -> Entry:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        return cls(sql.strip(), database, at, round(duration_ms, 1), rows, error)


def history_path() -> Path:
    from workbench.resources import data_dir  # platformdirs: only when the history is used

    return data_dir() / FILE


def record(entry: Entry, path: Path | None = None) -> str | None:
    """Add `entry`; a one-sentence problem instead of raising."""
    path = path or history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        if path.stat().st_size > KEEP * 400 and len(entries := _read(path)) > 2 * KEEP:
            _rewrite(path, entries[-KEEP:])
    except OSError as exc:
        return f"could not keep the query history in {path}: {exc.strerror or exc}"
    return None


def search(text: str = "", database: str | None = None, limit: int = 200, path: Path | None = None) -> list[Entry]:
    """Entries newest first whose statement holds every word of `text` (any case), of `database` if given."""
    words = text.lower().split()
    found: list[Entry] = []
    for entry in reversed(_read(path or history_path())):
        if database is not None and entry.database != database:
            continue
        lowered = entry.sql.lower()
        if all(word in lowered for word in words):
            found.append(entry)
            if len(found) >= limit:
                break
    return found


def _read(path: Path) -> list[Entry]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(Entry(**json.loads(line)))
        except (ValueError, TypeError):
            continue  # a line cut short by a crash, or from a newer version: skip it
    return entries


def _rewrite(path: Path, entries: list[Entry]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    os.replace(tmp, path)
