"""Every bundled theme keeps a selected or hovered row readable: WCAG contrast ratios of the text
drawn on the cursor, the unfocused cursor and the hover line, as the colours resolve in Textual.

Rows in tables and trees carry coloured text (a use case's status, a check's mark, a migration's
state), drawn on whatever background the row has at the moment; a cursor in `$primary` once made
the "strong" status `$primary` on `$primary`: black on black in a 256-colour terminal. Each ratio
holds in true colour and after Rich's reduction to the xterm-256 palette (tmux's default).
"""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.app import App
from textual.color import Color

from workbench.tui.themes import load_themes

THEMES = load_themes()[0]
# (background, the text colour the state itself sets) for each state a row can be in
STATES = {
    "cursor": ("block-cursor-background", "block-cursor-foreground"),
    "unfocused cursor": ("block-cursor-blurred-background", "block-cursor-blurred-foreground"),
    "hover": ("block-hover-background", "foreground"),
}
# colours the screens give to text inside rows (statuses, marks, states, muted notes)
SIGNALS = ("success", "primary", "secondary", "warning", "error", "accent", "text-muted")
TEXT = 4.5  # WCAG AA for body text
SIGNAL = 3.0  # WCAG AA for large or bold text and user-interface parts: the coloured status words


def luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def in_256(colour: Color) -> Color:
    """`colour` as a 256-colour terminal shows it (Rich picks the nearest xterm colour)."""
    reduced = RichColor.from_rgb(colour.r, colour.g, colour.b).downgrade(ColorSystem.EIGHT_BIT)
    return Color(*reduced.get_truecolor())


def worst_contrast(a: Color, b: Color) -> float:
    """The lower of the true-colour ratio and the 256-colour one."""
    return min(contrast(a, b), contrast(in_256(a), in_256(b)))


def resolve(value: str, background: Color) -> Color:
    """A theme variable as drawn on `background`: "auto 60%" is Textual's contrasting text at 60%."""
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return background + background.get_contrast_text(alpha)
    return background + Color.parse(value)


def variables(theme_name: str) -> dict[str, str]:
    app = App[None]()
    for theme in THEMES:
        app.register_theme(theme)
    app.theme = theme_name
    return app.get_css_variables()


def test_every_theme_is_checked() -> None:
    assert {t.name for t in THEMES} >= {"workbench-dark", "workbench-light", "workbench-high-contrast"}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("theme", [t.name for t in THEMES])
def test_text_on_a_selected_or_hovered_row_is_readable(theme: str, state: str) -> None:
    v = variables(theme)
    background_name, text_name = STATES[state]
    background = Color.parse(v["surface"]) + Color.parse(v[background_name])  # rows sit on $surface
    problems = []
    for name, least in ((text_name, TEXT), *((signal, SIGNAL) for signal in SIGNALS)):
        ratio = worst_contrast(resolve(v[name], background), background)
        if ratio < least:
            problems.append(f"{name} {ratio:.2f}")
    assert not problems, f"{theme}, {state} ({background.hex}): {', '.join(problems)}"


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
def test_the_cursor_stands_out_from_an_unselected_row(theme: str) -> None:
    v = variables(theme)
    surface = Color.parse(v["surface"])
    cursor = surface + Color.parse(v["block-cursor-background"])
    hover = surface + Color.parse(v["block-hover-background"])
    assert contrast(cursor, surface) >= 1.2 and contrast(cursor, surface) > contrast(hover, surface)
