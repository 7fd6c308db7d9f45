"""Markdown tables, as every report writes them (checks, coverage, the migration report)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def cell(text: object) -> str:
    """Text fit for one table cell: backslashes and pipes escaped, lines joined with `<br>`.

    The backslash comes first: left alone, one before a pipe would escape the pipe's escape and
    split the cell in two.
    """
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, right: Collection[int] = ()) -> list[str]:
    """A Markdown table as lines; columns whose index is in `right` are right-aligned."""
    return [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|",
        *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows),
    ]
