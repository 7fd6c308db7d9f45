"""A long read-only text, wrapped to its width and drawn only where it is on screen.

A `Static` showing a few hundred lines lays all of them out twice per change, once to learn its
height and once to draw them, with every span of every line: the detail of a migration whose SQL
runs to 300 lines cost 50–100 ms per change on two cores, on the UI thread. A `Document` measures
each `Text` part by wrapping its plain lines (no styles), and wraps a line with its styles only when
that line is on screen; any other renderable (a grid) is drawn once per width. What shows is what
a `Static` showing `Group(*parts)` shows, cell for cell.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from textual.geometry import Size


class _TextPart:
    """A `Text`: its height from the plain lines, each line's styled wrap when it is drawn."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self._width = -1
        self._ends: list[int] = []  # the row after each source line, at `_width`
        self._lines: list[Text] | None = None  # the styled source lines, split when first drawn
        self._wrapped: dict[int, list[Text]] = {}

    def _wrap(self, line: Text, options: ConsoleOptions, console: Console) -> list[Text]:
        text = self.text  # as `Text.__rich_console__` wraps it
        return list(
            line.wrap(
                console,
                options.max_width,
                justify=text.justify or options.justify or "default",
                overflow=text.overflow or options.overflow or "fold",
                tab_size=text.tab_size or 8,
                no_wrap=bool(text.no_wrap or options.no_wrap),
            )
        )

    def height(self, options: ConsoleOptions, console: Console) -> int:
        if options.max_width != self._width:
            self._width, self._wrapped = options.max_width, {}
            self._ends = list(accumulate(self._rows(line, options, console) for line in self.text.plain.split("\n")))
        return self._ends[-1]

    def _rows(self, line: str, options: ConsoleOptions, console: Console) -> int:
        """The rows `line` wraps to: one when it fits (most do), else as many as wrapping makes."""
        if "\t" not in line and cell_len(line) <= options.max_width:
            return 1
        return len(self._wrap(Text(line), options, console))

    def line(self, row: int, options: ConsoleOptions, console: Console) -> list[Segment]:
        index = bisect_right(self._ends, row)
        if index not in self._wrapped:
            if self._lines is None:
                self._lines = list(self.text.split("\n", allow_blank=True))
            self._wrapped[index] = self._wrap(self._lines[index], options, console)
        first = self._ends[index - 1] if index else 0
        line = self._wrapped[index][row - first]
        # the text's own style lies under its spans, as when the whole text is drawn (`Text.render`
        # alone leaves it out of a line without spans)
        return list(Segment.apply_style(line.render(console), console.get_style(line.style)))


class _RenderedPart:
    """Any other renderable, drawn whole once per width (it is short: a grid of statements)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._width = -1
        self._lines: list[list[Segment]] = []

    def height(self, options: ConsoleOptions, console: Console) -> int:
        if options.max_width != self._width:
            self._width = options.max_width
            self._lines = console.render_lines(self.renderable, options, pad=False)
        return len(self._lines)

    def line(self, row: int, options: ConsoleOptions, console: Console) -> list[Segment]:
        return self._lines[row]


class Document(Widget):
    """Parts shown one under the other, as a `Static` of `Group(*parts)` would show them."""

    DEFAULT_CSS = """
    Document {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[RenderableType, ...] = ()
        self._pieces: list[_TextPart | _RenderedPart] = []
        self._starts: list[int] = []  # the first row of each part at `_width`
        self._width = -1

    def update(self, *parts: RenderableType) -> None:
        """Show `parts` instead of what was shown."""
        self._parts = parts
        self._pieces = [_TextPart(p) if isinstance(p, Text) else _RenderedPart(p) for p in parts]
        self._width = -1
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        """Everything at once, for whoever reads the whole text rather than drawing it."""
        return Group(*self._parts)

    def _options(self, width: int) -> ConsoleOptions:
        return self.app.console_options.update_width(width).update(highlight=False)

    def _measure(self, width: int) -> int:
        """The rows of the whole document at `width`; where each part starts is kept."""
        if width != self._width:
            options, console = self._options(width), self.app.console
            heights = [piece.height(options, console) for piece in self._pieces]
            self._starts, self._width = [0, *accumulate(heights)], width
        return self._starts[-1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._measure(width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y >= self._measure(width):
            return Strip.blank(width, base)
        index = bisect_right(self._starts, y) - 1
        segments = self._pieces[index].line(y - self._starts[index], self._options(width), self.app.console)
        drawn = [segment for segment in Segment.apply_style(segments, base) if segment.text]
        return Strip(drawn).crop(0, width)  # the rest of the line is padding
