"""A read-only table of facts (columns, indexes, migrations, use cases) with the workbench's defaults."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from workbench.browse.cells import is_number


def _as_text(cell: Any) -> Text:
    """A cell as plain text; a number sits at the right, so that digits line up down a column."""
    if isinstance(cell, Text):
        return cell
    return Text("" if cell is None else str(cell), justify="right" if is_number(cell) else None)


def _width(text: Text) -> int:
    return max((cell_len(line) for line in text.plain.split("\n")), default=0)


class InfoTable(DataTable[Text]):
    """Row cursor, zebra stripes, text never read as markup, and columns sized by each fill.

    DataTable measures auto-width columns on its next idle, and a frame drawn before that keeps
    header-wide columns in its render cache; sizing the columns while filling avoids that.
    """

    ROWS_GROW: ClassVar[bool] = False  # rows one line high unless a subclass shows wrapped cells in full

    def __init__(self, *columns: str, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, show_row_labels=False)
        self._headers = columns

    def on_mount(self) -> None:
        self.fill([])

    def fill(self, rows: Iterable[tuple[Any, ...]], keys: Iterable[str] | None = None, *, empty: str = "") -> None:
        """Replace every row; `keys` name rows for `get_row` / jumps. Cells are shown as plain text;
        with `ROWS_GROW` a row is as tall as its tallest cell (see `wrapped`).

        With no rows, `empty` ("no triggers") fills one row, so an empty tab says so instead of
        looking unfinished; that row has no key, so nothing can be opened from it.
        """
        texts = [[_as_text(cell) for cell in row] for row in rows]
        if not texts and empty and self._headers:
            texts = [[Text(empty, style="italic"), *(Text("") for _ in self._headers[1:])]]
            keys = None
        self.clear(columns=True)
        for i, header in enumerate(self._headers):
            width = max([cell_len(header), *(_width(row[i]) for row in texts)])
            self.add_column(Text(header), key=header, width=width)
        key_iter = iter(keys) if keys is not None else None
        for row in texts:
            height = max((len(cell.plain.split("\n")) for cell in row), default=1) if self.ROWS_GROW else 1
            self.add_row(*row, key=next(key_iter) if key_iter else None, height=height)


def wrapped(name: str, width: int) -> Text:
    """`name` in lines of at most `width` cells, broken after `_`, `-` or `.` where it can be (an
    identifier's own word breaks), so that a long name takes a second line instead of pushing
    the table's last columns out of view."""
    lines = [""]
    for piece in re.split(r"(?<=[_.-])", name):
        while piece:
            room = width - len(lines[-1])
            if len(piece) <= room:
                lines[-1] += piece
                piece = ""
            elif lines[-1]:
                lines.append("")
            else:
                lines[-1], piece = piece[:width], piece[width:]
                lines.append("")
    return Text("\n".join(line for line in lines if line))
