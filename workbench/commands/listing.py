"""Every listing the CLI prints (inspect, migrate status and backups, coverage, verify, sample
list), in the format asked for with `--format table|plain|tsv|json`.

- table: rich tables for a person at a terminal (the default there). Into a pipe they are as wide
  as their longest value, never cut to 80 columns.
- plain: full values in aligned columns, no boxes, no colour (the default into a pipe or a CI log).
- tsv: a header row, then one row per line, tab-separated: for `cut`, `sort`, `awk` and
  spreadsheets. A cell holding several values joins them with "; "; a tab in a value becomes a
  space. No summary lines, only the rows; several listings (inspect: tables, views, enums,
  functions) are separated by an empty line, each with its header row.
- json: the command's documented contract (the same as `--json`), printed by the command.

Commands describe rows as plain text, with an optional style per cell; nothing here knows a
command. rich loads only for `table` (start-up stays lean for scripts).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

FORMATS = ("table", "plain", "tsv", "json")
LIST_SEPARATOR = "; "  # a cell of several values, one per line in a table


@dataclass(frozen=True)
class Styled:
    """A cell's text and the rich style it has in a table (plain and tsv show the text only)."""

    text: str
    style: str


Cell = str | Styled


@dataclass
class Listing:
    """Rows under headings; `right` names the headings whose column is aligned right (numbers).
    `empty` is what people read when there are no rows (tsv then prints the header row alone)."""

    headings: Sequence[str]
    title: str = ""
    right: frozenset[str] = frozenset()
    empty: str = ""
    boxed: bool = True
    rows: list[tuple[Cell, ...]] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        assert len(cells) == len(self.headings), (cells, self.headings)
        self.rows.append(cells)

    def records(self) -> list[dict[str, str]]:
        """The rows as objects keyed by heading, for a command's JSON when it has no richer one."""
        return [{h: _text(c) for h, c in zip(self.headings, row, strict=True)} for row in self.rows]


def add_format_argument(parser: argparse.ArgumentParser) -> None:
    """`--format` and its shorthand `--json` (kept: scripts use it)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="table (for a terminal: the default there), plain (full values, no boxes: the default in "
        "a pipe), tsv (tab-separated, header row first) or json (the same as --json)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for programs (the same as --format json)")


def output_format(args: argparse.Namespace) -> str:
    """The format asked for; without one, table at a terminal and plain anywhere else."""
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} ask for two formats: give one")
    if args.json:
        return "json"
    return str(args.format or ("table" if sys.stdout.isatty() else "plain"))


def show(fmt: str, listings: Iterable[Listing], lead: Sequence[str] = (), tail: Sequence[str] = ()) -> None:
    """Print `listings` in `fmt` (table, plain or tsv) with the lines for people before and after
    them (`lead`, `tail`: left out of tsv, which carries rows only)."""
    listings = list(listings)
    if fmt == "tsv":
        sys.stdout.write("\n\n".join("\n".join(_tsv(listing)) for listing in listings) + "\n")
        return
    if fmt == "plain":
        body = "\n\n".join("\n".join(_plain(x)) for x in listings)
        sys.stdout.write("\n".join([*lead, body, *tail]) + "\n")
        return
    _rich(listings, lead, tail)


def _text(cell: Cell) -> str:
    return cell.text if isinstance(cell, Styled) else cell


def _flat(cell: Cell) -> str:
    return _text(cell).replace("\n", LIST_SEPARATOR)


def _tsv(listing: Listing) -> list[str]:
    rows = [tuple(listing.headings), *(tuple(_flat(c) for c in row) for row in listing.rows)]
    return ["\t".join(value.replace("\t", " ") for value in row) for row in rows]


def _plain(listing: Listing) -> list[str]:
    out = [listing.title] if listing.title else []
    if not listing.rows:
        return out + [listing.empty] if listing.empty else out
    rows = [tuple(listing.headings), *(tuple(_flat(c) for c in row) for row in listing.rows)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(listing.headings))]
    for row in rows:
        cells = [
            _pad(value, width, right=heading in listing.right)
            for value, width, heading in zip(row, widths, listing.headings, strict=True)
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _width(text: str) -> int:
    """Columns a text takes in a terminal: wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def _rich(listings: Sequence[Listing], lead: Sequence[str], tail: Sequence[str]) -> None:
    from rich.text import Text

    everything: list[RenderableType] = [
        *(Text(line) for line in lead),
        *(_rich_table(x) for x in listings),
        *(Text(line) for line in tail),
    ]
    console = _console(everything)
    for renderable in everything:
        console.print(renderable)


def _rich_table(listing: Listing) -> RenderableType:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if not listing.rows:
        return Text("\n".join(filter(None, (listing.title, listing.empty))))
    table = Table(
        title=listing.title or None,
        title_justify="left",
        header_style="bold",
        box=box.HEAVY_HEAD if listing.boxed else None,
        pad_edge=listing.boxed,
    )
    for heading in listing.headings:
        table.add_column(heading, justify="right" if heading in listing.right else "left")
    for row in listing.rows:
        table.add_row(*(Text(c.text, style=c.style) if isinstance(c, Styled) else Text(c) for c in row))
    return table


def _console(renderables: Sequence[RenderableType]) -> Console:
    """A terminal's own width; into a pipe, as wide as the widest table, so nothing is cut."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    wide = Console(width=100_000, highlight=False)
    needed = max((wide.measure(r).maximum for r in renderables), default=80)
    return Console(width=max(needed, 80), highlight=False)
