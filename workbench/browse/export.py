"""Write a table or a filtered, sorted view of it to CSV or JSON, streaming, with progress.

Memory stays at one batch whatever the table size. The file appears only when complete: rows
go to `<name>.part`, renamed at the end, and removed when the export fails or is stopped.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO
from collections.abc import Callable, Iterator, Sequence

from workbench.browse.cells import csv_value, json_value
from workbench.errors import UsageError

FORMATS = ("csv", "json")
Progress = Callable[[int, int | None], None]  # (rows written, rows expected or None)


class Rows(Protocol):
    """What an export reads: column names and every row in batches (a table's `Pager`, a query's result)."""

    @property
    def columns(self) -> tuple[str, ...]: ...

    def stream(self, batch_size: int = ...) -> Iterator[Sequence[tuple[Any, ...]]]: ...


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    stopped: bool  # the caller asked to stop; no file was left behind


def export(
    pager: Rows,
    path: str | Path,
    fmt: str | None = None,
    *,
    total: int | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    batch_size: int = 2000,
) -> ExportResult:
    """Write every row `pager` would show to `path`; `fmt` defaults to the file's suffix.

    `progress` is called after each batch; `should_stop` is polled between batches.
    """
    target = Path(path).expanduser()
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise UsageError(f"cannot export to {target.name!r}: use a name ending in .csv or .json")
    if not target.parent.is_dir():
        raise UsageError(f"cannot export to {target}: the folder {target.parent} does not exist")
    part = target.with_name(target.name + ".part")
    written = 0
    try:
        with part.open("w", encoding="utf-8", newline="") as out:
            writer = _CsvWriter(out) if fmt == "csv" else _JsonWriter(out)
            columns = pager.columns
            writer.begin(columns)
            for batch in pager.stream(batch_size):
                if should_stop():
                    break
                writer.rows(columns, batch)
                written += len(batch)
                if progress:
                    progress(written, total)
            else:
                writer.end()
                os.replace(part, target)
                return ExportResult(target, written, stopped=False)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.unlink(missing_ok=True)
    return ExportResult(target, written, stopped=True)


class _CsvWriter:
    """A header row, then one line per row; NULL is an empty field."""

    def __init__(self, out: TextIO) -> None:
        self._csv = csv.writer(out)

    def begin(self, columns: tuple[str, ...]) -> None:
        self._csv.writerow(columns)

    def rows(self, columns: tuple[str, ...], batch: Any) -> None:
        self._csv.writerows([csv_value(v) for v in row] for row in batch)

    def end(self) -> None:
        """CSV needs no trailer."""


class _JsonWriter:
    """A JSON array of objects keyed by column name, written one object at a time."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._first = True

    def begin(self, columns: tuple[str, ...]) -> None:
        self._out.write("[")

    def rows(self, columns: tuple[str, ...], batch: Any) -> None:
        for row in batch:
            record = {name: json_value(v) for name, v in zip(columns, row, strict=True)}
            self._out.write(("\n" if self._first else ",\n") + json.dumps(record, ensure_ascii=False))
            self._first = False

    def end(self) -> None:
        self._out.write("\n]\n")
