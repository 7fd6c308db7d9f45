"""Colour themes as data: `themes/*.toml`, validated at start-up and registered with Textual.

A theme file names its colours; everything else in the UI derives from them through Textual's
theme variables (`$primary`, `$surface`, …), which is why no stylesheet holds a literal colour.

    name = "workbench-dark"      # required, what the config file and the palette use
    dark = true                  # required
    primary = "#5B9BD5"          # required; the others are optional and derived when absent
    secondary, accent, foreground, background, surface, panel, success, warning, error = "…"
    luminosity_spread = 0.15     # optional numbers passed to Textual
    text_alpha = 0.95
    [variables]                  # optional: override any Textual CSS variable
    footer-key-foreground = "#F0A030"

A malformed file never stops the app: it is skipped and reported in one sentence.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from workbench.errors import ConfigError
from workbench.resources import bundled

DEFAULT_THEME = "workbench-dark"
OURS = "workbench-"  # the prefix of every theme shipped in themes/; Textual's own have none
_COLOURS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)
_NUMBERS = ("luminosity_spread", "text_alpha")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def theme_title(name: str) -> str | None:
    """How the theme picker names one of our themes ("Workbench high contrast"); None for Textual's."""
    if not name.startswith(OURS):
        return None
    return "Workbench " + name.removeprefix(OURS).replace("-", " ")


def load_themes(directory: Path | None = None) -> tuple[list[Theme], list[str]]:
    """Every valid theme in `directory`, sorted by name, and one message per file that was not."""
    themes: list[Theme] = []
    problems: list[str] = []
    for path in sorted((directory or bundled("themes")).glob("*.toml")):
        try:
            themes.append(parse_theme(_read(path), path.name))
        except ConfigError as exc:
            problems.append(str(exc))
    return themes, problems


def parse_theme(data: dict[str, Any], source: str) -> Theme:
    """A Textual `Theme` from one file's table; `ConfigError` naming `source` when invalid."""
    unknown = set(data) - {"name", "dark", "variables", *_COLOURS, *_NUMBERS}
    if unknown:
        raise ConfigError(f"theme {source}: unknown key {sorted(unknown)[0]!r}")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"theme {source}: name must be lowercase letters, digits and dashes")
    if not isinstance(data.get("dark"), bool):
        raise ConfigError(f"theme {source}: dark must be true or false")
    if "primary" not in data:
        raise ConfigError(f"theme {source}: primary colour is required")
    colours = {key: _colour(data[key], key, source) for key in _COLOURS if key in data}
    numbers = {}
    for key in _NUMBERS:
        if key in data:
            value = data[key]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise ConfigError(f"theme {source}: {key} must be a number from 0 to 1")
            numbers[key] = float(value)
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ConfigError(f"theme {source}: [variables] must map names to strings")
    fields: dict[str, Any] = {**colours, **numbers}  # checked above, key by key
    return Theme(name=name, dark=data["dark"], variables=dict(variables), **fields)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"theme {path.name}: cannot read it ({exc})") from None


def _colour(value: Any, key: str, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'theme {source}: {key} must be a colour string like "#5B9BD5"')
    try:
        Color.parse(value)
    except ColorParseError:
        raise ConfigError(f"theme {source}: {key} = {value!r} is not a colour") from None
    return value
