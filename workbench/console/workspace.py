"""What the Query screen had open, kept so that it comes back after a restart.

`query_workspace.json` in the user data folder holds, per database (as `display_url` shows it:
no password), the editor's text and the statements of the open result tabs. Only reads are
kept for tabs: opening the screen again runs them again, and must never change anything.
A missing or unreadable file is an empty workspace; saving never raises.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

FILE = "query_workspace.json"


@dataclass(frozen=True)
class Workspace:
    editor: str = ""
    tabs: tuple[str, ...] = field(default_factory=tuple)


def workspace_path() -> Path:
    from workbench.resources import data_dir

    return data_dir() / FILE


def load(database: str, path: Path | None = None) -> Workspace:
    data = _read(path or workspace_path()).get(database)
    if not isinstance(data, dict):
        return Workspace()
    tabs = data.get("tabs")
    return Workspace(
        editor=str(data.get("editor") or ""),
        tabs=tuple(t for t in tabs if isinstance(t, str)) if isinstance(tabs, list) else (),
    )


def save(database: str, workspace: Workspace, path: Path | None = None) -> str | None:
    """Keep `workspace` for `database`; a one-sentence problem instead of raising."""
    path = path or workspace_path()
    every = _read(path)
    every[database] = {"editor": workspace.editor, "tabs": list(workspace.tabs)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(every, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        return f"could not keep the Query screen's workspace in {path}: {exc.strerror or exc}"
    return None


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
