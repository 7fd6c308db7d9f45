"""The user's own settings (for now: the theme), kept in one small TOML file.

Location: `$WORKBENCH_CONFIG_DIR/config.toml` when that variable is set (tests set it, so they
never read or write a developer's real settings), else the platform's user config folder
(`~/.config/schema-workbench` on Linux, `~/Library/Application Support/…` on macOS,
`%APPDATA%\\…` on Windows). A missing or unreadable file means defaults; saving never raises.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

ENV_VAR = "WORKBENCH_CONFIG_DIR"
APP_NAME = "schema-workbench"


def config_path() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser() / "config.toml"
    from platformdirs import user_config_path  # only when actually needed: it is not free to import

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class UserConfig:
    theme: str | None = None

    @classmethod
    def load(cls) -> tuple[UserConfig, str | None]:
        """The saved settings, plus a one-sentence warning when the file exists but is bad."""
        path = config_path()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(), None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return cls(), f"ignored your settings in {path}: {exc}"
        theme = data.get("theme")
        return cls(theme=theme if isinstance(theme, str) else None), None

    def with_theme(self, theme: str) -> UserConfig:
        return replace(self, theme=theme)

    def save(self) -> str | None:
        """Write the settings; returns a one-sentence problem instead of raising."""
        path = config_path()
        lines = [f"theme = {json.dumps(self.theme)}"] if self.theme else []  # a JSON string is a TOML basic string
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text("# Schema Workbench user settings\n" + "\n".join(lines) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            return f"could not save your settings to {path}: {exc.strerror or exc}"
        return None
